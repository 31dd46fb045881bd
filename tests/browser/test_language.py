"""The language switcher: the same page in another language, with the URL prefix and html lang to match."""

import re

from playwright.sync_api import expect

from civiclink.pages.models import HomePage

from .helpers import BROWSER_TEST, gettext_in

pytestmark = BROWSER_TEST


def switch_language(page, current: str, name: str):
    switcher = page.get_by_role("navigation", name=gettext_in(current, "Language"))
    switcher.get_by_role("link", name=name, exact=True).click()


def home_title(language: str) -> str:
    return HomePage.objects.get(locale__language_code=language).title


def expect_language(page, language: str, path: str):
    expect(page).to_have_url(re.compile(rf"^https?://[^/]+/{language}/{re.escape(path)}$"))
    expect(page.locator("html")).to_have_attribute("lang", language)
    main_nav = page.get_by_role("navigation", name=gettext_in(language, "Main"))
    expect(main_nav.get_by_role("link")).to_have_text(
        [
            gettext_in(language, label)
            for label in ("News", "Municipalities", "Participation", "Good governance", "Organisations", "CSO network")
        ]
    )


def test_switch_from_bosnian_to_english_and_serbian_cyrillic(page, directory, home_pages, console):
    assert len({home_title("bs"), home_title("en")}) == 2
    page.goto("/bs/")
    expect_language(page, "bs", "")
    expect(page.locator("h1")).to_have_text(home_title("bs"))

    switch_language(page, "bs", "English")
    expect_language(page, "en", "")
    expect(page.locator("h1")).to_have_text(home_title("en"))
    current = page.get_by_role("navigation", name="Language").locator("[aria-current=true]")
    expect(current).to_have_text("English")

    switch_language(page, "en", "Српски")
    expect_language(page, "sr", "")
    expect(page.locator("h1")).to_have_text(home_title("sr"))

    # The directory in Serbian shows the municipalities in Cyrillic script.
    page.get_by_role("navigation", name=gettext_in("sr", "Main")).get_by_role(
        "link", name=gettext_in("sr", "Organisations")
    ).click()
    expect_language(page, "sr", "organisations/")
    expect(page.locator("#results")).to_contain_text("Мостар")
    expect(page.locator("#results")).not_to_contain_text("Mostar")
    assert not console, console


def test_switching_language_keeps_the_page_and_the_search(page, directory, console):
    page.goto("/sr/organisations/")
    page.locator("#id_q").fill("neretva")
    page.locator("#id_q").press("Enter")
    expect(page).to_have_url(re.compile(r"/sr/organisations/\?q=neretva"))

    switch_language(page, "sr", "Bosanski")
    expect_language(page, "bs", "organisations/?q=neretva&sector=&municipality=")
    expect(page.locator("#id_q")).to_have_value("neretva")
    expect(page.locator("#results")).to_contain_text("Mostar")
    expect(page.locator("#results")).not_to_contain_text("Мостар")
    assert not console, console
