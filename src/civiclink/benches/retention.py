"""What the benches leave behind, trimmed: raw messages once their hours are aggregated, old refused messages,
and ballot tokens that expired unused. Hourly aggregates, answers and alerts are kept.

A stored message id is also what makes a resend a duplicate, so raw messages must be kept longer than any bench
keeps an unacknowledged message in its outbox (the protocol asks benches to give up after 30 days)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from civiclink.benches.models import BallotToken, DeadLetter, Message

CHUNK = 10_000  # rows per delete, so that no statement holds its locks for long


def _delete_in_chunks(queryset) -> int:
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(queryset.values_list("pk", flat=True)[:CHUNK])
            if not ids:
                return deleted
            deleted += queryset.model.objects.filter(pk__in=ids).delete()[0]


def prune(message_days: int = 180, dead_letter_days: int = 90) -> dict[str, int]:
    """Delete raw messages older than `message_days` (by arrival), refused messages older than
    `dead_letter_days` and ballot tokens that expired unused; the counts deleted."""
    if message_days < 31:
        raise ValueError("raw messages must be kept longer than a bench's outbox keeps them (30 days)")
    now = timezone.now()
    return {
        "messages": _delete_in_chunks(Message.objects.filter(received_at__lt=now - timedelta(days=message_days))),
        "refused messages": _delete_in_chunks(
            DeadLetter.objects.filter(received_at__lt=now - timedelta(days=dead_letter_days))
        ),
        "expired tokens": _delete_in_chunks(BallotToken.objects.filter(used_at__isnull=True, expires_at__lt=now)),
    }
