"""Messages as a bench sends them, for the tests."""

import uuid
from datetime import UTC, datetime, timedelta

from django.utils import timezone


def telemetry(seq=1, ts=None, message_id=None, **data):
    """One telemetry message as a bench sends it."""
    data = {"battery": 80.0, "solar_w": 12.5, **data}
    return {
        "id": str(message_id or uuid.uuid4()),
        "seq": seq,
        "ts": (ts or timezone.now() - timedelta(minutes=1)).astimezone(UTC).isoformat().replace("+00:00", "Z"),
        "type": "telemetry",
        "data": data,
    }


def event(name, seq=1, ts=None, **data):
    return {
        "id": str(uuid.uuid4()),
        "seq": seq,
        "ts": (ts or timezone.now() - timedelta(minutes=1)).isoformat(),
        "type": "event",
        "data": {"event": name, **data},
    }


def at(hour: int, minute: int = 0, day: int = 1) -> datetime:
    """A fixed time on 2026-11-<day> (UTC), for hourly aggregates."""
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)
