"""The MQTT ingestion worker (`benches/worker.py`, `civiclink bench-ingest`) against a real Mosquitto.

Most tests run the worker in the test's own thread (`step()` stores one batch), so that it stores inside the test's
transaction; the crash test runs `civiclink bench-ingest` as a separate process and kills it, which needs a database
that another process can see: PostgreSQL."""

import json
import os
import signal
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from benches.broker import SERVICE, BenchClient, wait_for
from benches.messages import event, telemetry
from civiclink.benches import broker, credentials
from civiclink.benches.models import Bench, BenchHour, DeadLetter, Message
from civiclink.benches.worker import Worker, bench_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(mosquitto):
    """The worker, connected and subscribed, stepped by the test in its own thread."""
    started = Worker(f"test-worker-{uuid.uuid4().hex[:8]}", batch_size=100)
    started.start()
    yield started
    started.close()


def connect(mosquitto, bench, credential) -> BenchClient:
    return BenchClient(mosquitto, str(bench.pk), credential.partition(".")[2])


def acks(client: BenchClient, workers: list[Worker], count: int = 1) -> list[dict]:
    """Step the workers until the bench has `count` acknowledgements; those, decoded."""
    got = []

    def enough():
        for worker in workers:
            worker.step(timeout=0.05)
        got.extend(json.loads(payload) for _topic, payload in client.messages())
        return len(got) >= count

    wait_for(enough, what=f"{count} acknowledgement(s)")
    return got


def ids(messages) -> list[str]:
    return [message["id"] for message in messages]


def test_bench_of_reads_the_id_from_the_messages_topic_only():
    bench = str(uuid.uuid4())
    assert bench_of(f"civiclink/benches/{bench}/messages") == bench
    for topic in [f"civiclink/benches/{bench}/ack", f"civiclink/benches/{bench}/messages/x", "civiclink/benches/x", ""]:
        assert bench_of(topic) == ""


def test_batches_replays_and_late_messages_are_stored_once_and_acknowledged(mosquitto, worker, make_bench):
    bench, credential = make_bench()
    mosquitto.reload()
    client = connect(mosquitto, bench, credential)
    now = timezone.now()
    batch = [telemetry(seq=n, ts=now - timedelta(minutes=10 - n)) for n in range(1, 6)]

    client.publish(batch)
    [first] = acks(client, [worker])
    assert sorted(first["accepted"]) == sorted(ids(batch)) and first["duplicate"] == first["rejected"] == []
    assert set(Message.objects.filter(bench=bench).values_list("message_id", flat=True)) == set(
        map(uuid.UUID, ids(batch))
    )

    client.publish(list(reversed(batch)))  # the outbox sent again, as after a lost acknowledgement
    [replayed] = acks(client, [worker])
    assert replayed["accepted"] == [] and sorted(replayed["duplicate"]) == sorted(ids(batch))

    late = telemetry(seq=3, ts=now - timedelta(hours=3), battery=99.0)  # buffered while offline, flushed late
    twice = telemetry(seq=7, ts=now - timedelta(seconds=30), battery=41.0)
    client.publish([twice, late, twice])
    [mixed] = acks(client, [worker])
    assert sorted(mixed["accepted"]) == sorted([twice["id"], late["id"]]) and mixed["duplicate"] == [twice["id"]]

    assert Message.objects.filter(bench=bench, transport="mqtt").count() == 7
    assert sum(BenchHour.objects.filter(bench=bench).values_list("samples", flat=True)) == 7
    bench.refresh_from_db()
    assert (bench.last_seq, bench.battery) == (7, 41.0)  # the latest reading, not the last to arrive


@pytest.fixture
def small_limits(settings):
    """Payloads of at most 4 messages of 4 KiB (16 KiB): the broker, configured after this, lets through four
    times that, so that larger payloads reach the worker and are recorded."""
    settings.BENCH_MAX_BATCH = 4


def too_deep_to_decode(payload: bytes) -> bool:
    try:
        json.loads(payload)
    except RecursionError:
        return True
    return False


def test_refused_messages_are_recorded_and_the_worker_carries_on(small_limits, mosquitto, worker, make_bench):
    bench, credential = make_bench()
    other, _ = make_bench()
    mosquitto.reload()
    client = connect(mosquitto, bench, credential)
    unknown_type = {**telemetry(), "type": "selfie"}
    wrong_type = {**telemetry(), "seq": "7"}
    impostor = {**telemetry(), "bench": str(other.pk)}
    nul_text = event("error", message="bad\u0000byte")
    deep = b"[" * 5_000 + b"]" * 5_000
    payloads = [
        (b'{"id": "unterminated', "malformed"),
        (deep, "malformed" if too_deep_to_decode(deep) else "invalid"),  # Python 3.13 decodes it: a list of lists
        (b"\x00\xff binary junk", "malformed"),
        ([wrong_type], "invalid"),
        ([unknown_type], "unknown_type"),
        ([impostor], "wrong_bench"),
        ([nul_text], "invalid"),
        ([telemetry(note="x" * 40_000)], "too_large"),  # over the 16 KiB a payload may have, under the broker's limit
    ]
    for payload, _reason in payloads:
        assert not client.publish(payload).is_failure
    good = telemetry(seq=9)
    client.publish(good)
    got = acks(client, [worker], count=1)
    while sum(len(ack["rejected"]) + len(ack["accepted"]) for ack in got) < len(payloads) + 1:
        got += acks(client, [worker])

    assert [rejected["reason"] for ack in got for rejected in ack["rejected"]] == [reason for _p, reason in payloads]
    assert [accepted for ack in got for accepted in ack["accepted"]] == [good["id"]]
    assert sorted(DeadLetter.objects.values_list("reason", flat=True)) == sorted(r for _p, r in payloads)
    assert {dead.bench_id for dead in DeadLetter.objects.all()} == {bench.pk}
    named = DeadLetter.objects.get(reason="unknown_type")
    assert named.message_id == unknown_type["id"] and named.topic == broker.topic(bench.pk, "messages")
    assert Message.objects.get().message_id == uuid.UUID(good["id"])


def test_a_topic_that_names_no_bench_is_recorded(mosquitto, worker):
    # The worker's own account is the only other one that may publish under civiclink/benches/<user>/messages.
    service = BenchClient(mosquitto, *SERVICE, subscribe=False)
    service.publish([telemetry()], topic=broker.topic(SERVICE[0], "messages"))
    wait_for(lambda: worker.step(timeout=0.05), what="the worker to take the message")
    dead = DeadLetter.objects.get()
    assert (dead.reason, dead.claimed_bench, dead.bench) == ("unknown_bench", SERVICE[0], None)
    assert dead.topic == broker.topic(SERVICE[0], "messages")


def test_a_revoked_bench_still_connected_is_refused_by_the_worker(mosquitto, worker, make_bench):
    bench, credential = make_bench()
    mosquitto.reload()
    client = connect(mosquitto, bench, credential)
    credentials.revoke(bench)  # in the database only: the broker has not been told yet
    message = telemetry()
    client.publish([message])
    [ack] = acks(client, [worker])
    assert ack == {"accepted": [], "duplicate": [], "rejected": [{"id": message["id"], "reason": "revoked"}]}
    assert not Message.objects.exists() and DeadLetter.objects.get().reason == "revoked"


@pytest.fixture
def shared_cache(settings, require_service):
    """Redis, as in production: the rate limit is counted there by every process (a database of its own)."""
    require_service("Redis", "127.0.0.1", 6379)
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/13"}
    }
    cache.clear()
    yield
    cache.clear()


def test_the_rate_limit_counts_both_transports_together(shared_cache, settings, mosquitto, worker, make_bench, client):
    settings.BENCH_RATE_LIMIT = "5/h"
    bench, credential = make_bench()
    neighbour, neighbour_credential = make_bench()
    mosquitto.reload()
    answer = client.post(
        "/api/v1/benches/messages",
        json.dumps([telemetry(seq=n) for n in (1, 2, 3)]),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {credential}",
    )
    assert len(answer.json()["accepted"]) == 3
    over_mqtt = [telemetry(seq=n) for n in (4, 5, 6)]
    publisher, other = connect(mosquitto, bench, credential), connect(mosquitto, neighbour, neighbour_credential)
    for message in over_mqtt:
        publisher.publish(message)
    other.publish([telemetry(seq=1), telemetry(seq=2)])
    wait_for(lambda: worker.inbox.qsize() == 4, what="the four payloads to arrive")
    worker.step()  # one batch, both benches: their limits are counted at once
    [ack] = acks(publisher, [worker])
    assert ack["accepted"] == ids(over_mqtt[:2])
    assert ack["rejected"] == [{"id": over_mqtt[2]["id"], "reason": "rate_limited"}]
    assert len(acks(other, [worker])[0]["accepted"]) == 2


def poison(message_id: str) -> None:
    """Make the database itself fail on one message, as a fault the code does not expect would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN IF NEW.message_id = %s THEN"
                " RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                [message_id],
            )
            cursor.execute(
                "CREATE TRIGGER poison BEFORE INSERT ON benches_message FOR EACH ROW EXECUTE FUNCTION poison()"
            )
        else:
            cursor.execute(
                "CREATE TRIGGER poison BEFORE INSERT ON benches_message"
                f" WHEN NEW.message_id = '{uuid.UUID(message_id).hex}' BEGIN SELECT RAISE(ABORT, 'poisoned'); END"
            )


def test_an_unexpected_failure_sets_aside_only_the_payload_that_caused_it(mosquitto, worker, make_bench):
    bench, credential = make_bench()
    mosquitto.reload()
    client = connect(mosquitto, bench, credential)
    before, bad, after = telemetry(seq=1), telemetry(seq=2), telemetry(seq=3)
    poison(bad["id"])
    for message in (before, [bad], after):
        client.publish(message)
    wait_for(lambda: worker.inbox.qsize() == 3, what="the three payloads to arrive")
    assert worker.step() == 3
    [ack] = acks(client, [worker])
    assert sorted(ack["accepted"]) == sorted([before["id"], after["id"]])
    assert ack["rejected"] == [{"id": bad["id"], "reason": "invalid"}]
    dead = DeadLetter.objects.get()
    assert (dead.message_id, dead.reason, dead.detail) == (bad["id"], "invalid", "internal error")
    assert Message.objects.count() == 2


def test_two_workers_share_the_messages_and_store_each_once(mosquitto, worker, make_bench):
    second = Worker("test-worker-second", batch_size=100)
    second.start()
    try:
        benches = [make_bench() for _ in range(2)]
        mosquitto.reload()
        clients = [connect(mosquitto, bench, credential) for bench, credential in benches]
        sent = {client: [telemetry(seq=n) for n in range(1, 101)] for client in clients}
        for client, messages in sent.items():
            for message in messages:
                client.client.publish(f"civiclink/benches/{client.username}/messages", json.dumps(message), qos=1)
        acknowledged = {client: [] for client in clients}

        def all_acknowledged():
            worker.step(timeout=0.05)
            second.step(timeout=0.05)
            for client in clients:
                acknowledged[client] += [json.loads(payload) for _topic, payload in client.messages()]
            return all(sum(len(a["accepted"]) for a in acknowledged[c]) == 100 for c in clients)

        wait_for(all_acknowledged, what="every message to be acknowledged")
    finally:
        second.close()
    assert worker.counts["payloads"] and second.counts["payloads"]  # both took a share
    assert worker.counts["payloads"] + second.counts["payloads"] == 200
    assert Message.objects.count() == 200
    for client in clients:
        assert sorted(i for a in acknowledged[client] for i in a["accepted"]) == sorted(ids(sent[client]))
        assert all(not a["duplicate"] for a in acknowledged[client])


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_lost_database_connection_is_retried_without_losing_the_batch(mosquitto, worker, make_bench):
    bench, credential = make_bench()
    mosquitto.reload()
    client = connect(mosquitto, bench, credential)
    batch = [telemetry(seq=n) for n in range(1, 21)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        [pid] = cursor.fetchone()
    with psycopg.connect(database_url(), autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
    client.publish(batch)
    [ack] = acks(client, [worker])
    assert sorted(ack["accepted"]) == sorted(ids(batch))
    assert worker.counts["database_errors"] == 1 and Message.objects.count() == 20


# --- The worker as a separate process ----------------------------------------------------------------------


def database_url() -> str:
    """The test database, for another process."""
    conf = connection.settings_dict
    password = f":{conf['PASSWORD']}" if conf["PASSWORD"] else ""
    return f"postgres://{conf['USER']}{password}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{conf['NAME']}"


def start_worker(mosquitto, client_id: str, log: Path) -> subprocess.Popen:
    """`civiclink bench-ingest` with this interpreter, against the test database and broker; returns once it has
    subscribed."""
    environment = os.environ | {
        "DATABASE_URL": database_url(),
        "CIVICLINK_MQTT_URL": mosquitto.url,
        "CIVICLINK_BENCH_RATE_LIMIT": "",
        "LOG_LEVEL": "INFO",
    }
    command = [sys.executable, "-m", "civiclink.cli", "bench-ingest", "--client-id", client_id, "--log-every", "1"]
    with open(log, "ab") as output:
        process = subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT)

    def subscribed():
        if process.poll() is not None:
            raise AssertionError(f"bench-ingest exited with {process.returncode}:\n{log.read_text()}")
        return f"Ingesting as {client_id}" in log.read_text()

    wait_for(subscribed, timeout=60, what="bench-ingest to subscribe")
    return process


class Outbox:
    """A bench that publishes its messages without waiting and collects its acknowledgements, checking as each
    arrives that what it says is accepted is already committed (seen from another connection)."""

    def __init__(self, client: BenchClient):
        self.client = client
        self.accepted, self.duplicate, self.rejected = [], [], []

    def send(self, payloads: list[list[dict]]) -> None:
        topic = broker.topic(self.client.username, "messages")
        infos = [self.client.client.publish(topic, json.dumps(payload), qos=1) for payload in payloads]
        for info in infos:
            info.wait_for_publish(10)

    def collect(self) -> int:
        for _topic, payload in self.client.messages():
            ack = json.loads(payload)
            named = set(ack["accepted"] + ack["duplicate"])
            assert Message.objects.filter(message_id__in=named).count() == len(named), "acknowledged before commit"
            self.accepted += ack["accepted"]
            self.duplicate += ack["duplicate"]
            self.rejected += ack["rejected"]
        return len(set(self.accepted) | set(self.duplicate))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_stream_and_restarted_loses_nothing_and_doubles_nothing(mosquitto, make_bench, tmp_path):
    benches = [make_bench() for _ in range(3)]
    mosquitto.reload()
    outboxes = [Outbox(connect(mosquitto, bench, credential)) for bench, credential in benches]
    per_bench = 1200
    messages = {outbox: [telemetry(seq=n) for n in range(1, per_bench + 1)] for outbox in outboxes}
    # Payloads of four messages, each repeating the last message of the one before.
    payloads = {
        outbox: [sent[start : start + 4] for start in range(0, per_bench, 3)] for outbox, sent in messages.items()
    }
    log = tmp_path / "bench-ingest.log"

    first = start_worker(mosquitto, "test-crash", log)
    for outbox in outboxes:
        outbox.send(payloads[outbox][: len(payloads[outbox]) // 2])
    wait_for(lambda: Message.objects.count() > 300, what="the worker to store some messages")
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    stored_at_kill = Message.objects.count()
    for outbox in outboxes:  # published while no worker runs: the broker keeps them in the worker's session
        outbox.send(payloads[outbox][len(payloads[outbox]) // 2 :])

    second = start_worker(mosquitto, "test-crash", log)
    wait_for(
        lambda: sum(outbox.collect() for outbox in outboxes) == 3 * per_bench,
        timeout=120,
        what="every message to be acknowledged",
    )
    second.send_signal(signal.SIGTERM)
    assert second.wait(30) == 0, log.read_text()

    assert 300 < stored_at_kill < 3 * per_bench
    assert Message.objects.count() == 3 * per_bench
    assert sum(BenchHour.objects.values_list("samples", flat=True)) == 3 * per_bench
    for outbox in outboxes:
        assert sorted(set(outbox.accepted) | set(outbox.duplicate)) == sorted(ids(messages[outbox]))
        assert len(outbox.accepted) == len(set(outbox.accepted))  # no id accepted twice
        assert outbox.rejected == []
    assert set(Bench.objects.values_list("last_seq", flat=True)) == {per_bench}
    # Every message was acknowledged to the broker: resuming the session, the worker is handed nothing.
    resumed = Worker("test-crash")
    resumed.start()
    try:
        assert resumed.step(timeout=2) == 0
    finally:
        resumed.close()
