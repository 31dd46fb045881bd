"""The contact form in Chromium by keyboard only: filled in and sent in Bosnian, and sent empty to meet the error
summary, which takes the focus and leads to the fields. axe-core (WCAG 2.1 A and AA) on the empty form and on the
form with its errors, with the strict CSP and no console errors."""

import re
import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from civiclink.contact.models import Message
from civiclink.contact.receiving import MIN_SECONDS

from .helpers import BROWSER_TEST, assert_visible_focus, axe_violations, describe_violations, gettext_in, tab_to

pytestmark = BROWSER_TEST


@pytest.fixture
def topics(make_user):
    from civiclink.accounts.models import Role
    from civiclink.accounts.roles import grant_platform_role
    from civiclink.contact.models import Topic

    staff = make_user("staff@example.org")
    grant_platform_role(staff, Role.STAFF)
    general = Topic.objects.create(name="Opća pitanja", translations={"en": {"name": "General questions"}}, order=1)
    general.responsible.add(staff)
    Topic.objects.create(name="Za medije", translations={"en": {"name": "Press"}}, order=2)
    return general


def _skip_to_content(page):
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_a_message_is_written_and_sent_by_keyboard(page, topics, console):
    page.goto("/bs/contact/")
    shown = time.monotonic()
    _skip_to_content(page)

    tab_to(page, page.locator("#id_name"), limit=3)
    page.keyboard.type("Selma Hadžić")
    for selector, text in [
        ("#id_email", "selma@example.ba"),
        ("#id_topic", "Op"),  # typing in a closed list picks the option that starts so
        ("#id_subject", "Uključivanje u program"),
        ("#id_body", "Kako se naša općina može uključiti?"),
    ]:
        page.keyboard.press("Tab")
        expect(page.locator(selector)).to_be_focused()
        assert_visible_focus(page)
        page.keyboard.type(text)
    expect(page.locator("#id_topic")).to_have_value(str(topics.pk))
    # The honeypot is out of the tab order: from the message the focus goes to the privacy link, then the button.
    path = tab_to(page, page.locator("main form button[type=submit]"), limit=2)
    assert "privacy" in path[0]
    page.wait_for_timeout(max(0, (MIN_SECONDS + 0.5 - (time.monotonic() - shown)) * 1000))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"/bs/contact/sent/$"))
    expect(page.locator("h1")).to_have_text(gettext_in("bs", "Thank you for your message"))
    message = Message.objects.get()
    assert (message.name, message.topic, message.language) == ("Selma Hadžić", topics, "bs")
    assert sorted(email.to[0] for email in mail.outbox) == ["selma@example.ba", "staff@example.org"]
    assert not console, console


def test_errors_take_the_focus_and_lead_to_the_fields(page, topics, console):
    page.goto("/bs/contact/")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    _skip_to_content(page)
    tab_to(page, page.locator("main form button[type=submit]"), limit=10)
    page.keyboard.press("Enter")

    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary.locator("h2")).to_have_text(gettext_in("bs", "Please correct the marked fields."))
    required = gettext_in("bs", "This field is required.")
    expect(summary.locator("li a").first).to_have_text(f"{gettext_in('bs', 'Your name')}: {required}")
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)

    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#id_name")).to_be_focused()
    assert not Message.objects.exists()
    # Chromium logs the form's 400 answer (what was sent is refused); nothing else may go wrong.
    assert [entry for entry in console if "status of 400" not in entry] == []
