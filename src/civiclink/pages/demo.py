"""The home page and free pages in every language, as Wagtail translations of the Bosnian originals, and the
site footer's funding acknowledgement and disclaimer in every language."""

import json
from functools import cache
from pathlib import Path

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page, Site

from civiclink.core.i18n import to_latin
from civiclink.pages.models import (
    FOOTER_LANGUAGE,
    TRANSLATION_LANGUAGES,
    FooterTranslation,
    HomePage,
    SiteFooter,
    StandardPage,
)

# One JSON file per language: {page key: {"title", "intro", "body" (HTML)}, "footer": {footer field: text}}.
# Serbian Latin is derived from sr.json (the footer does it when shown).
CONTENT_DIR = Path(__file__).resolve().parent / "demo_content"
PAGE_KEYS = ("about", "privacy", "terms", "accessibility")


@cache
def _texts(language: str) -> dict:
    path = CONTENT_DIR / f"{language}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _content(key: str, language: str) -> dict:
    """The page text in `language`; Serbian Latin comes from the Cyrillic text, missing ones from English."""
    if key in _texts(language):
        return _texts(language)[key]
    if language == "sr-latn" and key in _texts("sr"):
        return {field: to_latin(value) for field, value in _texts("sr")[key].items()}
    return _texts("en")[key]


def _translate(page: Page, key: str, locale: Locale) -> None:
    """Create the page's translation with the demo text, once: staff edits made later are kept."""
    if page.get_translation_or_none(locale):
        return
    translation = page.copy_for_translation(locale).specific
    content = _content(key, locale.language_code)
    translation.title = content["title"]
    translation.intro = content["intro"]
    translation.body = content["body"]
    translation.save_revision().publish()


def _footer() -> None:
    """The footer in every language with a text, once: staff edits made later are kept."""
    footer = SiteFooter.load()
    if footer.funding_acknowledgement:
        return
    for field, text in _texts(FOOTER_LANGUAGE)["footer"].items():
        setattr(footer, field, text)
    footer.translations = [
        FooterTranslation(language=code, **_texts(code)["footer"])
        for code, _name in TRANSLATION_LANGUAGES
        if "footer" in _texts(code)
    ]
    footer.save()


@transaction.atomic
def load() -> str:
    default = settings.LANGUAGE_CODE
    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code, _ in settings.LANGUAGES}
    Locale.objects.exclude(language_code__in=locales).delete()
    root = Page.get_first_root_node()
    home = HomePage.objects.filter(locale=locales[default]).first()
    if home is None:
        # Wagtail's first migration leaves a "Welcome" page (and a site pointing at it); replace both.
        for placeholder in root.get_children().not_type(HomePage):
            placeholder.delete()
        home = root.add_child(instance=HomePage(slug="home", locale=locales[default], **_content("home", default)))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "CivicLink"}
        )
        for key in PAGE_KEYS:
            home.add_child(instance=StandardPage(slug=key, show_in_menus=True, **_content(key, default)))
    for code, locale in locales.items():
        if code != default:
            _translate(home, "home", locale)
            for child in home.get_children().specific().filter(slug__in=PAGE_KEYS):
                _translate(child, child.slug, locale)
    _footer()
    return f"{HomePage.objects.count()} home pages, {StandardPage.objects.count()} free pages, the site footer"
