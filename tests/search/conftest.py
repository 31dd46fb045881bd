"""Search fixtures: a process maker, Wagtail home pages in Bosnian and English with a news index, and `find`, the
search as the page runs it. English messages, like the other apps' tests."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def find(query: str, language: str = "en", user=None, **options):
    """{kind: [titles without marks]} of what `user` (anonymous by default) finds in `language`."""
    from django.utils.html import strip_tags

    from civiclink.search.query import search

    results = search(user or AnonymousUser(), query, language, **options)
    return {group.kind.key: [strip_tags(hit.title) for hit in group.hits] for group in results.groups}


@pytest.fixture
def make_process(world):
    """A published process in Mostar that takes proposals; `features=()` for none."""
    from django.utils.text import slugify

    from civiclink.participation.models import Process, ProcessFeature

    def make(title: str, features=("proposals",), **fields):
        fields.setdefault("slug", slugify(title))
        fields.setdefault("published", True)
        fields.setdefault("municipality", world.home)
        process = Process.objects.create(title=title, **fields)
        for feature in features:
            ProcessFeature.objects.create(process=process, feature=feature)
        return process

    return make


@pytest.fixture
def site_pages(settings):
    """Home pages in Bosnian (the site's root) and English, each with a news index (`news[language]`)."""
    from types import SimpleNamespace

    from wagtail.models import Locale, Page, Site

    from civiclink.pages.models import HomePage
    from civiclink.portal.models import NewsIndexPage

    locales = {code: Locale.objects.get_or_create(language_code=code)[0] for code in ("bs", "en")}
    root = Page.get_first_root_node()
    for placeholder in root.get_children():
        placeholder.delete()
    home = root.add_child(instance=HomePage(title="Početna", slug="home", locale=locales["bs"]))
    Site.objects.update_or_create(
        is_default_site=True, defaults={"hostname": "localhost", "root_page": home, "site_name": "CivicLink"}
    )
    english = home.copy_for_translation(locales["en"])
    english.title = "Home"
    english.save_revision().publish()
    homes = {"bs": home, "en": english.specific}
    news = {code: page.add_child(instance=NewsIndexPage(title="News", slug="news")) for code, page in homes.items()}
    return SimpleNamespace(locales=locales, homes=homes, news=news)


@pytest.fixture
def make_article(site_pages):
    """An article under the news index of `language`, published through a revision as staff do."""
    from civiclink.portal.models import ArticlePage

    counter = iter(range(1, 10_000))

    def make(title: str, language: str = "bs", *, live: bool = True, **fields):
        fields.setdefault("slug", f"article-{next(counter)}")
        fields.setdefault("summary", "Summary.")
        fields.setdefault("published_on", datetime.date(2026, 3, 1))
        article = site_pages.news[language].add_child(instance=ArticlePage(title=title, live=False, **fields))
        if live:
            article.save_revision().publish()
        return ArticlePage.objects.get(pk=article.pk)

    return make
