"""The benches demo: benches in every municipality with varied statuses, sensors and places, 30 days of hourly
telemetry, live fields that make the fleet page show each health case, refused messages with their reasons; run
again, it keeps one set of benches, and on another day it brings the live benches up to date.

Loading takes seconds, so one test loads it (after the directory it builds on) and checks it piece by piece."""

from collections import Counter
from datetime import timedelta

import pytest
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from civiclink.benches import demo, health
from civiclink.benches.models import Bench, BenchHour, DeadLetter, Message, Status
from civiclink.places import demo as places_demo
from civiclink.places.models import Municipality

pytestmark = pytest.mark.django_db

COUNTED = [Bench, BenchHour, Message, DeadLetter]


def counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in COUNTED}


def check_registry():
    benches = Bench.objects.select_related("community__municipality")
    per_municipality = Counter(bench.community.municipality.slug for bench in benches)
    assert set(per_municipality) == set(Municipality.objects.values_list("slug", flat=True))
    assert set(per_municipality.values()) == {2, 3}
    assert {bench.status for bench in benches} == set(Status.values)
    assert len({tuple(bench.sensors) for bench in benches}) >= 5
    assert all(bench.latitude and bench.longitude and bench.address for bench in benches)
    for bench in benches:  # within a few kilometres of the municipality
        municipality = bench.community.municipality
        assert abs(float(bench.latitude) - float(municipality.latitude)) < 0.06, bench
        assert abs(float(bench.longitude) - float(municipality.longitude)) < 0.06, bench


def check_credentials():
    """Every bench but the planned one was provisioned; the retired one's credential is revoked."""
    for bench in Bench.objects.all():
        match bench.status:
            case Status.PLANNED:
                assert not bench.secret_hash and bench.credential_version == 0
            case Status.RETIRED:
                assert bench.revoked_at and not bench.secret_hash
            case _:
                assert bench.secret_hash and bench.broker_hash and bench.credential_issued_at, bench


def check_history(now):
    hours = BenchHour.objects.aggregate(first=Min("hour"), last=Max("hour"), samples=Sum("samples"))
    # A live bench's history ends up to one interval before now and its last report up to one interval before that;
    # the newest row is the hour that report fell in.
    newest = (now - timedelta(seconds=2 * demo.INTERVAL)).replace(minute=0, second=0, microsecond=0)
    assert hours["first"] <= now - timedelta(days=29) and hours["last"] >= newest
    assert BenchHour.objects.filter(hour__gte=now - timedelta(days=1)).values("bench").distinct().count() >= 20
    # Four reports an hour, each counted for battery and solar input, sensors only where fitted.
    full = BenchHour.objects.filter(samples=4)
    assert full.count() > 0.9 * BenchHour.objects.count()
    assert not full.exclude(battery_n=4, solar_n=4).exists()
    assert not BenchHour.objects.filter(bench__sensors=[]).exclude(pm25_n=0, noise_n=0, humidity_n=0).exists()
    assert BenchHour.objects.filter(pm25_n__gt=0).exists() and BenchHour.objects.filter(noise_n__gt=0).exists()
    # Sunshine by day, none at night; answers and charging sessions.
    assert BenchHour.objects.filter(solar_max__gt=50).exists() and BenchHour.objects.filter(solar_max=0).exists()
    totals = BenchHour.objects.aggregate(answers=Sum("answers"), charging=Sum("charging_sessions"))
    assert totals["answers"] > 1000 and totals["charging"] > 1000
    spike = BenchHour.objects.get(flagged_answers__gt=0)
    assert spike.flagged_answers == 24 and timezone.localtime(spike.hour).hour == 2
    broken = Bench.objects.get(name="Biograd – škola")
    assert not BenchHour.objects.filter(bench=broken, hour__gte=now - timedelta(hours=29), solar_max__gt=0).exists()


def check_health(now):
    """The fleet page's cases: online, offline (one in maintenance), low battery, tamper; no solar input in
    daytime; planned and retired benches not judged."""
    judged = {row.name: judged for row, judged in health.fleet(Bench.objects.all(), now, "name")}
    assert sum(judged.has("online") for judged in judged.values()) >= 15
    assert {name for name, judged in judged.items() if judged.has("offline")} == {
        "Ostrožac – jezero",
        "Hodovo – raskršće",
        "Bočinja – igralište",
    }
    assert {name for name, judged in judged.items() if judged.has("not_in_service")} == {
        "Zavala – Vjetrenica",
        "Ljubija – rudarski trg",
    }
    assert judged["Kovači – škola"].has("low_battery") and judged["Kovači – škola"].online
    assert judged["Zahum – park"].state == "tamper"
    broken = Bench.objects.get(name="Biograd – škola")
    assert broken.solar_w == 0
    if health.is_daytime(health.position(broken), now):
        assert judged[broken.name].has("no_solar")
    assert Bench.objects.exclude(last_error="").count() == 1
    pending = Bench.objects.get(desired_config_version__gt=3)
    assert pending.reported_config_version == 3
    assert Bench.objects.filter(reported_config_version=3).count() == Bench.objects.exclude(last_seen_at=None).count()


def check_messages():
    """Each bench's last report went through ingestion, with its boot; refused messages have their reasons."""
    reporting = Bench.objects.exclude(last_seen_at=None)
    assert Message.objects.filter(kind="event", data__event="boot").count() == reporting.count()
    assert Message.objects.filter(kind="event", data__event="tamper").count() == 1
    assert set(DeadLetter.objects.values_list("reason", flat=True)) == {
        "malformed",
        "invalid",
        "unknown_type",
        "wrong_bench",
        "unknown_bench",
    }
    ages = DeadLetter.objects.aggregate(Min("received_at"), Max("received_at"))
    assert ages["received_at__max"] - ages["received_at__min"] > timedelta(days=7)


def test_demo(subtests, django_assert_max_num_queries):
    places_demo.load()
    now = timezone.now()
    output = demo.load()
    assert output.startswith("benches: 29 benches in 12 municipalities, ")
    assert not any(str(pk) in output for pk in Bench.objects.values_list("pk", flat=True)), "no credential printed"

    with subtests.test("benches in every municipality, in every status"):
        check_registry()
    with subtests.test("credentials from claim codes"):
        check_credentials()
    with subtests.test("30 days of hourly telemetry"):
        check_history(now)
    with subtests.test("every health case"):
        check_health(timezone.now())
    with subtests.test("messages and refused messages"):
        check_messages()

    before = counts()
    with django_assert_max_num_queries(4):
        assert demo.load() == "benches: demo benches already present"
    assert counts() == before, "running the demo again must change nothing"

    with subtests.test("a day later, the live benches are brought up to date"):
        later = now + timedelta(days=1)
        assert demo.load(now=later).startswith("benches: demo benches already present, ")
        assert counts()[Bench._meta.label] == before[Bench._meta.label]
        live = Bench.objects.filter(last_telemetry_at__gte=later - timedelta(minutes=15))
        assert live.count() == Bench.objects.filter(last_telemetry_at__gte=now - timedelta(minutes=15)).count() >= 15
        added = BenchHour.objects.filter(hour__gt=now, hour__lte=later).values("bench").annotate(hours=Count("pk"))
        assert len(added) == live.count() and all(row["hours"] >= 23 for row in added)
