"""Open data of the benches in service (active or in maintenance): the list of benches and their hourly telemetry
aggregates, as CSV and JSON under the CC BY 4.0 licence, with attribute names of the FIWARE Smart Data Models
(Device, AirQualityObserved, NoiseLevelObserved, PhotovoltaicMeasurement).

One record per bench and UTC hour with readings: the hourly mean of each measured quantity in the unit the data
model gives (`batteryLevel` and `relativeHumidity` as fractions of 1, `activePower` in kW), the number of
telemetry messages, charging sessions and kiosk answers. Nothing personal: answers are counts only. Rows are read
through an iterator and written as they come. A date range is asked with `from` and `to` (UTC dates, inclusive),
at most `MAX_DAYS` for one bench and `MAX_DAYS_FLEET` for the whole fleet; by default the last seven days."""

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import chain

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.benches.health import JUDGED
from civiclink.benches.models import METRICS, Bench, BenchHour, Sensor
from civiclink.core.errors import UserError
from civiclink.core.streaming import csv_lines
from civiclink.participation.opendata import LICENCE

DEFAULT_DAYS = 7
MAX_DAYS = 92
MAX_DAYS_FLEET = 7
CHUNK = 2000
EARLIEST = date(2020, 1, 1)


class RangeError(UserError):
    default_message = _("The dates are not valid.")


def urn(bench_id) -> str:
    return f"urn:ngsi-ld:Device:{bench_id}"


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _mean(row: dict, metric: str, scale: float = 1, digits: int = 1) -> float | None:
    n = row[f"{metric}_n"]
    return round(row[f"{metric}_sum"] / n / scale, digits) if n else None


@dataclass(frozen=True)
class Column:
    name: str
    description: str
    value: Callable[[dict], object]


HOURLY = (
    Column("refDevice", _("the bench (its id in the benches dataset)"), lambda row: urn(row["bench_id"])),
    Column("dateObservedFrom", _("start of the hour (UTC)"), lambda row: _time(row["hour"])),
    Column("dateObservedTo", _("end of the hour (UTC)"), lambda row: _time(row["hour"] + timedelta(hours=1))),
    Column("numberOfObservations", _("telemetry messages in the hour"), lambda row: row["samples"]),
    Column("batteryLevel", _("battery charge, 0 to 1"), lambda row: _mean(row, "battery", 100, 3)),
    Column("activePower", _("solar input in kW"), lambda row: _mean(row, "solar", 1000, 5)),
    Column("chargingSessions", _("phones and devices charged"), lambda row: row["charging_sessions"]),
    Column("wifiClients", _("Wi-Fi clients connected"), lambda row: _mean(row, "wifi_clients")),
    Column("enclosureTemperature", _("temperature inside the bench, °C"), lambda row: _mean(row, "enclosure_temp")),
    Column("pm25", _("PM2.5, µg/m³"), lambda row: _mean(row, "pm25")),
    Column("pm10", _("PM10, µg/m³"), lambda row: _mean(row, "pm10")),
    Column("LAeq", _("noise level, dB(A) (mean of the readings)"), lambda row: _mean(row, "noise")),
    Column("temperature", _("air temperature, °C"), lambda row: _mean(row, "air_temp")),
    Column("relativeHumidity", _("relative humidity, 0 to 1"), lambda row: _mean(row, "humidity", 100, 3)),
    Column("kioskAnswers", _("answers given on the kiosk"), lambda row: row["answers"]),
    Column(
        "kioskAnswersFlagged", _("of which flagged by the anti-stuffing checks"), lambda row: row["flagged_answers"]
    ),
)
HOURLY_FIELDS = (
    "bench_id",
    "hour",
    "samples",
    "charging_sessions",
    "answers",
    "flagged_answers",
    *(f"{metric}_{part}" for metric in METRICS for part in ("n", "sum")),
)

# What each sensor lets a bench observe, as Device.controlledProperty
CONTROLLED = {
    None: ["batteryLevel", "solarRadiation", "temperature"],
    Sensor.PARTICULATES: ["airPollution"],
    Sensor.NOISE: ["noiseLevel"],
    Sensor.CLIMATE: ["temperature", "humidity"],
}
DEVICES = (
    Column("id", _("the bench"), lambda bench: urn(bench.pk)),
    Column("type", _("always Device"), lambda bench: "Device"),
    Column("name", _("the bench's name"), lambda bench: bench.name),
    Column("areaServed", _("the local community"), lambda bench: bench.community.name),
    Column("municipality", _("the municipality"), lambda bench: bench.community.municipality.name),
    Column("address", _("street or landmark"), lambda bench: bench.address),
    Column("latitude", _("WGS 84"), lambda bench: None if bench.latitude is None else float(bench.latitude)),
    Column("longitude", _("WGS 84"), lambda bench: None if bench.longitude is None else float(bench.longitude)),
    Column("deviceState", _("active or maintenance"), lambda bench: bench.status),
    Column(
        "dateInstalled", _("installation date"), lambda bench: bench.installed_on and bench.installed_on.isoformat()
    ),
    Column("hardwareVersion", _("hardware version"), lambda bench: bench.hardware_version),
    Column("firmwareVersion", _("firmware version"), lambda bench: bench.firmware_version),
    Column(
        "controlledProperty",
        _("what the bench measures, separated by spaces in CSV"),
        lambda bench: sorted({p for key in (None, *bench.sensors) for p in CONTROLLED.get(key, [])}),
    ),
    Column("dataProvider", _("always CivicLink"), lambda bench: "CivicLink"),
)


def published_benches():
    """The benches whose data are open: those in service."""
    return Bench.objects.filter(status__in=JUDGED)


def date_range(params, max_days: int, today: date | None = None) -> tuple[date, date]:
    """`from` and `to` of the query string (ISO dates, inclusive), checked; by default the last DEFAULT_DAYS."""
    today = today or timezone.now().astimezone(UTC).date()
    try:
        end = date.fromisoformat(params["to"]) if params.get("to") else today
        start = date.fromisoformat(params["from"]) if params.get("from") else end - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        raise RangeError(_("Write the dates as YYYY-MM-DD, for example ?from=2026-05-01&to=2026-05-07.")) from None
    if start > end:
        raise RangeError(_("“from” must not be after “to”."))
    if start < EARLIEST or end > today + timedelta(days=1):
        raise RangeError(_("The dates must lie between 2020-01-01 and tomorrow."))
    if (end - start).days + 1 > max_days:
        raise RangeError(_("Ask for at most %(days)d days at a time.") % {"days": max_days})
    return start, end


def hourly_rows(benches, start: date, end: date) -> Iterator[dict]:
    first = datetime(start.year, start.month, start.day, tzinfo=UTC)
    last = datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1)
    return (
        BenchHour.objects.filter(bench__in=benches, hour__gte=first, hour__lt=last)
        .order_by("bench_id", "hour")
        .values(*HOURLY_FIELDS)
        .iterator(chunk_size=CHUNK)
    )


def device_rows(benches) -> Iterator:
    return benches.select_related("community__municipality").order_by("pk").iterator(chunk_size=CHUNK)


def _csv_value(value):
    return " ".join(value) if isinstance(value, list) else value


def csv_chunks(columns, rows, head: dict) -> Iterator[str]:
    """A header of column names, then one line per record (the licence is in the HTTP Link header)."""
    header = [column.name for column in columns]
    yield from csv_lines(chain([header], ([_csv_value(column.value(row)) for column in columns] for row in rows)))


def json_chunks(columns, rows, head: dict) -> Iterator[str]:
    """One JSON document: what the data are, under which licence, the columns, then `items`, one per line."""
    head = head | {"licence": LICENCE, "columns": {column.name: str(column.description) for column in columns}}
    yield json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ',\n  "items": ['
    separator = "\n"
    for row in rows:
        record = {column.name: column.value(row) for column in columns}
        yield separator + "    " + json.dumps(record, ensure_ascii=False)
        separator = ",\n"
    yield "\n  ]\n}\n"


FORMATS = {
    "csv": ("text/csv; charset=utf-8; header=present", csv_chunks),
    "json": ("application/json", json_chunks),
}
