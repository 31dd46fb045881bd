"""Mail that comes back to the newsletter's address, read from a Maildir by `civiclink newsletter inbound PATH`
(every few minutes from cron; the mail server delivers the sender's mailbox to that Maildir):

- delivery status notifications (RFC 3464, or RFC 6533 for international addresses) of a permanent failure
  (status 5.x.x): the delivery they quote becomes "bounced" and counts towards the subscriber's suspension, like a
  refusal while sending. Delays and temporary failures (4.x.x) are only noted as read.
- unsubscriptions that mail programs send to the List-Unsubscribe mailto: address; the subject they copy carries
  the subscriber's signed unsubscribe token.

A report counts only if the original headers it quotes carry the delivery's signed reference
(`composing.DELIVERY_HEADER`), so nobody can bounce another person's address by writing a report. Each message is
read once: it moves from `new/` to `cur/`, marked seen when it was understood and left unread for a person
otherwise (replies, forged or unreadable reports)."""

import enum
import logging
import mailbox
import re
from collections import Counter
from email import message_from_bytes, policy
from email.message import Message
from email.parser import HeaderParser

from django.db import DatabaseError

from civiclink.newsletter import sending, subscriptions
from civiclink.newsletter.composing import DELIVERY_HEADER, read_delivery_reference
from civiclink.newsletter.models import Source

logger = logging.getLogger(__name__)

_UNSUBSCRIBE = re.compile(r"\bunsubscribe\s+(\S+)", re.IGNORECASE)


class Outcome(enum.Enum):
    BOUNCED = "bounced"  # a permanent failure, counted against the subscriber
    ALREADY = "already"  # a report or request read before (the delivery bounced, the address left already)
    UNSUBSCRIBED = "unsubscribed"
    TEMPORARY = "temporary"  # a delay or a temporary failure: nothing to do
    FOR_PEOPLE = "for people"  # not understood: left unread


# The original message as quoted by a report: its headers, or all of it (the message/global ones are RFC 6533's).
QUOTING_PARTS = {"text/rfc822-headers", "message/global-headers", "message/rfc822", "message/global"}


def _text(part: Message) -> str:
    payload = part.get_payload()
    if isinstance(payload, list):  # a message/* part that the parser read as a message of its own
        return "".join(item.as_string() for item in payload)
    raw = part.get_payload(decode=True)
    return raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(payload)


def _quoted_headers(report: Message) -> Message | None:
    """The original message's headers that a report quotes, as headers only or as the whole message."""
    for part in report.walk():
        if part.get_content_type() in QUOTING_PARTS:
            return HeaderParser().parsestr(_text(part))
    return None


def _recipient_fields(report: Message) -> list[Message]:
    """The per-recipient blocks of the report's status part (the first block is about the whole message)."""
    for part in report.walk():
        if part.get_content_type() == "message/delivery-status":
            blocks = part.get_payload()
            return [block for block in blocks[1:] if isinstance(block, Message)] if isinstance(blocks, list) else []
        if part.get_content_type() == "message/global-delivery-status":  # the parser does not split this one
            blocks = re.split(r"\r?\n\s*\r?\n", _text(part).strip())
            return [HeaderParser().parsestr(block) for block in blocks[1:]]
    return []


def _read_report(report: Message) -> Outcome:
    quoted = _quoted_headers(report)
    delivery_id = read_delivery_reference(str(quoted.get(DELIVERY_HEADER, ""))) if quoted is not None else None
    if delivery_id is None:
        return Outcome.FOR_PEOPLE
    failures = [
        block
        for block in _recipient_fields(report)
        if str(block.get("Action", "")).strip().lower() == "failed" and str(block.get("Status", "")).strip()[:1] == "5"
    ]
    if not failures:
        return Outcome.TEMPORARY
    block = failures[0]
    reason = " ".join(str(block.get(field, "")).strip() for field in ("Status", "Diagnostic-Code")).strip()
    return Outcome.BOUNCED if sending.bounce_reported(delivery_id, f"{reason} (report)") else Outcome.ALREADY


def _read_request(message: Message) -> Outcome:
    match = _UNSUBSCRIBE.search(str(message.get("Subject", "")))
    subscriber = subscriptions.read_unsubscribe_token(match.group(1)) if match else None
    if subscriber is None:
        return Outcome.FOR_PEOPLE
    done = subscriptions.unsubscribe(subscriber, source=Source.EMAIL)
    return Outcome.UNSUBSCRIBED if done else Outcome.ALREADY


def read(raw: bytes) -> Outcome:
    """What one incoming message is, and what was done about it."""
    message = message_from_bytes(raw, policy=policy.compat32)
    is_report = message.get_content_type() == "multipart/report"
    if is_report and str(message.get_param("report-type", "")).lower() == "delivery-status":
        return _read_report(message)
    return _read_request(message)


def read_maildir(path: str) -> Counter:
    """Read the new messages of the Maildir at `path`; {outcome: how many}. A message that cannot be read is left
    for people and logged; it never stops the others. A database error stops the run, and the messages not yet
    read wait in `new/` for the next."""
    box = mailbox.Maildir(path, factory=None, create=False)
    outcomes = Counter()
    for key in list(box.iterkeys()):  # keys, not messages: each is written back as it is read
        message = box.get_message(key)
        if message.get_subdir() != "new":
            continue
        try:
            outcome = read(box.get_bytes(key))
        except DatabaseError:  # not the message's fault: it stays in new/ for the next run
            raise
        except Exception:  # whatever a malformed message makes the parser or a lookup raise
            logger.exception("newsletter inbound: message %s could not be read", key)
            outcome = Outcome.FOR_PEOPLE
        message.set_subdir("cur")
        if outcome is not Outcome.FOR_PEOPLE:
            message.add_flag("S")
        box[key] = message
        outcomes[outcome] += 1
    return outcomes
