"""The simulated fleet (`civiclink bench-sim`) against the real server: over HTTP to a live server, over MQTT through
a Mosquitto of the test's own and the ingestion worker. What the server stored is exactly what it told the benches
it accepted; duplicates and malformed messages end up as duplicates and dead letters; benches back from an outage
send their outbox as a batch and keep nothing."""

import io
import json
import random
import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Sum

from benches.kiosk_setup import open_poll, open_process
from civiclink.benches import ingest, simulator
from civiclink.benches.models import Bench, BenchHour, DeadLetter, KioskAnswer, Message
from civiclink.participation.models import Ballot

# The fleet's server is another thread (the live server, the worker): it must see what the test commits.
with_server = pytest.mark.django_db(transaction=True)


@pytest.fixture
def poll(community):
    """A poll open to anyone in the benches' municipality, with a question of each kind."""
    process = open_process(community.municipality, communities=[community])
    return open_poll(process, kinds=("single", "multiple", "ranking", "text"), choices=("Park", "School", "Market"))


def play(transport: str, tmp_path, **options) -> simulator.Summary:
    """Three benches, 15 minutes, an outage every 5th report, mischief and answers far above the usual rates (so
    that every kind happens whatever the hour of the day)."""
    options = {
        "benches": 3,
        "minutes": 15,
        "transport": transport,
        "offline_every": 5,
        "seed": 7,
        "state": tmp_path / "flash",
        "malformed": 0.3,
        "duplicates": 0.3,
        "answer_rate": 1000,
        **options,
    }
    return simulator.run(**options)


def check_stored(summary: simulator.Summary, poll) -> None:
    written = sum(summary.written.values())
    assert summary.outbox_left == 0
    assert summary.accepted == written == Message.objects.count()
    assert summary.duplicate == summary.resent_on_purpose + summary.resent
    assert sum(summary.rejected.values()) == summary.malformed == DeadLetter.objects.count() > 0
    assert set(summary.rejected) <= {"malformed", "invalid", "unknown_type"}
    # Every answer became one ballot of the poll, counted apart as from a bench; telemetry is in the hours.
    answers = summary.written["response"]
    assert answers > 0
    assert KioskAnswer.objects.count() == Ballot.objects.filter(poll=poll, source="bench").count() == answers
    hours = BenchHour.objects.aggregate(samples=Sum("samples"), answers=Sum("answers"))
    assert hours == {"samples": summary.written["telemetry"], "answers": answers}
    # Each outage ended with one batch of what the bench had kept, reported with an error event.
    assert summary.flushes and max(summary.flushes) > 1
    errors = Message.objects.filter(kind="event", data__event="error").count()
    assert errors == len(summary.flushes)


@with_server
def test_a_fleet_over_http_is_stored_exactly_once(live_server, poll, tmp_path):
    summary = play("http", tmp_path, url=live_server.url)
    check_stored(summary, poll)
    assert summary.provisioned == 3 and summary.open_polls == 1
    benches = Bench.objects.filter(name__startswith="Simulator")
    assert {bench.last_seq for bench in benches} == {
        json.loads(path.read_text())["seq"] for path in (tmp_path / "flash").iterdir()
    }

    again = play("http", tmp_path, url=live_server.url, minutes=3, offline_every=0, answer_rate=0)
    assert again.provisioned == 0 and again.outbox_left == 0, "the benches kept their credentials"
    assert Bench.objects.filter(name__startswith="Simulator").count() == 3
    assert Message.objects.count() == summary.accepted + again.accepted


@with_server
@pytest.mark.postgres  # the worker writes in its own thread: SQLite's in-memory test database locks it out
def test_a_fleet_over_mqtt_is_stored_exactly_once(mosquitto, poll, tmp_path):
    from civiclink.benches.worker import Worker

    worker = Worker("test-simulator-worker", batch_size=200)
    worker.start()

    def ingest_until_stopped():
        try:
            worker.run(log_every=3600)
        finally:
            connection.close()

    thread = threading.Thread(target=ingest_until_stopped)
    thread.start()
    try:
        summary = play("mqtt", tmp_path, settle_seconds=20)
    finally:
        worker.stop()
        thread.join()
        worker.close()
    check_stored(summary, poll)


def test_what_the_fleet_reports_passes_ingestion():
    """A week of every sensor at a bench's place, in July and in December: accepted by ingestion's checks, dark at
    night, more sunshine in summer, the battery within its bounds."""
    site = simulator.Site("test", 43.34, 17.81, ("particulates", "noise", "climate"))
    rng = random.Random(1)
    envelope = {"id": "8f7a9d4e-2b1c-4c3d-9e8f-0a1b2c3d4e5f", "seq": 1, "ts": "2026-07-01T12:00:00Z"}
    energy = {}
    for month in (7, 12):
        power = simulator.Power()
        readings = [
            simulator.report(site, power, datetime(2026, month, 1, tzinfo=UTC) + timedelta(hours=hour), 3600, rng)[0]
            for hour in range(7 * 24)
        ]
        for data in readings:
            ingest.check({**envelope, "type": "telemetry", "data": data}, datetime(2027, 1, 1, tzinfo=UTC))
        assert all(0 <= data["battery"] <= 100 for data in readings)
        assert readings[23]["solar_w"] == 0, "at one o'clock at night"
        energy[month] = sum(data["solar_w"] for data in readings)
    assert energy[7] > 2 * energy[12] > 0


@with_server
def test_the_command_prints_what_the_server_answered(live_server, community, tmp_path):
    output = io.StringIO()
    call_command(
        "bench-sim", "--benches", "2", "--minutes", "3", "--url", live_server.url, "--state", tmp_path, stdout=output
    )
    lines = output.getvalue().splitlines()
    assert lines[0].startswith("2 benches (2 provisioned with a claim code now), 3 minutes of fleet time over HTTP")
    assert lines[-1] == "outbox left: 0 messages"
    with pytest.raises(CommandError, match="No server answers at"):
        call_command("bench-sim", "--benches", "1", "--url", "http://127.0.0.1:9", "--state", tmp_path, stdout=output)
