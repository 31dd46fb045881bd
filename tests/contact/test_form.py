"""The public contact form: a message is stored once and acknowledged, the topic's staff are told; bad input is
explained and kept; bots meet the honeypot, the timing stamp and the rate limits without a CAPTCHA."""

import datetime
import re
import time

import pytest
from django.core import mail, signing
from django.utils import formats, timezone, translation

from civiclink.contact import receiving
from civiclink.contact.models import Message
from support import at_once

from .conftest import URL

pytestmark = pytest.mark.django_db

SENT = "/en/contact/sent/"


def field_value(page: str, name: str) -> str:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page) or re.search(
        rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', page
    )
    return match.group(1) if match else ""


# --- Showing the form ------------------------------------------------------------------------------------------


def test_the_form_is_labelled_and_offers_the_active_topics(client, desk, django_assert_max_num_queries):
    desk.press.active = False
    desk.press.save()
    with django_assert_max_num_queries(4):
        page = client.get(URL.format(language="en")).content.decode()
    for label in ("Your name", "Your e-mail address", "Topic", "Subject", "Your message"):
        assert f">{label}" in page
    assert ">General questions</option>" in page
    assert "Press" not in page
    assert 'href="/en/privacy/"' in page
    # The honeypot: out of sight and out of the tab order, with a label telling people to leave it empty.
    trap = re.search(r'<div class="visually-hidden">(.*?)</div>', page, re.S).group(1)
    assert "Leave this field empty" in trap
    assert 'tabindex="-1"' in trap and 'autocomplete="off"' in trap


def test_signed_in_people_find_their_name_and_address_filled_in(client, desk):
    client.force_login(desk.citizen)
    page = client.get(URL.format(language="en")).content.decode()
    assert field_value(page, "name") == "Amra Hodžić"
    assert field_value(page, "email") == "citizen@example.org"


# --- Sending ----------------------------------------------------------------------------------------------------


def test_a_message_is_stored_acknowledged_and_sent_to_the_topics_staff(send, form_data, desk):
    response = send(form_data())

    assert response.status_code == 303
    assert response["Location"] == SENT
    message = Message.objects.get()
    assert (message.name, message.email, message.topic, message.state) == (
        "Selma Hadžić",
        "selma@example.ba",
        desk.general,
        "new",
    )
    assert message.language == "en"
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", message.reference)
    acknowledgement, notification = mail.outbox
    assert acknowledgement.to == ["selma@example.ba"]
    assert message.reference in acknowledgement.subject
    assert "We answer within 5 working days." in acknowledgement.body
    assert "Joining the programme" in acknowledgement.body
    assert "How can our municipality" not in acknowledgement.body  # no relay for anyone's text to any address
    assert notification.to == ["general-staff@example.org"]
    assert f"http://127.0.0.1:8000/admin/contact/{message.pk}/" in notification.body
    assert "How can our municipality join the programme?" in notification.body


def test_the_acknowledgement_is_in_the_language_of_the_page(send, form_data):
    send(form_data(), language="sr")

    message = Message.objects.get()
    assert message.language == "sr"
    with translation.override("sr"):
        received = formats.date_format(timezone.localtime(message.created_at), "DATETIME_FORMAT")
        label = translation.gettext("Reference number:")
    assert received in mail.outbox[0].body  # Serbian month names, in Cyrillic
    assert f"{label} {message.reference}" in mail.outbox[0].body


def test_the_topics_further_addresses_are_notified_too(send, form_data, desk):
    send(form_data(topic=desk.press.pk))
    assert sorted(mail.outbox[1].to) == ["press-staff@example.org", "press@example.org"]


def test_each_of_the_topics_staff_is_notified_in_the_language_they_chose(send, form_data, desk):
    desk.press_staff.language = "hr"
    desk.press_staff.save(update_fields=["language"])

    send(form_data(topic=desk.press.pk), language="sq")

    notifications = {tuple(message.to): message for message in mail.outbox[1:]}
    reference = Message.objects.get().reference
    croatian, english = notifications[("press-staff@example.org",)], notifications[("press@example.org",)]
    assert croatian.subject == f"Nova poruka s obrasca za kontakt: Joining the programme ({reference})"
    assert english.subject == f"New contact message: Joining the programme ({reference})"  # an address, no user
    assert "Shqip" in croatian.body and "Shqip" in english.body  # the language the sender wrote in


def test_a_topic_without_staff_notifies_the_fallback_list(send, form_data, desk, settings):
    desk.general.responsible.clear()
    settings.CONTACT_STAFF_EMAILS = ["office@example.org"]
    send(form_data())
    assert mail.outbox[1].to == ["office@example.org"]


def test_a_signed_in_sender_is_linked_to_the_message(client, send, form_data, desk):
    client.force_login(desk.citizen)
    send(form_data(email="citizen@example.org"))
    assert Message.objects.get().user == desk.citizen


def test_the_sent_page_says_what_happens_next(client):
    page = client.get(SENT).content.decode()
    assert "acknowledgement with a reference number" in page


# --- Bad input --------------------------------------------------------------------------------------------------


def test_errors_are_shown_next_to_the_fields_and_in_a_summary_and_what_was_typed_is_kept(send, form_data):
    response = send(form_data(email="selma@", subject="   "))

    page = response.content.decode()
    assert response.status_code == 400
    assert 'class="form-errors" role="alert"' in page
    assert '<a href="#id_email">Your e-mail address: Enter a valid email address.</a>' in page
    assert '<a href="#id_subject">Subject: This field is required.</a>' in page
    assert field_value(page, "name") == "Selma Hadžić"
    assert field_value(page, "email") == "selma@"
    assert "How can our municipality join the programme?</textarea>" in page
    assert not Message.objects.exists()
    assert mail.outbox == []


def test_errors_are_in_the_language_of_the_page(send, form_data):
    page = send(form_data(name=""), language="bs").content.decode()
    with translation.override("bs"):
        required = translation.gettext("This field is required.")
        label = translation.gettext("Your name")
    assert required != "This field is required."
    assert f"{label}: {required}" in page


def test_line_breaks_in_the_subject_never_reach_an_e_mail_header(send, form_data):
    send(form_data(subject="Joining\r\nBcc: victim@example.org"))
    assert Message.objects.get().subject == "Joining Bcc: victim@example.org"
    assert "\n" not in mail.outbox[0].subject


# --- Spam defences ----------------------------------------------------------------------------------------------


def test_a_filled_honeypot_looks_like_success_but_stores_and_sends_nothing(send, form_data):
    response = send(form_data(website="https://cheap-pills.example"))
    assert response.status_code == 303
    assert response["Location"] == SENT
    assert not Message.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("stamp", "error"),
    [
        (lambda shown: shown, "The form was sent very quickly after the page opened."),
        (lambda _: receiving.new_stamp(time.time() - receiving.MAX_AGE - 60), "The form was open for more than a day."),
        (lambda _: receiving.new_stamp(time.time() - 10)[:-2] + "xx", "The form could not be checked."),
        (lambda _: signing.dumps(time.time() - 10, salt="another.purpose"), "The form could not be checked."),
        (lambda _: "", "The form could not be checked."),
    ],
    ids=["too-fast", "expired", "tampered", "other-salt", "missing"],
)
def test_a_form_sent_too_fast_too_late_or_with_a_forged_stamp_is_refused_and_shown_again(
    client, send, form_data, stamp, error
):
    shown = field_value(client.get(URL.format(language="en")).content.decode(), "stamp")
    response = send(form_data(stamp=stamp(shown)))

    page = response.content.decode()
    assert response.status_code == 400
    assert error in page
    assert field_value(page, "email") == "selma@example.ba"
    assert not Message.objects.exists()
    # The form comes back with a fresh stamp: sent again a few seconds later, it goes through.
    fresh = field_value(page, "stamp")
    assert fresh != shown
    receiving.check_stamp(fresh, now=time.time() + receiving.MIN_SECONDS)


def test_the_rate_limit_counts_per_client_address(send, form_data, settings):
    settings.CONTACT_RATE_LIMIT = "2/h"
    statuses = [send(form_data(email=f"person{n}@example.org")).status_code for n in range(3)]

    assert statuses == [303, 303, 429]
    assert Message.objects.count() == 2
    # Another network still gets through.
    assert send(form_data(email="person9@example.org"), address="198.51.100.4").status_code == 303


def test_the_rate_limit_counts_per_e_mail_address(send, form_data, settings):
    settings.CONTACT_RATE_LIMIT = "2/h"
    responses = [send(form_data(body=f"Question {n}"), address=f"198.51.100.{n}") for n in range(3)]

    assert [response.status_code for response in responses] == [303, 303, 429]
    page = responses[2].content.decode()
    assert "Many messages came from your network or with your e-mail address" in page
    assert "Question 2</textarea>" in page
    assert Message.objects.count() == 2


def test_a_resent_form_stores_one_message_and_shows_the_same_page(send, form_data):
    data = form_data()
    first, second = send(data), send(data | {"body": "  How can our municipality\njoin the programme? "})

    assert (first.status_code, second.status_code) == (303, 303)
    assert second["Location"] == first["Location"]
    assert Message.objects.count() == 1
    assert len(mail.outbox) == 2  # one acknowledgement, one notification


def test_the_same_text_is_a_new_message_after_ten_minutes(form_data, desk):
    fields = {k: v for k, v in form_data().items() if k not in {"website", "stamp"}} | {"topic": desk.general}
    first, created = receiving.submit(**fields, language="en")
    Message.objects.filter(pk=first.pk).update(
        created_at=first.created_at - datetime.timedelta(seconds=receiving.DUPLICATE_SECONDS + 1),
        received_window=first.received_window - 1,
    )
    second, created_again = receiving.submit(**fields, language="en")
    assert created and created_again
    assert second.pk != first.pk


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_message_sent_twice_at_once_is_stored_once(form_data, desk):
    fields = {k: v for k, v in form_data().items() if k not in {"website", "stamp"}} | {"topic": desk.general}

    def send_at_once(barrier):
        barrier.wait()
        message, created = receiving.submit(**fields, language="en")
        return f"{message.pk}:{created}"

    outcomes = at_once(send_at_once, [(), (), ()], {})

    message = Message.objects.get()
    assert sorted(outcomes) == sorted([f"{message.pk}:True", f"{message.pk}:False", f"{message.pk}:False"])
