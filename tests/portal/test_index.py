"""The news index of one language: newest first, twelve a page, filters by topic and municipality that work without
JavaScript, an archive by year, feed links, and a note on languages that not every article is translated into."""

import datetime

import pytest

from civiclink.portal.queries import live_articles

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def titles(page: str) -> list[str]:
    """The article titles of the list, in order."""
    parts = page.split('class="news-card-title"><a href="')[1:]
    return [part.split(">", 1)[1].split("</a>", 1)[0] for part in parts]


def test_newest_first_in_the_language_of_the_index_only(client, make_article):
    make_article("bs", title="Stara vijest", published_on=datetime.date(2024, 1, 5))
    make_article("bs", title="Nova vijest", published_on=datetime.date(2024, 6, 1))
    make_article("en", title="English news", published_on=datetime.date(2024, 7, 1))
    make_article("bs", title="Skica", published_on=datetime.date(2024, 8, 1), live=False)
    assert titles(html(client.get("/bs/news/"))) == ["Nova vijest", "Stara vijest"]
    assert titles(html(client.get("/en/news/"))) == ["English news"]
    assert [article.title for article in live_articles("bs")] == ["Nova vijest", "Stara vijest"]


def test_twelve_a_page(client, make_article):
    for number in range(14):
        make_article("en", title=f"News {number:02}", published_on=datetime.date(2024, 1, 1 + number))
    first = html(client.get("/en/news/"))
    assert len(titles(first)) == 12 and titles(first)[0] == "News 13"
    assert "14 articles" in first and "Page 1 of 2" in first and 'href="?page=2"' in first
    assert titles(html(client.get("/en/news/?page=2"))) == ["News 01", "News 00"]


def test_filters_by_topic_and_municipality_keep_the_choice(client, make_article, world):
    make_article("en", title="Benches in Mostar", tags=["benches"], municipalities=[world.home])
    make_article("en", title="Benches in Trebinje", tags=["benches"], municipalities=[world.away])
    make_article("en", title="Training", tags=["training"], municipalities=[world.home])
    page = html(client.get("/en/news/?tag=benches"))
    assert sorted(titles(page)) == ["Benches in Mostar", "Benches in Trebinje"]
    assert '<option value="benches" selected>benches</option>' in page and "Show all news" in page
    both = html(client.get("/en/news/?tag=benches&municipality=mostar"))
    assert titles(both) == ["Benches in Mostar"]
    assert 'href="?tag=benches&amp;municipality=mostar&amp;page=2"' not in both  # one page only
    assert titles(html(client.get("/en/news/?municipality=trebinje"))) == ["Benches in Trebinje"]


def test_tags_in_cyrillic_filter_and_have_feeds(client, make_article):
    from taggit.models import Tag

    make_article("en", title="Governance", tags=["добро управљање"])
    make_article("en", title="Other")
    slug = Tag.objects.get().slug
    index = html(client.get("/en/news/"))
    assert "?tag=%D0%B4%D0%BE%D0%B1" in index  # the card's topic links to the filtered list
    page = html(client.get("/en/news/", {"tag": slug}))
    assert titles(page) == ["Governance"]
    assert 'href="/en/news/tag/%D0%B4%D0%BE%D0%B1' in page  # the topic's feeds, percent-encoded


def test_an_unknown_filter_says_so_and_shows_everything(client, make_article):
    make_article("en", title="Something", tags=["benches"])
    page = html(client.get("/en/news/?tag=nothing-like-this"))
    assert "Select a valid choice." in page and titles(page) == ["Something"]


def test_archive_by_year_with_counts(client, make_article):
    make_article("en", title="Old", published_on=datetime.date(2023, 3, 1))
    make_article("en", title="New", published_on=datetime.date(2024, 3, 1))
    make_article("en", title="Newer", published_on=datetime.date(2024, 5, 1))
    index = html(client.get("/en/news/"))
    assert 'href="/en/news/archive/2024/"' in index and "(2 articles)" in index and "(1 article)" in index
    year = html(client.get("/en/news/archive/2023/"))
    assert titles(year) == ["Old"] and "News: 2023" in year
    assert 'href="/en/news/archive/2023/" aria-current="page"' in year
    assert client.get("/en/news/archive/1999/").status_code == 404


def test_feed_links_of_the_language_and_of_the_topic(client, make_article):
    make_article("en", title="Launch", tags=["eloge"])
    page = html(client.get("/en/news/"))
    assert '<link rel="alternate" type="application/rss+xml" title="News (RSS)" href="/en/news/feed/rss/">' in page
    assert 'type="application/atom+xml" title="News (Atom)" href="/en/news/feed/atom/"' in page
    tagged = html(client.get("/en/news/?tag=eloge"))
    assert 'href="/en/news/tag/eloge/feed/rss/"' in tagged and 'href="/en/news/tag/eloge/feed/atom/"' in tagged


def test_languages_with_fewer_translations_point_to_the_complete_news(client, make_article):
    make_article("hr", title="Hrvatska vijest")
    page = html(client.get("/hr/news/"))
    assert titles(page) == ["Hrvatska vijest"]
    assert 'href="/bs/news/" hreflang="bs" lang="bs">Bosanski</a>' in page
    assert 'href="/en/news/" hreflang="en" lang="en">English</a>' in page
    assert "Not every article is translated" not in html(client.get("/en/news/"))


def test_the_index_costs_the_same_queries_for_3_and_12_articles(client, make_article, world, django_assert_num_queries):
    from wagtail.images.models import Image
    from wagtail.images.tests.utils import get_test_image_file

    image = Image.objects.create(title="Photo", file=get_test_image_file())

    def add(count):
        for _number in range(count):
            make_article(
                "en",
                tags=["eloge", "lap"],
                municipalities=[world.home],
                main_image=image,
                main_image_alt="A photo",
                author_organisation=world.own,
            )

    add(3)
    client.get("/en/news/")  # renditions are made once
    with django_assert_num_queries(QUERIES):
        html(client.get("/en/news/?tag=eloge"))
    add(9)
    client.get("/en/news/")
    with django_assert_num_queries(QUERIES):
        assert len(titles(html(client.get("/en/news/?tag=eloge")))) == 12


QUERIES = 19
