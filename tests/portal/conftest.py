"""News fixtures: a site with a home page and a news index in Bosnian, English and Croatian, and `make_article`.
English messages, like the participation tests."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_salt():
    """Each process keeps today's salt once read; a test's database starts without it."""
    from civiclink.portal import counter

    counter._salt = None


def publish(page):
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture
def news(db):
    """`news.index["bs"]`, `news.index["en"]`, `news.index["hr"]`: the news indexes (live), under home pages."""
    from wagtail.models import Locale, Page, Site

    from civiclink.pages.models import HomePage
    from civiclink.portal.models import NewsIndexPage

    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("bs", "en", "hr")}
    root = Page.get_first_root_node()
    for placeholder in root.get_children():
        placeholder.delete()
    home = root.add_child(instance=HomePage(title="Početna", slug="home", locale=locales["bs"]))
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": "CivicLink"},
    )
    index = home.add_child(instance=NewsIndexPage(title="Vijesti", slug="news", intro="Novosti programa."))
    indexes = {"bs": index}
    for code in ("en", "hr"):
        publish(home.copy_for_translation(locales[code]))
        translated = index.copy_for_translation(locales[code]).specific
        translated.title = {"en": "News", "hr": "Vijesti"}[code]
        indexes[code] = publish(translated)
    return SimpleNamespace(home=home, index=indexes, locales=locales)


@pytest.fixture
def make_article(news):
    """`make_article("bs", title=..., published_on=..., tags=[...], **fields)`: a live article in that language."""
    from django.utils.text import slugify

    from civiclink.portal.models import ArticlePage

    counter = iter(range(1, 100_000))

    def make(language="bs", *, tags=(), municipalities=(), live=True, **fields):
        number = next(counter)
        fields.setdefault("title", f"Article {number}")
        fields.setdefault("slug", slugify(fields["title"]))
        fields.setdefault("summary", f"Summary of {fields['title']}.")
        fields.setdefault("published_on", datetime.date(2024, 1, 1) + datetime.timedelta(days=number))
        fields.setdefault("body", [("paragraph", f"<p>Body of {fields['title']}.</p>")])
        article = news.index[language].add_child(instance=ArticlePage(live=live, **fields))
        if tags or municipalities:
            article.tags.set(tags)
            article.municipalities.set(municipalities)
            article.save()
        return article

    return make


def translate(article, language, **fields):
    """A published translation of `article` with the given fields changed."""
    from wagtail.models import Locale

    copy = article.copy_for_translation(Locale.objects.get(language_code=language)).specific
    for name, value in fields.items():
        setattr(copy, name, value)
    return publish(copy)
