"""The view counter: once per reader, article and day, without cookies, sessions or stored addresses; robots and
previews do not count; the old days are forgotten."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory

from civiclink.portal import counter
from civiclink.portal.models import ArticlePage, ArticleView, ViewSalt

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"
PHONE = "Mozilla/5.0 (Linux; Android 14) Chrome/128.0 Mobile"
ADDRESS = "203.0.113.77"


def views_of(article) -> int:
    return ArticlePage.objects.values_list("view_count", flat=True).get(pk=article.pk)


def read(client, article, agent=BROWSER, address=ADDRESS):
    response = client.get(article.url, HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    assert response.status_code == 200
    return response


@pytest.fixture
def article(make_article):
    return make_article("en", title="Benches arrive")


def test_a_reader_counts_once_a_day(client, article, make_article):
    read(client, article)
    read(client, article)
    assert views_of(article) == 1
    read(client, article, address="198.51.100.20")  # someone else
    read(client, article, agent=PHONE)  # the same address, another device
    assert views_of(article) == 3
    other = make_article("en", title="Other news")
    read(client, other)
    assert views_of(other) == 1 and views_of(article) == 3
    assert "Read 3 times" in read(client, article).content.decode()


def test_a_new_day_counts_again_and_forgets_the_old_one(client, article, monkeypatch):
    read(client, article)
    yesterday = ViewSalt.objects.get()
    tomorrow = yesterday.day + datetime.timedelta(days=1)
    monkeypatch.setattr(counter.timezone, "localdate", lambda: tomorrow)
    read(client, article)
    assert views_of(article) == 2
    assert list(ViewSalt.objects.values_list("day", flat=True)) == [tomorrow]
    assert list(ArticleView.objects.values_list("day", flat=True)) == [tomorrow]
    assert ViewSalt.objects.get().salt != yesterday.salt


def test_no_cookie_no_session_no_address_stored(client, article):
    from django.contrib.sessions.models import Session

    response = read(client, article)
    assert not response.cookies and "Set-Cookie" not in response.headers
    assert not Session.objects.exists()
    assert views_of(article) == 1
    with connection.cursor() as cursor:
        for table in ("portal_articleview", "portal_viewsalt"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            rows = cursor.fetchall()
            assert rows and not any(ADDRESS in str(value) or "Firefox" in str(value) for row in rows for value in row)
    assert {field.name for field in ArticleView._meta.get_fields()} == {"id", "day", "digest", "article"}


def test_robots_previews_and_head_requests_do_not_count(client, article):
    for agent in ("Googlebot/2.1 (+http://www.google.com/bot.html)", "Mozilla/5.0 (compatible; bingbot/2.0)", ""):
        read(client, article, agent=agent)
    assert client.head(article.url, HTTP_USER_AGENT=BROWSER).status_code == 200
    preview = RequestFactory().get(article.url, HTTP_USER_AGENT=BROWSER)
    preview.is_preview = True
    assert counter.count_view(preview, article.pk) is False
    assert views_of(article) == 0 and not ArticleView.objects.exists()


def test_the_digest_depends_on_everything_it_is_made_of(article):
    day = datetime.date(2024, 5, 1)
    digest = counter.reader_digest(day, ADDRESS, BROWSER, article.pk)
    assert len(digest) == 64 and ADDRESS not in digest
    assert digest == counter.reader_digest(day, ADDRESS, BROWSER, article.pk)
    others = {
        counter.reader_digest(day, "198.51.100.1", BROWSER, article.pk),
        counter.reader_digest(day, ADDRESS, PHONE, article.pk),
        counter.reader_digest(day, ADDRESS, BROWSER, article.pk + 1),
    }
    assert digest not in others and len(others) == 3


def test_a_cached_article_is_served_before_wagtail_routes_it_and_the_reader_still_counts(
    client, article, shared_cache, django_assert_num_queries
):
    """With a shared cache, an anonymous reader's article costs the counter's statements and nothing else: no
    routing; a repeat reader, known from the cache, costs no query at all."""
    first = client.get(article.url, HTTP_USER_AGENT="Reader one")
    with django_assert_num_queries(2):  # INSERT (a new reader), UPDATE of the count
        second = client.get(article.url, HTTP_USER_AGENT="Reader two")
    with django_assert_num_queries(0):  # seen today, says the cache
        again = client.get(article.url, HTTP_USER_AGENT="Reader two")
    assert first.content == second.content == again.content and not again.cookies
    article.refresh_from_db()
    assert article.view_count == 2


def test_a_reader_the_cache_forgot_is_not_counted_twice(client, article, shared_cache, django_assert_num_queries):
    """The database has the last word: when the cache has lost what it knew of today's readers (Redis restarted,
    say), a reader counted today costs an INSERT that does nothing, and still counts once."""
    read(client, article)
    redis = cache._cache.get_client()
    assert redis.delete(*redis.scan_iter("*civiclink:reader:*")) == 1
    with django_assert_num_queries(1):
        read(client, article)
    cache.clear()  # the page too
    read(client, article)
    assert views_of(article) == 1 and ArticleView.objects.count() == 1
