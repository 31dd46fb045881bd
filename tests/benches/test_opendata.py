"""Open data of the benches: hourly aggregates per bench and for the fleet as CSV and JSON with FIWARE attribute
names, the list of benches, only benches in service, date ranges with limits, CC BY 4.0, streamed."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from civiclink.benches.models import BenchHour, Status

pytestmark = pytest.mark.django_db
DAY = datetime(2026, 3, 10, tzinfo=UTC)


def hour(bench, at, **values):
    BenchHour.objects.create(bench=bench, hour=at, **values)


@pytest.fixture
def data(make_bench):
    rondo, _ = make_bench("Kiosk Rondo", sensors=["particulates", "noise"], latitude=43.3438, longitude=17.8078)
    hour(
        rondo, DAY + timedelta(hours=9), samples=12, charging_sessions=3, answers=5, flagged_answers=1,
        battery_n=12, battery_sum=12 * 64.0, solar_n=12, solar_sum=12 * 25.0, pm25_n=10, pm25_sum=123.0,
        noise_n=12, noise_sum=12 * 55.5, humidity_n=2, humidity_sum=90.0,
    )  # fmt: skip
    hour(rondo, DAY + timedelta(days=1, hours=3), samples=1, battery_n=1, battery_sum=60.0)
    planned, _ = make_bench("Planned", provisioned=False, status=Status.PLANNED)
    hour(planned, DAY, samples=1)
    return rondo, planned


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_a_bench_s_hours_as_csv_with_fiware_names(client, data):
    rondo, _ = data
    answer = client.get(f"/en/benches/data/{rondo.pk}/hourly.csv?from=2026-03-10&to=2026-03-11")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert answer["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    assert answer["Access-Control-Allow-Origin"] == "*" and answer.streaming
    rows = read_csv(answer)
    assert len(rows) == 2
    first = rows[0]
    assert first["refDevice"] == f"urn:ngsi-ld:Device:{rondo.pk}"
    assert first["dateObservedFrom"] == "2026-03-10T09:00:00Z" and first["dateObservedTo"] == "2026-03-10T10:00:00Z"
    assert first["numberOfObservations"] == "12" and first["chargingSessions"] == "3"
    assert first["batteryLevel"] == "0.64" and first["activePower"] == "0.025"
    assert first["pm25"] == "12.3" and first["pm10"] == "" and first["LAeq"] == "55.5"
    assert first["relativeHumidity"] == "0.45" and first["kioskAnswers"] == "5" and first["kioskAnswersFlagged"] == "1"


def test_the_same_as_json_with_licence_and_column_descriptions(client, data):
    rondo, _ = data
    answer = client.get(f"/en/benches/data/{rondo.pk}/hourly.json?from=2026-03-10&to=2026-03-10")
    document = json.loads(b"".join(answer.streaming_content))
    assert document["licence"]["name"] == "CC BY 4.0" and document["refDevice"] == f"urn:ngsi-ld:Device:{rondo.pk}"
    assert document["from"] == document["to"] == "2026-03-10"
    assert "batteryLevel" in document["columns"]
    assert len(document["items"]) == 1 and document["items"][0]["pm10"] is None
    assert document["items"][0]["batteryLevel"] == 0.64


def test_the_fleet_file_and_the_bench_list_leave_out_benches_not_in_service(client, data):
    rondo, planned = data
    rows = read_csv(client.get("/en/benches/data/hourly.csv?from=2026-03-10&to=2026-03-11"))
    assert {row["refDevice"] for row in rows} == {f"urn:ngsi-ld:Device:{rondo.pk}"}
    assert client.get(f"/en/benches/data/{planned.pk}/hourly.csv").status_code == 404
    devices = json.loads(b"".join(client.get("/en/benches/data/benches.json").streaming_content))
    assert [item["name"] for item in devices["items"]] == ["Kiosk Rondo"]
    device = devices["items"][0]
    assert device["type"] == "Device" and device["latitude"] == 43.3438 and device["areaServed"] == "Zahum"
    assert device["controlledProperty"] == [
        "airPollution",
        "batteryLevel",
        "noiseLevel",
        "solarRadiation",
        "temperature",
    ]
    listed = read_csv(client.get("/en/benches/data/benches.csv"))
    assert listed[0]["controlledProperty"] == "airPollution batteryLevel noiseLevel solarRadiation temperature"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=10.03.2026", "Write the dates as YYYY-MM-DD"),
        ("?from=2026-03-10&to=2026-03-01", "“from” must not be after “to”."),
        ("?from=2019-12-31&to=2020-01-02", "between 2020-01-01 and tomorrow"),
        ("?from=2025-01-01&to=2025-12-31", "at most 92 days"),
    ],
)
def test_bad_date_ranges_are_explained(client, data, query, message):
    rondo, _ = data
    answer = client.get(f"/en/benches/data/{rondo.pk}/hourly.csv{query}")
    assert answer.status_code == 400 and message in answer.content.decode()


def test_the_fleet_file_allows_a_week_at_a_time(client, data):
    assert client.get("/en/benches/data/hourly.csv?from=2026-03-01&to=2026-03-07").status_code == 200
    answer = client.get("/en/benches/data/hourly.json?from=2026-03-01&to=2026-03-08")
    assert answer.status_code == 400 and "at most 7 days" in answer.content.decode()


def test_without_dates_the_last_seven_days_are_served(client, make_bench):
    bench, _ = make_bench()
    today = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    hour(bench, today, samples=1)
    hour(bench, today - timedelta(days=7), samples=1)
    rows = read_csv(client.get(f"/en/benches/data/{bench.pk}/hourly.csv"))
    assert [row["dateObservedFrom"][:10] for row in rows] == [today.date().isoformat()]  # a week ago: left out


def test_an_unknown_format_is_not_found(client, data):
    rondo, _ = data
    assert client.get(f"/en/benches/data/{rondo.pk}/hourly.xml").status_code == 404


def test_the_index_explains_the_data_and_links_every_bench(client, data):
    rondo, _ = data
    page = client.get("/en/benches/data/")
    body = page.content.decode()
    assert page.status_code == 200 and "CC BY 4.0" in body and "<code>batteryLevel</code>" in body
    assert f"/en/benches/data/{rondo.pk}/hourly.csv" in body and "Planned" not in body
