"""A bench's health from what it sent, through the real ingestion path: online and offline after missed reporting
intervals, low battery, no solar input in daytime (by the sun at the bench), tamper until acknowledged; benches
out of service are not judged."""

from datetime import UTC, datetime, timedelta

import pytest

from benches.messages import event, telemetry
from civiclink.benches import health, ingest
from civiclink.benches.health import State
from civiclink.benches.models import Bench, BenchHour, Status, Transport

pytestmark = pytest.mark.django_db

MOSTAR = {"latitude": 43.3438, "longitude": 17.8078}
NOON = datetime(2026, 6, 15, 10, 30, tzinfo=UTC)  # 12:30 in Mostar
NIGHT = datetime(2026, 6, 15, 22, 30, tzinfo=UTC)


def send(bench, *messages, now):
    """Messages as the bench sent them at `now` (measured a minute earlier)."""
    for message in messages:
        message["ts"] = (now - timedelta(minutes=1)).isoformat()
    ingest.store([ingest.Entry(str(bench.pk), list(messages))], Transport.HTTP, now=now)
    bench.refresh_from_db()


def judged(bench, now) -> health.Health:
    return health.of_bench(Bench.objects.select_related("community__municipality").get(pk=bench.pk), now)


def test_the_sun_is_up_at_noon_and_down_at_night_in_mostar():
    assert health.sun_elevation(43.34, 17.81, NOON) > 60
    assert health.sun_elevation(43.34, 17.81, NIGHT) < 0
    winter_dawn = datetime(2026, 12, 21, 6, 30, tzinfo=UTC)  # 07:30 local, just after sunrise
    assert not health.is_daytime((43.34, 17.81), winter_dawn)


def test_a_bench_is_online_until_it_misses_three_reporting_intervals(make_bench):
    bench, _ = make_bench(reporting_interval=300, **MOSTAR)
    assert judged(bench, NOON).problems == ("offline",)  # never heard from
    send(bench, telemetry(), now=NOON)
    assert judged(bench, NOON + timedelta(minutes=15)).state == State.ONLINE
    later = judged(bench, NOON + timedelta(minutes=15, seconds=1))
    assert later.state == State.OFFLINE and not later.online


def test_low_battery_is_below_the_setting(make_bench, settings):
    bench, _ = make_bench(**MOSTAR)
    send(bench, telemetry(battery=float(settings.BENCH_LOW_BATTERY)), now=NOON)
    assert judged(bench, NOON).problems == ()
    send(bench, telemetry(seq=2, battery=settings.BENCH_LOW_BATTERY - 0.5), now=NOON + timedelta(minutes=5))
    found = judged(bench, NOON + timedelta(minutes=5))
    assert found.problems == ("low_battery",) and found.online and found.has(State.ONLINE)


def test_no_solar_input_counts_in_daytime_only(make_bench):
    bench, _ = make_bench(**MOSTAR)
    send(bench, telemetry(solar_w=0.0), now=NOON)
    assert judged(bench, NOON).problems == ("no_solar",)
    send(bench, telemetry(seq=2, solar_w=0.0), now=NIGHT)
    assert judged(bench, NIGHT).problems == ()


def test_no_solar_input_over_the_last_daytime_hours_counts_even_if_the_last_reading_is_not_zero(make_bench):
    bench, _ = make_bench(**MOSTAR)
    for hours_ago in (1, 2):
        BenchHour.objects.create(
            bench=bench, hour=NOON.replace(minute=0) - timedelta(hours=hours_ago), samples=12, solar_n=12,
            solar_sum=0.0, solar_min=0.0, solar_max=0.0,
        )  # fmt: skip
    send(bench, telemetry(solar_w=0.4), now=NOON)
    assert judged(bench, NOON).problems == ()  # this hour's reading shows some input: 0.4 W
    BenchHour.objects.filter(bench=bench).update(solar_max=0.0)  # the panel gives nothing over the last hours
    assert judged(bench, NOON).problems == ("no_solar",)


def test_a_bench_without_coordinates_is_judged_by_its_municipality_or_sarajevo(make_bench, world):
    bench, _ = make_bench()
    assert health.position(Bench.objects.select_related("community__municipality").get(pk=bench.pk)) == (
        health.DEFAULT_POSITION
    )
    world.home.latitude, world.home.longitude = 43.34, 17.81
    world.home.save()
    assert health.position(Bench.objects.select_related("community__municipality").get(pk=bench.pk)) == (43.34, 17.81)


def test_tamper_lasts_until_acknowledged(make_bench):
    bench, _ = make_bench(**MOSTAR)
    send(bench, telemetry(), event("tamper", seq=2), now=NOON)
    assert judged(bench, NOON).problems == ("tamper",)
    Bench.objects.filter(pk=bench.pk).update(tamper_at=None)  # what acknowledging does
    assert judged(bench, NOON).problems == ()


def test_several_problems_show_the_worst_first(make_bench):
    bench, _ = make_bench(**MOSTAR)
    send(bench, telemetry(battery=5.0), event("tamper", seq=2), now=NOON)
    found = judged(bench, NOON + timedelta(hours=2))
    assert found.problems == ("tamper", "offline", "low_battery") and found.state == State.TAMPER
    assert found.has(State.LOW_BATTERY) and not found.has(State.ONLINE)


@pytest.mark.parametrize("status", [Status.PLANNED, Status.RETIRED])
def test_benches_out_of_service_are_not_judged(make_bench, status):
    bench, _ = make_bench(provisioned=False, status=status)
    found = judged(bench, NOON)
    assert found.state == State.NOT_IN_SERVICE and found.problems == () and not found.judged


def test_maintenance_benches_are_judged(make_bench):
    bench, _ = make_bench(status=Status.MAINTENANCE)
    assert judged(bench, NOON).problems == ("offline",)


def test_the_fleet_is_judged_in_two_queries(make_bench, django_assert_num_queries):
    for _ in range(5):
        make_bench(**MOSTAR)
    with django_assert_num_queries(2):
        rows = health.fleet(Bench.objects.all(), NOON)
    assert len(rows) == 5 and all(found.problems == ("offline",) for _row, found in rows)
