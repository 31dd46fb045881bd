"""Bounded work whatever the query (each kind ranks at most CANDIDATES entries; on PostgreSQL a query of frequent
words walks the newest entries), and results shared between visitors through the cache until the index or the
data change."""

import datetime
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from civiclink.participation.models import Proposal
from civiclink.search import index, query

from .conftest import find

pytestmark = pytest.mark.django_db


@pytest.fixture
def zelen(world, make_organisation, make_process):
    for number in range(12):
        make_organisation(f"Zeleni krug {number:02}", world.home)
    process = make_process("Zelena Neretva")
    proposals = [Proposal.objects.create(process=process, title=f"Zelena površina {n}", body="Park.") for n in range(8)]
    index.rebuild()
    return proposals


def test_a_kind_with_more_matches_than_candidates_says_so(client, zelen, monkeypatch):
    monkeypatch.setattr(query, "CANDIDATES", 5)
    groups = {group.kind.key: group for group in query.search(None, "zelen", "en").groups}
    assert (groups["organisation"].total, groups["organisation"].more) == (5, True)
    assert (groups["process"].total, groups["process"].more) == (1, False)
    page = client.get("/en/search/", {"q": "zelen"}).content.decode()
    assert 'Organisations <span class="search-count">(5+)</span>' in page
    assert "More than 11 results for “zelen”" in page  # 5 + 1 + 5
    assert "Show more results in “Organisations”" in page


@pytest.mark.postgres
def test_a_query_of_frequent_words_walks_the_newest_entries_and_finds_the_same(zelen, monkeypatch):
    by_index = find("zelen")
    monkeypatch.setattr(query, "_statistics", {"read": time.monotonic(), "shares": {"zeleni": 0.6, "zelena": 0.3}})
    assert query._share(["zelen"]) == pytest.approx(0.9)
    assert find("zelen") == by_index
    for age, proposal in enumerate(zelen):  # the first is the newest
        Proposal.objects.filter(pk=proposal.pk).update(created_at=proposal.created_at - datetime.timedelta(days=age))
    index.rebuild(["proposal"])
    monkeypatch.setattr(query, "CANDIDATES", 3)
    assert sorted(find("zelen")["proposal"]) == ["Zelena površina 0", "Zelena površina 1", "Zelena površina 2"]


@pytest.mark.postgres
def test_word_shares_come_from_postgresql_statistics(zelen, monkeypatch):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE search_searchentry")
    monkeypatch.setattr(query, "_statistics", {"read": 0.0, "shares": {}})
    assert query._share(["zelen"]) > query.FREQUENT  # in every organisation's and proposal's entries
    assert query._share(["zelen", "nepostojece"]) == 0


def test_results_are_shared_until_the_index_or_the_data_change(
    client, zelen, shared_cache, make_user, django_capture_on_commit_callbacks, django_assert_num_queries
):
    from civiclink.moderation import actions

    first = client.get("/en/search/", {"q": "zelena površina"}).content.decode()
    assert "8 results for “zelena površina”" in first
    with django_assert_num_queries(0):  # anonymous visitors share the whole page
        again = client.get("/en/search/", {"q": "zelena površina"}).content.decode()
    assert again == first

    with django_capture_on_commit_callbacks(execute=True):
        actions.hide(zelen[0], moderator=make_user(), reason="Spam.")
    assert "7 results for “zelena površina”" in client.get("/en/search/", {"q": "zelena površina"}).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        Proposal.objects.create(process=zelen[1].process, title="Zelena površina nova", body="Park.")
    assert "8 results for “zelena površina”" in client.get("/en/search/", {"q": "zelena površina"}).content.decode()


def test_signed_in_visitors_share_the_results_below_their_own_header(client, zelen, shared_cache, make_user):
    from django.test import Client

    someone = Client()
    someone.force_login(make_user("someone@example.org"))
    mine = someone.get("/en/search/", {"q": "zelen"}).content.decode()
    client.force_login(make_user("other@example.org"))
    with CaptureQueriesContext(connection) as queries:
        theirs = client.get("/en/search/", {"q": "zelen"}).content.decode()
    assert not [query for query in queries if "search_searchentry" in query["sql"]]
    assert theirs.split('<div role="status"')[1] == mine.split('<div role="status"')[1]
    assert theirs != mine  # each sees their own header


def test_only_searches_that_run_count_against_the_rate_limit(client, zelen, shared_cache, settings):
    settings.SEARCH_RATE_LIMIT = "2/m"
    for _ in range(5):
        assert client.get("/en/search/", {"q": "zelen"}).status_code == 200  # one search, four pages from the cache
    assert client.get("/en/search/", {"q": "krug"}).status_code == 200
    assert client.get("/en/search/", {"q": "neretva"}).status_code == 429
