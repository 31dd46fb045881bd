"""A bench's telemetry and usage over 24 hours, 7 days or 30 days, from its hourly aggregates (`BenchHour`):
hour by hour for the short periods, day by day (local days) for 30 days. The bench page draws each chart from
these buckets and prints the same numbers in its data table."""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.db.models import Max, Min, Sum
from django.db.models.functions import TruncDate
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from civiclink.benches.models import METRICS, BenchHour, Sensor


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    buckets: int
    daily: bool
    label_every: int  # one x-axis label every this many buckets


PERIODS = {
    period.key: period
    for period in (
        Period("24h", _("24 hours"), 24, False, 3),
        Period("7d", _("7 days"), 24 * 7, False, 24),
        Period("30d", _("30 days"), 30, True, 5),
    )
}
DEFAULT_PERIOD = "24h"
USAGE_DAYS = 30


@dataclass(frozen=True)
class Chart:
    """One chart of the bench page: the metrics it draws (metric, label), their unit and natural bounds, and the
    sensor that must be fitted (None: every bench reports it)."""

    key: str
    title: str
    unit: str
    metrics: tuple[tuple[str, str], ...]
    bounds: tuple[float | None, float | None] = (None, None)
    sensor: str | None = None


CHARTS = (
    Chart("battery", _("Battery"), "%", (("battery", _("battery")),), (0, 100)),
    Chart("solar", _("Solar input"), "W", (("solar", _("solar input")),), (0, None)),
    Chart("wifi", _("Wi-Fi clients"), "", (("wifi_clients", _("Wi-Fi clients")),), (0, None)),
    Chart("enclosure", _("Enclosure temperature"), "°C", (("enclosure_temp", _("enclosure temperature")),)),
    Chart(
        "particulates",
        _("Particulate matter"),
        "µg/m³",
        (("pm25", "PM2.5"), ("pm10", "PM10")),
        (0, None),
        Sensor.PARTICULATES,
    ),
    Chart("noise", _("Noise"), "dB", (("noise", _("noise")),), (0, None), Sensor.NOISE),
    Chart("air_temp", _("Air temperature"), "°C", (("air_temp", _("air temperature")),), sensor=Sensor.CLIMATE),
    Chart("humidity", _("Humidity"), "%", (("humidity", _("humidity")),), (0, 100), Sensor.CLIMATE),
)


@dataclass
class Bucket:
    """An hour or a day: per metric (mean, minimum, maximum) or None without readings, and the counters."""

    start: datetime
    label: str  # on the chart's axis
    heading: str  # in the data table
    samples: int = 0
    charging_sessions: int = 0
    answers: int = 0
    flagged_answers: int = 0
    metrics: dict = field(default_factory=dict)

    def mean(self, metric: str) -> float | None:
        found = self.metrics.get(metric)
        return found[0] if found else None


def _summary(n, total, low, high) -> tuple[float, float, float] | None:
    return (round(total / n, 2), low, high) if n else None


COUNTERS = ("samples", "charging_sessions", "answers", "flagged_answers")
METRIC_COLUMNS = [f"{metric}_{part}" for metric in METRICS for part in ("n", "sum", "min", "max")]


def _fill(bucket: Bucket, row: dict) -> None:
    for counter in COUNTERS:
        setattr(bucket, counter, row[counter] or 0)
    bucket.metrics = {
        metric: summary
        for metric in METRICS
        if (summary := _summary(row[f"{metric}_n"], row[f"{metric}_sum"], row[f"{metric}_min"], row[f"{metric}_max"]))
    }


def _local_midnight(day) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def daily(bench, days: int, now: datetime) -> list[Bucket]:
    """The last `days` local days up to today, one query grouped by day."""
    today = timezone.localdate(now)
    first = today - timedelta(days=days - 1)
    aggregates = {counter: Sum(counter) for counter in COUNTERS}
    for metric in METRICS:
        aggregates |= {
            f"{metric}_n": Sum(f"{metric}_n"),
            f"{metric}_sum": Sum(f"{metric}_sum"),
            f"{metric}_min": Min(f"{metric}_min"),
            f"{metric}_max": Max(f"{metric}_max"),
        }
    rows = (
        BenchHour.objects.filter(bench=bench, hour__gte=_local_midnight(first))
        .annotate(day=TruncDate("hour", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(**aggregates)
        .order_by("day")
    )
    found = {row["day"]: row for row in rows}
    buckets = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        bucket = Bucket(_local_midnight(day), formats.date_format(day, "j.n."), formats.date_format(day))
        if day in found:
            _fill(bucket, found[day])
        buckets.append(bucket)
    return buckets


def hourly(bench, hours: int, now: datetime) -> list[Bucket]:
    """The last `hours` hours up to the current one, one query."""
    last = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    first = last - timedelta(hours=hours - 1)
    rows = BenchHour.objects.filter(bench=bench, hour__gte=first, hour__lte=last).values(
        "hour", *COUNTERS, *METRIC_COLUMNS
    )
    found = {row["hour"]: row for row in rows}
    buckets = []
    for offset in range(hours):
        hour = first + timedelta(hours=offset)
        local = timezone.localtime(hour)
        label = formats.time_format(local, "H:i") if hours <= 24 else formats.date_format(local, "j.n.")
        bucket = Bucket(hour, label, formats.date_format(local, "SHORT_DATETIME_FORMAT"))
        if hour in found:
            _fill(bucket, found[hour])
        buckets.append(bucket)
    return buckets


def buckets(bench, period: Period, now: datetime) -> list[Bucket]:
    return daily(bench, period.buckets, now) if period.daily else hourly(bench, period.buckets, now)


def charts_for(bench, rows: list[Bucket]) -> list[Chart]:
    """The charts of the bench: those every bench has, and those of its sensors or of which it sent readings."""
    sent = {metric for row in rows for metric in row.metrics}
    return [
        chart
        for chart in CHARTS
        if chart.sensor is None or chart.sensor in bench.sensors or sent & {m for m, _ in chart.metrics}
    ]
