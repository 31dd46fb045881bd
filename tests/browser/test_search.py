"""The site search by keyboard only: from the header's box to a result and into it; axe on the results page."""

import re

from playwright.sync_api import expect

from .helpers import BROWSER_TEST, assert_no_axe_violations, tab_to

pytestmark = BROWSER_TEST


def test_search_by_keyboard_from_the_header_box(page, directory, console):
    from civiclink.search import index
    from civiclink.search.query import search

    index.rebuild()
    found = search(None, "neretva", "bs")
    organisations = next(group for group in found.groups if group.kind.key == "organisation")

    page.goto("/bs/organisations/")
    box = page.locator("#site-search-q")
    tab_to(page, box, limit=20)
    page.keyboard.type("Неретва")  # Cyrillic finds the Latin names
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/bs/search/\?q=%D0%9D"))
    expect(page.locator("[role=status]")).to_contain_text(str(found.total))
    expect(box).to_have_value("Неретва")
    expect(page.locator("#search-group-organisation")).to_contain_text(str(organisations.total))
    first = page.locator("#search-group-organisation + .search-results a").first
    expect(first.locator("mark")).to_have_count(1)

    tab_to(page, first, limit=40)
    address = first.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{re.escape(address)}$"))
    assert not console, console


def test_results_page_passes_axe(page, directory, console):
    from civiclink.search import index

    index.rebuild()
    page.goto("/bs/search/?q=mostar")
    expect(page.locator(".search-results").first).to_be_visible()
    assert_no_axe_violations(page)
    page.goto("/sr/search/?q=mostar&type=organisation")
    assert_no_axe_violations(page)
    page.goto("/en/search/?q=zzzz")
    expect(page.locator("[role=status]")).to_contain_text("Nothing found")
    assert_no_axe_violations(page)
    assert not console, console
