"""The newsletter in Chromium, by keyboard only: a visitor subscribes (address, language, a municipality and a theme,
consent), opens the confirmation link from the e-mail and confirms. axe-core (WCAG 2.1 A and AA) checks the
subscription form, its error state and the confirmation pages in Bosnian (Latin) and Serbian (Cyrillic), under the
strict CSP and without console errors."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .helpers import BROWSER_TEST, axe_violations, describe_violations, gettext_in, skipped_heading_levels, tab_to

pytestmark = BROWSER_TEST

TABS = 60  # the header, the language links and the search box come first


def test_a_visitor_subscribes_and_confirms_by_keyboard(page, console, world, live_server):
    from civiclink.newsletter.models import Subscriber

    page.goto("/bs/newsletter/")

    tab_to(page, page.locator("#id_email"), limit=TABS)
    page.keyboard.type("amra@example.org")
    tab_to(page, page.locator("#id_language"), limit=2)
    page.keyboard.type("English")  # a focused select picks the option typed
    expect(page.locator("#id_language")).to_have_value("en")
    mostar = page.get_by_role("checkbox", name="Mostar")
    tab_to(page, mostar, limit=5)
    page.keyboard.press("Space")
    grants = page.get_by_role("checkbox", name=gettext_in("bs", "Grants"))
    tab_to(page, grants, limit=10)
    page.keyboard.press("Space")
    tab_to(page, page.locator("#id_consent"), limit=10)
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name=gettext_in("bs", "Subscribe")), limit=3)  # the honeypot is skipped
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/bs/newsletter/check-your-inbox/$"))
    expect(page.locator("h1")).to_have_text(gettext_in("bs", "Please check your inbox"))
    [message] = mail.outbox
    assert message.to == ["amra@example.org"]
    link = re.search(r"http://\S+/bs/newsletter/confirm/\S+/", message.body).group(0)

    page.goto(live_server.url + urlpath(link))
    confirm = page.get_by_role("button", name=gettext_in("bs", "Confirm my subscription"))
    tab_to(page, confirm, limit=TABS)
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text(gettext_in("bs", "You are subscribed"))
    expect(page.get_by_role("status")).to_have_text(
        gettext_in("bs", "Your subscription is confirmed. Thank you! The next newsletter will come to your inbox.")
    )
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "confirmed" and subscriber.language == "en"
    assert [m.name for m in subscriber.municipalities.all()] == ["Mostar"] and subscriber.themes == ["grants"]
    assert not console, console


def urlpath(address: str) -> str:
    return re.sub(r"^https?://[^/]+", "", address)


@pytest.mark.parametrize("language", ["bs", "sr"])
def test_the_newsletter_pages_meet_wcag_aa(page, console, world, language):
    from civiclink.newsletter import subscriptions
    from civiclink.newsletter.models import Subscriber

    pending = Subscriber.objects.create(email="ana@example.org", language=language, status="pending", nonce="1" * 32)
    pages = {
        "the form": f"/{language}/newsletter/",
        "the confirmation": f"/{language}/newsletter/confirm/{subscriptions.confirmation_token(pending)}/",
        "an invalid link": f"/{language}/newsletter/confirm/broken/",
        "the archive": f"/{language}/newsletter/archive/",
    }
    found = {}
    for name, path in pages.items():
        page.goto(path)
        if problems := axe_violations(page):
            found[name] = describe_violations(problems)
        assert not skipped_heading_levels(page), name
    page.goto(pages["the form"])
    page.get_by_role("button", name=gettext_in(language, "Subscribe")).click()  # nothing filled in
    expect(page.locator(".form-errors")).to_be_visible()
    if problems := axe_violations(page):
        found["the form with errors"] = describe_violations(problems)

    assert not found, "\n\n".join(f"{name}:\n{problems}" for name, problems in found.items())
    assert not console.csp_violations(), console
