"""The CSO directory by keyboard only, the skip link and focus indicator, and on a phone-sized screen."""

import re

from playwright.sync_api import expect

from civiclink.places import queries

from .helpers import BROWSER_TEST, assert_visible_focus, has_horizontal_overflow, tab_to

pytestmark = BROWSER_TEST


def test_skip_link_leads_to_the_content(page, directory, console):
    page.goto("/bs/municipalities/")
    page.keyboard.press("Tab")
    skip_link = page.locator(".skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    assert_visible_focus(page)

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/bs/municipalities/#main$"))
    expect(page.locator("main")).to_be_focused()
    # The next Tab goes to the first link of the content, not back into the header.
    page.keyboard.press("Tab")
    expect(page.locator("main a").first).to_be_focused()
    assert not console, console


def test_directory_by_keyboard_only(page, directory, console):
    page.goto("/bs/organisations/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    search = page.locator("#id_q")
    tab_to(page, search, limit=2)

    page.keyboard.type("neretva")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/bs/organisations/\?q=neretva(&|$)"))
    found = list(queries.organisation_directory(q="neretva").values_list("legal_name", flat=True))
    assert len(found) >= 2
    expect(page.locator("#results .card h3")).to_have_text(found)
    expect(page.locator("#results")).to_have_attribute("aria-live", "polite")  # the new count is read out
    expect(search).to_be_focused()

    first_result = page.locator("#results .card a").first
    tab_to(page, first_result, limit=6)
    profile = first_result.get_attribute("href")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"{re.escape(profile)}$"))
    expect(page.locator("h1")).to_have_text(found[0])
    assert not console, console


def test_focus_is_visible_on_every_kind_of_control(page, directory, console):
    page.goto("/bs/organisations/")
    # Header links on the brand colour, buttons, the filter form on grey, links on white and in the grey footer.
    controls = [".brand", ".main-nav a", ".language-nav a", ".page-head .button", "#id_q", "#id_sector", "#id_network"]
    controls += [".filters button", ".card a", ".pagination a", ".site-footer a"]
    for selector in controls:
        page.locator(selector).first.focus()
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        expect(page.locator(selector).first).to_be_focused()
        assert_visible_focus(page)
    assert not console, console


def test_directory_on_a_phone(new_context, directory, console):
    phone = new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
    phone.goto("/bs/organisations/")
    assert not has_horizontal_overflow(phone)
    search = phone.locator("#id_q")
    expect(search).to_be_in_viewport()
    box = search.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["height"] >= 44, box

    search.tap()
    phone.keyboard.type("zepce")
    submit = phone.locator(".filters button[type=submit]")
    assert submit.bounding_box()["height"] >= 44
    submit.tap()
    expect(phone).to_have_url(re.compile(r"\?q=zepce"))
    found = list(queries.organisation_directory(q="zepce").values_list("legal_name", flat=True))
    assert found
    expect(phone.locator("#results .card h3")).to_have_text(found)
    assert not has_horizontal_overflow(phone)

    phone.locator("#results .card a").first.tap()
    expect(phone.locator("h1")).to_have_text(found[0])
    assert not has_horizontal_overflow(phone)
    assert not console, console
