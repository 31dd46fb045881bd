"""RSS and Atom feeds of the news, per language and per tag: they parse without errors in feedparser, Atom has the
elements RFC 4287 requires, only live articles of the feed's language appear, newest first, and a feed costs the
same queries for three articles as for thirty."""

import datetime

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from .conftest import translate

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
DOMAIN = "http://127.0.0.1:8000"  # the sites framework's domain (from SITE_URL), as in every absolute address


def day(number: int) -> datetime.date:
    return datetime.date(2025, 1, 1) + datetime.timedelta(days=number)


def parse(client, address):
    response = client.get(address)
    assert response.status_code == 200, address
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return response, parsed


def test_rss_lists_the_latest_live_articles_of_its_language(client, make_article):
    older = make_article("bs", title="Počinje ELoGE", published_on=day(1), tags=["eloge"], author_name="Amra Hodžić")
    newer = make_article("bs", title="Klupe u Mostaru", published_on=day(5), tags=["benches", "mostar"])
    translate(newer, "en", title="Benches in Mostar")
    make_article("bs", title="Nacrt", published_on=day(9), live=False)

    response, feed = parse(client, "/bs/news/feed/rss/")
    assert response["Content-Type"].startswith("application/rss+xml")
    assert feed.version == "rss20"
    assert feed.feed.language == "bs"
    assert feed.feed.link == f"{DOMAIN}/bs/news/"
    assert f"{DOMAIN}/bs/news/feed/rss/" in [link.href for link in feed.feed.links if link.rel == "self"]
    assert [entry.title for entry in feed.entries] == ["Klupe u Mostaru", "Počinje ELoGE"]
    first, second = feed.entries
    assert first.link == f"{DOMAIN}{newer.url}" == f"{DOMAIN}/bs/news/klupe-u-mostaru/"
    assert first.summary == "Summary of Klupe u Mostaru."
    assert [tag.term for tag in first.tags] == ["benches", "mostar"]
    assert first.published == "Mon, 06 Jan 2025 00:00:00 +0100"  # the publication date, in the site's time zone
    assert second.author == "Amra Hodžić"
    assert second.link == f"{DOMAIN}{older.url}"


def test_atom_has_the_elements_rfc_4287_requires(client, make_article):
    make_article("en", title="Benches in Mostar", published_on=day(5), tags=["benches"], author_name="Amra Hodžić")
    make_article("en", title="Final conference", published_on=day(7))

    response, feed = parse(client, "/en/news/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    assert feed.version == "atom10"
    assert [entry.title for entry in feed.entries] == ["Final conference", "Benches in Mostar"]

    root = etree.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.get(XML_LANG) == "en"
    for element in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{element}") is not None, element
    assert root.find(f"{ATOM}author/{ATOM}name").text == "CivicLink"  # stands in for entries without an author
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == f"{DOMAIN}/en/news/feed/atom/"
    assert root.find(f"{ATOM}link[@rel='alternate']").get("href") == f"{DOMAIN}/en/news/"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        for element in ("id", "title", "updated", "published", "summary"):
            assert entry.find(f"{ATOM}{element}") is not None, element
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith(f"{DOMAIN}/en/news/")
    assert entries[1].find(f"{ATOM}author/{ATOM}name").text == "Amra Hodžić"
    assert entries[1].find(f"{ATOM}category").get("term") == "benches"
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == 2


def test_a_tag_feed_lists_only_that_tags_articles(client, make_article):
    make_article("bs", title="ELoGE", published_on=day(1), tags=["eloge"])
    make_article("bs", title="Klupe", published_on=day(2), tags=["benches"])
    make_article("en", title="ELoGE in English", published_on=day(3), tags=["eloge"])

    for kind in ("rss", "atom"):
        _response, feed = parse(client, f"/bs/news/tag/eloge/feed/{kind}/")
        assert [entry.title for entry in feed.entries] == ["ELoGE"]
        assert "eloge" in feed.feed.title
        assert feed.feed.link == f"{DOMAIN}/bs/news/?tag=eloge"
    assert client.get("/bs/news/tag/no-such-tag/feed/rss/").status_code == 404


def test_an_organisation_signs_where_no_person_does(client, make_article, world):
    make_article("en", title="Open budgets", published_on=day(1), author_organisation=world.own)
    _response, feed = parse(client, "/en/news/feed/rss/")
    assert feed.entries[0].author == "Centar za građanske inicijative"


def test_the_main_image_is_an_enclosure(client, make_article):
    from wagtail.images.models import Image

    image = Image.objects.create(title="Bench", file=get_test_image_file())
    image.get_file_size()
    make_article("bs", title="Klupe", published_on=day(1), main_image=image, main_image_alt="A bench")

    _response, feed = parse(client, "/bs/news/feed/rss/")
    (enclosure,) = feed.entries[0].enclosures
    assert enclosure.href == f"{DOMAIN}{image.file.url}"
    assert enclosure.type == "image/png"
    assert int(enclosure.length) == image.file_size


def test_private_and_unpublished_articles_stay_out(client, make_article):
    make_article("bs", title="Javno", published_on=day(1))
    private = make_article("bs", title="Samo za tim", published_on=day(2))
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    make_article("bs", title="Nacrt", published_on=day(3), live=False)

    _response, feed = parse(client, "/bs/news/feed/atom/")
    assert [entry.title for entry in feed.entries] == ["Javno"]


def test_a_feed_has_the_latest_twenty(client, make_article):
    for number in range(25):
        make_article("bs", title=f"Vijest {number}", published_on=day(number))
    _response, feed = parse(client, "/bs/news/feed/rss/")
    assert [entry.title for entry in feed.entries] == [f"Vijest {number}" for number in range(24, 4, -1)]


def test_a_feeds_queries_do_not_grow_with_its_articles(client, make_article, world):
    def count(address):
        client.get(address)  # warm-up: per-process caches (site root paths, content types)
        with CaptureQueriesContext(connection) as context:
            assert client.get(address).status_code == 200
        return len(context.captured_queries)

    def publish(numbers):
        for number in numbers:
            make_article(
                "bs",
                title=f"Vijest {number}",
                published_on=day(number),
                tags=["eloge", "lap"],
                author_organisation=world.own,
            )

    publish(range(3))
    few = {kind: count(f"/bs/news/feed/{kind}/") for kind in ("rss", "atom")}
    few_tagged = count("/bs/news/tag/eloge/feed/atom/")
    publish(range(3, 30))
    assert {kind: count(f"/bs/news/feed/{kind}/") for kind in ("rss", "atom")} == few
    assert count("/bs/news/tag/eloge/feed/atom/") == few_tagged
    # Wagtail's routing takes seven (site, locale, the page's path, its view restrictions); the feed four: its
    # locale, the private sections, the articles with their authors and images, their tags.
    assert few["rss"] <= 11, few
