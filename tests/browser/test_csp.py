"""The strict Content Security Policy holds in the browser, and the tests would notice if it did not."""

import re

from playwright.sync_api import expect

from .helpers import BROWSER_TEST

pytestmark = BROWSER_TEST

INLINE_STYLE = (
    "document.querySelector('main').insertAdjacentHTML('beforeend', '<p id=styled style=\"color: red\">x</p>')"
)
INLINE_SCRIPT = (
    "const script = document.createElement('script'); script.textContent = 'window.inlineRan = true';"
    "document.body.append(script)"
)


def test_the_console_log_catches_csp_violations(page, directory, console):
    """Guards the `assert not console` of the other tests: a blocked inline style or script must show up there."""
    response = page.goto("/bs/organisations/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy  # plus a nonce when a page uses one
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert not console

    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(INLINE_STYLE)
    expect(page.locator("#styled")).not_to_have_css("color", "rgb(255, 0, 0)")
    with page.expect_console_message(lambda message: "Content Security Policy" in message.text):
        page.evaluate(INLINE_SCRIPT)
    assert page.evaluate("window.inlineRan") is None
    assert len(console.csp_violations()) == 2, console


def test_htmx_works_under_the_policy(page, directory, console):
    """htmx must not need inline styles (its indicator styles are switched off) or eval."""
    page.goto("/bs/organisations/")
    with page.expect_request(lambda request: request.headers.get("hx-request") == "true"):
        page.locator("#id_sector").select_option("youth")
    expect(page).to_have_url(re.compile(r"[?&]sector=youth(&|$)"))
    expect(page.locator("#results .card").first).to_be_visible()
    assert page.evaluate("typeof window.htmx") == "object"
    assert not console, console
