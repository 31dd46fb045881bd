"""A fleet of simulated benches, for development and demonstrations: `civiclink bench-sim`.

Each simulated bench behaves as `docs/benches-protocol.md` asks of a real one: it is provisioned with a claim code,
keeps its credential, its sequence number and its outbox in its own storage (a JSON file per bench, its "flash"),
puts every message in the outbox before sending it, deletes only what the server answered for and sends the rest
again. The fleet plays N minutes of its time, ending now, so that every timestamp lies in the past.

What the benches report comes from a small physical model, shared with the demo (`benches/demo.py`, which writes 30
days of it as hourly aggregates): the sun's elevation at the bench and a day's clouds give the solar input; the
battery charges with it and discharges with the screen, the router and the phones being charged; people come by the
local hour, the season and the day of the week, charge phones, join the Wi-Fi and answer what the kiosk shows."""

import http.client
import json
import math
import random
import threading
import time
import uuid
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from civiclink.benches.health import sun_elevation
from civiclink.benches.models import Reason

# --- The physical model ----------------------------------------------------------------------------------------

LOCAL_TIME = ZoneInfo(settings.TIME_ZONE)

PANEL_W = 400.0  # two panels on the bench's roof
BATTERY_WH = 720.0  # 12 V, 60 Ah
CHARGER_W = 5.0  # one phone charging, on average over a session
SCREEN_W = 6.0  # the kiosk's screen when people are about (dimmed otherwise)
BASE_W = 3.0  # router, controller, sensors
SAVING_BELOW = 15.0  # battery per cent under which the bench turns its screen and chargers off
SLEEP_BELOW = 8.0  # and under which it sleeps between reports
SLEEP_W = 1.0
CHARGING_PER_HOUR = 1.6  # new charging sessions per hour at the evening peak of a summer weekday
WIFI_CLIENTS = 7.0  # clients at the peak
ANSWERS_PER_HOUR = 1.2  # kiosk answers per hour at the peak

# How busy a bench is by local hour, 1 being the evening peak.
ACTIVITY = (
    0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.2, 0.4, 0.5, 0.6, 0.7, 0.8,
    0.9, 0.85, 0.8, 0.85, 0.95, 1.0, 1.0, 0.9, 0.7, 0.45, 0.25, 0.12,
)  # fmt: skip


@dataclass(slots=True)
class Site:
    """What the model needs to know of a bench: where it stands (its key seeds its weather), what it carries, how
    busy its place is, and its solar panel (`panel_w` 0 when broken, small when shaded)."""

    key: str
    latitude: float
    longitude: float
    sensors: tuple[str, ...] = ()
    busyness: float = 1.0
    panel_w: float = PANEL_W


@dataclass(slots=True)
class Power:
    """The bench's battery and the charging sessions in progress (their end times)."""

    battery: float = 85.0
    sessions: list = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Day:
    """One day at one place: its share of clear-sky sunshine, its mean temperature (°C) and how many people are
    out of doors (the season, weekends)."""

    sunshine: float
    temperature: float
    outdoors: float


@lru_cache(maxsize=8192)
def day_at(key: str, latitude: float, day: date) -> Day:
    """A day's weather at the place `key` (seeded by both: the same every run); more clouds in winter, the mean
    temperature of an inland Balkan climate, coldest in mid-January, and people out of doors most in late July."""
    rng = random.Random(f"{key}:{day.isoformat()}")
    day_of_year = day.toordinal() - date(day.year, 1, 1).toordinal() + 1
    winter = 0.5 + 0.5 * math.cos(2 * math.pi * (day_of_year - 15) / 365)
    roll = rng.random()
    if roll < 0.45 - 0.2 * winter:
        sunshine = rng.uniform(0.85, 1.0)
    elif roll < 0.8 - 0.1 * winter:
        sunshine = rng.uniform(0.45, 0.8)
    else:
        sunshine = rng.uniform(0.08, 0.35)
    yearly = math.cos(2 * math.pi * (day_of_year - 20) / 365)
    temperature = 12.5 - 1.5 * (latitude - 44) - 10.5 * yearly + rng.gauss(0, 2.5)
    outdoors = (0.95 - 0.35 * yearly) * (1.25 if day.weekday() >= 5 else 1.0)
    return Day(sunshine, temperature, outdoors)


def clear_sky(elevation: float) -> float:
    """Share of the panel's peak power under a clear sky, for a flat panel (Meinel's air-mass model)."""
    if elevation <= 0:
        return 0.0
    height = math.sin(math.radians(elevation))
    return height * 0.7 ** ((1 / max(height, 0.03)) ** 0.678) / 0.7


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth's method; the means here are small)."""
    if mean <= 0:
        return 0
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _moment(site: Site, when: datetime) -> tuple[datetime, Day, float]:
    """The local time, the day and how many people are about (1: a summer weekday evening at an average place)."""
    local = when.astimezone(LOCAL_TIME)
    day = day_at(site.key, site.latitude, local.date())
    hour = local.hour + local.minute / 60
    low = local.hour
    share = ACTIVITY[low] + (ACTIVITY[(low + 1) % 24] - ACTIVITY[low]) * (hour - low)
    return local, day, share * day.outdoors * site.busyness


def report(
    site: Site, power: Power, when: datetime, seconds: float, rng: random.Random, answer_rate: float = 1.0
) -> tuple[dict, int]:
    """What a bench sends at `when` for the `seconds` since its last report: its telemetry, and how many people
    answered at its kiosk meanwhile (`answer_rate` times as many as usual). Updates `power`."""
    local, day, people = _moment(site, when)
    solar = site.panel_w * clear_sky(sun_elevation(site.latitude, site.longitude, when)) * day.sunshine
    solar *= rng.uniform(0.85, 1.1) if solar else 0
    saving = power.battery < SAVING_BELOW
    power.sessions = [end for end in power.sessions if end > when]
    started = 0 if saving else poisson(rng, CHARGING_PER_HOUR * people * seconds / 3600)
    power.sessions += [when + timedelta(minutes=rng.uniform(20, 90)) for _ in range(started)]
    clients = poisson(rng, WIFI_CLIENTS * people)
    if power.battery < SLEEP_BELOW:
        load = SLEEP_W
    else:
        load = BASE_W + (0 if saving else SCREEN_W * min(1.0, 0.15 + people) + CHARGER_W * len(power.sessions))
    power.battery += (0.85 * solar - load - 0.05 * clients) * seconds / 3600 / BATTERY_WH * 100
    power.battery = min(100.0, max(0.0, power.battery))
    hour = local.hour + local.minute / 60
    air = day.temperature + (2 + 4 * day.sunshine) * math.cos(2 * math.pi * (hour - 15) / 24)
    data = {
        "battery": round(power.battery, 1),
        "solar_w": round(min(solar, 5000), 1),
        "charging_sessions": started,
        "wifi_clients": clients,
        "enclosure_temp": round(air + 3 + 0.06 * solar, 1),
    }
    if "particulates" in site.sensors:
        heating = max(0.0, 14 - air) * (3.5 if local.hour >= 17 or local.hour < 9 else 1.2)
        pm25 = max(1.0, rng.gauss(9 + heating + 10 * people, 3))
        data["pm25"] = round(pm25, 1)
        data["pm10"] = round(pm25 * rng.uniform(1.3, 1.7) + 4, 1)
    if "noise" in site.sensors:
        data["noise_db"] = round(min(110.0, rng.gauss(38 + 24 * min(people, 1.3), 3)), 1)
    if "climate" in site.sensors:
        data["air_temp"] = round(rng.gauss(air, 0.3), 1)
        humidity = 62 + 25 * (1 - day.sunshine) - 1.4 * (air - 12) + rng.gauss(0, 4)
        data["humidity"] = round(min(100.0, max(10.0, humidity)), 1)
    return data, poisson(rng, ANSWERS_PER_HOUR * answer_rate * people * seconds / 3600)


# --- The benches -----------------------------------------------------------------------------------------------

NAME = "Simulator {:02d}"
INTERVAL = 60  # seconds between a simulated bench's reports
RESEND_SECONDS = 5.0  # MQTT: a message without acknowledgement after this long is sent again
BACKOFF_SECONDS = (1, 2, 4, 8, 15, 30, 60)  # waits after `rate_limited`, the last one repeated
KEPT_ANSWERED = 50  # messages a bench remembers after the server answered for them (to resend one on purpose)
TEXTS = (
    "Više klupa u hladu, molim.",
    "Bolja rasvjeta u parku.",
    "Česma s pitkom vodom kod igrališta.",
    "Biciklistička staza do škole.",
    "Više kanti za otpad i češće odvoženje.",
)
lock = threading.Lock()  # the outboxes: the MQTT network threads settle them, the main thread fills them


class SimulatorError(Exception):
    """Why the fleet cannot run, in words for the developer at the command line."""


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


class Flash:
    """What a bench keeps across reboots, in `<state>/<bench id>.json` (readable by its owner only, for it holds
    the secret): its credential, the last sequence number it used and its outbox, oldest first."""

    def __init__(self, path: Path):
        self.path = path
        stored = json.loads(path.read_text()) if path.exists() else {}
        self.credential: str = stored.get("credential", "")
        self.seq: int = stored.get("seq", 0)
        self.outbox: dict[str, dict] = {message["id"]: message for message in stored.get("outbox", [])}

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.touch(mode=0o600)
        temporary.write_text(
            json.dumps({"credential": self.credential, "seq": self.seq, "outbox": list(self.outbox.values())})
        )
        temporary.replace(self.path)


@dataclass
class Summary:
    """What the fleet did and what the server answered."""

    benches: int = 0
    provisioned: int = 0  # benches that exchanged a claim code in this run (the others kept their credential)
    written: Counter = field(default_factory=Counter)  # new messages by type
    sent: int = 0  # messages sent, resends included
    resent: int = 0  # messages sent again for want of an answer
    resent_on_purpose: int = 0  # messages already answered, sent again as a bench that lost the answer would
    malformed: int = 0  # broken payloads sent on purpose
    flushes: list = field(default_factory=list)  # sizes of the batches sent when an outage ended
    accepted: int = 0
    duplicate: int = 0
    rejected: Counter = field(default_factory=Counter)  # by reason
    outbox_left: int = 0
    open_polls: int = 0
    seconds: float = 0.0

    def lines(self, minutes: int, transport: str) -> list[str]:
        written = ", ".join(f"{count} {kind}" for kind, count in sorted(self.written.items())) or "none"
        rejected = ", ".join(f"{reason} {count}" for reason, count in sorted(self.rejected.items())) or "none"
        flushes = (
            f"{len(self.flushes)} batches after outages, of up to {max(self.flushes)} messages"
            if self.flushes
            else "no outages"
        )
        return [
            f"{self.benches} benches ({self.provisioned} provisioned with a claim code now), {minutes} minutes of "
            f"fleet time over {transport.upper()} in {self.seconds:.1f} s; {self.open_polls} polls open to them",
            f"written: {sum(self.written.values())} messages ({written})",
            f"sent: {self.sent} messages ({self.resent} resent for want of an answer, {self.resent_on_purpose} "
            f"already answered sent again on purpose), {self.malformed} malformed payloads on purpose; {flushes}",
            f"server: {self.accepted} accepted, {self.duplicate} duplicate, {sum(self.rejected.values())} rejected "
            f"({rejected})",
            f"outbox left: {self.outbox_left} messages",
        ]


class SimBench:
    """One simulated bench: its registry row, its flash, its place in the model and its connection's state."""

    def __init__(self, bench, flash: Flash, index: int, seed: int, summary: Summary):
        from civiclink.benches import kiosk
        from civiclink.participation.polls import questions_of

        self.bench, self.flash, self.index, self.summary = bench, flash, index, summary
        self.id = str(bench.pk)
        self.rng = random.Random(f"{seed}:{index}")
        self.site = Site(
            self.id, float(bench.latitude), float(bench.longitude), tuple(bench.sensors), self.rng.uniform(0.6, 1.6)
        )
        self.power = Power(battery=bench.battery if bench.battery is not None else self.rng.uniform(60, 95))
        self.offset = self.rng.uniform(0, INTERVAL)  # each bench reports at its own second of the interval
        self.polls = [(poll, questions_of(poll)) for poll in kiosk.offer(bench.community).polls]
        self.config_version = bench.reported_config_version
        self.config_wanted = 0  # a configuration version received and not yet reported as applied
        self.down = 0  # intervals left of the current outage
        self.outage = 0  # length of the last outage, reported when it ends
        self.flushing = bool(flash.outbox)  # back from an outage (or a reboot) with a backlog to send as a batch
        self.sent_at: dict[str, float] = {}  # id -> when it was last sent (monotonic), until the server answers
        self.answered: deque = deque(maxlen=KEPT_ANSWERED)
        self.hold_until = 0.0  # after `rate_limited`: no sending before this (monotonic)
        self.backoff = 0

    # --- Writing ---------------------------------------------------------------------------------------------

    def write(self, kind: str, data: dict, when: datetime) -> None:
        """A new message, in the outbox before anything is sent."""
        with lock:
            self.flash.seq += 1
            message = {"id": str(uuid.uuid4()), "seq": self.flash.seq, "ts": _stamp(when), "type": kind, "data": data}
            self.flash.outbox[message["id"]] = message
        self.summary.written[kind] += 1

    def ballot(self, poll, questions) -> dict:
        """Plausible answers to every question of `poll`: people lean to the first choices."""
        answers = {}
        for question in questions:
            choices = [choice.pk for choice in question.choices.all()]
            most = min(question.max_choices or len(choices), len(choices))
            if question.kind == "text":
                if question.required or self.rng.random() < 0.2:
                    answers[str(question.pk)] = self.rng.choice(TEXTS)
            elif not choices:
                continue
            elif question.kind == "single":
                answers[str(question.pk)] = self.rng.choices(choices, [1 / (n + 1) for n in range(len(choices))])[0]
            elif question.kind == "multiple":
                answers[str(question.pk)] = self.rng.sample(choices, self.rng.randint(1, most))
            else:
                ranked = self.rng.sample(choices, self.rng.randint(1, most))
                answers[str(question.pk)] = {str(choice): rank for rank, choice in enumerate(ranked, start=1)}
        return answers

    def tick(self, when: datetime, offline_every: int, step: int, answer_rate: float) -> bool:
        """The bench's report at `when`, its kiosk's answers since the last one (`answer_rate` times the model's)
        and any event; whether it is online to send them."""
        from civiclink.benches import kiosk

        when -= timedelta(seconds=self.offset)
        data, answers = report(self.site, self.power, when, INTERVAL, self.rng, answer_rate)
        if answers and self.polls:
            # The kiosk makes people wait between answers; spaced at least that long within the interval.
            gap = settings.BENCH_KIOSK_COOLDOWN_SECONDS + 5
            for number in range(min(answers, INTERVAL // gap)):
                poll, questions = self.rng.choice(self.polls)
                token = kiosk.issue_tokens(self.bench, "poll", poll.pk, 1)[0]
                answer = {"token": token, "target": "poll", "id": poll.pk, "answers": self.ballot(poll, questions)}
                self.write("response", answer, when - timedelta(seconds=INTERVAL - gap * (number + 1)))
        self.write("telemetry", data, when)
        if self.config_wanted > self.config_version:
            self.config_version = self.config_wanted
            self.write("event", {"event": "config_applied", "version": self.config_version}, when)
        if self.down:
            self.down -= 1
            return False
        if self.outage:
            message = f"Uplink lost for {self.outage * INTERVAL // 60} min; outbox flushed"
            self.write("event", {"event": "error", "message": message}, when)
            self.outage = 0
            self.flushing = True
            return True
        if offline_every and (step + self.index) % offline_every == 0:
            self.down = self.outage = self.rng.randint(2, 5)  # the intervals it stays away, this one included
            self.down -= 1
            return False
        return True

    # --- Sending and the server's answers ----------------------------------------------------------------------

    def due(self, now: float, resend_after: float | None) -> list[dict]:
        """What to send now: every message of the outbox never sent, and those sent longer than `resend_after`
        seconds ago without an answer (None: all of them; HTTP answers at once, so anything left is due)."""
        if now < self.hold_until:
            return []
        with lock:
            messages = [
                message
                for message_id, message in self.flash.outbox.items()
                if resend_after is None
                or message_id not in self.sent_at
                or now - self.sent_at[message_id] > resend_after
            ]
            for message in messages:
                if message["id"] in self.sent_at:
                    self.summary.resent += 1
                self.sent_at[message["id"]] = now
        self.summary.sent += len(messages)
        return messages

    def settle(self, outcome: dict) -> None:
        """Delete from the outbox what the server answered for: accepted, duplicate, and rejected for any reason
        but `rate_limited`, which is kept, to be sent again after a growing wait."""
        limited = False
        with lock:
            self.summary.accepted += len(outcome.get("accepted", ()))
            self.summary.duplicate += len(outcome.get("duplicate", ()))
            done = [*outcome.get("accepted", ()), *outcome.get("duplicate", ())]
            for refusal in outcome.get("rejected", ()):
                self.summary.rejected[refusal["reason"]] += 1
                if refusal["reason"] == Reason.RATE_LIMITED:
                    limited = True
                    self.sent_at.pop(refusal["id"], None)
                else:
                    done.append(refusal["id"])
            for message_id in done:
                message = self.flash.outbox.pop(message_id, None)
                self.sent_at.pop(message_id, None)
                if message is not None:
                    self.answered.append(message)
        if limited:
            self.back_off()
        else:
            self.backoff = 0

    def back_off(self) -> None:
        """Send nothing for a while, longer each time in a row (after `rate_limited`, or no answer at all)."""
        self.hold_until = time.monotonic() + BACKOFF_SECONDS[min(self.backoff, len(BACKOFF_SECONDS) - 1)]
        self.backoff += 1

    def mischief(self, malformed: float, duplicates: float) -> list[bytes]:
        """Now and then a broken payload (as from a firmware bug: never kept in the outbox), or a message already
        answered, sent again as a bench does that lost the answer."""
        extra = []
        if self.rng.random() < malformed:
            self.summary.malformed += 1
            broken = {"id": str(uuid.uuid4()), "seq": self.flash.seq, "ts": _stamp(timezone.now())}
            extra.append(
                self.rng.choice(
                    [
                        json.dumps({**broken, "type": "telemetry", "data": {}}).encode()[:-7],  # cut off
                        json.dumps({**broken, "type": "telemetry", "data": {"battery": "full", "solar_w": 1}}).encode(),
                        json.dumps({**broken, "type": "selfie", "data": {}}).encode(),
                    ]
                )
            )
        if self.answered and self.rng.random() < duplicates:
            self.summary.resent_on_purpose += 1
            extra.append(json.dumps(self.rng.choice(self.answered)).encode())
        return extra


def _communities() -> list:
    """Local communities, taken in turn from each municipality, so that a small fleet spreads over all of them."""
    from civiclink.places.models import LocalCommunity

    by_municipality: dict[int, list] = {}
    for community in LocalCommunity.objects.select_related("municipality").order_by("municipality__name", "name"):
        by_municipality.setdefault(community.municipality_id, []).append(community)
    rounds = max((len(communities) for communities in by_municipality.values()), default=0)
    return [group[n] for n in range(rounds) for group in by_municipality.values() if n < len(group)]


def fleet(count: int, state: Path, seed: int, summary: Summary) -> list[SimBench]:
    """The `count` simulated benches, made or found in the registry and provisioned with a claim code unless their
    flash holds a credential that still works."""
    from civiclink.benches import credentials
    from civiclink.benches.models import Bench, Status

    communities = _communities()
    if not communities:
        raise SimulatorError("There are no local communities: load the demo first (civiclink demo --no-serve).")
    benches = []
    for index in range(count):
        community = communities[index % len(communities)]
        rng = random.Random(f"{seed}:place:{index}")
        municipality = community.municipality
        bench, _created = Bench.objects.get_or_create(
            community=community,
            name=NAME.format(index + 1),
            defaults={
                "address": "Simulated bench",
                "latitude": round(float(municipality.latitude or 44) + rng.uniform(-0.02, 0.02), 6),
                "longitude": round(float(municipality.longitude or 18) + rng.uniform(-0.02, 0.02), 6),
                "hardware_version": "simulator",
                "firmware_version": "sim-1",
                "sensors": rng.choice(
                    [[], ["particulates"], ["noise", "climate"], ["particulates", "noise", "climate"]]
                ),
                "status": Status.ACTIVE,
                "reporting_interval": INTERVAL,
            },
        )
        if bench.status != Status.ACTIVE:
            Bench.objects.filter(pk=bench.pk).update(status=Status.ACTIVE)
            bench.status = Status.ACTIVE
        flash = Flash(state / f"{bench.pk}.json")
        if credentials.authenticate(flash.credential) is None:
            bench, flash.credential = credentials.provision(credentials.issue_claim(bench))
            summary.provisioned += 1
        flash.seq = max(flash.seq, bench.last_seq)
        flash.save()
        benches.append(SimBench(bench, flash, index, seed, summary))
    summary.benches = len(benches)
    summary.open_polls = len({poll.pk for sim in benches for poll, _questions in sim.polls})
    return benches


# --- Transports ------------------------------------------------------------------------------------------------


def _chunks(messages: list[dict]) -> list[list[dict]]:
    size = settings.BENCH_MAX_BATCH
    return [messages[start : start + size] for start in range(0, len(messages), size)]


class Http:
    """`POST /api/v1/benches/messages` with the bench's bearer credential, on one kept-alive connection per bench.
    The answer settles the outbox at once."""

    resend_after = None

    def __init__(self, url: str):
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise SimulatorError(f"--url must be an http:// or https:// address, not {url!r}.")
        self.url = url
        self.parts = parts
        self.connections: dict[str, http.client.HTTPConnection] = {}

    def _request(self, sim: SimBench, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        connection = self.connections.get(sim.id)
        if connection is None:
            kind = http.client.HTTPSConnection if self.parts.scheme == "https" else http.client.HTTPConnection
            connection = self.connections[sim.id] = kind(self.parts.hostname, self.parts.port, timeout=30)
        headers = {"Authorization": f"Bearer {sim.flash.credential}", "Content-Type": "application/json"}
        try:
            connection.request(method, self.parts.path.rstrip("/") + path, body=body, headers=headers)
            answer = connection.getresponse()
            return answer.status, answer.read()
        except (OSError, http.client.HTTPException):
            connection.close()
            self.connections.pop(sim.id, None)
            return 0, b""

    def start(self, benches: list[SimBench]) -> None:
        """Each bench reads its configuration, as it does after booting."""
        for sim in benches:
            status, body = self._request(sim, "GET", "/api/v1/benches/config")
            if status == 0:
                raise SimulatorError(f"No server answers at {self.url}: start one (civiclink runserver) or pass --url.")
            if status != 200:
                raise SimulatorError(
                    f"The server refused bench {sim.id}'s credential (HTTP {status}): does it use the same database "
                    "as this command?"
                )
            sim.config_wanted = json.loads(body)["version"]

    def send(self, sim: SimBench, messages: list[dict]) -> None:
        for chunk in _chunks(messages):
            self.post(sim, json.dumps(chunk).encode())

    def post(self, sim: SimBench, body: bytes) -> None:
        status, answer = self._request(sim, "POST", "/api/v1/benches/messages", body)
        if status == 200:
            sim.settle(json.loads(answer))
        else:  # no network, a server error: the messages stay in the outbox, to be sent again in a while
            sim.back_off()

    send_raw = post

    def close(self) -> None:
        for connection in self.connections.values():
            connection.close()


class Mqtt:
    """Each bench on its own MQTT 5 connection (user name: its id; password: its secret) with a persistent
    session; it publishes with QoS 1 and settles its outbox by the acknowledgements on its `ack` topic."""

    resend_after = RESEND_SECONDS
    SESSION_EXPIRY = 24 * 3600
    CONNECT_SECONDS = 10.0  # a broker that was just signalled may take a moment to know a new bench

    def __init__(self):
        from civiclink.benches import broker

        self.broker = broker
        self.service = broker.connection()
        self.clients: dict[str, object] = {}

    def _connect(self, sim: SimBench):
        import paho.mqtt.client as mqtt
        from paho.mqtt.enums import CallbackAPIVersion
        from paho.mqtt.packettypes import PacketTypes
        from paho.mqtt.properties import Properties

        connected, refused = threading.Event(), []

        def on_connect(client, userdata, flags, reason_code, properties):
            if reason_code.is_failure:
                refused.append(str(reason_code))
            else:
                client.subscribe([(self.broker.topic(sim.id, "ack"), 1), (self.broker.topic(sim.id, "config"), 1)])
            connected.set()

        def on_message(client, userdata, message):
            try:
                document = json.loads(message.payload)
            except ValueError:
                return
            if message.topic.endswith("/ack"):
                sim.settle(document)
            elif isinstance(document.get("version"), int):
                sim.config_wanted = max(sim.config_wanted, document["version"])

        client = mqtt.Client(CallbackAPIVersion.VERSION2, client_id=f"bench-{sim.id}", protocol=mqtt.MQTTv5)
        client.username_pw_set(sim.id, sim.flash.credential.partition(".")[2])
        client.max_inflight_messages_set(100)
        client.on_connect = on_connect
        client.on_message = on_message
        properties = Properties(PacketTypes.CONNECT)
        properties.SessionExpiryInterval = self.SESSION_EXPIRY
        try:
            client.connect(
                self.service["host"], self.service["port"], keepalive=30, clean_start=False, properties=properties
            )
        except OSError as error:
            raise SimulatorError(
                f"No MQTT broker at {self.service['host']}:{self.service['port']} ({error}); see CIVICLINK_MQTT_URL."
            ) from None
        client.loop_start()
        if not connected.wait(self.CONNECT_SECONDS) or refused:
            client.loop_stop()
            return None, refused[0] if refused else "no answer"
        return client, ""

    def start(self, benches: list[SimBench]) -> None:
        for sim in benches:
            deadline = time.monotonic() + self.CONNECT_SECONDS
            while True:
                client, refusal = self._connect(sim)
                if client is not None:
                    self.clients[sim.id] = client
                    break
                if time.monotonic() > deadline:
                    raise SimulatorError(
                        f"The broker refused bench {sim.id} ({refusal}). It reads the benches from its password "
                        "file: run `civiclink benches mosquitto-config DIR` and signal it (kill -HUP), or set "
                        "CIVICLINK_MOSQUITTO_DIR so that provisioning does it; then run bench-sim again (the benches "
                        "keep their credentials)."
                    )
                time.sleep(0.5)

    def send(self, sim: SimBench, messages: list[dict]) -> None:
        if len(messages) == 1:
            self.send_raw(sim, json.dumps(messages[0]).encode())
        else:
            for chunk in _chunks(messages):
                self.send_raw(sim, json.dumps(chunk).encode())

    def send_raw(self, sim: SimBench, body: bytes) -> None:
        self.clients[sim.id].publish(self.broker.topic(sim.id, "messages"), body, qos=1)

    def close(self) -> None:
        for client in self.clients.values():
            client.disconnect()
            client.loop_stop()


# --- The run ---------------------------------------------------------------------------------------------------


def _finish(link, benches: list[SimBench], timeout: float) -> None:
    """At the end of fleet time every bench is online: send what the outboxes hold and wait for the answers (HTTP
    answers at once; MQTT acknowledges through the worker), sending again what goes unanswered, until the outboxes
    are empty or `timeout` seconds have passed (a rate limit still holding, no worker running)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for sim in benches:
            if messages := sim.due(time.monotonic(), link.resend_after):
                link.send(sim, messages)
        with lock:
            if not any(sim.flash.outbox for sim in benches):
                return
        time.sleep(0.1)


def run(
    *,
    benches: int = 12,
    minutes: int = 60,
    transport: str = "http",
    offline_every: int = 0,
    seed: int = 1,
    speed: float = 0.0,
    url: str = "http://127.0.0.1:8000",
    state: Path | None = None,
    malformed: float = 0.01,
    duplicates: float = 0.01,
    answer_rate: float = 1.0,
    settle_seconds: float = 30.0,
) -> Summary:
    """Play `minutes` of fleet time, ending now: as fast as possible, or `speed` times faster than real time (1:
    in real time). See the module and `civiclink bench-sim --help`."""
    if speed and speed < 1:
        raise SimulatorError("--speed must be at least 1 (or 0: as fast as possible).")
    summary = Summary()
    started = time.monotonic()
    link = Http(url) if transport == "http" else Mqtt()
    sims = fleet(benches, state or Path(settings.VAR_DIR) / "bench-sim", seed, summary)
    try:
        link.start(sims)
        steps = minutes * 60 // INTERVAL
        begun = time.monotonic()
        end = timezone.now() + timedelta(seconds=minutes * 60 / speed if speed else 0)
        first = end - timedelta(seconds=steps * INTERVAL)
        for sim in sims:
            sim.write("event", {"event": "boot", "firmware": sim.bench.firmware_version or "sim-1"}, first)
        for step in range(1, steps + 1):
            if speed:  # fleet time runs `speed` times faster than the clock, and reaches now at the end
                time.sleep(max(0.0, begun + step * INTERVAL / speed - time.monotonic()))
            when = first + timedelta(seconds=step * INTERVAL)
            for sim in sims:
                if not sim.tick(when, offline_every, step, answer_rate):
                    continue
                if messages := sim.due(time.monotonic(), link.resend_after):
                    if sim.flushing:
                        summary.flushes.append(len(messages))
                    link.send(sim, messages)
                sim.flushing = False
                for body in sim.mischief(malformed, duplicates):
                    summary.sent += 1
                    link.send_raw(sim, body)
        _finish(link, sims, settle_seconds)
    finally:
        link.close()
        for sim in sims:
            sim.flash.save()
        summary.outbox_left = sum(len(sim.flash.outbox) for sim in sims)
        summary.seconds = time.monotonic() - started
    return summary
