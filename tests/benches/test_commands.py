"""`civiclink benches ...`: creating and provisioning benches, rotating and revoking credentials, the broker's files
and the alerts job, from the command line."""

import json
from datetime import datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from benches.messages import telemetry
from civiclink.benches import credentials
from civiclink.benches.models import Bench, Message
from civiclink.places.models import LocalCommunity

pytestmark = pytest.mark.django_db


def run(*arguments) -> str:
    out = StringIO()
    call_command("benches", *arguments, stdout=out)
    return out.getvalue()


def test_create_then_provision_once(community, client):
    created = json.loads(run("create", "--community", "zahum", "--name", "Bench by the old bridge"))
    bench = Bench.objects.get(pk=created["bench"])
    assert bench.name == "Bench by the old bridge" and bench.community == community
    expires = datetime.fromisoformat(created["expires"]) - timezone.now()
    assert timedelta(minutes=29) < expires <= timedelta(minutes=30)

    document = json.loads(run("provision", "--claim", created["claim"]))
    assert document["bench"] == created["bench"] and document["mqtt"]["username"] == created["bench"]
    assert credentials.authenticate(document["credential"]) == bench
    with pytest.raises(CommandError, match="already been used"):
        run("provision", "--claim", created["claim"])
    # The code is spent for the HTTP API too.
    refused = client.post("/api/v1/benches/provision", {"claim": created["claim"]}, content_type="application/json")
    assert refused.status_code == 400


def test_a_claim_code_from_the_command_provisions_over_http_once(community, client):
    created = json.loads(run("create", "--community", "mostar/zahum", "--name", "Market bench"))
    answer = client.post("/api/v1/benches/provision", {"claim": created["claim"]}, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["bench"] == created["bench"]
    with pytest.raises(CommandError, match="already been used"):
        run("provision", "--claim", created["claim"])


def test_create_explains_what_is_wrong(community, world):
    with pytest.raises(CommandError, match="No local community"):
        run("create", "--community", "nowhere", "--name", "X")
    LocalCommunity.objects.create(municipality=world.away, name="Zahum", slug="zahum")
    with pytest.raises(CommandError, match="Several municipalities"):
        run("create", "--community", "zahum", "--name", "X")
    run("create", "--community", "trebinje/zahum", "--name", "X")
    with pytest.raises(CommandError, match="already has a bench named 'X'"):
        run("create", "--community", "trebinje/zahum", "--name", "X")
    with pytest.raises(CommandError, match="No local community"):
        run("create", "--community", "mostar/nowhere", "--name", "X")


def test_rotate_and_revoke(make_bench, client):
    bench, old = make_bench()
    rotated = json.loads(run("rotate", str(bench.pk)))
    assert credentials.authenticate(old) is None and credentials.authenticate(rotated["credential"]) == bench
    assert rotated["mqtt"]["password"] == rotated["credential"].partition(".")[2]

    assert "Revoked" in run("revoke", str(bench.pk))
    assert credentials.authenticate(rotated["credential"]) is None
    answer = client.post(
        "/api/v1/benches/messages",
        json.dumps([telemetry()]),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {rotated['credential']}",
    )
    assert answer.status_code == 401 and not Message.objects.exists()
    with pytest.raises(CommandError, match="no usable credential"):
        run("rotate", str(bench.pk))
    with pytest.raises(CommandError, match="No bench with id 'nonsense'"):
        run("revoke", "nonsense")


def test_mosquitto_config_writes_the_broker_files(make_bench, tmp_path, settings):
    bench, _ = make_bench()
    settings.BENCH_MOSQUITTO_DIR = ""
    said = run("mosquitto-config", str(tmp_path / "broker"), "--port", "18883", "--bind", "192.0.2.1", "--user", "mqtt")
    conf = (tmp_path / "broker" / "mosquitto.conf").read_text()
    assert "listener 18883 192.0.2.1" in conf and "user mqtt" in conf and "allow_anonymous false" in conf
    assert f"{bench.pk}:$7$101$" in (tmp_path / "broker" / "passwd").read_text()
    assert "pattern write civiclink/benches/%u/messages" in (tmp_path / "broker" / "acl").read_text()
    assert f"mosquitto -c {tmp_path / 'broker' / 'mosquitto.conf'}" in said
    assert "CIVICLINK_MOSQUITTO_DIR" in said


def test_alerts_runs_the_job(make_bench):
    assert run("alerts").startswith("raised: ")
