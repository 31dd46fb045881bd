"""Demo news: the news index in every language and the programme's articles from `demo_content/articles*.json`.

Each article is written in Bosnian and translated with Wagtail's own translation (`copy_for_translation`), so the
demo looks as if staff had used the "Translate" action; Serbian Latin is made from the Cyrillic text. Some articles
get a main image drawn here (no downloads). Running it again adds only what is missing and keeps staff edits.

Each JSON file is a list of {"key", "date", "municipalities": [slug], "process_of": municipality slug | null,
"campaign_of": municipality slug | null, "organisations": [slug], "author": {"name"} | {"organisation": slug},
"image": bool, "translations": {language: {"title", "summary", "body" (HTML), "tags": [...]}}}. Slugs that name
nothing are skipped.
"""

import datetime
import io
import json
import random
from pathlib import Path

from django.conf import settings
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from PIL import Image as Picture
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Locale
from wagtail.rich_text import RichText

from civiclink.core.i18n import to_latin
from civiclink.governance.models import Campaign
from civiclink.pages.models import HomePage
from civiclink.participation.models import Process
from civiclink.places.models import Municipality, Organisation
from civiclink.portal.models import ArticlePage, NewsIndexPage

CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
INDEX = {
    "bs": ("Vijesti", "Novosti programa: lokalna demokratija, dobro upravljanje i građansko učešće."),
    "hr": ("Vijesti", "Novosti programa: lokalna demokracija, dobro upravljanje i sudjelovanje građana."),
    "sr": ("Вијести", "Новости програма: локална демократија, добро управљање и учешће грађана."),
    "mk": ("Вести", "Вести од програмата: локална демократија, добро владеење и учество на граѓаните."),
    "sq": ("Lajme", "Lajmet e programit: demokracia vendore, qeverisja e mirë dhe pjesëmarrja e qytetarëve."),
    "en": ("News", "News of the programme: local democracy, good governance and citizen participation."),
}
PALETTE = ["#1f4e79", "#2e7d5b", "#b35c00", "#6a3d9a", "#a4161a", "#00707a", "#5b6b7a"]


def _index_texts(language: str) -> tuple[str, str]:
    if language == "sr-latn":
        return tuple(to_latin(text) for text in INDEX["sr"])
    return INDEX.get(language, INDEX["en"])


def _publish(page):
    page.save_revision().publish()
    return page


def _published(page):
    """Mark a page published without a revision: the demo writes hundreds, and each revision and publishing costs a
    tenth of a second. The editor shows the page as it is until staff save a revision of their own."""
    page.live, page.has_unpublished_changes = True, False
    page.first_published_at = page.last_published_at = timezone.now()
    return page


def _news_index(home: HomePage) -> NewsIndexPage:
    """The Bosnian news index under the home page, and its translations under each translated home page."""
    index = NewsIndexPage.objects.child_of(home).first()
    if index is None:
        title, intro = _index_texts(home.locale.language_code)
        index = home.add_child(instance=NewsIndexPage(title=title, slug="news", intro=intro))
    translated = set(index.get_translations().values_list("locale__language_code", flat=True))
    for home_translation in home.get_translations().select_related("locale"):
        language = home_translation.locale.language_code
        if language in translated:
            continue
        copy = index.copy_for_translation(home_translation.locale).specific
        copy.title, copy.intro = _index_texts(language)
        _publish(copy)
    return index


def _texts(entry: dict) -> dict[str, dict]:
    """{language: texts}; Serbian Latin from the Cyrillic when the entry has Serbian and no Latin of its own."""
    texts = dict(entry["translations"])
    if "sr" in texts and "sr-latn" not in texts:
        texts["sr-latn"] = {
            field: [to_latin(tag) for tag in value] if isinstance(value, list) else to_latin(value)
            for field, value in texts["sr"].items()
        }
    return texts


def _fill(article: ArticlePage, texts: dict) -> None:
    article.title = texts["title"]
    article.summary = texts["summary"]
    article.body = [("paragraph", RichText(texts["body"]))]
    if article.main_image_id:
        article.main_image_alt = texts.get("image_alt") or texts["title"]


def _picture(key: str, title: str):
    """A main image drawn from the article's key: a coloured ground with a few shapes, saved as a Wagtail image."""
    rng = random.Random(key)
    width, height = 1200, 675
    colours = rng.sample(PALETTE, 3)
    canvas = Picture.new("RGB", (width, height), colours[0])
    draw = ImageDraw.Draw(canvas)
    for _ in range(6):
        x, y, size = rng.randrange(width), rng.randrange(height), rng.randrange(80, 320)
        shape = draw.ellipse if rng.random() < 0.5 else draw.rectangle
        shape((x - size, y - size, x + size, y + size), fill=rng.choice(colours[1:]))
    draw.rectangle((0, height - 90, width, height), fill="#ffffff")
    buffer = io.BytesIO()
    canvas.save(buffer, format="PNG", optimize=True)
    image = get_image_model()(title=title, description=title)
    image.file = ImageFile(buffer, name=f"news-{key}.png")
    image.save()
    return image


def _relations(entry: dict) -> dict[str, list]:
    """The related objects the entry names that exist (slugs that name nothing are skipped)."""
    process = campaign = None
    if entry.get("process_of"):
        process = Process.objects.filter(municipality__slug=entry["process_of"]).order_by("pk").first()
    if entry.get("campaign_of"):
        campaign = Campaign.objects.filter(municipality__slug=entry["campaign_of"]).order_by("-pk").first()
    return {
        "municipalities": list(Municipality.objects.filter(slug__in=entry.get("municipalities", []))),
        "processes": [process] if process else [],
        "campaigns": [campaign] if campaign else [],
        "organisations": list(Organisation.objects.filter(slug__in=entry.get("organisations", []))),
    }


def _original(index: NewsIndexPage, entry: dict, texts: dict) -> ArticlePage:
    key = entry["key"]
    author = entry.get("author") or {}
    rng = random.Random(f"views:{key}")
    article = ArticlePage(
        slug=key,
        published_on=datetime.date.fromisoformat(entry["date"]),
        author_name=author.get("name", ""),
        author_organisation=Organisation.objects.filter(slug=author.get("organisation", "")).first(),
        view_count=rng.randrange(40, 2400),
        main_image=_picture(key, texts["title"]) if entry.get("image") else None,
    )
    _fill(article, texts)
    for name, objects in _relations(entry).items():
        getattr(article, name).set(objects)
    article.tags.set(texts.get("tags", []))
    return index.add_child(instance=_published(article))


def _translate(article: ArticlePage, locale: Locale, texts: dict) -> None:
    """A translation keeps the original's relations and image; texts and tags are its own."""
    copy = article.copy_for_translation(locale).specific
    copy.view_count = article.view_count // 5
    _fill(copy, texts)
    copy.tags.set(texts.get("tags", []))
    _published(copy).save()


@transaction.atomic
def load(content_dir: Path = CONTENT_DIR) -> str:
    default = settings.LANGUAGE_CODE
    home = HomePage.objects.filter(locale__language_code=default).first()
    if home is None:
        return "portal: no home page (the pages demo makes it)"
    index = _news_index(home)
    entries = [entry for path in sorted(content_dir.glob("articles*.json")) for entry in json.loads(path.read_text())]
    locales = {page.locale.language_code: page.locale for page in index.get_translations().select_related("locale")}
    created = translated = 0
    for entry in entries:
        texts = _texts(entry)
        if default not in texts:
            continue
        article = ArticlePage.objects.child_of(index).filter(slug=entry["key"]).first()
        if article is None:
            article = _original(index, entry, texts[default])
            created += 1
        present = set(article.get_translations().values_list("locale__language_code", flat=True))
        for language, language_texts in texts.items():
            if language in locales and language not in present:
                _translate(article, locales[language], language_texts)
                translated += 1
    total = ArticlePage.objects.count()
    return f"portal: {created} articles and {translated} translations added ({total} article pages in all)"
