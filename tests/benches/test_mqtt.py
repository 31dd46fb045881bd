"""The broker as configured from the registry (`benches/broker.py`), on a real Mosquitto: who may connect, publish
and read what, and how provisioning, rotation and revocation reach it."""

import pytest

from benches.broker import SERVICE, BenchClient, wait_for
from benches.messages import telemetry
from civiclink.benches import broker, credentials

pytestmark = pytest.mark.django_db


def secret(credential: str) -> str:
    return credential.partition(".")[2]


def connect(mosquitto, bench, credential, **options) -> BenchClient:
    return BenchClient(mosquitto, str(bench.pk), secret(credential), **options)


def test_the_generated_files_name_every_usable_bench_and_nothing_else(mosquitto, make_bench):
    active, _ = make_bench()
    revoked, _ = make_bench()
    credentials.revoke(revoked)
    make_bench(provisioned=False)  # no credential yet
    mosquitto.reload()
    users = [line.partition(":")[0] for line in (mosquitto.directory / "passwd").read_text().splitlines()]
    assert users == [SERVICE[0], str(active.pk)]
    conf = (mosquitto.directory / "mosquitto.conf").read_text()
    assert "allow_anonymous false" in conf and f"listener {mosquitto.port} 127.0.0.1" in conf


def test_a_bench_publishes_and_reads_only_under_its_own_id(mosquitto, make_bench):
    own, own_credential = make_bench()
    other, other_credential = make_bench()
    mosquitto.reload()
    service = BenchClient(mosquitto, *SERVICE, subscribe=False)
    service.subscribe_to(broker.messages_filter(shared=False))
    bench = connect(mosquitto, own, own_credential)
    neighbour = connect(mosquitto, other, other_credential)
    assert not bench.connected.is_failure
    prying = bench.subscribe_to(f"civiclink/benches/{other.pk}/ack", f"civiclink/benches/{other.pk}/config", "#")

    assert bench.publish(telemetry()).is_failure is False
    assert bench.publish(telemetry(), topic=broker.topic(other.pk, "messages")).getName() == "Not authorized"
    assert bench.publish({"accepted": []}, topic=broker.topic(other.pk, "ack")).getName() == "Not authorized"
    assert bench.publish({"version": 9}, topic=broker.topic(own.pk, "config")).getName() == "Not authorized"
    service.publish({"accepted": ["for the neighbour"]}, topic=broker.topic(other.pk, "ack"))
    service.publish({"version": 2, "config": {}}, topic=broker.topic(other.pk, "config"))
    service.publish({"accepted": ["for the bench"]}, topic=broker.topic(own.pk, "ack"))

    wait_for(lambda: len(neighbour.received.queue) == 2, what="the neighbour's ack and config")
    # Whatever the broker answered to the subscriptions, nothing of the neighbour's reaches the bench.
    own_topics = {broker.topic(own.pk, "ack")}
    got = bench.messages(timeout=1)
    assert {topic for topic, _payload in got} == own_topics, (prying, got)
    assert [topic for topic, _payload in service.messages(timeout=1)] == [broker.topic(own.pk, "messages")]


def test_wrong_and_unknown_credentials_cannot_connect(mosquitto, make_bench):
    bench, credential = make_bench()
    mosquitto.reload()
    assert BenchClient(mosquitto, str(bench.pk), "wrong").connected.getName() == "Not authorized"
    assert BenchClient(mosquitto, "unknown", secret(credential)).connected.getName() == "Not authorized"
    assert BenchClient(mosquitto, "", "").connected.is_failure  # no anonymous access


def test_provisioning_rotation_and_revocation_reach_the_broker_on_commit(
    mosquitto, make_bench, django_capture_on_commit_callbacks
):
    bench, _ = make_bench(provisioned=False)
    code = credentials.issue_claim(bench)
    before = mosquitto.reloads()
    with django_capture_on_commit_callbacks(execute=True):
        bench, credential = credentials.provision(code)
    mosquitto.wait_reloaded(before)
    connected = connect(mosquitto, bench, credential)
    assert not connected.connected.is_failure

    before = mosquitto.reloads()
    with django_capture_on_commit_callbacks(execute=True):
        rotated = credentials.rotate(bench)
    mosquitto.wait_reloaded(before)
    assert connect(mosquitto, bench, credential).connected.getName() == "Not authorized"
    current = connect(mosquitto, bench, rotated)
    assert not current.connected.is_failure

    before = mosquitto.reloads()
    with django_capture_on_commit_callbacks(execute=True):
        credentials.revoke(bench)
    mosquitto.wait_reloaded(before)
    # The bench connected with the revoked secret is put out at once, and cannot come back.
    wait_for(lambda: not current.is_connected(), what="the revoked bench to be disconnected")
    assert connect(mosquitto, bench, rotated).connected.getName() == "Not authorized"
