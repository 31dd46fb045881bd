"""The search page: results grouped by kind with counts and marked words, one kind page by page, helpful answers
to empty or bad queries, a bounded number of SQL queries, and a rate limit for anonymous visitors."""

import re

import pytest
from django.utils.html import strip_tags

from civiclink.participation.models import Proposal
from civiclink.search import index

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    return " ".join(strip_tags(response.content.decode()).split())


@pytest.fixture
def many(world, make_organisation, make_process):
    """23 verified organisations, a process and 7 proposals that all match "zelen"."""
    for number in range(23):
        make_organisation(f"Zeleni krug {number:02}", world.home)
    process = make_process("Zelena Neretva", description="Čišćenje obala.")
    for number in range(7):
        Proposal.objects.create(process=process, title=f"Zelena površina {number}", body="Park uz rijeku.")
    index.rebuild()


def test_results_are_grouped_by_kind_with_counts_and_links_to_all(client, many):
    response = client.get("/en/search/", {"q": "zelen"})
    assert response.status_code == 200
    page = response.content.decode()
    headings = re.findall(r"<h2 id=\"search-group-(\w+)\">", page)
    assert headings == ["organisation", "process", "proposal"]  # the kinds' order
    text = text_of(response)
    assert "31 results for “zelen”" in text
    assert "Organisations (23)" in text and "Participatory processes (1)" in text
    assert "Problems and proposals (7)" in text
    assert page.count("<h3><a") == 11  # 5 + 1 + 5 shown
    assert "Show all 23 results in “Organisations”" in text
    assert 'href="?q=zelen&amp;type=organisation"' in page
    assert "Show all" not in text.split("Participatory processes (1)")[1].split("Problems and proposals")[0]
    assert "<mark>Zeleni</mark> krug" in page


def test_one_kind_page_by_page(client, many):
    first = client.get("/en/search/", {"q": "zelen", "type": "organisation"})
    titles = re.findall(r"<h3><a href=\"[^\"]+\">(.*?)</a></h3>", first.content.decode())
    assert len(titles) == 20
    assert "Page 1 of 2" in text_of(first)
    second = client.get("/en/search/", {"q": "zelen", "type": "organisation", "page": 2})
    more = re.findall(r"<h3><a href=\"[^\"]+\">(.*?)</a></h3>", second.content.decode())
    assert len(more) == 3 and not set(more) & set(titles)
    assert "Back to results of every kind" in text_of(second)
    beyond = client.get("/en/search/", {"q": "zelen", "type": "organisation", "page": 9})
    assert "Page 1 of 2" in text_of(beyond)


def test_words_are_marked_in_any_script_and_everything_else_is_escaped(client, make_process):
    make_process("<script>alert(1)</script> Буџет & план", language="sr", slug="xss")
    index.rebuild()
    page = client.get("/en/search/", {"q": "budzet"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Буџет</mark> &amp; план" in page
    assert "<script>alert" not in page
    page = client.get("/en/search/", {"q": "<script>"}).content.decode()
    assert "<script>" not in page.split("<main")[1]


def test_snippets_show_the_text_around_the_first_match(client, make_process):
    filler = "Uvod u proces. " * 40
    make_process("Plan", description=f"{filler}Ovdje se govori o česmama na trgu. {filler}")
    index.rebuild()
    page = client.get("/en/search/", {"q": "cesma"}).content.decode()
    snippet = re.search(r'<p class="search-snippet">(.*?)</p>', page).group(1)
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<mark>česmama</mark> na trgu" in snippet
    assert len(strip_tags(snippet)) <= 210


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, "Diacritics and the script do not matter"),
        ({"q": "   "}, "Diacritics and the script do not matter"),
        ({"q": "a"}, "Please type at least one word of two or more letters."),
        ({"q": "nepostojece"}, "Nothing found for “nepostojece”."),
        ({"q": "x" * 201}, "Ensure this value has at most 200 characters"),
        ({"q": "mostar", "type": "grant"}, "Select a valid choice."),
    ],
)
def test_empty_short_unknown_and_bad_queries_get_a_helpful_page(client, world, params, expected):
    response = client.get("/en/search/", params)
    assert response.status_code == 200
    assert expected in text_of(response)
    if "q" in params and params["q"].strip():
        assert f'value="{params["q"]}"' in response.content.decode()  # what was typed is kept


def test_the_query_count_is_bounded(client, many, make_article, django_assert_max_num_queries):
    from django.db import connection

    make_article("Zelena konferencija", "en")
    index.rebuild()
    client.get("/en/search/", {"q": "zelen"})  # PostgreSQL: the statistics are read once a minute
    # The ranked rows and then the rows shown, their municipalities, one `visible` per kind shown (two for pages:
    # their restrictions), the site footer of every page, and nothing per result; on PostgreSQL the planner's
    # settings in a transaction of their own (three statements).
    transaction = 3 if connection.vendor == "postgresql" else 0
    with django_assert_max_num_queries(9 + transaction):
        response = client.get("/en/search/", {"q": "zelen"})
    assert "News (1)" in text_of(response)
    with django_assert_max_num_queries(5 + transaction):
        client.get("/en/search/", {"q": "zelen", "type": "proposal"})


def test_anonymous_searches_are_rate_limited(client, world, settings, make_user):
    settings.SEARCH_RATE_LIMIT = "3/m"
    for _ in range(3):
        assert client.get("/en/search/", {"q": "mostar"}).status_code == 200
    limited = client.get("/en/search/", {"q": "mostar"})
    assert limited.status_code == 429
    assert "Please wait a minute" in text_of(limited)
    assert client.get("/en/search/").status_code == 200  # the empty form is not counted
    client.force_login(make_user())
    assert client.get("/en/search/", {"q": "mostar"}).status_code == 200


def test_the_header_box_leads_here_and_keeps_the_query(client, world):
    index.rebuild()
    home = client.get("/en/organisations/").content.decode()
    assert 'action="/en/search/"' in home
    page = client.get("/en/search/", {"q": "Una"}).content.decode()
    assert 'id="site-search-q" name="q" value="Una"' in page
    assert '<p class="result-count">1 result for “Una”</p>' in page
