"""Kiosk responses arriving as bench messages (type "response"). Interim: refused until the kiosk lands."""

from civiclink.benches.ingest import Rejected
from civiclink.benches.models import Reason


def record(bench, clean, transport) -> list[str]:
    raise Rejected(Reason.REFUSED, "responses are not accepted yet")
