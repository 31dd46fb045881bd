"""axe-core (WCAG 2.0 and 2.1, levels A and AA) on the main pages, in Latin (Bosnian) and Cyrillic (Serbian) script.

Each test visits all its pages and reports every problem it found, page by page, so that one run shows all there
is to fix. Every page must also be served with the strict Content Security Policy, in the language of its URL,
without console errors (a blocked inline style or script, a missing file), and without skipped heading levels.
"""

import pytest

from .helpers import BROWSER_TEST, axe_violations, describe_violations, skipped_heading_levels

pytestmark = BROWSER_TEST

PUBLIC_PAGES = [
    "/{language}/",
    "/{language}/organisations/",
    "/{language}/municipalities/trebinje/",  # Republika Srpska: its name also in Cyrillic
    "/{language}/organisations/cgi-neretva/",
    "/{language}/network/",
    "/{language}/accounts/login/",
    "/{language}/accounts/signup/",
]
SIGNED_IN_PAGES = [
    "/{language}/account/",
    "/{language}/accounts/email/",
    "/{language}/accounts/password/change/",
    "/{language}/organisations/register/",
]


def problems_on(page, path: str, language: str) -> list[str]:
    response = page.goto(path)
    assert response.status == 200, path
    assert page.url.endswith(path), f"{path} redirected to {page.url}"
    problems = []
    if page.locator("html").get_attribute("lang") != language:
        problems.append(f"html lang is {page.locator('html').get_attribute('lang')!r}, not {language!r}")
    if "style-src 'self'" not in response.headers.get("content-security-policy", ""):
        problems.append("no strict Content-Security-Policy header")
    if violations := axe_violations(page):
        problems.append(describe_violations(violations))
    problems += [f"skipped heading level: {skip}" for skip in skipped_heading_levels(page)]
    return problems


def check(page, console, paths: list[str], language: str) -> None:
    found = {}
    for path in paths:
        if problems := problems_on(page, path.format(language=language), language):
            found[path.format(language=language)] = problems
    assert not found, "\n\n".join(f"{path}:\n" + "\n".join(problems) for path, problems in found.items())
    assert not console.csp_violations(), console
    assert not console, console  # no other console errors either (failed requests, script errors)


@pytest.mark.parametrize("language", ["bs", "sr"])
def test_public_pages_meet_wcag_aa(page, console, directory, home_pages, language):
    check(page, console, PUBLIC_PAGES, language)


@pytest.mark.parametrize("language", ["bs", "sr"])
def test_signed_in_pages_meet_wcag_aa(page, console, directory, make_user, log_in_as, language):
    log_in_as(page.context, make_user(first_name="Ivana", last_name="Marić"))
    check(page, console, SIGNED_IN_PAGES, language)
