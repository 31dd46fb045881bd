"""Demo smart benches: 29 benches in local communities of the 12 municipalities, with 30 days of telemetry.

The history comes from the simulator's physical model (`benches/simulator.py`: sun, clouds, battery, people) and is
written directly as hourly aggregates in bulk, so that the demo loads in seconds. Each bench's last report then goes
through the real ingestion path (`ingest.store`) with its boot and any event, which sets the live fields the fleet
page judges. So the dashboard shows every case: online benches, two offline ones, a shaded panel that drained its
battery, a broken panel (no solar input, visible in daytime), a tamper alarm, an error, a configuration not yet
applied, a night-time spike of flagged answers, and a bench in each status. A few refused messages go through
ingestion too, so that the dead-letter list shows real reasons.

Every bench holding a credential was provisioned through a claim code, as a real bench is; the credentials are
thrown away (a developer provisions a bench of their own with `civiclink benches create`, or runs the simulator).
Seeded: every run makes the same benches and the same weather; times follow the clock."""

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import transaction
from django.utils import timezone

from civiclink.benches import broker, credentials, ingest
from civiclink.benches.models import Bench, DeadLetter, Status, Transport
from civiclink.benches.simulator import PANEL_W, Power, Site, report
from civiclink.places.models import LocalCommunity

SEED = 2026
DAYS = 30
INTERVAL = 900  # seconds between reports: a quarter of an hour
FIRMWARE = "2.4.1"
CONFIG = {"screen_brightness": 80, "quiet_hours": "23:00-06:00", "kiosk_languages": []}
ALL = ("particulates", "noise", "climate")


@dataclass(frozen=True)
class Spec:
    municipality: str
    community: str
    name: str
    address: str
    sensors: tuple[str, ...] = ()
    busyness: float = 1.0
    case: str = ""  # see `_history` and `_news`


BENCHES = [
    Spec("Mostar", "Centar I", "Musala", "Trg Musala", ALL, 1.6, "night_spike"),
    Spec("Mostar", "Zahum", "Zahum – park", "Park kod osnovne škole", ("particulates",), 1.0, "tamper"),
    Spec("Mostar", "Blagaj", "Blagaj – Vrelo Bune", "Parking kod Vrela Bune", ("climate",), 1.3),
    Spec("Jablanica", "Jablanica", "Most na Neretvi", "Kod muzeja, uz stari most", ("noise", "climate"), 1.2),
    Spec("Jablanica", "Ostrožac", "Ostrožac – jezero", "Obala Jablaničkog jezera", (), 0.7, "offline"),
    Spec("Ravno", "Ravno", "Ravno – centar", "Kod općinske zgrade", (), 0.5),
    Spec("Ravno", "Zavala", "Zavala – Vjetrenica", "Ulaz u pećinu Vjetrenica", ("climate",), 0.8, "planned"),
    Spec("Zavidovići", "Centar", "Šetalište uz Krivaju", "Obala Krivaje", ("particulates", "noise"), 1.3),
    Spec("Zavidovići", "Kovači", "Kovači – škola", "Kod područne škole", (), 0.8, "low_battery"),
    Spec("Zavidovići", "Vozuća", "Vozuća – centar", "Kod mjesne zajednice", ("particulates",), 0.6),
    Spec("Žepče", "Žepče", "Gradski park Žepče", "Gradski park", ("particulates", "climate"), 1.1, "config"),
    Spec("Žepče", "Lug", "Lug – dom kulture", "Kod doma kulture", (), 0.6),
    Spec("Maglaj", "Maglaj", "Podno Starog grada", "Ispod tvrđave, uz Bosnu", ALL, 1.2),
    Spec("Maglaj", "Novi Šeher", "Novi Šeher – centar", "Kod džamije i pošte", ("noise",), 0.7, "error"),
    Spec("Maglaj", "Bočinja", "Bočinja – igralište", "Kod igrališta", (), 0.5, "maintenance"),
    Spec("Nevesinje", "Nevesinje", "Nevesinje – trg", "Glavni trg", ("particulates",), 1.0),
    Spec("Nevesinje", "Biograd", "Biograd – škola", "Kod škole", (), 0.5, "no_solar"),
    Spec("Berkovići", "Berkovići", "Berkovići – centar", "Kod zgrade opštine", (), 0.5),
    Spec("Berkovići", "Hodovo", "Hodovo – raskršće", "Na raskršću prema Stocu", ("climate",), 0.4, "long_offline"),
    Spec("Trebinje", "Gradska zona", "Platani", "Trg slobode, pod platanima", ALL, 1.6),
    Spec("Trebinje", "Police", "Police – igralište", "Kod igrališta", ("noise",), 1.0),
    Spec("Trebinje", "Arslanagića Most", "Arslanagića most", "Kod starog mosta", ("climate",), 0.9),
    Spec("Prijedor", "Centar", "Gradski trg Prijedor", "Gradski trg", ("particulates", "noise"), 1.5),
    Spec("Prijedor", "Kozarac", "Kozarac – centar", "Glavna ulica", ("particulates",), 1.0),
    Spec("Prijedor", "Ljubija", "Ljubija – rudarski trg", "Kod starog rudnika", (), 0.6, "retired"),
    Spec("Novi Grad", "Centar", "Šetalište uz Unu", "Obala Une", ("climate", "noise"), 1.2),
    Spec("Novi Grad", "Dobrljin", "Dobrljin – stanica", "Kod željezničke stanice", (), 0.6),
    Spec("Kostajnica", "Kostajnica", "Kostajnica – obala", "Obala Une, kod mosta", ("climate",), 0.9),
    Spec("Kostajnica", "Mrakodol", "Mrakodol – zadruga", "Kod zadruge", (), 0.5),
]

# When each case's history stops (before now), and what happened to its panel and since when.
STOPPED = {
    "offline": timedelta(hours=9),
    "long_offline": timedelta(days=2, hours=5),
    "maintenance": timedelta(days=6),
    "retired": timedelta(days=24),
}
PANEL = {"low_battery": (15.0, timedelta(days=5)), "no_solar": (0.0, timedelta(hours=30))}
STATUS = {"planned": Status.PLANNED, "maintenance": Status.MAINTENANCE, "retired": Status.RETIRED}


def _hour(moment: datetime) -> datetime:
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _message(kind: str, seq: int, ts: datetime, data: dict) -> dict:
    return {"id": str(uuid.uuid4()), "seq": seq, "ts": ts.isoformat(), "type": kind, "data": data}


@dataclass
class History:
    hours: dict  # {(bench id, hour): sums of the complete reports}, as ingestion adds them up
    last: dict  # the last reading, which goes through ingestion (which adds it to its hour)
    last_at: datetime
    seq: int


def _history(bench, site: Site, power: Power, start: datetime, end: datetime, seq: int, rng, panel=None) -> History:
    """The bench's reports every `INTERVAL` from `start` to `end` as hourly rows, but for the last one; `panel`,
    (watts, from when), is a panel that was shaded or broken."""
    hours: dict[tuple[str, datetime], ingest.HourSums] = {}
    when, last, step, bench_id = start, None, timedelta(seconds=INTERVAL), str(bench.pk)
    while when <= end:
        site.panel_w = panel[0] if panel and when >= panel[1] else PANEL_W
        data, answers = report(site, power, when, INTERVAL, rng)
        seq += 1 + answers
        if when + step > end:
            last = data
            break
        sums = hours.setdefault((bench_id, _hour(when)), ingest.HourSums())
        sums.add_telemetry(data)
        sums.answers += answers
        when += step
    return History(hours, last, when, seq)


def _first_history(bench: Bench, spec: Spec, site: Site, now: datetime) -> History:
    """From the bench's installation (at most `DAYS` ago) until now, or until its case stopped it."""
    rng = random.Random(f"{SEED}:{spec.name}")
    installed = datetime.combine(bench.installed_on, datetime.min.time(), tzinfo=UTC)
    start = max(now - timedelta(days=DAYS), installed) + timedelta(seconds=rng.uniform(0, INTERVAL))
    end = now - STOPPED.get(spec.case, timedelta(seconds=rng.uniform(0, INTERVAL)))
    panel = PANEL.get(spec.case)
    panel = panel and (panel[0], now - panel[1])
    history = _history(bench, site, Power(battery=rng.uniform(70, 95)), start, end, 0, rng, panel)
    if spec.case == "night_spike":  # 24 identical answers in one night hour three nights ago, kept but flagged
        night = _hour(timezone.localtime(now - timedelta(days=3)).replace(hour=2, minute=0))
        sums = history.hours[(str(bench.pk), night)]
        sums.answers += 24
        sums.flagged_answers += 24
    return history


def _news(spec: Spec, history: History, now: datetime) -> list[dict]:
    """What the bench last sent: its boot, its configuration applied, the event of its case and its last reading."""
    at, seq = history.last_at, history.seq
    booted = max(at - timedelta(days=4), now - timedelta(days=DAYS))
    messages = [
        _message("event", seq - 3, booted, {"event": "boot", "firmware": FIRMWARE}),
        _message("event", seq - 2, booted + timedelta(minutes=1), {"event": "config_applied", "version": 3}),
    ]
    if spec.case == "tamper":
        messages.append(_message("event", seq - 1, now - timedelta(hours=2, minutes=40), {"event": "tamper"}))
    elif spec.case == "error":
        message = "Modem restarted after 14 minutes without network"
        messages.append(_message("event", seq - 1, now - timedelta(hours=20), {"event": "error", "message": message}))
    messages.append(_message("telemetry", seq, at, history.last))
    return messages


def _send(bench: Bench, messages: list[dict], at: datetime) -> None:
    """Through ingestion, as received at `at` (which sets the live fields the fleet page judges)."""
    entry = ingest.Entry(str(bench.pk), messages, broker.topic(bench.pk, "messages"))
    ingest.store([entry], Transport.MQTT, now=at)


def _refusals(benches: list[Bench], now: datetime) -> int:
    """Refused messages of the kinds staff meet, through ingestion (which records each with its reason)."""
    first, second, third = benches[:3]
    good = _message("telemetry", 1, now - timedelta(hours=5), {"battery": 71.0, "solar_w": 12.0})
    entries = [
        ingest.Entry(str(first.pk), b'{"id": "7d1c", "seq": 88, "ts": "2026-', broker.topic(first.pk, "messages")),
        ingest.Entry(str(second.pk), [{**good, "type": "photo"}], broker.topic(second.pk, "messages")),
        ingest.Entry(str(third.pk), [{**good, "bench": str(second.pk)}], broker.topic(third.pk, "messages")),
        ingest.Entry(str(uuid.UUID(int=SEED)), [good], broker.topic(uuid.UUID(int=SEED), "messages")),
    ]
    ingest.store(entries, Transport.MQTT, now=now)
    too_hot = _message("telemetry", 2, now - timedelta(days=2), {"battery": 140, "solar_w": 3.5})
    ingest.store([ingest.Entry(str(second.pk), [too_hot])], Transport.HTTP, now=now)
    refused = list(DeadLetter.objects.order_by("-pk").values_list("pk", flat=True)[:5])
    for age, pk in enumerate(refused):
        DeadLetter.objects.filter(pk=pk).update(received_at=now - timedelta(days=age * 3 + 1, hours=age * 5))
    return len(refused)


def _site(bench: Bench, spec: Spec) -> Site:
    return Site(spec.name, float(bench.latitude), float(bench.longitude), spec.sensors, spec.busyness)


def _create(spec: Spec, community: LocalCommunity, now: datetime, rng: random.Random) -> Bench:
    municipality = community.municipality
    spread = 0.01 if spec.community == municipality.name or spec.community.startswith("Centar") else 0.05
    pending = spec.case == "config"
    if spec.case == "planned":
        days = -20
    elif spec.case in STOPPED:
        days = rng.randint(60, 500)
    else:
        days = rng.choice([rng.randint(40, 500), rng.randint(12, 25)])
    return Bench.objects.create(
        community=community,
        name=spec.name,
        address=spec.address,
        latitude=round(float(municipality.latitude or 44) + rng.uniform(-spread, spread), 6),
        longitude=round(float(municipality.longitude or 18) + rng.uniform(-spread, spread), 6),
        installed_on=(now - timedelta(days=days)).date(),
        hardware_version="CL-B2",
        firmware_version="" if spec.case == "planned" else FIRMWARE,
        sensors=list(spec.sensors),
        status=Status.ACTIVE if spec.case == "retired" else STATUS.get(spec.case, Status.ACTIVE),  # retired below
        reporting_interval=INTERVAL,
        desired_config={**CONFIG, "screen_brightness": 65} if pending else CONFIG,
        desired_config_version=4 if pending else 3,
    )


def _catch_up(now: datetime) -> int:
    """Bring the benches that are meant to be live up to now, as if they had reported since the demo was last
    loaded, so that the fleet page shows the same mix on another day: those whose last report is more than an hour
    old, from the hour after it. Returns the hours written."""
    specs = {spec.name: spec for spec in BENCHES if spec.case not in STOPPED and spec.case not in STATUS}
    hours, sent = {}, []
    for bench in Bench.objects.filter(name__in=specs, last_telemetry_at__lt=now - timedelta(hours=1)):
        spec = specs[bench.name]
        rng = random.Random(f"{SEED}:{spec.name}:{bench.last_telemetry_at.isoformat()}")
        start = max(_hour(bench.last_telemetry_at) + timedelta(hours=1), now - timedelta(days=DAYS))
        start += timedelta(seconds=rng.uniform(0, INTERVAL))
        panel = PANEL.get(spec.case)
        panel = panel and (panel[0], start)
        power = Power(battery=bench.battery or 50.0)
        history = _history(bench, _site(bench, spec), power, start, now, bench.last_seq, rng, panel)
        if history.last is not None:
            hours |= history.hours
            sent.append((bench, history))
    ingest.add_hours(hours)
    for bench, history in sent:
        _send(bench, [_message("telemetry", history.seq, history.last_at, history.last)], history.last_at)
    return len(hours)


@transaction.atomic
def load(now: datetime | None = None) -> str:
    """Load the demo benches; if they are there, bring the live ones up to `now` (a test passes another day)."""
    now = now or timezone.now()
    if Bench.objects.filter(name__in=[spec.name for spec in BENCHES]).exists():
        hours = _catch_up(now)
        return f"benches: demo benches already present{f', {hours} hours of telemetry added' if hours else ''}"
    rng = random.Random(SEED)
    communities = {
        (community.municipality.name, community.name): community
        for community in LocalCommunity.objects.select_related("municipality")
    }
    made, hours, sent = [], {}, []
    for spec in BENCHES:
        community = communities.get((spec.municipality, spec.community))
        if community is None:
            continue
        bench = _create(spec, community, now, rng)
        made.append(bench)
        if spec.case == "planned":
            continue
        credentials.provision(credentials.issue_claim(bench))
        history = _first_history(bench, spec, _site(bench, spec), now)
        hours |= history.hours
        sent.append((bench, spec, history))
    ingest.add_hours(hours)
    for bench, spec, history in sent:
        _send(bench, _news(spec, history, now), history.last_at)
        if spec.case == "retired":
            credentials.revoke(bench)
            Bench.objects.filter(pk=bench.pk).update(status=Status.RETIRED)
    refused = _refusals([bench for bench, _spec, _history in sent], now)
    municipalities = len({bench.community.municipality_id for bench in made})
    return (
        f"benches: {len(made)} benches in {municipalities} municipalities, {len(hours)} hours of telemetry, "
        f"{refused} refused messages"
    )
