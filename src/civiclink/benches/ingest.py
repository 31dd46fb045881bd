"""Ingestion of bench messages, shared by the HTTP API, the MQTT worker and the kiosk.

`store(entries, transport)` takes payloads as they arrived (a JSON object or an array of them, with the bench they
claim to come from) and, in one transaction: validates every message, stores each (bench, message id) once,
adds telemetry to the hourly aggregates, applies events to the bench, hands responses to `responses.record`, and
records every refusal with its reason in the dead-letter table. It returns, per payload, the ids accepted, those
already stored (duplicates) and those rejected with a reason: exactly what the bench is told. Nothing is
acknowledged before the transaction commits, so a crash at any point leaves the bench to resend, and resending
stores nothing twice. The protocol is in `docs/benches-protocol.md`."""

import functools
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from civiclink.benches import credentials
from civiclink.benches.models import METRICS, Bench, DeadLetter, Kind, Reason
from civiclink.core import ratelimit

MIN_TIME = datetime(2020, 1, 1, tzinfo=UTC)
CLOCK_SKEW = timedelta(minutes=10)  # how far in the future a bench's clock may run
MAX_SEQ = 2**63 - 1

# Telemetry fields: (metric it adds to, minimum, maximum, integer only). battery and solar_w are required.
TELEMETRY = {
    "battery": ("battery", 0, 100, False),
    "solar_w": ("solar", 0, 5000, False),
    "charging_sessions": (None, 0, 100_000, True),
    "wifi_clients": ("wifi_clients", 0, 100_000, True),
    "enclosure_temp": ("enclosure_temp", -60, 120, False),
    "pm25": ("pm25", 0, 2000, False),
    "pm10": ("pm10", 0, 2000, False),
    "noise_db": ("noise", 0, 200, False),
    "air_temp": ("air_temp", -60, 70, False),
    "humidity": ("humidity", 0, 100, False),
}
REQUIRED_TELEMETRY = ("battery", "solar_w")
MESSAGE_FIELDS = {"id", "seq", "ts", "type", "data", "bench"}  # "bench" is optional; if given, it must match
EVENTS = {"boot", "tamper", "error", "config_applied"}
EVENT_FIELDS = {"event", "firmware", "version", "message"}
TEXT_LIMITS = {"firmware": 40, "message": 200}


class Rejected(Exception):
    """A message refused with one of the protocol's reasons (`models.Reason`) and a detail for staff."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason, detail)
        self.reason = reason
        self.detail = detail


@dataclass(slots=True)
class Clean:
    """A message that passed validation."""

    message_id: uuid.UUID
    seq: int
    measured_at: datetime
    kind: str
    data: dict


@dataclass
class Outcome:
    accepted: list[str] = field(default_factory=list)
    duplicate: list[str] = field(default_factory=list)
    rejected: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"accepted": self.accepted, "duplicate": self.duplicate, "rejected": self.rejected}

    def extend(self, other: "Outcome") -> None:
        self.accepted += other.accepted
        self.duplicate += other.duplicate
        self.rejected += other.rejected


@dataclass
class Entry:
    """One payload as it arrived: the bench it claims to come from (MQTT: the id in the topic; HTTP: the bench of
    the credential) and its bytes, or messages already decoded."""

    bench_id: str
    payload: bytes | list | dict
    topic: str = ""
    outcome: Outcome = field(default_factory=Outcome)


# --- Validation ------------------------------------------------------------------------------------------------


def decode(payload: bytes | list | dict) -> list:
    """The messages of a payload: a JSON object or an array of them."""
    if isinstance(payload, bytes | str):
        if len(payload) > settings.BENCH_MAX_BATCH * settings.BENCH_MAX_MESSAGE_BYTES:
            raise Rejected(Reason.TOO_LARGE, f"payload of {len(payload)} bytes")
        try:
            payload = json.loads(payload)
        except (ValueError, UnicodeDecodeError, RecursionError) as error:  # RecursionError: nested too deep
            raise Rejected(Reason.MALFORMED, str(error)[:200]) from None
    messages = payload if isinstance(payload, list) else [payload]
    if len(messages) > settings.BENCH_MAX_BATCH:
        raise Rejected(Reason.TOO_LARGE, f"{len(messages)} messages in one batch, at most {settings.BENCH_MAX_BATCH}")
    return messages


def _number(value, low, high, integer: bool, name: str):
    if isinstance(value, bool) or not isinstance(value, int | float) or (integer and not isinstance(value, int)):
        raise Rejected(Reason.INVALID, f"{name} must be {'an integer' if integer else 'a number'}")
    if not low <= value <= high:
        raise Rejected(Reason.INVALID, f"{name} must be between {low} and {high}")
    return value


def _telemetry(data: dict) -> dict:
    for name in REQUIRED_TELEMETRY:
        if name not in data:
            raise Rejected(Reason.INVALID, f"telemetry needs {name}")
    for name, value in data.items():
        spec = TELEMETRY.get(name)
        if spec is None:
            raise Rejected(Reason.INVALID, f"unknown telemetry field {name[:40]}")
        _number(value, spec[1], spec[2], spec[3], name)
    return data


def _event(data: dict) -> dict:
    name = data.get("event")
    if name not in EVENTS:
        raise Rejected(Reason.INVALID, "event must be one of boot, tamper, error, config_applied")
    for key in data.keys() - EVENT_FIELDS:
        raise Rejected(Reason.INVALID, f"unknown event field {key[:40]}")
    for key, limit in TEXT_LIMITS.items():
        if key in data and (not isinstance(data[key], str) or len(data[key]) > limit or "\x00" in data[key]):
            raise Rejected(Reason.INVALID, f"{key} must be text of at most {limit} characters")
    if name == "config_applied" or "version" in data:
        _number(data.get("version"), 0, 2**31 - 1, True, "version")
    return data


def _response(data: dict) -> dict:
    if not isinstance(data.get("token"), str) or not data["token"]:
        raise Rejected(Reason.INVALID, "a response needs the ballot token")
    try:
        text = json.dumps(data, allow_nan=False)
    except ValueError:
        raise Rejected(Reason.INVALID, "numbers must be finite") from None
    if len(text) > settings.BENCH_MAX_MESSAGE_BYTES:
        raise Rejected(Reason.TOO_LARGE, "response larger than the message limit")
    if "\\u0000" in text:  # PostgreSQL's text and jsonb cannot hold the NUL character
        raise Rejected(Reason.INVALID, "text must not contain the NUL character")
    return data


CHECKS = {Kind.TELEMETRY: _telemetry, Kind.EVENT: _event, Kind.RESPONSE: _response}


def message_id_of(message) -> str:
    """The id a message gives, for the answer to the bench, even when the message is otherwise invalid."""
    value = message.get("id") if isinstance(message, dict) else None
    return value[:80] if isinstance(value, str) else ""


def check(message, now: datetime | None = None) -> Clean:
    """Validate one message; raises `Rejected` with the reason."""
    if not isinstance(message, dict):
        raise Rejected(Reason.INVALID, "a message must be a JSON object")
    try:
        message_id = uuid.UUID(message["id"])
        seq, ts, kind, data = message["seq"], message["ts"], message["type"], message["data"]
    except KeyError as missing:
        raise Rejected(Reason.INVALID, f"missing field {missing.args[0]}") from None
    except (TypeError, ValueError, AttributeError):
        raise Rejected(Reason.INVALID, "id must be a UUID") from None
    if extra := message.keys() - MESSAGE_FIELDS:
        raise Rejected(Reason.INVALID, f"unknown field {sorted(extra)[0][:40]}")
    if kind not in CHECKS:
        raise Rejected(Reason.UNKNOWN_TYPE, f"type {str(kind)[:40]!r}")
    _number(seq, 0, MAX_SEQ, True, "seq")
    try:
        measured_at = datetime.fromisoformat(ts)
    except (TypeError, ValueError):
        raise Rejected(Reason.INVALID, "ts must be an ISO 8601 time") from None
    if measured_at.tzinfo is None:
        raise Rejected(Reason.INVALID, "ts needs a time zone (Z or an offset)")
    if not MIN_TIME <= measured_at <= (now or timezone.now()) + CLOCK_SKEW:
        raise Rejected(Reason.INVALID, "ts is before 2020 or in the future")
    if not isinstance(data, dict):
        raise Rejected(Reason.INVALID, "data must be a JSON object")
    return Clean(message_id, seq, measured_at, kind, CHECKS[kind](data))


# --- Storage -------------------------------------------------------------------------------------------------


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


INSERT_MESSAGES = (
    "INSERT INTO benches_message (bench_id, message_id, seq, measured_at, kind, data, transport, received_at)"
)


def _insert_messages(rows: list[tuple[str, str, Clean]], transport: str, now: datetime) -> set[tuple[str, str]]:
    """Insert (bench id, message id, Clean) rows, skipping those already stored; the (bench id, message id) inserted,
    both as canonical text."""
    if not rows:
        return set()
    with connection.cursor() as cursor:
        if _is_postgres():
            # All rows as one JSON parameter: PostgreSQL parses it far faster than the driver adapts arrays.
            document = ",".join(
                '{"b":"%s","m":"%s","s":%d,"t":"%s","k":"%s","d":%s}'
                % (bench, message_id, clean.seq, clean.measured_at.isoformat(), clean.kind, json.dumps(clean.data))
                for bench, message_id, clean in rows
            )
            cursor.execute(
                INSERT_MESSAGES  # noqa: S608  (fixed SQL; every value is a parameter)
                + " SELECT b, m, s, t, k, d, %s, %s FROM json_to_recordset(%s::json)"
                " AS x(b uuid, m uuid, s bigint, t timestamptz, k text, d jsonb)"
                " ON CONFLICT (bench_id, message_id) DO NOTHING RETURNING bench_id::text, message_id::text",
                [transport, now, f"[{document}]"],
            )
            return set(cursor.fetchall())
        inserted = set()
        received = connection.ops.adapt_datetimefield_value(now)
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            cursor.execute(
                INSERT_MESSAGES
                + " VALUES "
                + ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
                + " ON CONFLICT"
                " (bench_id, message_id) DO NOTHING RETURNING bench_id, message_id",
                [
                    value
                    for bench, _message_id, clean in chunk
                    for value in (
                        uuid.UUID(bench).hex,
                        clean.message_id.hex,
                        clean.seq,
                        connection.ops.adapt_datetimefield_value(clean.measured_at),
                        clean.kind,
                        json.dumps(clean.data),
                        transport,
                        received,
                    )
                ],
            )
            inserted |= {(str(uuid.UUID(bench)), str(uuid.UUID(message))) for bench, message in cursor.fetchall()}
        return inserted


def _least(a: str, b: str) -> str:
    return f"LEAST({a}, {b})" if _is_postgres() else f"coalesce(min({a}, {b}), {a}, {b})"


def _greatest(a: str, b: str) -> str:
    return f"GREATEST({a}, {b})" if _is_postgres() else f"coalesce(max({a}, {b}), {a}, {b})"


HOUR_COUNTERS = ("samples", "charging_sessions", "answers", "flagged_answers")
HOUR_COLUMNS = (
    "bench_id",
    "hour",
    *HOUR_COUNTERS,
    *(f"{metric}_{part}" for metric in METRICS for part in ("n", "sum", "min", "max")),
)


@functools.cache
def _hour_sql(postgres: bool) -> str:
    """The upsert of hours' sums (column names come from METRICS; every value is a parameter). On PostgreSQL, all
    the hours of a batch in one statement, as one JSON parameter; elsewhere one row per execution."""
    table = "benches_benchhour"
    updates = [f"{name} = {table}.{name} + excluded.{name}" for name in HOUR_COUNTERS]
    for metric in METRICS:
        updates += [
            f"{metric}_n = {table}.{metric}_n + excluded.{metric}_n",
            f"{metric}_sum = {table}.{metric}_sum + excluded.{metric}_sum",
            f"{metric}_min = {_least(f'{table}.{metric}_min', f'excluded.{metric}_min')}",
            f"{metric}_max = {_greatest(f'{table}.{metric}_max', f'excluded.{metric}_max')}",
        ]
    columns = ", ".join(HOUR_COLUMNS)
    if postgres:
        types = {"bench_id": "uuid", "hour": "timestamptz"}
        record = ", ".join(
            f"{name} {types.get(name, 'integer' if name in HOUR_COUNTERS or name.endswith('_n') else 'float8')}"
            for name in HOUR_COLUMNS
        )
        rows = f"SELECT {columns} FROM json_to_recordset(%s::json) AS x({record})"  # noqa: S608
    else:
        rows = f"VALUES ({', '.join(['%s'] * len(HOUR_COLUMNS))})"
    return f"INSERT INTO {table} ({columns}) {rows} ON CONFLICT (bench_id, hour) DO UPDATE SET {', '.join(updates)}"


class HourSums:
    """The sums of one bench's hour within a batch, added to `BenchHour` in one upsert (the demo's history too)."""

    __slots__ = ("answers", "charging_sessions", "flagged_answers", "metrics", "samples")

    def __init__(self):
        self.samples = self.charging_sessions = self.answers = self.flagged_answers = 0
        self.metrics = {}

    def add_telemetry(self, data: dict) -> None:
        self.samples += 1
        self.charging_sessions += data.get("charging_sessions", 0)
        for name, value in data.items():
            metric = TELEMETRY[name][0]
            if metric is None:
                continue
            seen = self.metrics.get(metric)
            if seen is None:
                self.metrics[metric] = [1, value, value, value]
            else:
                seen[0] += 1
                seen[1] += value
                seen[2] = min(seen[2], value)
                seen[3] = max(seen[3], value)

    def row(self, bench_id: str, hour) -> list:
        values = [bench_id, hour, self.samples, self.charging_sessions, self.answers, self.flagged_answers]
        for metric in METRICS:
            values += self.metrics.get(metric, (0, 0, None, None))
        return values


def add_hours(hours: dict[tuple[str, datetime], HourSums]) -> None:
    """Add each (bench id, UTC hour)'s sums to its `BenchHour` row, creating it when missing."""
    if not hours:
        return
    ordered = sorted(hours.items())  # a fixed order: concurrent workers cannot deadlock
    with connection.cursor() as cursor:
        if _is_postgres():
            document = [
                dict(zip(HOUR_COLUMNS, sums.row(bench_id, hour.isoformat()), strict=True))
                for (bench_id, hour), sums in ordered
            ]
            cursor.execute(_hour_sql(True), [json.dumps(document)])
            return
        rows = [
            sums.row(uuid.UUID(bench_id).hex, connection.ops.adapt_datetimefield_value(hour))
            for (bench_id, hour), sums in ordered
        ]
        cursor.executemany(_hour_sql(False), rows)


@dataclass
class _BenchNews:
    """What a batch tells about one bench, applied in one UPDATE."""

    seq: int = 0
    telemetry_at: datetime | None = None
    battery: float | None = None
    solar_w: float | None = None
    tamper_at: datetime | None = None
    config_version: int | None = None
    firmware: str | None = None
    error: str | None = None
    error_at: datetime | None = None

    def telemetry(self, clean: Clean) -> None:
        if self.telemetry_at is None or clean.measured_at > self.telemetry_at:
            self.telemetry_at = clean.measured_at
            self.battery = clean.data["battery"]
            self.solar_w = clean.data["solar_w"]

    def event(self, clean: Clean) -> None:
        data = clean.data
        match data["event"]:
            case "tamper":
                self.tamper_at = max(filter(None, (self.tamper_at, clean.measured_at)))
            case "config_applied":
                self.config_version = max(self.config_version or 0, data["version"])
            case "boot":
                self.firmware = data.get("firmware") or self.firmware
            case "error":
                self.error, self.error_at = data.get("message", "")[:200], clean.measured_at


BENCH_NEWS = {  # what `_BenchNews` sets, with its PostgreSQL type
    "seq": "bigint",
    "telemetry_at": "timestamptz",
    "battery": "float8",
    "solar_w": "float8",
    "tamper_at": "timestamptz",
    "config_version": "integer",
    "firmware": "text",
    "error": "text",
    "error_at": "timestamptz",
}


@functools.cache
def _update_sql(postgres: bool) -> str:
    """The update of benches' live state. On PostgreSQL, every bench of a batch in one statement, from one JSON
    parameter (`x.n_<field>`); elsewhere one bench per execution (`%(<field>)s`)."""
    if postgres:

        def new(name: str) -> str:
            return f"x.n_{name}"
    else:

        def new(name: str) -> str:
            return f"%({name})s"

    now = "%(now)s::timestamptz" if postgres else "%(now)s"
    newer = f"(last_telemetry_at IS NULL OR last_telemetry_at < COALESCE({new('telemetry_at')}, last_telemetry_at))"
    sql = (
        "UPDATE benches_bench SET"  # noqa: S608  (fixed SQL; every value is a parameter)
        f" last_seen_at = {_greatest('last_seen_at', now)},"
        f" last_seq = {_greatest('last_seq', new('seq'))},"
        f" battery = CASE WHEN {newer} THEN COALESCE({new('battery')}, battery) ELSE battery END,"
        f" solar_w = CASE WHEN {newer} THEN COALESCE({new('solar_w')}, solar_w) ELSE solar_w END,"
        f" last_telemetry_at = {_greatest('last_telemetry_at', new('telemetry_at'))},"
        f" tamper_at = {_greatest('tamper_at', new('tamper_at'))},"
        f" reported_config_version = COALESCE({new('config_version')}, reported_config_version),"
        f" firmware_version = COALESCE({new('firmware')}, firmware_version),"
        f" last_error = COALESCE({new('error')}, last_error),"
        f" last_error_at = COALESCE({new('error_at')}, last_error_at)"
    )
    if not postgres:
        return sql + " WHERE id = %(id)s"
    record = ", ".join(f"n_{name} {kind}" for name, kind in {"id": "uuid", **BENCH_NEWS}.items())
    return sql + f" FROM json_to_recordset(%(benches)s::json) AS x({record}) WHERE id = x.n_id"


def _update_benches(news: dict[str, _BenchNews], now: datetime) -> None:
    if not news:
        return
    ordered = sorted(news.items())  # a fixed order: concurrent workers cannot deadlock
    with connection.cursor() as cursor:
        if _is_postgres():
            document = [
                {"n_id": bench_id} | {f"n_{name}": _json_value(getattr(item, name)) for name in BENCH_NEWS}
                for bench_id, item in ordered
            ]
            cursor.execute(_update_sql(True), {"now": now, "benches": json.dumps(document)})
            return

        def stamped(value):
            return value if value is None else connection.ops.adapt_datetimefield_value(value)

        rows = [
            {
                "id": uuid.UUID(bench_id).hex,
                "now": stamped(now),
                **{name: getattr(item, name) for name in BENCH_NEWS},
                **{name: stamped(getattr(item, name)) for name in ("telemetry_at", "tamper_at", "error_at")},
            }
            for bench_id, item in ordered
        ]
        cursor.executemany(_update_sql(False), rows)


def _json_value(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _text(value: str, limit: int) -> str:
    """Text for a dead letter's column: what a bench sent may hold NUL characters, which PostgreSQL refuses."""
    return value[:limit].replace("\x00", "\ufffd")


def _dead(entry: Entry, transport: str, reason: str, detail: str, message=None, bench_pk=None) -> DeadLetter:
    body = entry.payload if message is None else message
    if not isinstance(body, bytes | str):
        body = json.dumps(body, default=str)
    elif isinstance(body, bytes):
        body = body[: DeadLetter.DEAD_LETTER_PAYLOAD * 4].decode("utf-8", "replace")
    return DeadLetter(
        transport=transport,
        bench_id=bench_pk,
        claimed_bench=_text(str(entry.bench_id), 80),
        topic=_text(entry.topic, 200),
        message_id=_text(message_id_of(message), 80),
        reason=reason,
        detail=_text(detail, 300),
        payload=_text(body, DeadLetter.DEAD_LETTER_PAYLOAD),
    )


def dead_letter(entry: Entry, transport: str, reason: str, detail: str) -> None:
    """Refuse a whole payload that `store` could not handle (the MQTT worker's last resort): one dead letter per
    message in it, each id rejected in the entry's outcome."""
    try:
        messages = decode(entry.payload)
    except Rejected:
        messages = [None]
    bench = _known_benches([entry]).get(str(entry.bench_id).lower())
    dead = [_dead(entry, transport, reason, detail, message, bench and bench.pk) for message in messages]
    DeadLetter.objects.bulk_create(dead)
    entry.outcome.rejected += [{"id": message_id_of(message), "reason": reason} for message in messages]


def _known_benches(entries: list[Entry]) -> dict[str, Bench]:
    ids = set()
    for claimed in {str(entry.bench_id) for entry in entries}:
        try:
            ids.add(uuid.UUID(claimed))
        except ValueError:
            continue
    benches = Bench.objects.filter(pk__in=ids).only("pk", "secret_hash", "revoked_at", "status", "community_id")
    return {str(bench.pk): bench for bench in benches}


def store(entries: list[Entry], transport: str, now: datetime | None = None) -> list[Entry]:
    """Validate and store payloads; each entry's `outcome` says what became of its messages. See the module."""
    from civiclink.benches import responses

    now = now or timezone.now()
    benches = _known_benches(entries)
    usable = {bench_id for bench_id, bench in benches.items() if credentials.usable(bench)}
    dead: list[DeadLetter] = []
    rows: dict[tuple[str, str], tuple[Entry, Clean]] = {}  # (bench id, message id): what to insert
    answers: list[tuple[Entry, Bench, str, Clean]] = []
    seen: set[tuple[str, str]] = set()
    hours: dict[tuple[str, datetime], HourSums] = defaultdict(HourSums)
    news: dict[str, _BenchNews] = defaultdict(_BenchNews)
    decoded: list[tuple[Entry, Bench, str, list]] = []
    sent: dict[str, int] = defaultdict(int)  # messages per bench in this call, counted at once against its limit
    for entry in entries:
        bench_id = str(entry.bench_id).lower()
        bench = benches.get(bench_id)
        try:
            messages = decode(entry.payload)
        except Rejected as refusal:
            dead.append(_dead(entry, transport, refusal.reason, refusal.detail, bench_pk=bench and bench.pk))
            entry.outcome.rejected.append({"id": "", "reason": refusal.reason})
            continue
        if bench is None or bench_id not in usable:
            reason = Reason.UNKNOWN_BENCH if bench is None else Reason.REVOKED
            for message in messages:
                dead.append(_dead(entry, transport, reason, "", message, bench and bench.pk))
                entry.outcome.rejected.append({"id": message_id_of(message), "reason": reason})
            continue
        decoded.append((entry, bench, bench_id, messages))
        sent[bench_id] += len(messages)
    allowed = ratelimit.allowances("bench", sent, settings.BENCH_RATE_LIMIT)
    for entry, bench, bench_id, messages in decoded:
        news.setdefault(bench_id, _BenchNews())  # a bench that sent only duplicates or refusals was still seen
        for message in messages:
            try:
                allowed[bench_id] -= 1
                if allowed[bench_id] < 0:
                    raise Rejected(Reason.RATE_LIMITED, f"over {settings.BENCH_RATE_LIMIT}")
                if isinstance(message, dict) and message.get("bench", bench_id) != bench_id:
                    raise Rejected(Reason.WRONG_BENCH, f"bench {str(message['bench'])[:60]} sent as {bench_id}")
                clean = check(message, now)
            except Rejected as refusal:
                dead.append(_dead(entry, transport, refusal.reason, refusal.detail, message, bench.pk))
                entry.outcome.rejected.append({"id": message_id_of(message), "reason": refusal.reason})
                continue
            message_id = str(clean.message_id)
            key = (bench_id, message_id)
            if key in seen:
                entry.outcome.duplicate.append(message_id)
            elif clean.kind == Kind.RESPONSE:
                answers.append((entry, bench, message_id, clean))
            else:
                rows[key] = (entry, clean)
            seen.add(key)

    with transaction.atomic():
        ordered = sorted(rows)  # a fixed order: concurrent workers inserting the same ids cannot deadlock
        inserted = _insert_messages([(*key, rows[key][1]) for key in ordered], transport, now)
        for key in ordered:
            entry, clean = rows[key]
            bench_id, message_id = key
            if key not in inserted:
                entry.outcome.duplicate.append(message_id)
                continue
            entry.outcome.accepted.append(message_id)
            item = news[bench_id]
            item.seq = max(item.seq, clean.seq)
            if clean.kind == Kind.TELEMETRY:
                hours[(bench_id, _hour_of(clean))].add_telemetry(clean.data)
                item.telemetry(clean)
            else:
                item.event(clean)
        for entry, bench, message_id, clean in answers:
            bench_id = str(bench.pk)
            try:
                with transaction.atomic():
                    if not _insert_messages([(bench_id, message_id, clean)], transport, now):
                        entry.outcome.duplicate.append(message_id)
                        continue
                    flags = responses.record(bench, clean, transport)
            except Rejected as refusal:
                dead.append(_dead(entry, transport, refusal.reason, refusal.detail, _as_message(clean), bench.pk))
                entry.outcome.rejected.append({"id": message_id, "reason": refusal.reason})
                continue
            entry.outcome.accepted.append(message_id)
            hour = hours[(bench_id, _hour_of(clean))]
            hour.answers += 1
            hour.flagged_answers += bool(flags)
            news[bench_id].seq = max(news[bench_id].seq, clean.seq)
        add_hours(hours)
        _update_benches(news, now)
        DeadLetter.objects.bulk_create(dead)
    return entries


def _hour_of(clean: Clean) -> datetime:
    return clean.measured_at.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _as_message(clean: Clean) -> dict:
    return {
        "id": str(clean.message_id),
        "seq": clean.seq,
        "ts": clean.measured_at.isoformat(),
        "type": clean.kind,
        "data": clean.data,
    }


def store_one_bench(bench: Bench, payload: bytes | list | dict, transport: str) -> Outcome:
    """`store` for the payload of one authenticated bench (HTTP, kiosk)."""
    return store([Entry(str(bench.pk), payload)], transport)[0].outcome
