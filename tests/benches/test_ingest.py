"""The ingestion core (`benches/ingest.py`): validation, idempotent storage, hourly aggregates, bench state and
the dead-letter table, as both transports use it."""

import json
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from benches.messages import at, event, telemetry
from civiclink.benches import ingest
from civiclink.benches.models import Bench, BenchHour, DeadLetter, Message, Reason, Status, Transport

pytestmark = pytest.mark.django_db


def store(bench, payload, transport=Transport.HTTP):
    if not isinstance(payload, bytes):
        payload = json.dumps(payload).encode()
    return ingest.store_one_bench(bench, payload, transport)


def test_a_batch_is_stored_once_however_often_it_is_sent(make_bench):
    bench, _credential = make_bench()
    batch = [telemetry(seq=n) for n in range(1, 6)]
    first = store(bench, batch)
    assert sorted(first.accepted) == sorted(m["id"] for m in batch) and not first.duplicate and not first.rejected
    again = store(bench, list(reversed(batch)))
    assert not again.accepted and sorted(again.duplicate) == sorted(m["id"] for m in batch)
    assert Message.objects.filter(bench=bench).count() == 5
    assert BenchHour.objects.get(bench=bench).samples == 5  # the aggregates did not count the replay


def test_the_same_id_twice_in_one_batch_is_one_message(make_bench):
    bench, _ = make_bench()
    message = telemetry()
    outcome = store(bench, [message, dict(message)])
    assert outcome.accepted == [message["id"]] and outcome.duplicate == [message["id"]]
    assert Message.objects.count() == 1


def test_out_of_order_messages_keep_the_latest_reading(make_bench):
    bench, _ = make_bench()
    now = timezone.now()
    store(bench, [telemetry(seq=9, ts=now - timedelta(minutes=1), battery=50.0)])
    store(bench, [telemetry(seq=3, ts=now - timedelta(hours=5), battery=95.0)])  # an old one, flushed late
    bench.refresh_from_db()
    assert bench.battery == 50.0 and bench.last_seq == 9
    assert bench.last_seen_at >= now - timedelta(seconds=5)


def test_hourly_aggregates_sum_count_minimum_and_maximum(make_bench):
    bench, _ = make_bench()
    store(bench, [telemetry(seq=1, ts=at(10, 5), battery=80.0, solar_w=10.0, pm25=12.0, charging_sessions=2)])
    store(bench, [telemetry(seq=2, ts=at(10, 35), battery=70.0, solar_w=30.0, charging_sessions=1)])
    store(bench, [telemetry(seq=3, ts=at(11, 0), battery=60.0, solar_w=0.0)])
    ten = BenchHour.objects.get(bench=bench, hour=at(10))
    assert (ten.samples, ten.charging_sessions) == (2, 3)
    assert (ten.battery_n, ten.battery_sum, ten.battery_min, ten.battery_max) == (2, 150.0, 70.0, 80.0)
    assert (ten.solar_min, ten.solar_max) == (10.0, 30.0)
    assert (ten.pm25_n, ten.pm25_sum, ten.pm25_min) == (1, 12.0, 12.0)
    assert (ten.noise_n, ten.noise_min) == (0, None)
    assert BenchHour.objects.get(bench=bench, hour=at(11)).battery_sum == 60.0


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ({"id": "not-a-uuid", "seq": 1, "ts": "2026-11-01T10:00:00Z", "type": "telemetry", "data": {}}, "invalid"),
        ({**telemetry(), "type": "selfie"}, "unknown_type"),
        ({**telemetry(), "seq": "7"}, "invalid"),
        ({**telemetry(), "seq": True}, "invalid"),
        ({**telemetry(), "ts": "yesterday"}, "invalid"),
        ({**telemetry(), "ts": "2026-11-01T10:00:00"}, "invalid"),  # no time zone
        ({**telemetry(), "ts": "2099-01-01T00:00:00Z"}, "invalid"),
        ({**telemetry(), "data": [1, 2]}, "invalid"),
        (telemetry(battery=140), "invalid"),
        (telemetry(battery="full"), "invalid"),
        (telemetry(wifi_clients=2.5), "invalid"),
        (telemetry(colour="red"), "invalid"),
        ({**telemetry(), "extra": 1}, "invalid"),
        ({k: v for k, v in telemetry().items() if k != "seq"}, "invalid"),
        (event("explode"), "invalid"),
        (event("config_applied"), "invalid"),  # without its version
        (event("error", message="x" * 500), "invalid"),
        ("just a string", "invalid"),
    ],
)
def test_invalid_messages_are_rejected_and_recorded(make_bench, message, reason):
    bench, _ = make_bench()
    good = telemetry(seq=2)
    outcome = store(bench, [message, good])
    assert outcome.accepted == [good["id"]]  # the rest of the batch is stored
    assert [r["reason"] for r in outcome.rejected] == [reason]
    letter = DeadLetter.objects.get()
    assert (letter.reason, letter.bench, letter.transport) == (reason, bench, "http")
    assert letter.detail and letter.payload


def test_malformed_json_and_huge_payloads_are_rejected_whole(make_bench, settings):
    bench, _ = make_bench()
    assert store(bench, b'[{"id": ').rejected == [{"id": "", "reason": "malformed"}]
    settings.BENCH_MAX_BATCH = 3
    assert store(bench, [telemetry(seq=n) for n in range(4)]).rejected == [{"id": "", "reason": "too_large"}]
    assert (
        store(bench, b"[" + b" " * (3 * settings.BENCH_MAX_MESSAGE_BYTES) + b"]").rejected[0]["reason"] == "too_large"
    )
    assert list(DeadLetter.objects.values_list("reason", flat=True).order_by("pk")) == [
        "malformed",
        "too_large",
        "too_large",
    ]
    assert not Message.objects.exists()
    assert len(DeadLetter.objects.last().payload) <= DeadLetter.DEAD_LETTER_PAYLOAD


def test_unknown_revoked_and_retired_benches_are_refused(make_bench):
    from civiclink.benches import credentials

    revoked, _ = make_bench()
    credentials.revoke(revoked)
    retired, _ = make_bench()
    Bench.objects.filter(pk=retired.pk).update(status=Status.RETIRED)
    entries = [
        ingest.Entry(str(uuid.uuid4()), json.dumps(telemetry()).encode(), topic="t1"),
        ingest.Entry(str(revoked.pk), json.dumps(telemetry()).encode()),
        ingest.Entry(str(retired.pk), json.dumps([telemetry()]).encode()),
        ingest.Entry("not-even-a-uuid", b"{}"),
    ]
    ingest.store(entries, Transport.MQTT)
    assert [e.outcome.rejected[0]["reason"] for e in entries] == [
        "unknown_bench",
        "revoked",
        "revoked",
        "unknown_bench",
    ]
    assert not Message.objects.exists()
    assert DeadLetter.objects.count() == 4
    assert Bench.objects.get(pk=revoked.pk).last_seen_at is None


def test_a_message_naming_another_bench_is_rejected(make_bench):
    bench, _ = make_bench()
    other, _ = make_bench()
    outcome = store(bench, [{**telemetry(), "bench": str(other.pk)}, {**telemetry(), "bench": str(bench.pk)}])
    assert len(outcome.accepted) == 1 and outcome.rejected[0]["reason"] == Reason.WRONG_BENCH


def test_events_update_the_bench(make_bench):
    bench, _ = make_bench()
    store(
        bench,
        [
            event("boot", seq=1, firmware="2.4.1"),
            event("config_applied", seq=2, version=3),
            event("tamper", seq=3),
            event("error", seq=4, message="SD card full"),
        ],
    )
    bench.refresh_from_db()
    assert bench.firmware_version == "2.4.1" and bench.reported_config_version == 3
    assert bench.tamper_at is not None and bench.last_error == "SD card full" and bench.last_seq == 4


def test_the_rate_limit_refuses_the_excess_to_be_resent_later(make_bench, settings):
    settings.BENCH_RATE_LIMIT = "5/h"
    bench, _ = make_bench()
    outcome = store(bench, [telemetry(seq=n) for n in range(1, 8)])
    assert len(outcome.accepted) == 5
    assert [r["reason"] for r in outcome.rejected] == ["rate_limited", "rate_limited"]
    assert store(bench, [telemetry(seq=9)]).rejected[0]["reason"] == "rate_limited"
