"""The staff dashboard: the fleet page (counts, filters, map, list), a bench's page (charts with tables, usage),
registering a bench, claim codes with their QR code, rotation and revocation, status, photos, the configuration
(validated, versioned, published retained to the broker and read by the bench over HTTP), refused messages, and
query counts that stay the same whatever the size of the fleet."""

import json
import re
import uuid
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from django.core.cache import cache
from django.db.models import Sum
from django.utils import timezone

from benches.broker import TIMEOUT, BenchClient, free_port
from benches.messages import event, telemetry
from civiclink.benches import broker, credentials, ingest
from civiclink.benches.models import Bench, BenchHour, BenchPhoto, ClaimCode, DeadLetter, Reason, Status, Transport

pytestmark = pytest.mark.django_db
FLEET = "/en/benches/"


@pytest.fixture
def staff(client, role_user):
    client.force_login(role_user("staff"))
    return client


def send(bench, *messages, now=None):
    return ingest.store([ingest.Entry(str(bench.pk), list(messages))], Transport.HTTP, now=now)[0].outcome


def add_hours(bench, hours: int, now=None, **values):
    """`hours` hourly aggregates up to the current hour, in bulk: what ingestion would have summed."""
    last = (now or timezone.now()).astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    defaults = {"samples": 12, "battery_n": 12, "battery_sum": 12 * 80.0, "battery_min": 75.0, "battery_max": 85.0}
    BenchHour.objects.bulk_create(
        BenchHour(bench=bench, hour=last - timedelta(hours=offset), **(defaults | values)) for offset in range(hours)
    )


# --- The fleet ---------------------------------------------------------------------------------------------------


def test_the_fleet_counts_health_maps_and_lists_the_benches(staff, make_bench, world):
    online, _ = make_bench("Kiosk Rondo", latitude=43.3438, longitude=17.8078)
    send(online, telemetry(battery=90.0))
    weak, _ = make_bench("Kiosk Bulevar", latitude=43.3501, longitude=17.8123)
    send(weak, telemetry(battery=12.0))
    make_bench("Kiosk Luka")  # never heard from: offline, and without coordinates: in the list only
    make_bench("Future bench", provisioned=False, status=Status.PLANNED)
    page = staff.get(FLEET)
    assert page.status_code == 200
    counts = dict(re.findall(r'state-(\w+)"><strong>(\d+)</strong>', page.content.decode()))
    assert counts == {
        "online": "2",
        "offline": "1",
        "low_battery": "1",
        "no_solar": "0",
        "tamper": "0",
        "not_in_service": "1",
    }
    body = page.content.decode()
    assert body.count('<a href="/en/benches/') >= 4
    svg = page.context["map"]
    assert svg.count("<a ") == 2  # the two benches with coordinates
    assert f'href="/en/benches/{weak.pk}/" aria-label="Kiosk Bulevar, Zahum: low battery"' in svg
    assert "Kiosk Luka" in body and "Future bench" in body


def test_the_fleet_filters_by_health_status_and_municipality(staff, make_bench, world, make_municipality):
    from civiclink.places.models import LocalCommunity

    online, _ = make_bench("Heard")
    send(online, telemetry())
    make_bench("Silent")
    elsewhere = LocalCommunity.objects.create(municipality=world.away, name="Hrupjela", slug="hrupjela")
    make_bench("Trebinje bench", community=elsewhere, status=Status.MAINTENANCE)

    def names(query):
        page = staff.get(FLEET + query)
        return {item["bench"].name for item in page.context["page"].object_list}

    assert names("?health=offline") == {"Silent", "Trebinje bench"}
    assert names("?health=online") == {"Heard"}
    assert names("?status=maintenance") == {"Trebinje bench"}
    assert names(f"?municipality={world.away.slug}") == {"Trebinje bench"}
    assert names("?health=nonsense") == {"Heard", "Silent", "Trebinje bench"}  # a bad filter shows everything
    assert "Select a valid choice" in staff.get(FLEET + "?health=nonsense").content.decode()


def test_the_fleet_list_is_paginated(staff, community):
    Bench.objects.bulk_create(Bench(community=community, name=f"Bench {n:03}", status=Status.ACTIVE) for n in range(60))
    first = staff.get(FLEET)
    assert len(first.context["page"].object_list) == 25 and first.context["total"] == 60
    third = staff.get(FLEET + "?page=3")
    assert [item["bench"].name for item in third.context["page"].object_list][-1] == "Bench 059"


FLEET_QUERIES = 8  # session, user, staff role, benches, the last hours' solar, communities, municipalities (filter)


@pytest.mark.parametrize("size", [3, 60])
def test_the_fleet_page_costs_the_same_queries_for_any_fleet(staff, community, django_assert_num_queries, size):
    benches = Bench.objects.bulk_create(
        Bench(community=community, name=f"Bench {n}", status=Status.ACTIVE, latitude=43 + n / 100, longitude=17.8)
        for n in range(size)
    )
    for bench in benches:
        add_hours(bench, 3, solar_n=12, solar_sum=100.0, solar_min=0.0, solar_max=20.0)
    staff.get(FLEET)
    cache.clear()  # the fleet as judged afresh, not the snapshot the first request left in the cache
    staff.get("/en/")  # (the session's navigation link is remembered, as on any page after the first)
    with django_assert_num_queries(FLEET_QUERIES):
        assert staff.get(FLEET).status_code == 200
    with django_assert_num_queries(FLEET_QUERIES - 3):  # the snapshot: no benches, solar hours or communities
        assert staff.get(FLEET).status_code == 200


def test_the_fleet_snapshot_is_shared_briefly_and_renewed_by_changes_made_on_the_dashboard(staff, make_bench):
    bench, _ = make_bench("Kiosk Rondo")
    assert staff.get(FLEET + "?health=online").context["total"] == 0
    send(bench, telemetry())  # arrives meanwhile: the page may be up to FLEET_SECONDS old
    assert staff.get(FLEET + "?health=online").context["total"] == 0
    staff.post(f"/en/benches/{bench.pk}/status/", {"status": "maintenance"})
    page = staff.get(FLEET + "?health=online")
    assert page.context["total"] == 1 and "maintenance" in page.content.decode()


# --- A bench's page ------------------------------------------------------------------------------------------------


def test_a_bench_page_shows_details_health_charts_with_tables_and_usage(staff, make_bench):
    bench, _ = make_bench("Kiosk Rondo", sensors=["particulates"], hardware_version="v2")
    add_hours(bench, 30 * 24, answers=2, flagged_answers=1, pm25_n=12, pm25_sum=120.0, pm25_min=8.0, pm25_max=14.0)
    page = staff.get(bench.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    assert "Kiosk Rondo" in body and "v2" in body and "particulate matter (PM2.5, PM10)" in body
    keys = [item["chart"].key for item in page.context["charts"]]
    assert keys == ["battery", "solar", "wifi", "enclosure", "particulates"]  # noise and climate: not fitted
    assert body.count('role="img"') == len(keys) + 1  # every chart and the usage chart, each with a title
    assert body.count('class="table data-table"') == len(keys) + 1
    battery = page.context["charts"][0]["table"]
    assert len(battery) == 24 and battery[-1][1] == ["80.0", "75.0", "85.0"]
    particulates = page.context["charts"][-1]["table"][-1][1]
    assert particulates == ["10.0", "8.0", "14.0", "–", "–", "–"]  # PM2.5; no PM10 readings
    since = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=29), datetime.min.time()))
    counted = BenchHour.objects.filter(hour__gte=since).aggregate(Sum("answers"), Sum("flagged_answers"))
    assert page.context["usage"]["total"] == counted["answers__sum"] >= 29 * 24 * 2
    assert page.context["usage"]["flagged"] == counted["flagged_answers__sum"]
    assert len(page.context["usage"]["days"]) == 30
    week = staff.get(bench.get_absolute_url() + "?period=7d")
    assert len(week.context["charts"][0]["table"]) == 7 * 24
    month = staff.get(bench.get_absolute_url() + "?period=30d")
    assert len(month.context["charts"][0]["table"]) == 30
    assert month.context["charts"][0]["table"][-2][1] == ["80.0", "75.0", "85.0"]


BENCH_QUERIES = 9  # session, user, roles (2), bench, solar hours, photos, usage by day, the period's hours


@pytest.mark.parametrize("hours", [2, 30 * 24])
def test_a_bench_page_costs_the_same_queries_for_any_history(staff, make_bench, django_assert_num_queries, hours):
    bench, _ = make_bench()
    add_hours(bench, hours)
    BenchPhoto.objects.create(bench=bench, image="benches/a.png", alt_text="The bench by the river")
    staff.get(bench.get_absolute_url())
    with django_assert_num_queries(BENCH_QUERIES):
        assert staff.get(bench.get_absolute_url()).status_code == 200


# --- Registering and provisioning ---------------------------------------------------------------------------------


def test_staff_register_a_bench_then_issue_a_claim_code_shown_once_with_a_qr_code(staff, community, client):
    answer = staff.post(
        "/en/benches/new/",
        {
            "community": community.pk,
            "name": "Kiosk Musala",
            "address": "Musala square",
            "latitude": "43.3410",
            "longitude": "17.8120",
            "installed_on": "2026-04-01",
            "hardware_version": "CL-2",
            "sensors": ["noise", "climate"],
            "reporting_interval": "120",
        },
    )
    bench = Bench.objects.get(name="Kiosk Musala")
    assert answer.status_code == 303 and answer["Location"] == bench.get_absolute_url()
    assert bench.sensors == ["noise", "climate"] and bench.reporting_interval == 120
    assert bench.status == Status.PLANNED
    page = staff.post(f"/en/benches/{bench.pk}/claim/")
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    code = page.context["code"]
    body = page.content.decode()
    assert code in body and "<svg" in body and "<title>Claim code" in body
    assert 'style="' not in page.context["qr"] and "data:" not in page.context["qr"]
    claim = ClaimCode.objects.get(bench=bench)
    assert claim.created_by.email == "staff@example.org"
    assert claim.expires_at - claim.created_at == timedelta(minutes=30)
    assert code not in staff.get(bench.get_absolute_url()).content.decode()  # shown once, on that answer only
    provisioned, credential = credentials.provision(code)
    assert provisioned == bench and credentials.authenticate(credential) == bench


def test_bad_input_to_the_register_is_explained_and_kept(staff, community):
    answer = staff.post(
        "/en/benches/new/",
        {"community": community.pk, "name": "Half", "latitude": "43.3", "reporting_interval": "5"},
    )
    assert answer.status_code == 200
    body = answer.content.decode()
    assert "Enter both the latitude and the longitude, or neither." in body
    assert "Enter between 10 and 86400 seconds." in body
    assert 'value="Half"' in body and not Bench.objects.filter(name="Half").exists()


def test_a_name_is_unique_within_its_community(staff, make_bench, community):
    make_bench("Kiosk Rondo")
    answer = staff.post(
        "/en/benches/new/", {"community": community.pk, "name": "Kiosk Rondo", "reporting_interval": 300}
    )
    assert answer.status_code == 200 and Bench.objects.filter(name="Kiosk Rondo").count() == 1
    assert answer.context["form"].errors


def test_rotating_shows_the_new_secret_once_and_stops_the_old_one(staff, make_bench, client):
    bench, old = make_bench()
    confirm = staff.get(f"/en/benches/{bench.pk}/rotate/")
    assert confirm.status_code == 200 and "Rotate the credential" in confirm.content.decode()
    assert credentials.authenticate(old) == bench  # a GET changes nothing
    page = staff.post(f"/en/benches/{bench.pk}/rotate/")
    new = page.context["document"]["credential"]
    assert "no-store" in page["Cache-Control"] and new in page.content.decode()
    assert credentials.authenticate(old) is None and credentials.authenticate(new) == bench


def test_revoking_asks_first_then_refuses_the_bench_at_once(staff, make_bench, client):
    bench, credential = make_bench()
    staff.get(f"/en/benches/{bench.pk}/revoke/")
    assert credentials.authenticate(credential) == bench
    answer = staff.post(f"/en/benches/{bench.pk}/revoke/")
    assert answer.status_code == 303
    refused = client.post(
        "/api/v1/benches/messages", "[]", content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {credential}"
    )
    assert refused.status_code == 401
    assert "revoked on" in staff.get(bench.get_absolute_url()).content.decode()


def test_status_changes_and_a_retired_bench_is_refused(staff, make_bench, client):
    bench, credential = make_bench()
    assert staff.post(f"/en/benches/{bench.pk}/status/", {"status": "retired"}).status_code == 303
    bench.refresh_from_db()
    assert bench.status == Status.RETIRED and credentials.authenticate(credential) is None
    staff.post(f"/en/benches/{bench.pk}/status/", {"status": "broken"})
    bench.refresh_from_db()
    assert bench.status == Status.RETIRED


def test_staff_acknowledge_a_tamper_alarm(staff, make_bench):
    bench, _ = make_bench()
    send(bench, event("tamper"))
    bench.refresh_from_db()
    assert bench.tamper_at is not None
    assert "Acknowledge the tamper alarm" in staff.get(bench.get_absolute_url()).content.decode()
    staff.post(f"/en/benches/{bench.pk}/tamper/")
    bench.refresh_from_db()
    assert bench.tamper_at is None


def png() -> BytesIO:
    from PIL import Image

    data = BytesIO()
    Image.new("RGB", (4, 3), "green").save(data, "PNG")
    data.seek(0)
    data.name = "bench.png"
    return data


def test_photos_are_uploaded_with_their_description(staff, make_bench):
    bench, _ = make_bench()
    missing = staff.post(f"/en/benches/{bench.pk}/photos/new/", {"image": png()})
    assert missing.status_code == 200 and not bench.photos.exists()
    answer = staff.post(f"/en/benches/{bench.pk}/photos/new/", {"image": png(), "alt_text": "The bench at the rondo"})
    assert answer.status_code == 303
    page = staff.get(bench.get_absolute_url()).content.decode()
    assert 'alt="The bench at the rondo"' in page


# --- Configuration ----------------------------------------------------------------------------------------------


def test_a_bad_configuration_is_explained_and_nothing_changes(staff, make_bench):
    bench, _ = make_bench()
    url = f"/en/benches/{bench.pk}/configuration/"
    for text, message in [
        ('{"brightness": 80 "dim": 1}', "This is not valid JSON (line 1, column 19)"),
        ("[1, 2]", "The configuration must be a JSON object"),
        ('{"reporting_interval": 2}', "reporting_interval must be a whole number"),
        ('{"languages": ["xx"]}', "languages must be a list"),
        ('{"note": "' + "x" * 5000 + '"}', "at most 4096 bytes"),
    ]:
        answer = staff.post(url, {"config": text})
        assert answer.status_code == 200 and message in answer.content.decode(), text
    bench.refresh_from_db()
    assert bench.desired_config_version == 0 and bench.desired_config == {}


def test_saving_the_configuration_without_a_broker_warns_and_the_bench_reads_it_over_http(
    staff, make_bench, client, settings
):
    settings.BENCH_MQTT_URL = f"mqtt://civiclink-ingest:secret@127.0.0.1:{free_port()}"  # nothing listens there
    bench, credential = make_bench()
    answer = staff.post(f"/en/benches/{bench.pk}/configuration/", {"config": '{"brightness": 70}'}, follow=True)
    assert "could not be reached" in answer.content.decode()
    bench.refresh_from_db()
    assert bench.desired_config == {"brightness": 70} and bench.desired_config_version == 1
    read = client.get("/api/v1/benches/config", HTTP_AUTHORIZATION=f"Bearer {credential}").json()
    assert read == {"version": 1, "config": {"brightness": 70}}
    same = staff.post(f"/en/benches/{bench.pk}/configuration/", {"config": '{ "brightness" : 70 }'}, follow=True)
    assert "Nothing changed" in same.content.decode()
    bench.refresh_from_db()
    assert bench.desired_config_version == 1
    send(bench, event("config_applied", version=1))
    page = staff.get(bench.get_absolute_url()).content.decode()
    assert "Desired version 1; the bench reports version 1." in page


def test_saving_the_configuration_publishes_it_retained_for_the_bench(staff, make_bench, mosquitto):
    bench, credential = make_bench()  # the broker's files are rewritten on commit (BENCH_MOSQUITTO_DIR)
    mosquitto.reload()
    answer = staff.post(
        f"/en/benches/{bench.pk}/configuration/", {"config": '{"reporting_interval": 60, "languages": ["bs"]}'}
    )
    assert answer.status_code == 303
    assert "sent to the bench" in staff.get(bench.get_absolute_url()).content.decode()
    # The bench connects afterwards, with its own account, and finds the configuration waiting (retained).
    device = BenchClient(mosquitto, str(bench.pk), credential.partition(".")[2])
    try:
        assert not device.connected.is_failure
        topic, payload = device.messages(timeout=TIMEOUT)[0]
    finally:
        device.close()
    assert topic == broker.topic(bench.pk, "config")
    assert json.loads(payload) == {"version": 1, "config": {"reporting_interval": 60, "languages": ["bs"]}}


# --- Refused messages ---------------------------------------------------------------------------------------------


def test_refused_messages_are_listed_filtered_and_shown_escaped(staff, make_bench):
    bench, _ = make_bench("Kiosk Rondo")
    send(bench, {"id": str(uuid.uuid4()), "type": "telemetry", "data": {"note": "<script>alert(1)</script>"}})
    ingest.store([ingest.Entry("not-a-bench", b"{oops")], Transport.MQTT)
    assert DeadLetter.objects.count() == 2
    page = staff.get("/en/benches/refused/")
    body = page.content.decode()
    assert page.status_code == 200 and "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    only_malformed = staff.get("/en/benches/refused/?reason=malformed").context["page"].object_list
    assert [letter.reason for letter in only_malformed] == [Reason.MALFORMED]
    by_bench = staff.get(f"/en/benches/refused/?bench={bench.pk}").context["page"].object_list
    assert [letter.bench for letter in by_bench] == [bench]
    by_name = staff.get("/en/benches/refused/?bench=rondo").context["page"].object_list
    assert len(by_name) == 1


def test_the_nav_links_to_the_fleet_for_those_who_may_see_it(client, role_user):
    client.force_login(role_user("officer"))
    assert 'href="/en/benches/"' in client.get("/en/municipalities/").content.decode()
    client.force_login(role_user("org_member"))
    assert 'href="/en/benches/"' not in client.get("/en/municipalities/").content.decode()


def test_a_bench_seen_now_reads_online_on_its_page(staff, make_bench):
    bench, _ = make_bench()
    send(bench, telemetry(), now=datetime.now(UTC))
    assert staff.get(bench.get_absolute_url()).context["health"].online
