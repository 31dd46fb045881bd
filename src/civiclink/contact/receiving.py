"""Receiving a message from the contact form, with spam defences that need no third-party CAPTCHA:

- a honeypot field that people leave empty (bots fill it in: they are told "sent" and nothing is stored);
- a signed timestamp of when the form was shown: sent sooner than `MIN_SECONDS` later (a script) or after
  `MAX_AGE` (a stale or replayed form) is refused, and a forged stamp too;
- a rate limit per client address and per e-mail address (setting CONTACT_RATE_LIMIT, e.g. "10/h"); both are
  counted under keyed hashes, in the cache only;
- a resent form (double click, reload) is stored once: see `submit`.
"""

import datetime
import functools
import time

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from civiclink.contact import emails
from civiclink.contact.models import Message
from civiclink.core import codes, ratelimit
from civiclink.core.errors import UserError

MIN_SECONDS = 3
MAX_AGE = 24 * 3600
DUPLICATE_SECONDS = 600  # the same text from the same address within this time is the same message
STAMP_SALT = "civiclink.contact.stamp"


class StampError(UserError):
    default_message = _("The form could not be checked. Please send it again: what you wrote is still in the form.")


class TooFast(StampError):
    default_message = _(
        "The form was sent very quickly after the page opened. Please check your message and send it again."
    )


class Expired(StampError):
    default_message = _(
        "The form was open for more than a day. Please send it again: what you wrote is still in the form."
    )


def new_stamp(now: float | None = None) -> str:
    """The signed moment the form is shown, for its hidden field."""
    return signing.dumps(round(now if now is not None else time.time(), 3), salt=STAMP_SALT)


def check_stamp(stamp: str, now: float | None = None) -> None:
    """Raise a StampError unless the form was shown between MIN_SECONDS and MAX_AGE ago."""
    try:
        shown = float(signing.loads(stamp, salt=STAMP_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        raise StampError from None
    age = (now if now is not None else time.time()) - shown
    if age < MIN_SECONDS:
        raise TooFast
    if age > MAX_AGE:
        raise Expired


def over_rate_limit(request, email: str) -> bool:
    """Count this message from the client's address and for the e-mail address; True once either is past the
    limit."""
    spec = settings.CONTACT_RATE_LIMIT
    address = salted_hmac("civiclink.contact.ratelimit", email.lower(), algorithm="sha256").hexdigest()[:32]
    return ratelimit.over_limit(request, "contact", spec) or ratelimit.hit("contact-email", address, spec)


def fingerprint(email: str, body: str) -> str:
    text = f"{email.lower()}\n{' '.join(body.split())}"
    return salted_hmac("civiclink.contact.fingerprint", text, algorithm="sha256").hexdigest()


def _earlier(print_: str, now) -> Message | None:
    since = now - datetime.timedelta(seconds=DUPLICATE_SECONDS)
    return Message.objects.filter(fingerprint=print_, created_at__gt=since).order_by("created_at").first()


def submit(*, name, email, subject, body, topic, language, user=None) -> tuple[Message, bool]:
    """Store the message and, once committed, e-mail the acknowledgement and the staff's notification.

    The same text from the same address within DUPLICATE_SECONDS returns the message stored first, with False,
    and sends nothing. Two requests racing with it meet the unique constraint on (fingerprint, window): the loser
    finds the winner's message. A clash of references (one in ~10^12) draws another."""
    now = timezone.now()
    print_ = fingerprint(email, body)
    for attempt in range(3):
        if earlier := _earlier(print_, now):
            return earlier, False
        try:
            with transaction.atomic():
                message = Message.objects.create(
                    reference=codes.new_code(),
                    name=name,
                    email=email,
                    subject=subject,
                    body=body,
                    topic=topic,
                    language=language,
                    user=user if user is not None and user.is_authenticated else None,
                    created_at=now,
                    state_changed_at=now,
                    fingerprint=print_,
                    received_window=int(now.timestamp()) // DUPLICATE_SECONDS,
                )
        except IntegrityError:
            if attempt == 2:
                raise
            continue
        transaction.on_commit(functools.partial(emails.send_received, message), robust=True)
        return message, True
    raise AssertionError("unreachable")
