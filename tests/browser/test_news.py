"""News in Chromium, by keyboard only: from the index to an article, and a signed-in reader writing a comment; the
index and an article pass axe's WCAG 2.1 AA rules and set no cookie for anonymous readers."""

import json
import re

import pytest
from playwright.sync_api import expect

from .helpers import BROWSER_TEST, assert_no_axe_violations, assert_visible_focus, tab_to

pytestmark = BROWSER_TEST

ENTRIES = [
    {
        "key": "benches-arrive",
        "date": "2024-06-01",
        "municipalities": ["mostar"],
        "organisations": [],
        "author": {"name": "Amra Hodžić"},
        "image": True,
        "translations": {
            "bs": {
                "title": "Stigle su pametne klupe",
                "summary": "Prve klupe su postavljene u Mostaru.",
                "body": '<p>Klupe mjere zrak. <a href="https://example.org/klupe">Više o klupama</a>.</p>',
                "tags": ["klupe"],
            },
            "en": {
                "title": "Smart benches arrive",
                "summary": "The first benches stand in Mostar.",
                "body": '<p>The benches measure the air. <a href="https://example.org/benches">More</a>.</p>',
                "tags": ["benches"],
            },
        },
    },
    {
        "key": "eloge-launch",
        "date": "2024-03-12",
        "municipalities": ["mostar", "trebinje"],
        "organisations": [],
        "author": {"name": "Ivan Perić"},
        "image": False,
        "translations": {
            "bs": {
                "title": "Pokrenut ELoGE",
                "summary": "Dvanaest općina.",
                "body": "<p>Tekst.</p>",
                "tags": ["eloge"],
            },
            "en": {"title": "ELoGE launched", "summary": "Twelve towns.", "body": "<p>Text.</p>", "tags": ["eloge"]},
        },
    },
]


@pytest.fixture
def news(home_pages, world, tmp_path):
    from civiclink.portal import demo

    (tmp_path / "articles.json").write_text(json.dumps(ENTRIES))
    demo.load(tmp_path)


def test_reading_an_article_from_the_index_by_keyboard(page, news, console):
    response = page.goto("/en/news/")
    assert "set-cookie" not in response.headers
    expect(page.locator("h1")).to_have_text("News")
    assert_no_axe_violations(page)
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    first = page.locator(".news-card-title a").first
    expect(first).to_have_text("Smart benches arrive")
    tab_to(page, first, limit=8)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/news/benches-arrive/$"))
    heading = page.locator("h1")
    expect(heading).to_have_text("Smart benches arrive")
    expect(heading).to_be_in_viewport()
    expect(page.locator(".article-views")).to_contain_text("Read")
    expect(page.locator(".article-languages a[hreflang=bs]")).to_have_text("Bosanski")
    assert_no_axe_violations(page)
    assert not page.context.cookies()
    assert not console, console


def test_a_signed_in_reader_comments_by_keyboard(page, news, make_user, log_in_as, console):
    reader = make_user("reader@example.org")
    log_in_as(page.context, reader)
    page.goto("/en/news/benches-arrive/")
    body = page.locator("#id_comment-body")
    body.focus()
    assert_visible_focus(page)
    page.keyboard.type("Finally somewhere to sit in the shade.")
    page.keyboard.press("Tab")
    publish = page.locator(".comment-form button[type=submit]")
    expect(publish).to_be_focused()
    assert_visible_focus(page)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/en/news/benches-arrive/#comment-\d+$"))
    expect(page.locator(".messages")).to_contain_text("Your comment is published.")
    expect(page.locator(".comment-body")).to_have_text("Finally somewhere to sit in the shade.")
    reply = page.locator(".comment-actions a", has_text="Reply")
    tab_to(page, reply, limit=40)
    page.keyboard.press("Enter")
    expect(page.locator("h2")).to_have_text("Reply to a comment")
    assert_no_axe_violations(page)
    assert not console, console


def test_the_print_view(page, news, console):
    page.goto("/en/news/benches-arrive/")
    page.locator(".article-tools a").click()
    expect(page).to_have_url(re.compile(r"/en/news/benches-arrive/print/$"))
    expect(page.locator(".main-nav")).to_have_count(0)
    expect(page.locator(".print-notes li")).to_have_text(["[1] https://example.org/benches"])
    page.emulate_media(media="print")
    expect(page.locator(".print-back")).to_be_hidden()
    assert not console, console
