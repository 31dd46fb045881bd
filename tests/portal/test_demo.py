"""The news demo: the news index in every language, articles written in Bosnian and translated with Wagtail's own
translation (Serbian Latin made from the Cyrillic), relations that exist, drawn main images with alt text; loading
again changes nothing. A small fixture of our own, then the programme's content files."""

import json

import pytest
from wagtail.images.models import Image
from wagtail.models import Page

from civiclink.pages import demo as pages_demo
from civiclink.portal import demo
from civiclink.portal.models import ArticlePage, NewsIndexPage

pytestmark = pytest.mark.django_db

ENTRIES = [
    {
        "key": "eloge-launch",
        "date": "2024-03-12",
        "municipalities": ["mostar", "no-such-town"],
        "process_of": "mostar",
        "campaign_of": None,
        "organisations": ["centar-za-gradjanske-inicijative", "unknown-cso"],
        "author": {"organisation": "centar-za-gradjanske-inicijative"},
        "image": True,
        "translations": {
            "bs": {
                "title": "Pokrenut ELoGE",
                "summary": "Dvanaest općina.",
                "body": "<p>Tekst.</p>",
                "tags": ["ELoGE"],
            },
            "en": {"title": "ELoGE launched", "summary": "Twelve towns.", "body": "<p>Text.</p>", "tags": ["ELoGE"]},
            "sr": {
                "title": "Покренут ELoGE",
                "summary": "Дванаест општина.",
                "body": "<p>Текст.</p>",
                "tags": ["ЕЛоГЕ"],
            },
        },
    },
    {
        "key": "benches",
        "date": "2024-06-01",
        "municipalities": ["trebinje"],
        "process_of": None,
        "campaign_of": None,
        "organisations": [],
        "author": {"name": "Amra Hodžić"},
        "image": False,
        "translations": {
            "bs": {"title": "Klupe", "summary": "Stigle su klupe.", "body": "<p>Klupe.</p>", "tags": ["klupe"]},
            "en": {"title": "Benches", "summary": "Benches arrived.", "body": "<p>Benches.</p>", "tags": ["benches"]},
        },
    },
]


def snapshot() -> dict:
    return {
        "pages": Page.objects.count(),
        "articles": ArticlePage.objects.count(),
        "images": Image.objects.count(),
        "published": sorted(ArticlePage.objects.values_list("last_published_at", flat=True)),
    }


def test_the_loader_with_a_fixture(tmp_path, world, client):
    from civiclink.participation.models import Process

    Process.objects.create(municipality=world.home, title="Green Mostar", slug="green-mostar", published=True)
    (tmp_path / "articles.json").write_text(json.dumps(ENTRIES))
    pages_demo.load()
    demo.load(tmp_path)

    assert NewsIndexPage.objects.filter(slug="news").count() == 7
    assert NewsIndexPage.objects.get(locale__language_code="sr").title == "Вијести"
    launch = ArticlePage.objects.get(slug="eloge-launch", locale__language_code="bs")
    assert launch.live and launch.author_display == world.own.legal_name
    assert list(launch.municipalities.all()) == [world.home] and list(launch.organisations.all()) == [world.own]
    assert [process.slug for process in launch.processes.all()] == ["green-mostar"]
    assert launch.main_image is not None and launch.main_image_alt == "Pokrenut ELoGE"
    languages = {page.locale.language_code: page.specific for page in launch.get_translations(inclusive=True)}
    assert set(languages) == {"bs", "en", "sr", "sr-latn"}
    latin = languages["sr-latn"]
    assert latin.title == "Pokrenut ELoGE" and latin.summary == "Dvanaest opština." and latin.live
    assert [tag.name for tag in latin.tags.all()] == ["ELoGE"]
    assert list(languages["en"].municipalities.all()) == [world.home]  # relations kept by the translation
    assert languages["en"].main_image_id == launch.main_image_id and languages["en"].main_image_alt == "ELoGE launched"
    assert ArticlePage.objects.get(slug="benches", locale__language_code="bs").author_display == "Amra Hodžić"

    response = client.get("/sr-latn/news/")
    assert response.status_code == 200 and "Pokrenut ELoGE" in response.content.decode()
    assert client.get(launch.url).status_code == 200

    before = snapshot()
    demo.load(tmp_path)
    assert snapshot() == before


def test_the_programme_content_loads(world):
    """The content files of the programme: thirty articles in Bosnian and English, some in all seven languages."""
    from civiclink.places import demo as places_demo

    places_demo.load()
    pages_demo.load()
    demo.load()
    if not list(demo.CONTENT_DIR.glob("articles*.json")):
        pytest.skip("the demo content is not written yet")
    originals = ArticlePage.objects.filter(locale__language_code="bs")
    assert originals.count() >= 30
    for article in originals:
        languages = set(article.get_translations(inclusive=True).values_list("locale__language_code", flat=True))
        assert {"bs", "en"} <= languages, article.slug
    everywhere = [article for article in originals if article.get_translations(inclusive=True).count() == 7]
    assert everywhere
    assert ArticlePage.objects.filter(main_image__isnull=False).exclude(main_image_alt="").exists()
