"""Accounts in the browser: sign up, confirm the e-mail address, log in, register a CSO; log in and out."""

import re

from allauth.account.models import EmailAddress
from django.conf import settings
from playwright.sync_api import expect

from civiclink.pages.models import HomePage
from civiclink.places.models import Organisation, OrganisationMembership, Sector
from support import PASSWORD

from .helpers import BROWSER_TEST, assert_no_axe_violations, gettext_in

pytestmark = BROWSER_TEST

CONFIRMATION_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^\s/]+/")


def submit(page):
    page.locator("main form[method=post] [type=submit]").last.click()
    page.wait_for_load_state()


def log_in(page, email, password=PASSWORD):
    page.locator("#id_login").fill(email)
    page.locator("#id_password").fill(password)
    submit(page)


def sector_name(slug):
    return Sector.objects.get(slug=slug).localised("name", "bs")


def account_nav(page):
    return page.get_by_role("navigation", name=gettext_in("bs", "Your account"))


def test_sign_up_confirm_log_in_and_register_an_organisation(page, new_context, directory, mailoutbox, console):
    page.goto("/bs/accounts/signup/")
    # The password rules are read out with the password field.
    rules = page.locator("#" + page.locator("#id_password1").get_attribute("aria-describedby"))
    expect(rules.locator("li")).to_have_count(len(settings.AUTH_PASSWORD_VALIDATORS))
    page.locator("#id_first_name").fill("Lejla")
    page.locator("#id_last_name").fill("Hadžić")
    page.locator("#id_email").fill("lejla@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    submit(page)
    expect(page).to_have_url(re.compile(r"/bs/accounts/confirm-email/$"))
    assert not EmailAddress.objects.get(email="lejla@example.org").verified

    assert [message.to for message in mailoutbox] == [["lejla@example.org"]]
    link = CONFIRMATION_LINK.search(mailoutbox[0].body).group()
    # The link is opened where the mail is read: a browser that is not signed in.
    mail_client = new_context().new_page()
    mail_client.goto(link)
    submit(mail_client)
    expect(mail_client).to_have_url(re.compile(r"/bs/accounts/login/"))
    assert EmailAddress.objects.get(email="lejla@example.org").verified

    log_in(mail_client, "lejla@example.org")
    expect(mail_client).to_have_url(re.compile(r"/bs/account/$"))
    expect(account_nav(mail_client)).to_contain_text("Lejla Hadžić")

    mail_client.get_by_role("link", name=gettext_in("bs", "Register your organisation")).click()
    expect(mail_client).to_have_url(re.compile(r"/bs/organisations/register/$"))
    mail_client.locator("#id_legal_name").fill("Udruženje „Most kulture”")
    mail_client.locator("#id_short_name").fill("Most kulture")
    mail_client.locator("#id_registration_number").fill("ru 2044/24")
    mail_client.locator("#id_municipality").select_option(label="Jablanica")
    mail_client.get_by_label(sector_name("culture")).check()
    mail_client.locator("#id_description").fill("Radionice i ljetni festival.")
    submit(mail_client)

    expect(mail_client.locator("h1")).to_have_text("Udruženje „Most kulture”")
    organisation = Organisation.objects.get(short_name="Most kulture")
    expect(mail_client).to_have_url(re.compile(rf"/bs/organisations/{organisation.slug}/$"))
    waiting = gettext_in(
        "bs",
        "This organisation is waiting for verification by CivicLink staff. "
        "Until then only its members and staff can see this page.",
    )
    expect(mail_client.locator(".notice")).to_have_text(waiting)
    assert not organisation.verified
    assert organisation.registration_number == "RU2044/24"
    assert OrganisationMembership.objects.filter(
        organisation=organisation, user__email="lejla@example.org", role=OrganisationMembership.Role.ADMIN
    ).exists()
    assert not console, console

    # Until staff verify it, the public does not see it, not even that it exists.
    visitor = new_context().new_page()
    visitor.goto("/bs/organisations/?q=most")
    expect(visitor.locator("#results")).to_contain_text("Most za Jablanicu")
    expect(visitor.locator("#results")).not_to_contain_text("Most kulture")
    assert visitor.goto(f"/bs/organisations/{organisation.slug}/").status == 404


def test_registration_errors_are_summarised_and_typing_is_kept(page, directory, make_user, console):
    make_user(email="dario@example.org")
    page.goto("/bs/organisations/register/")
    expect(page).to_have_url(re.compile(r"/bs/accounts/login/\?next=/bs/organisations/register/$"))
    log_in(page, "dario@example.org")
    expect(page).to_have_url(re.compile(r"/bs/organisations/register/$"))

    # Required fields left empty: the summary names each one and links to it; what was typed stays.
    page.locator("#id_short_name").fill("Zeleni krug")
    page.locator("#id_description").fill("Čišćenje obala Une.")
    submit(page)
    summary = page.locator("#form-errors")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    linked = summary.locator("a").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert set(linked) == {"#id_legal_name", "#id_registration_number", "#id_municipality", "#id_sectors"}
    for target in linked:
        expect(page.locator(target)).to_have_count(1)
    expect(summary.get_by_role("link", name=re.compile(gettext_in("bs", "legal name"), re.IGNORECASE))).to_be_visible()
    expect(page.locator("#id_short_name")).to_have_value("Zeleni krug")
    expect(page.locator("#id_description")).to_have_value("Čišćenje obala Une.")
    assert_no_axe_violations(page)

    # A registration number that is already registered (CGI Neretva's, typed with spaces and in lower case).
    taken = Organisation.objects.get(short_name="CGI Neretva").registration_number
    page.locator("#id_legal_name").fill("Udruženje „Zeleni krug”")
    page.locator("#id_registration_number").fill(taken.lower())
    page.locator("#id_municipality").select_option(label="Novi Grad")
    page.get_by_label(sector_name("environment")).check()
    submit(page)
    duplicate = gettext_in("bs", "An organisation with this registration number is already registered.")
    expect(summary).to_contain_text(duplicate)
    expect(summary.locator("a")).to_have_count(1)
    expect(page.locator("#id_registration_number")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_legal_name")).to_have_value("Udruženje „Zeleni krug”")
    expect(page.locator("#id_registration_number")).to_have_value(taken.lower())
    expect(page.locator("#id_municipality option:checked")).to_have_text("Novi Grad")
    expect(page.get_by_label(sector_name("environment"))).to_be_checked()
    expect(page.locator("#id_description")).to_have_value("Čišćenje obala Une.")
    assert not Organisation.objects.filter(short_name="Zeleni krug").exists()
    assert not console, console


def test_log_in_and_log_out(page, directory, home_pages, make_user, console):
    make_user(email="emir@example.org", first_name="Emir", last_name="Kovačević")
    page.goto("/bs/organisations/")
    account_nav(page).get_by_role("link", name=gettext_in("bs", "Log in")).click()
    expect(page).to_have_url(re.compile(r"/bs/accounts/login/\?next=/bs/organisations/$"))

    log_in(page, "emir@example.org", "not-the-password")
    expect(page).to_have_url(re.compile(r"/bs/accounts/login/"))
    summary = page.locator("#form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text(
        gettext_in("bs", "The email address and/or password you specified are not correct.")
    )
    expect(page.locator("#id_login")).to_have_value("emir@example.org")
    assert_no_axe_violations(page)

    log_in(page, "emir@example.org")
    expect(page).to_have_url(re.compile(r"/bs/organisations/$"))
    expect(account_nav(page)).to_contain_text("Emir Kovačević")

    account_nav(page).get_by_role("button", name=gettext_in("bs", "Log out")).click()
    # Back on the home page, still in Bosnian (the browser's Accept-Language is English).
    expect(page).to_have_url(re.compile(r"/bs/$"))
    expect(page.locator("h1")).to_have_text(HomePage.objects.get(locale__language_code="bs").title)
    expect(account_nav(page).get_by_role("link", name=gettext_in("bs", "Log in"))).to_be_visible()
    expect(account_nav(page)).not_to_contain_text("Emir")
    page.goto("/bs/account/")
    expect(page).to_have_url(re.compile(r"/bs/accounts/login/\?next=/bs/account/$"))
    assert not console, console
