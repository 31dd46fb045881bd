"""The staff inbox in the back office: who sees which messages, replying (e-mailed, with the original quoted),
notes, closing and reopening with their history, the dashboard panel, the retention command, the data export."""

import datetime
from io import StringIO
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError
from django.utils import timezone

from civiclink.accounts import gdpr
from civiclink.accounts.models import Role
from civiclink.accounts.roles import grant_platform_role
from civiclink.contact import inbox, receiving
from civiclink.contact.models import Event, Message, Topic

pytestmark = pytest.mark.django_db

INBOX = "/admin/contact/"


def page_of(message) -> str:
    return f"{INBOX}{message.pk}/"


@pytest.fixture
def letters(desk):
    """A new message for each topic: one about joining (general, in Bosnian), one from a journalist (press)."""

    def submit(topic, subject, body, email, language):
        return receiving.submit(name="Sender", email=email, subject=subject, body=body, topic=topic, language=language)[
            0
        ]

    return SimpleNamespace(
        general=submit(desk.general, "Joining", "Kako se možemo uključiti?\nHvala.", "selma@example.ba", "bs"),
        press=submit(desk.press, "Interview", "Could we talk on Monday?", "sarah@example.com", "en"),
    )


@pytest.fixture
def answer_all(make_user):
    """Staff in a group that holds the "answer all messages" permission, without any topic of their own."""
    user = make_user("head-of-office@example.org")
    grant_platform_role(user, Role.STAFF)
    group = Group.objects.create(name="Front office")
    group.permissions.add(Permission.objects.get(codename="answer_all_messages"))
    user.groups.add(group)
    return user


# --- Who sees what --------------------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_log_in(client, letters):
    for url in (INBOX, page_of(letters.general)):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login/" in response["Location"]


def refused(response) -> bool:
    """Wagtail answers a refusal inside the back office with a redirect to its dashboard (and an error)."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_citizens_and_staff_without_a_topic_are_refused(client, desk, letters, make_user):
    client.force_login(desk.citizen)  # no back office at all
    for response in (client.get(INBOX), client.get(page_of(letters.general))):
        assert response.status_code == 403
    staff = make_user("other-staff@example.org")
    grant_platform_role(staff, Role.STAFF)
    client.force_login(staff)
    assert refused(client.get(INBOX))
    assert refused(client.get(page_of(letters.general)))
    assert refused(client.post(page_of(letters.general), {"action": "close"}))
    assert Message.objects.get(pk=letters.general.pk).state == "new"


def test_staff_see_only_the_messages_of_their_topics(client, desk, letters):
    client.force_login(desk.press_staff)

    listing = client.get(INBOX).content.decode()
    assert "Interview" in listing and "Joining" not in listing
    assert client.get(page_of(letters.press)).status_code == 200
    assert refused(client.get(page_of(letters.general)))
    assert refused(client.post(page_of(letters.general), {"action": "reply", "reply-text": "Hi"}))
    assert client.get(f"{INBOX}?topic={desk.general.pk}").content.decode().count("Joining") == 0
    assert mail.outbox == []


@pytest.mark.parametrize("who", ["superuser", "answer_all"])
def test_superusers_and_holders_of_the_permission_see_every_topic(client, desk, letters, answer_all, who):
    client.force_login(desk.superuser if who == "superuser" else answer_all)
    listing = client.get(INBOX).content.decode()
    assert "Interview" in listing and "Joining" in listing
    assert client.get(page_of(letters.general)).status_code == 200


def test_the_inbox_filters_by_state_and_topic_and_searches(client, desk, letters, django_assert_max_num_queries):
    inbox.close(letters.press, desk.superuser)
    client.force_login(desk.superuser)

    assert "Interview" not in client.get(f"{INBOX}?state=new").content.decode()
    assert "Interview" in client.get(f"{INBOX}?state=closed").content.decode()
    assert "Joining" not in client.get(f"{INBOX}?topic={desk.press.pk}").content.decode()
    found = client.get(f"{INBOX}?q={letters.general.reference}").content.decode()
    assert "Joining" in found and "Interview" not in found
    assert "Joining" in client.get(f"{INBOX}?q=selma@example").content.decode()
    with django_assert_max_num_queries(12):
        assert client.get(INBOX).status_code == 200


def test_the_list_costs_the_same_queries_however_many_messages(client, desk, django_assert_num_queries):
    def receive(count):
        for n in range(count):
            receiving.submit(
                name="S", email=f"s{n}@example.org", subject=f"Q{n}", body="?", topic=desk.general, language="bs"
            )

    client.force_login(desk.general_staff)
    receive(10)
    client.get(INBOX)  # warm the per-process caches (content types, locales)
    with django_assert_num_queries(15):  # 11 for the back office's own furniture (session, user, menu, ...)
        client.get(INBOX)
    receive(60)
    with django_assert_num_queries(15):
        assert "Page 1 of 2" in client.get(INBOX).content.decode()


def test_the_dashboard_counts_new_messages_per_topic(client, desk, letters, make_user):
    client.force_login(desk.general_staff)
    page = client.get("/admin/").content.decode()
    assert "New contact messages" in page
    assert "1 new message is waiting for an answer." in page
    assert f'href="{INBOX}?state=new&amp;topic={desk.general.pk}"' in page

    plain = make_user("plain-staff@example.org")
    grant_platform_role(plain, Role.STAFF)
    client.force_login(plain)
    page = client.get("/admin/").content.decode()
    assert "New contact messages" not in page
    assert f'"{INBOX}"' not in page  # no inbox in the menu either


# --- Working on a message -------------------------------------------------------------------------------------


def test_a_reply_is_e_mailed_with_the_original_quoted_and_the_message_is_answered(
    client, desk, letters, django_capture_on_commit_callbacks
):
    client.force_login(desk.general_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page_of(letters.general), {"action": "reply", "reply-text": "Pošaljite nam pismo namjere."}
        )

    assert response.status_code == 302
    message = Message.objects.get(pk=letters.general.pk)
    assert message.state == "answered"
    reply = Event.objects.get(message=message)
    assert (reply.kind, reply.author, reply.text) == ("reply", desk.general_staff, "Pošaljite nam pismo namjere.")
    (email,) = mail.outbox
    assert email.to == ["selma@example.ba"]
    assert message.reference in email.subject
    assert "Pošaljite nam pismo namjere." in email.body
    assert "> Kako se možemo uključiti?\n> Hvala." in email.body
    page = client.get(page_of(message)).content.decode()
    assert "Pošaljite nam pismo namjere." in page and "Goran Tomić" in page


def test_an_empty_reply_is_refused_with_its_error(client, desk, letters):
    client.force_login(desk.general_staff)
    response = client.post(page_of(letters.general), {"action": "reply", "reply-text": " "})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Event.objects.exists()
    assert mail.outbox == []


def test_a_note_stays_with_the_staff(client, desk, letters, django_capture_on_commit_callbacks):
    client.force_login(desk.general_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(page_of(letters.general), {"action": "note", "note-text": "Ask the Maglaj office first."})

    note = Event.objects.get()
    assert (note.kind, note.author) == ("note", desk.general_staff)
    assert Message.objects.get(pk=letters.general.pk).state == "new"
    assert mail.outbox == []


def test_closing_and_reopening_are_recorded_with_who_and_when(client, desk, letters):
    client.force_login(desk.general_staff)
    client.post(page_of(letters.general), {"action": "close"})
    assert Message.objects.get(pk=letters.general.pk).state == "closed"
    page = client.get(page_of(letters.general)).content.decode()
    assert "Reopen the message" in page

    client.post(page_of(letters.general), {"action": "close"})  # a second tab: told, nothing recorded twice
    client.post(page_of(letters.general), {"action": "reopen"})

    message = Message.objects.get(pk=letters.general.pk)
    assert message.state == "new"  # never answered
    assert [(e.kind, e.author) for e in message.events.all()] == [
        ("closed", desk.general_staff),
        ("reopened", desk.general_staff),
    ]
    assert message.state_changed_at == message.events.last().created_at


def test_a_reopened_message_that_was_answered_is_answered_again(desk, letters):
    inbox.reply(letters.general, desk.general_staff, "Yes.")
    inbox.close(letters.general, desk.general_staff)
    inbox.reopen(letters.general, desk.general_staff)
    assert Message.objects.get(pk=letters.general.pk).state == "answered"
    with pytest.raises(inbox.NotClosed):
        inbox.reopen(letters.general, desk.general_staff)


def test_the_database_refuses_an_unknown_state(letters):
    with pytest.raises(IntegrityError):
        Message.objects.filter(pk=letters.general.pk).update(state="archived")


def test_the_database_refuses_a_reply_without_text(letters):
    with pytest.raises(IntegrityError):
        Event.objects.create(message=letters.general, kind="reply", text="")


# --- Topics, retention, personal data -------------------------------------------------------------------------


def test_staff_manage_the_topics_in_the_back_office(client, desk):
    client.force_login(desk.press_staff)
    assert "General questions" in client.get("/admin/snippets/contact/topic/").content.decode()
    assert client.get(f"/admin/snippets/contact/topic/edit/{desk.general.pk}/").status_code == 200
    client.force_login(desk.citizen)
    assert client.get("/admin/snippets/contact/topic/").status_code == 403


def test_a_topic_with_messages_is_not_deleted(client, desk, letters):
    client.force_login(desk.superuser)
    url = f"/admin/snippets/contact/topic/delete/{desk.general.pk}/"
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"] == "/admin/snippets/contact/topic/"
    assert Topic.objects.filter(pk=desk.general.pk).exists()
    Message.objects.filter(topic=desk.press).delete()
    client.post(f"/admin/snippets/contact/topic/delete/{desk.press.pk}/")
    assert not Topic.objects.filter(pk=desk.press.pk).exists()


def test_prune_deletes_messages_closed_longer_ago_than_the_retention(desk, letters, settings):
    settings.CONTACT_RETENTION_DAYS = 30
    inbox.close(letters.general, desk.superuser)
    inbox.close(letters.press, desk.superuser)
    long_ago = timezone.now() - datetime.timedelta(days=31)
    Message.objects.filter(pk=letters.general.pk).update(state_changed_at=long_ago)
    old_but_open = receiving.submit(
        name="S", email="old@example.org", subject="Old", body="Still open", topic=desk.general, language="bs"
    )[0]
    Message.objects.filter(pk=old_but_open.pk).update(created_at=long_ago, state_changed_at=long_ago)

    out = StringIO()
    call_command("contact", "prune", stdout=out)

    assert "1 closed contact messages deleted." in out.getvalue()
    assert set(Message.objects.values_list("pk", flat=True)) == {letters.press.pk, old_but_open.pk}
    assert not Event.objects.filter(message_id=letters.general.pk).exists()
    assert inbox.prune(days=0, now=timezone.now() + datetime.timedelta(seconds=1)) == 1  # the press message


def test_the_account_export_has_the_persons_messages_and_replies_but_not_the_notes(desk):
    message, _created = receiving.submit(
        name="Amra",
        email="CITIZEN@example.org",
        subject="My data",
        body="What do you keep?",
        topic=desk.general,
        language="bs",
    )
    inbox.add_note(message, desk.general_staff, "Internal only.")
    inbox.reply(message, desk.general_staff, "Your name and address.")

    exported = gdpr.export_user_data(desk.citizen)["contact"]["messages"]

    assert [(m["reference"], m["subject"]) for m in exported] == [(message.reference, "My data")]
    assert [r["text"] for r in exported[0]["replies"]] == ["Your name and address."]
    assert "Internal only." not in str(exported)


def test_deleting_the_account_unlinks_its_messages(client, send, form_data, desk):
    client.force_login(desk.citizen)
    send(form_data(email="citizen@example.org"))
    gdpr.delete_account(desk.citizen)
    assert Message.objects.get().user is None


def test_the_demo_is_loaded_once(db):
    from civiclink.accounts import demo as accounts_demo
    from civiclink.contact import demo
    from civiclink.places import demo as places_demo

    places_demo.load()
    accounts_demo.load()
    demo.load()
    again = demo.load()

    assert again == "contact: 8 topics, 0 messages added (10 in the inbox)"
    states = set(Message.objects.values_list("state", flat=True))
    assert states == {"new", "answered", "closed"}
    assert len(set(Message.objects.values_list("language", flat=True))) >= 6
    assert Event.objects.filter(kind="reply").count() >= 4
    assert mail.outbox == []
