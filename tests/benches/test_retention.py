"""Trimming what benches leave behind (`benches prune`): old raw messages, old refused messages and unused expired
tokens go; aggregates, recent messages and spent tokens stay."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from benches.messages import telemetry
from civiclink.benches import ingest, kiosk, retention
from civiclink.benches.models import BallotToken, BenchHour, DeadLetter, Message, Transport

pytestmark = pytest.mark.django_db


def test_prune_keeps_aggregates_and_recent_data(make_bench, world):
    bench, _ = make_bench()
    ingest.store_one_bench(bench, [telemetry(seq=1), telemetry(seq=2), {"id": "broken"}], Transport.HTTP)
    long_ago = timezone.now() - timedelta(days=200)
    Message.objects.filter(seq=1).update(received_at=long_ago)
    DeadLetter.objects.update(received_at=long_ago)
    kiosk.issue_tokens(bench, BallotToken.Target.POLL, 1, count=2)
    expired, fresh = BallotToken.objects.order_by("pk")
    BallotToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    assert retention.prune() == {"messages": 1, "refused messages": 1, "expired tokens": 1}
    assert list(Message.objects.values_list("seq", flat=True)) == [2]
    assert BenchHour.objects.get(bench=bench).samples == 2  # the hour still counts both readings
    assert list(BallotToken.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_prune_refuses_to_forget_ids_a_bench_may_still_resend():
    with pytest.raises(CommandError, match="30 days"):
        call_command("benches", "prune", "--message-days", "7")
