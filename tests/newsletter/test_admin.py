"""The newsletter in the back office: composing, preview, test, sending once, progress, consent records, and who
may reach any of it."""

import csv
import io

import pytest
from django.core import mail
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from civiclink.newsletter import sending
from civiclink.newsletter.models import Delivery, Issue
from civiclink.newsletter.subscriptions import CONSENT_TEXT, record

pytestmark = pytest.mark.django_db

ISSUES = "/admin/snippets/newsletter/issue/"


@pytest.fixture
def admin(client, staff):
    client.force_login(staff)
    return client


def issue_form(articles=(), themes=(), **changes) -> dict:
    fields = {
        "subject": "Spring news",
        "language": "en",
        "intro": rich_text("<p>Hello readers.</p>"),
        "closing": rich_text("<p>Bye.</p>"),
        "issue_articles": inline_formset([{"article": article.pk} for article in articles]),
    }
    return nested_form_data(fields | changes) | {"themes": list(themes)}


def test_staff_compose_an_issue_from_articles_of_its_language(admin, make_article):
    english = make_article("en", title="Benches installed")
    bosnian = make_article("bs", title="Klupe postavljene")

    refused = admin.post(f"{ISSUES}add/", issue_form([english, bosnian]))
    assert refused.status_code == 200
    assert "“Klupe postavljene” is not a published article in the language of this issue." in refused.content.decode()
    assert not Issue.objects.exists()

    created = admin.post(f"{ISSUES}add/", issue_form([english], themes=["grants", "trainings"]))
    assert created.status_code == 302
    issue = Issue.objects.get()
    assert issue.status == "draft" and issue.themes == ["grants", "trainings"]
    assert [choice.article.title for choice in issue.issue_articles.all()] == ["Benches installed"]
    assert f'href="{ISSUES}inspect/{issue.pk}/"' in admin.get(f"{ISSUES}edit/{issue.pk}/").content.decode()


def test_the_preview_shows_the_e_mail_in_html_and_text(admin, make_article, make_issue):
    issue = make_issue(articles=[make_article("en", title="Benches installed")])

    html = admin.get(f"{ISSUES}email/{issue.pk}/")
    text = admin.get(f"{ISSUES}email/{issue.pk}/?mode=text")

    assert html.status_code == 200 and b"Benches installed" in html.content and b"<table" in html.content
    assert "'unsafe-inline'" in html["Content-Security-Policy"].split("style-src")[1].split(";")[0]
    assert text["Content-Type"] == "text/plain; charset=utf-8" and b"* Benches installed" in text.content


def test_wagtails_own_preview_panel_renders_the_issue(admin, make_issue):
    issue = make_issue()
    data = issue_form()
    assert admin.post(f"{ISSUES}preview/{issue.pk}/", data).json() == {"is_valid": True, "is_available": True}

    response = admin.get(f"{ISSUES}preview/{issue.pk}/")

    assert response.status_code == 200 and b"Spring news" in response.content


def test_a_test_goes_to_the_member_of_staff_only(admin, staff, make_subscriber, make_issue, committed):
    make_subscriber()
    issue = make_issue()

    with committed():
        response = admin.post(f"{ISSUES}test/{issue.pk}/")

    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [staff.email] and message.subject == "[TEST] News from the programme"
    assert not Delivery.objects.exists()
    issue.refresh_from_db()
    assert issue.status == "draft"


def test_sending_asks_first_then_sends_once(admin, make_subscriber, make_issue, committed):
    for _number in range(3):
        make_subscriber()
    make_subscriber(language="bs")
    issue = make_issue()

    confirm = admin.get(f"{ISSUES}send/{issue.pk}/")
    assert confirm.status_code == 200
    assert "to 3 confirmed subscribers now?" in confirm.content.decode()

    with committed():
        sent = admin.post(f"{ISSUES}send/{issue.pk}/")

    assert sent.status_code == 302 and sent["Location"] == f"{ISSUES}inspect/{issue.pk}/"
    assert len(mail.outbox) == 3
    for again in (admin.get, admin.post):  # no longer a draft: Wagtail's "no permission" redirect
        assert again(f"{ISSUES}send/{issue.pk}/")["Location"] == "/admin/"
    assert len(mail.outbox) == 3


def test_a_sent_issue_can_no_longer_be_edited_or_deleted(admin, make_subscriber, make_issue, committed):
    make_subscriber()
    issue = make_issue()
    with committed():
        sending.start_sending(issue)

    edit = admin.get(f"{ISSUES}edit/{issue.pk}/")
    assert edit.status_code == 302 and edit["Location"] == f"{ISSUES}inspect/{issue.pk}/"
    admin.post(f"{ISSUES}edit/{issue.pk}/", issue_form(subject="Changed"))
    assert admin.post(f"{ISSUES}delete/{issue.pk}/").status_code == 302
    issue.refresh_from_db()
    assert issue.subject == "News from the programme" and Issue.objects.filter(pk=issue.pk).exists()
    listing = admin.get(ISSUES).content.decode()
    assert f"{ISSUES}edit/{issue.pk}/" not in listing and f"{ISSUES}inspect/{issue.pk}/" in listing


def test_an_edit_saved_while_the_issue_was_being_sent_is_refused(admin, make_subscriber, make_issue):
    make_subscriber()
    issue = make_issue()
    form = admin.get(f"{ISSUES}edit/{issue.pk}/")  # opened as a draft
    assert form.status_code == 200
    sending.start_sending(issue)  # in another tab

    response = admin.post(f"{ISSUES}edit/{issue.pk}/", issue_form(subject="Changed"))

    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.subject == "News from the programme" and issue.status == "sending"


def test_the_issue_page_shows_the_progress_and_offers_to_resend_the_uncertain(admin, make_subscriber, make_issue):
    for _number in range(4):
        make_subscriber()
    issue = make_issue()
    sending.start_sending(issue)
    rows = list(Delivery.objects.order_by("pk"))
    Delivery.objects.filter(pk=rows[0].pk).update(status="uncertain")
    Delivery.objects.filter(pk=rows[1].pk).update(status="bounced", error="550 No such user")
    Delivery.objects.filter(pk=rows[2].pk).update(status="sent", sent_at=rows[2].updated_at)

    page = admin.get(f"{ISSUES}inspect/{issue.pk}/").content.decode()

    assert '<progress aria-labelledby="newsletter-progress-heading" max="4" value="3">' in page
    assert "1 of 4 sent" in page and "1 bounced" in page and "1 uncertain" in page and "1 waiting" in page
    assert f'hx-get="{ISSUES}progress/{issue.pk}/" hx-trigger="every 2s"' in page  # polls while sending
    assert ">Refresh</a>" in page  # and without JavaScript
    assert "Resend these" in page
    partial = admin.get(f"{ISSUES}progress/{issue.pk}/").content.decode()
    assert partial.startswith('<div id="newsletter-progress"') and "1 of 4 sent" in partial

    admin.post(f"{ISSUES}resend/{issue.pk}/", {"status": "uncertain"})
    assert Delivery.objects.get(pk=rows[0].pk).status == "queued"


def test_a_finished_issue_stops_polling(admin, make_subscriber, make_issue, committed):
    make_subscriber()
    issue = make_issue()
    with committed():
        sending.start_sending(issue)

    partial = admin.get(f"{ISSUES}progress/{issue.pk}/").content.decode()

    assert "hx-get" not in partial and "1 of 1 sent" in partial and "Sending finished on" in partial


def test_a_subscribers_consent_records_are_shown_and_exported(admin, make_subscriber):
    subscriber = make_subscriber("ana@example.org", themes=["grants"])
    record(subscriber, "subscribe", CONSENT_TEXT)
    record(subscriber, "confirm", CONSENT_TEXT)

    page = admin.get(f"/admin/snippets/newsletter/subscriber/inspect/{subscriber.pk}/").content.decode()
    assert "ana@example.org" in page and "Grants" in page and str(CONSENT_TEXT) in page

    export = admin.get(f"/admin/snippets/newsletter/subscriber/consents/{subscriber.pk}/")
    rows = list(csv.reader(io.StringIO(export.content.decode())))
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    assert rows[0] == ["email", "action", "at", "version", "language", "source", "text", "choices"]
    assert [row[1] for row in rows[1:]] == ["subscribe", "confirm"]
    assert rows[1][6] == str(CONSENT_TEXT)
    assert admin.get("/admin/snippets/newsletter/subscriber/edit/{subscriber.pk}/").status_code in {403, 404}


ADMIN_PAGES = [
    "",
    "add/",
    "edit/{pk}/",
    "inspect/{pk}/",
    "email/{pk}/",
    "send/{pk}/",
    "progress/{pk}/",
]


@pytest.mark.parametrize("role", ["anonymous", "citizen", "moderator"])
def test_nobody_but_staff_reaches_the_newsletter_in_the_back_office(client, role, make_user, make_issue, committed):
    from civiclink.accounts.models import Role
    from civiclink.accounts.roles import grant_platform_role

    issue = make_issue()
    subscriber_pages = ["/admin/snippets/newsletter/subscriber/", "/admin/snippets/newsletter/consent/"]
    if role != "anonymous":
        user = make_user(f"{role}@example.org")
        if role == "moderator":
            grant_platform_role(user, Role.MODERATOR)
        client.force_login(user)

    for page in [ISSUES + path.format(pk=issue.pk) for path in ADMIN_PAGES] + subscriber_pages:
        response = client.get(page)
        assert response.status_code == (302 if role == "anonymous" else 403), page
    with committed():
        for action in ("send", "test", "resend"):
            client.post(f"{ISSUES}{action}/{issue.pk}/", {"status": "uncertain"})
    issue.refresh_from_db()
    assert issue.status == "draft" and mail.outbox == []
