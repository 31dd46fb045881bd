"""Subscribing with double opt-in, confirming, changing preferences and unsubscribing.

Every step leaves a `Consent` row with the words the person was shown, in the language they were shown in. Links in
e-mails carry signed tokens, so that nobody needs an account: a confirmation link is timestamped (valid for
CONFIRMATION_DAYS) and bound to the current request for confirmation (the subscriber's `nonce`); the links to manage
preferences and to unsubscribe do not expire. The answer to a subscription never tells whether the address was
already subscribed: a confirmed subscriber is sent a link to their preferences instead of a confirmation.
"""

import enum
import secrets
from collections.abc import Iterable
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from civiclink.newsletter.models import Consent, Issue, Source, Subscriber, SubscriberTheme, Theme

CONFIRMATION_DAYS = 7
# Changing what the consent text says means a new version: the records keep the words and the version.
CONSENT_VERSION = "2025-1"
CONSENT_TEXT = gettext_lazy(
    "I agree to receive the CivicLink newsletter by e-mail, in the language and on the topics I chose. "
    "I can unsubscribe at any time with the link in every newsletter. My address is used for nothing else."
)
UNSUBSCRIBE_TEXT = gettext_lazy("Stop receiving the CivicLink newsletter.")
# Subscription requests per client address and per e-mail address (keyed hashes in the cache, see core.ratelimit).
RATE_LIMIT_PER_CLIENT = "30/h"
RATE_LIMIT_PER_ADDRESS = "5/h"

_CONFIRM = signing.TimestampSigner(salt="civiclink.newsletter.confirm")
_MANAGE = signing.Signer(salt="civiclink.newsletter.manage")
_UNSUBSCRIBE = signing.Signer(salt="civiclink.newsletter.unsubscribe")


def normalise_email(email: str) -> str:
    return email.strip().lower()


def address_key(email: str) -> str:
    """The rate-limit key of an e-mail address: a keyed hash, so that the cache holds no addresses."""
    return salted_hmac("civiclink.newsletter.address", normalise_email(email), algorithm="sha256").hexdigest()[:32]


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


# --- Tokens -----------------------------------------------------------------------------------------------------


def confirmation_token(subscriber: Subscriber) -> str:
    return _CONFIRM.sign_object({"s": subscriber.pk, "n": subscriber.nonce})


def manage_token(subscriber: Subscriber) -> str:
    return _MANAGE.sign(str(subscriber.pk))


def unsubscribe_token(subscriber: Subscriber) -> str:
    return _UNSUBSCRIBE.sign(str(subscriber.pk))


class Link(enum.Enum):
    """What a confirmation link is worth."""

    VALID = "valid"
    EXPIRED = "expired"  # authentic and still for a pending subscription, but too old: a new one may be sent
    USED = "used"  # the subscription is confirmed already
    INVALID = "invalid"  # altered, or from before an unsubscription


def read_confirmation(token: str) -> tuple[Link, Subscriber | None]:
    expired = False
    try:
        payload = _CONFIRM.unsign_object(token, max_age=timedelta(days=CONFIRMATION_DAYS))
    except signing.SignatureExpired:
        expired = True
        payload = _CONFIRM.unsign_object(token)  # the signature is good; only its age is not
    except signing.BadSignature:
        return Link.INVALID, None
    if not isinstance(payload, dict):
        return Link.INVALID, None
    subscriber = Subscriber.objects.filter(pk=payload.get("s")).first()
    if subscriber is None:
        return Link.INVALID, None
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return Link.USED, subscriber
    if subscriber.status != Subscriber.Status.PENDING or subscriber.nonce != payload.get("n"):
        return Link.INVALID, None
    return (Link.EXPIRED if expired else Link.VALID), subscriber


def _read(signer: signing.Signer, token: str) -> Subscriber | None:
    try:
        pk = int(signer.unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return Subscriber.objects.filter(pk=pk).first()


def read_manage_token(token: str) -> Subscriber | None:
    return _read(_MANAGE, token)


def read_unsubscribe_token(token: str) -> Subscriber | None:
    return _read(_UNSUBSCRIBE, token)


# --- Steps ------------------------------------------------------------------------------------------------------


def _choices(subscriber: Subscriber) -> dict:
    return {
        "language": subscriber.language,
        "municipalities": sorted(subscriber.municipalities.values_list("slug", flat=True)),
        "themes": sorted(subscriber.theme_choices.values_list("theme", flat=True)),
    }


def record(subscriber: Subscriber, action: str, text, source: str = Source.WEB, at=None) -> Consent:
    """The consent row of one step, with the text in the active language (the one the person was shown)."""
    return Consent.objects.create(
        at=at or timezone.now(),
        subscriber=subscriber,
        action=action,
        text=str(text),
        version=CONSENT_VERSION,
        language=get_language() or settings.LANGUAGE_CODE,
        source=source,
        choices=_choices(subscriber),
    )


def _set_topics(subscriber: Subscriber, municipalities: Iterable, themes: Iterable[str]) -> None:
    subscriber.municipalities.set(municipalities)
    themes = set(themes)
    subscriber.theme_choices.exclude(theme__in=themes).delete()
    known = set(subscriber.theme_choices.values_list("theme", flat=True))
    SubscriberTheme.objects.bulk_create(
        SubscriberTheme(subscriber=subscriber, theme=theme) for theme in Theme.values if theme in themes - known
    )


def subscribe(
    email: str, *, language: str, municipalities: Iterable = (), themes: Iterable[str] = (), source=Source.WEB
):
    """Ask for a subscription: an e-mail to confirm it goes out, or, to a confirmed subscriber, the link to their
    preferences (which this request does not change: whoever typed the address may not be its owner)."""
    email = normalise_email(email)
    with transaction.atomic():
        subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
            email=email, defaults={"language": language, "source": source}
        )
        if subscriber.status == Subscriber.Status.CONFIRMED:
            transaction.on_commit(partial(send_already_subscribed, subscriber, get_language()))
            return
        if subscriber.status != Subscriber.Status.PENDING or not subscriber.nonce:
            subscriber.nonce = secrets.token_hex(16)  # links sent before an unsubscription no longer confirm
        subscriber.status = Subscriber.Status.PENDING
        subscriber.language = language
        subscriber.source = source
        subscriber.save()
        _set_topics(subscriber, municipalities, themes)
        record(subscriber, Consent.Action.SUBSCRIBE, CONSENT_TEXT, source)
        transaction.on_commit(partial(send_confirmation, subscriber, get_language()))


def forget_unconfirmed() -> int:
    """Delete the addresses that were never confirmed and whose last request for confirmation has expired: without
    consent there is no reason to keep them. (Former subscribers who asked again and did not confirm stay, with
    their consent records.) Returns how many were deleted."""
    cutoff = timezone.now() - timedelta(days=CONFIRMATION_DAYS)
    recent_request = Consent.objects.filter(subscriber=OuterRef("pk"), action=Consent.Action.SUBSCRIBE, at__gte=cutoff)
    stale = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, confirmed_at__isnull=True, created_at__lt=cutoff
    ).exclude(Exists(recent_request))
    return stale.delete()[1].get(Subscriber._meta.label, 0)


def confirm(subscriber: Subscriber) -> bool:
    """Confirm the pending subscription the link was for; False if it was confirmed or withdrawn meanwhile."""
    with transaction.atomic():
        confirmed = Subscriber.objects.filter(
            pk=subscriber.pk, status=Subscriber.Status.PENDING, nonce=subscriber.nonce
        ).update(
            status=Subscriber.Status.CONFIRMED,
            confirmed_at=timezone.now(),
            unsubscribed_at=None,
            nonce="",
            bounce_count=0,
        )
        if confirmed:
            subscriber.refresh_from_db()
            record(subscriber, Consent.Action.CONFIRM, CONSENT_TEXT, subscriber.source)
    return bool(confirmed)


def change_preferences(subscriber: Subscriber, *, language: str, municipalities: Iterable, themes: Iterable[str]):
    with transaction.atomic():
        subscriber.language = language
        subscriber.save(update_fields=["language"])
        _set_topics(subscriber, municipalities, themes)
        record(subscriber, Consent.Action.CHANGE, CONSENT_TEXT)


def unsubscribe(subscriber: Subscriber, source: str = Source.WEB) -> bool:
    """Idempotent: a second click, or the mail program's one-click POST after the person's, changes nothing."""
    with transaction.atomic():
        done = (
            Subscriber.objects.filter(pk=subscriber.pk)
            .exclude(status=Subscriber.Status.UNSUBSCRIBED)
            .update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now(), nonce="")
        )
        if done:
            subscriber.refresh_from_db()
            record(subscriber, Consent.Action.UNSUBSCRIBE, UNSUBSCRIBE_TEXT, source)
    return bool(done)


# --- Who receives an issue --------------------------------------------------------------------------------------


def recipients(issue: Issue) -> QuerySet[Subscriber]:
    """The confirmed subscribers in the issue's language. An issue aimed at topics goes to those who chose one of
    them, and to those who chose no topic at all (they asked for everything)."""
    subscribers = Subscriber.objects.filter(status=Subscriber.Status.CONFIRMED, language=issue.language)
    municipality_ids = [municipality.pk for municipality in issue.municipalities.all()]
    if not municipality_ids and not issue.themes:
        return subscribers
    chosen = Subscriber.municipalities.through.objects.filter(subscriber=OuterRef("pk"))
    themes = SubscriberTheme.objects.filter(subscriber=OuterRef("pk"))
    return subscribers.filter(
        Q(Exists(chosen.filter(municipality__in=municipality_ids)))
        | Q(Exists(themes.filter(theme__in=issue.themes)))
        | (~Q(Exists(chosen)) & ~Q(Exists(themes)))
    )


# --- E-mails (queued through the default mailer, in the language of the page the person used) -------------------


def send_confirmation(subscriber: Subscriber, language: str | None = None) -> None:
    with translation.override(language or get_language()):
        context = {
            "confirm_url": absolute(reverse("newsletter:confirm", args=[confirmation_token(subscriber)])),
            "days": CONFIRMATION_DAYS,
        }
        body = render_to_string("newsletter/email/confirm.txt", context)
        subject = _("Please confirm your subscription to the CivicLink newsletter")
    EmailMessage(subject, body, None, [subscriber.email], headers={"Auto-Submitted": "auto-replied"}).send()


def send_already_subscribed(subscriber: Subscriber, language: str | None = None) -> None:
    with translation.override(language or get_language()):
        context = {
            "manage_url": absolute(reverse("newsletter:preferences", args=[manage_token(subscriber)])),
            "unsubscribe_url": absolute(reverse("newsletter:unsubscribe", args=[unsubscribe_token(subscriber)])),
        }
        body = render_to_string("newsletter/email/already_subscribed.txt", context)
        subject = _("You are already subscribed to the CivicLink newsletter")
    EmailMessage(subject, body, None, [subscriber.email], headers={"Auto-Submitted": "auto-replied"}).send()
