"""Mail that comes back to the newsletter's address (a Maildir read by `civiclink newsletter inbound`): reports of a
permanent failure bounce the delivery they quote, once; delays change nothing; forged reports, replies and
unreadable messages are left unread for people; writing to the List-Unsubscribe mailto: address unsubscribes."""

import mailbox
import re
from email.utils import parseaddr
from io import StringIO
from urllib.parse import unquote

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import OperationalError

from civiclink.newsletter import sending
from civiclink.newsletter.models import Consent, Delivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(tmp_path):
    return mailbox.Maildir(tmp_path / "inbox", create=True)


@pytest.fixture
def sent(make_subscriber, make_issue, committed):
    """An issue sent to one subscriber who bounced twice before: (their delivery, the message they were sent)."""
    subscriber = make_subscriber("ana@example.org", bounce_count=2)
    with committed():
        sending.start_sending(make_issue())
    (message,) = mail.outbox
    return Delivery.objects.get(subscriber=subscriber), message


def read_inbox(inbox) -> str:
    out = StringIO()
    call_command("newsletter", "inbound", inbox._path, stdout=out)
    return out.getvalue().strip()


def report(
    original,
    *,
    action="failed",
    status="5.1.1",
    diagnostic="smtp; 550 5.1.1 <ana@example.org>: no such user",
    status_type="message/delivery-status",
    quote_type="text/rfc822-headers",
):
    """A delivery status notification (RFC 3464) as Postfix writes one, quoting the original's headers; with the
    types of RFC 6533 for international addresses, or quoting the whole message."""
    quoted = original.message().as_bytes()
    headers = (quoted if quote_type in {"message/rfc822", "message/global"} else quoted.split(b"\n\n", 1)[0]).decode()
    return f"""From: MAILER-DAEMON@mx.example.org (Mail Delivery System)
To: newsletter@example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="REPORT"

--REPORT
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered.

--REPORT
Content-Type: {status_type}

Reporting-MTA: dns; mx.example.org
Arrival-Date: Thu,  3 Dec 2026 10:00:00 +0100 (CET)

Final-Recipient: rfc822; ana@example.org
Original-Recipient: rfc822;ana@example.org
Action: {action}
Status: {status}
Diagnostic-Code: {diagnostic}

--REPORT
Content-Type: {quote_type}

{headers}

--REPORT--
""".encode()


def state(inbox) -> list[tuple[str, str]]:
    """(folder, flags) of each message of the inbox."""
    return sorted((message.get_subdir(), message.get_flags()) for message in inbox)


def test_a_reported_permanent_failure_bounces_the_delivery_once(sent, inbox):
    delivery, message = sent
    inbox.add(report(message))

    assert read_inbox(inbox) == "1 bounced, 0 already, 0 unsubscribed, 0 temporary, 0 for people."

    delivery.refresh_from_db()
    assert delivery.status == "bounced" and delivery.error.startswith("5.1.1 smtp; 550 5.1.1")
    assert (delivery.subscriber.bounce_count, delivery.subscriber.status) == (3, "suspended")  # the third bounce
    assert state(inbox) == [("cur", "S")]
    assert read_inbox(inbox) == "0 bounced, 0 already, 0 unsubscribed, 0 temporary, 0 for people."

    inbox.add(report(message))  # the same report again, delivered twice by the mail server
    assert read_inbox(inbox) == "0 bounced, 1 already, 0 unsubscribed, 0 temporary, 0 for people."
    delivery.subscriber.refresh_from_db()
    assert delivery.subscriber.bounce_count == 3


@pytest.mark.parametrize(
    ("status_type", "quote_type"),
    [
        ("message/delivery-status", "message/rfc822"),
        ("message/global-delivery-status", "message/global-headers"),
        ("message/global-delivery-status", "message/global"),
    ],
)
def test_reports_of_every_standard_form_are_understood(sent, inbox, status_type, quote_type):
    delivery, message = sent
    inbox.add(report(message, status_type=status_type, quote_type=quote_type))

    assert read_inbox(inbox) == "1 bounced, 0 already, 0 unsubscribed, 0 temporary, 0 for people."
    delivery.refresh_from_db()
    assert delivery.status == "bounced" and delivery.error.startswith("5.1.1 smtp; 550")


def test_a_delay_or_a_temporary_failure_changes_nothing(sent, inbox):
    delivery, message = sent
    inbox.add(report(message, action="delayed", status="4.4.1", diagnostic="X-Postfix; connect timed out"))
    inbox.add(report(message, action="failed", status="4.2.2", diagnostic="smtp; 452 4.2.2 mailbox full"))

    assert read_inbox(inbox) == "0 bounced, 0 already, 0 unsubscribed, 2 temporary, 0 for people."
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.subscriber.bounce_count == 2
    assert state(inbox) == [("cur", "S"), ("cur", "S")]


def test_forged_reports_replies_and_unreadable_messages_are_left_unread_for_people(sent, inbox):
    delivery, message = sent
    forged = re.sub(rb"(X-CivicLink-Delivery: \d+):\S+", rb"\1:forged", report(message))
    inbox.add(forged)
    inbox.add(report(message).replace(b"X-CivicLink-Delivery", b"X-Other"))  # a report of some other e-mail
    inbox.add(b"From: ana@example.org\nSubject: Re: News from the programme\n\nThank you, very useful!\n")
    inbox.add(b"\xff\xfe not an e-mail at all \x00\n\n--")

    assert read_inbox(inbox) == "0 bounced, 0 already, 0 unsubscribed, 0 temporary, 4 for people."
    delivery.refresh_from_db()
    assert delivery.status == "sent" and delivery.subscriber.bounce_count == 2
    assert state(inbox) == [("cur", "")] * 4  # read once, still unread for a person


def test_writing_to_the_list_unsubscribe_address_unsubscribes(sent, inbox, settings):
    delivery, message = sent
    mailto = re.search(r"<mailto:([^?]+)\?subject=([^>]+)>", message.extra_headers["List-Unsubscribe"])
    assert mailto.group(1) == parseaddr(settings.DEFAULT_FROM_EMAIL)[1]  # the mailbox this command reads
    subject = unquote(mailto.group(2))
    inbox.add(f"From: ana@example.org\nTo: {mailto.group(1)}\nSubject: {subject}\n\n".encode())
    inbox.add(b"From: ana@example.org\nSubject: unsubscribe 1:forged\n\n")

    assert read_inbox(inbox) == "0 bounced, 0 already, 1 unsubscribed, 0 temporary, 1 for people."

    subscriber = delivery.subscriber
    subscriber.refresh_from_db()
    assert subscriber.status == "unsubscribed"
    assert Consent.objects.filter(subscriber=subscriber, action="unsubscribe", source="email").count() == 1
    assert state(inbox) == [("cur", ""), ("cur", "S")]


def test_a_database_failure_stops_the_run_and_the_report_waits_for_the_next(sent, inbox, monkeypatch):
    delivery, message = sent
    inbox.add(report(message))

    def database_gone(*args, **kwargs):
        raise OperationalError("the database is restarting")

    monkeypatch.setattr(sending, "bounce_reported", database_gone)
    with pytest.raises(OperationalError):
        read_inbox(inbox)
    assert state(inbox) == [("new", "")]

    monkeypatch.undo()
    assert read_inbox(inbox) == "1 bounced, 0 already, 0 unsubscribed, 0 temporary, 0 for people."
    delivery.refresh_from_db()
    assert delivery.status == "bounced"


def test_without_the_maildir_the_command_says_so(tmp_path):
    with pytest.raises(CommandError, match="no Maildir at"):
        call_command("newsletter", "inbound", str(tmp_path / "missing"))
