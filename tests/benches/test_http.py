"""The bench HTTP API: provisioning, batches with bearer credentials, rotation, revocation and configuration."""

import json

import pytest

from benches.messages import telemetry
from civiclink.benches import credentials
from civiclink.benches.models import Message

pytestmark = pytest.mark.django_db
URL = "/api/v1/benches/messages"


def send(client, credential, batch, **extra):
    return client.post(
        URL, json.dumps(batch), content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {credential}", **extra
    )


def test_a_claim_code_provisions_a_bench_once(client, make_bench):
    bench, _ = make_bench(provisioned=False)
    code = credentials.issue_claim(bench)
    answer = client.post("/api/v1/benches/provision", {"claim": code.lower()}, content_type="application/json")
    assert answer.status_code == 201
    document = answer.json()
    assert document["bench"] == str(bench.pk) and document["mqtt"]["username"] == str(bench.pk)
    assert document["mqtt"]["publish"] == f"civiclink/benches/{bench.pk}/messages"
    assert send(client, document["credential"], [telemetry()]).status_code == 200
    again = client.post("/api/v1/benches/provision", {"claim": code}, content_type="application/json")
    assert again.status_code == 400 and "already been used" in again.json()["detail"]
    bench.refresh_from_db()
    assert document["credential"].partition(".")[2] not in (bench.secret_hash, bench.broker_hash)


def test_an_expired_claim_code_is_refused(client, make_bench, settings):
    settings.BENCH_CLAIM_MINUTES = 0.0001
    bench, _ = make_bench(provisioned=False)
    code = credentials.issue_claim(bench)
    import time

    time.sleep(0.05)
    answer = client.post("/api/v1/benches/provision", {"claim": code}, content_type="application/json")
    assert answer.status_code == 400 and "expired" in answer.json()["detail"]


def test_a_new_claim_code_voids_the_earlier_one(make_bench):
    bench, _ = make_bench(provisioned=False)
    first = credentials.issue_claim(bench)
    credentials.issue_claim(bench)
    with pytest.raises(credentials.ClaimError):
        credentials.provision(first)


def test_batches_are_idempotent_over_http(client, make_bench):
    _bench, credential = make_bench()
    batch = [telemetry(seq=n) for n in range(1, 101)]
    first = send(client, credential, batch).json()
    assert len(first["accepted"]) == 100
    second = send(client, credential, batch).json()
    assert second["accepted"] == [] and len(second["duplicate"]) == 100
    assert Message.objects.count() == 100


def test_wrong_missing_and_revoked_credentials_are_refused(client, make_bench):
    bench, credential = make_bench()
    assert client.post(URL, "[]", content_type="application/json").status_code == 401
    assert send(client, credential[:-2] + "xx", [telemetry()]).status_code == 401
    assert send(client, "garbage", [telemetry()]).status_code == 401
    credentials.revoke(bench)
    refused = send(client, credential, [telemetry()])
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    assert not Message.objects.exists()


def test_rotation_retires_the_old_secret_at_once(client, make_bench):
    _bench, credential = make_bench()
    rotated = client.post("/api/v1/benches/credential", HTTP_AUTHORIZATION=f"Bearer {credential}").json()
    assert send(client, credential, [telemetry()]).status_code == 401
    assert send(client, rotated["credential"], [telemetry()]).status_code == 200


def test_a_bench_reads_its_desired_configuration(client, make_bench):
    _bench, credential = make_bench(desired_config={"screen_brightness": 80}, desired_config_version=4)
    answer = client.get("/api/v1/benches/config", HTTP_AUTHORIZATION=f"Bearer {credential}").json()
    assert answer == {"version": 4, "config": {"screen_brightness": 80}}


def test_an_oversized_batch_is_refused_before_parsing(client, make_bench, settings):
    settings.BENCH_MAX_BATCH = 2
    _bench, credential = make_bench()
    body = [telemetry(seq=1, note="x" * 9000)]
    assert send(client, credential, body).status_code == 413


def test_guessing_claim_codes_is_rate_limited(client):
    statuses = {
        client.post(
            "/api/v1/benches/provision", {"claim": f"AAAA-{n:04d}"}, content_type="application/json"
        ).status_code
        for n in range(31)
    }
    assert statuses == {400, 429}
