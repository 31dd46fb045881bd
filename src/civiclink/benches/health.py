"""The health of a bench, judged from what it last told us (the live fields of `Bench`) and, for solar input, the
hourly aggregates of the last hours: never from raw messages, so that the fleet page and the alerts job read one
row per bench and a few per hour.

Only benches in service (active, maintenance) are judged; a planned or retired bench shows its status. A judged
bench is `offline` when nothing arrived for `BENCH_MISSED_INTERVALS` reporting intervals; it has a `low_battery`
below `BENCH_LOW_BATTERY` per cent; `no_solar` when, in daytime at the bench, its last reading or the maximum of
its last daytime hours is 0 W; `tamper` from a tamper event until staff acknowledge it (which clears `tamper_at`).

Daytime is when the sun stands at least `DAYLIGHT_ELEVATION` degrees above the horizon at the bench (its
coordinates, else its municipality's, else Sarajevo's), computed with NOAA's low-precision solar position
formulas (about a minute off): low sun in winter, dusk and dawn give little enough power to be left unjudged."""

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from types import SimpleNamespace

from django.conf import settings
from django.db.models import F, Max, Q, TextChoices
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.benches.models import Alert, BenchHour, Status

DAYLIGHT_ELEVATION = 10.0  # degrees of sun above the horizon
SOLAR_HOURS = 2  # complete hours before the current one whose maximum solar input counts
DEFAULT_POSITION = (43.8563, 18.4131)  # Sarajevo: for a bench and municipality without coordinates
JUDGED = (Status.ACTIVE, Status.MAINTENANCE)
LIVE_FIELDS = (
    "pk",
    "status",
    "reporting_interval",
    "last_seen_at",
    "last_telemetry_at",
    "battery",
    "solar_w",
    "tamper_at",
    "latitude",
    "longitude",
)


class State(TextChoices):
    """What the fleet page counts and filters by; the problems are the alert kinds."""

    ONLINE = "online", _("online")
    OFFLINE = "offline", _("offline")
    LOW_BATTERY = "low_battery", _("low battery")
    NO_SOLAR = "no_solar", _("no solar input in daytime")
    TAMPER = "tamper", _("tamper alarm")
    NOT_IN_SERVICE = "not_in_service", _("not in service (planned or retired)")


# The worst first: a bench is shown (and coloured on the map) by its worst problem.
PROBLEMS = (State.TAMPER, State.OFFLINE, State.LOW_BATTERY, State.NO_SOLAR)
assert {str(problem) for problem in PROBLEMS} == set(Alert.Kind.values)


@dataclass(frozen=True, slots=True)
class Health:
    judged: bool
    online: bool
    problems: tuple[str, ...]  # in the order of PROBLEMS

    @property
    def state(self) -> str:
        """The worst problem, else online; not_in_service for a bench that is not judged."""
        if not self.judged:
            return State.NOT_IN_SERVICE
        return self.problems[0] if self.problems else State.ONLINE

    @property
    def label(self) -> str:
        return State(self.state).label

    @property
    def problem_labels(self) -> list[str]:
        return [State(problem).label for problem in self.problems]

    def has(self, state: str) -> bool:
        """Whether the bench counts under `state` on the fleet page (a bench counts under each of its problems)."""
        if state == State.NOT_IN_SERVICE:
            return not self.judged
        if state == State.ONLINE:
            return self.judged and self.online
        return state in self.problems


@lru_cache(maxsize=256)
def _sun(when: datetime) -> tuple[float, float]:
    """The sun's declination (radians) and the true solar time at longitude 0 (minutes) at `when` (UTC): the same
    for every bench, so a fleet computes them once per moment."""
    hours = when.hour + when.minute / 60 + when.second / 3600
    gamma = 2 * math.pi / 365 * (when.timetuple().tm_yday - 1 + (hours - 12) / 24)
    declination = (
        0.006918
        - 0.399912 * math.cos(gamma)
        + 0.070257 * math.sin(gamma)
        - 0.006758 * math.cos(2 * gamma)
        + 0.000907 * math.sin(2 * gamma)
        - 0.002697 * math.cos(3 * gamma)
        + 0.00148 * math.sin(3 * gamma)
    )
    equation_of_time = 229.18 * (
        0.000075
        + 0.001868 * math.cos(gamma)
        - 0.032077 * math.sin(gamma)
        - 0.014615 * math.cos(2 * gamma)
        - 0.040849 * math.sin(2 * gamma)
    )
    return declination, hours * 60 + equation_of_time


def counts(healths) -> dict[str, int]:
    """How many benches count under each state (a bench under each of its problems), in one pass."""
    found = dict.fromkeys(State.values, 0)
    for health in healths:
        if not health.judged:
            found[State.NOT_IN_SERVICE] += 1
            continue
        found[State.ONLINE] += health.online
        for problem in health.problems:
            found[problem] += 1
    return found


def sun_elevation(latitude: float, longitude: float, when: datetime) -> float:
    """Degrees of the sun above the horizon (NOAA's general solar position formulas)."""
    declination, solar_minutes = _sun(when.astimezone(UTC))
    hour_angle = math.radians((solar_minutes + 4 * longitude) / 4 - 180)
    lat = math.radians(latitude)
    cos_zenith = math.sin(lat) * math.sin(declination) + math.cos(lat) * math.cos(declination) * math.cos(hour_angle)
    return 90 - math.degrees(math.acos(max(-1.0, min(1.0, cos_zenith))))


def position(bench) -> tuple[float, float]:
    """Where the sun is judged for `bench`: its coordinates, else its municipality's, else Sarajevo's."""
    if bench.latitude is not None and bench.longitude is not None:
        return float(bench.latitude), float(bench.longitude)
    if hasattr(bench, "municipality_latitude"):  # a row of `fleet`
        latitude, longitude = bench.municipality_latitude, bench.municipality_longitude
    else:
        latitude, longitude = bench.community.municipality.latitude, bench.community.municipality.longitude
    if latitude is not None and longitude is not None:
        return float(latitude), float(longitude)
    return DEFAULT_POSITION


def is_daytime(place: tuple[float, float], when: datetime) -> bool:
    return sun_elevation(place[0], place[1], when) >= DAYLIGHT_ELEVATION


def _hour(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def recent_solar(now: datetime, bench_ids) -> dict:
    """{bench id: [(hour, maximum solar input)]} of the last SOLAR_HOURS complete hours and the current one, in
    one query (one row per bench); `bench_ids` is a list or a subquery. Only hours with solar readings count."""
    current = _hour(now)
    hours = [current - timedelta(hours=back) for back in range(SOLAR_HOURS + 1)]
    maxima = {f"hour_{index}": Max("solar_max", filter=Q(hour=hour)) for index, hour in enumerate(hours)}
    rows = (
        BenchHour.objects.filter(bench_id__in=bench_ids, hour__in=hours, solar_n__gt=0)
        .values("bench_id")
        .annotate(**maxima)
        .order_by()
        .values_list("bench_id", *maxima)
    )
    return {
        bench_id: [(hour, value) for hour, value in zip(hours, values, strict=True) if value is not None]
        for bench_id, *values in rows
    }


def judge(bench, solar_hours: list, now: datetime) -> Health:
    """The health of `bench` (a Bench, or any object with its live fields) at `now`; `solar_hours` is its entry
    of `recent_solar`."""
    if bench.status not in JUDGED:
        return Health(judged=False, online=False, problems=())
    window = timedelta(seconds=settings.BENCH_MISSED_INTERVALS * bench.reporting_interval)
    online = bench.last_seen_at is not None and now - bench.last_seen_at <= window
    found = set()
    if bench.tamper_at is not None:
        found.add(State.TAMPER)
    if not online:
        found.add(State.OFFLINE)
    if bench.battery is not None and bench.battery < settings.BENCH_LOW_BATTERY:
        found.add(State.LOW_BATTERY)
    if online and _no_solar(bench, solar_hours, now, window):
        found.add(State.NO_SOLAR)
    return Health(judged=True, online=online, problems=tuple(str(p) for p in PROBLEMS if p in found))


def _no_solar(bench, solar_hours: list, now: datetime, window: timedelta) -> bool:
    """The readings first, the sun only if they show no input: most benches need no solar position at all."""
    fresh = bench.last_telemetry_at is not None and now - bench.last_telemetry_at <= window
    zero_now = fresh and bench.solar_w == 0
    if not zero_now and not any(solar_max == 0 for _hour, solar_max in solar_hours):
        return False
    place = position(bench)
    if not is_daytime(place, now):
        return False
    if zero_now:
        return True
    daytime_maxima = [
        solar_max
        for hour, solar_max in solar_hours
        if is_daytime(place, min(hour + timedelta(minutes=30), now)) and solar_max is not None
    ]
    return bool(daytime_maxima) and max(daytime_maxima) == 0


def fleet(benches, now: datetime, *fields, **expressions) -> list[tuple[SimpleNamespace, Health]]:
    """Each bench of the queryset `benches` as a light row (its live fields, `fields` and `expressions` as in
    `values()`) with its health: two queries for the whole fleet, and no model instances to build."""
    rows = [
        SimpleNamespace(**row)
        for row in benches.values(
            *LIVE_FIELDS,
            *fields,
            municipality_latitude=F("community__municipality__latitude"),
            municipality_longitude=F("community__municipality__longitude"),
            **expressions,
        )
    ]
    solar = recent_solar(now, benches.values("pk"))
    return [(row, judge(row, solar.get(row.pk, []), now)) for row in rows]


def of_bench(bench, now: datetime | None = None) -> Health:
    """The health of one bench (two queries at most: none for a bench that is not judged)."""
    now = now or timezone.now()
    if bench.status not in JUDGED:
        return judge(bench, [], now)
    return judge(bench, recent_solar(now, [bench.pk]).get(bench.pk, []), now)
