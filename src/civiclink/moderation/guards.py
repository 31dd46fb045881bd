"""Defences before a contribution is stored: blocked accounts, rate limits on anonymous and new accounts, and the
same text sent again. Each raises `Refused` with a message fit to show the person."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.core import ratelimit
from civiclink.core.errors import UserError
from civiclink.moderation.models import Block


class Refused(UserError):
    """`message` is shown to the person; `status` is the HTTP status a page answering the refusal should carry."""

    def __init__(self, message, status: int = 403):
        super().__init__(message)
        self.status = status


def is_blocked(user) -> bool:
    if not user.is_authenticated:
        return False
    cached = getattr(user, "_moderation_blocked", None)
    if cached is None:
        cached = user._moderation_blocked = Block.objects.filter(user=user, lifted_at__isnull=True).exists()
    return cached


def is_new_account(user) -> bool:
    age = timedelta(hours=getattr(settings, "MODERATION_NEW_ACCOUNT_HOURS", 24))
    return user.date_joined > timezone.now() - age


def check_rate(request, scope: str) -> None:
    """Anonymous visitors are limited per address, new accounts per account; established accounts are not."""
    user = request.user
    if user.is_authenticated and not is_new_account(user):
        return
    if user.is_authenticated:
        over = ratelimit.hit(scope, f"user:{user.pk}", settings.MODERATION_NEW_ACCOUNT_RATE_LIMIT)
    else:
        over = ratelimit.over_limit(request, scope, settings.MODERATION_ANONYMOUS_RATE_LIMIT)
    if over:
        raise Refused(_("You have sent a lot in a short time. Please wait a while and try again."), status=429)


def normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def check_repeated(queryset, text_field: str, text: str) -> None:
    """Refuse a text its author already sent in the last day (`queryset`: the author's own contributions)."""
    since = timezone.now() - timedelta(days=1)
    recent = queryset.filter(created_at__gte=since).values_list(text_field, flat=True)[:200]
    if any(normalised(previous) == normalised(text) for previous in recent):
        raise Refused(_("You have already sent exactly this text. Repeated messages are not accepted."), status=409)


def check_contribution(request, scope: str, own_recent=None, text_field: str = "body", text: str = "") -> None:
    """All the defences in order: blocked, rate, repeated text."""
    if is_blocked(request.user):
        raise Refused(_("Your account has been blocked by the moderators."))
    check_rate(request, scope)
    if own_recent is not None and text:
        check_repeated(own_recent, text_field, text)
