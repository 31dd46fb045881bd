"""CivicLink's smart-benches benchmark: MQTT and HTTP ingestion on PostgreSQL, measured in one run against what the
broker alone passes, and the staff dashboard (bench/benches_dashboard.py, when present).

    uv run python bench/benches.py [--benches 100] [--window 50] [--mqtt-workers 1 2] [--http-clients 8]
                                   [--seconds 20] [--warmup 3] [--skip mqtt http dashboard] [--drop]

It (re)creates a PostgreSQL database of its own (`civiclink_bench_benches`), migrates it and makes a fleet of
`--benches` provisioned benches (bench/benches_data.py), writes Mosquitto's files from the registry with
`civiclink benches mosquitto-config` and starts a broker of its own on a free port. The per-bench rate limit is set
high (CIVICLINK_BENCH_RATE_LIMIT below): the fleet sends far more than a real bench would. Then, one after the other:
(a) baseline: the fleet (bench/benches_mqtt.py) publishes to a plain paho subscriber that stores nothing;
(b) MQTT end to end: the same fleet, with 1 and then 2 `civiclink bench-ingest` workers (shared subscription); a
    message counts when its id comes back in the worker's acknowledgement (published, stored, acknowledged);
(c) HTTP: gunicorn with production settings; each client is a bench posting batches of `--batch` new messages;
(d) the dashboard, measured by bench/benches_dashboard.py's `measure_dashboard(args)`.
Every load checks afterwards that exactly what was sent was stored. It prints a Markdown table with messages per
second, latencies, and the CPU each party spent per message (read from /proc), and the targets.
"""

import argparse
import asyncio
import contextlib
import os
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg

import cpumeter
import loadgen
import run
from benches_mqtt import TEMPLATE, Fleet

try:
    import benches_dashboard  # the dashboard's part, written apart (bench/benches_dashboard.py)
except ImportError:
    benches_dashboard = None

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/civiclink_bench_benches"
RATE_LIMIT = "100000000/h"  # per bench: off, in effect, for a fleet that sends thousands of messages a second
TARGET_RATE = 5000  # messages per second, MQTT end to end and HTTP
TARGET_SHARE = 0.5  # of the baseline, MQTT end to end
MOSQUITTO = "mosquitto"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benches", type=int, default=100, help="benches publishing over MQTT (default 100)")
    parser.add_argument("--window", type=int, default=50, help="unconfirmed messages per bench (default 50)")
    parser.add_argument(
        "--mqtt-workers", type=int, nargs="+", default=[1, 2], help="worker counts to measure (default 1 2)"
    )
    parser.add_argument("--http-clients", type=int, default=8, help="benches posting at once (default 8)")
    parser.add_argument("--batch", type=int, default=100, help="messages per HTTP request (default 100)")
    parser.add_argument(
        "--skip", nargs="+", default=[], choices=["mqtt", "http", "dashboard"], help="parts not to measure"
    )
    run.add_load_arguments(parser, DEFAULT_DATABASE)
    if benches_dashboard:
        benches_dashboard.add_dashboard_arguments(parser)
    return parser.parse_args()


def prepare(args: argparse.Namespace, env: dict[str, str]) -> list[tuple[str, str]]:
    run.prepare_database(args, env, demo=False)
    fleet = run.data_script(
        f"making a fleet of {args.benches} benches with fresh credentials",
        "benches_data.py",
        ["--benches", str(args.benches)],
        env,
    )
    run.collect_static(env)
    return [tuple(pair) for pair in fleet]


def stored_messages(database_url: str) -> int:
    with psycopg.connect(database_url, autocommit=True, connect_timeout=10) as connection:
        return connection.execute("SELECT count(*) FROM benches_message").fetchone()[0]


def wait_for_line(log: Path, text: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while text not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"{process.args[-1]}: no {text!r} within {timeout:g} s:\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


@contextlib.contextmanager
def mosquitto(env: dict[str, str], directory: Path, port: int):
    """A broker of the benchmark's own, configured by `civiclink benches mosquitto-config`."""
    command = [*run.CIVICLINK, "benches", "mosquitto-config", str(directory), "--port", str(port)]
    if os.geteuid() == 0:
        command += ["--user", "root"]  # it would otherwise drop to a user that cannot read the scratch folder
    run.step("writing Mosquitto's files from the registry", command, env)
    log = directory / "mosquitto.log"
    with open(log, "ab") as output:
        broker = subprocess.Popen([MOSQUITTO, "-c", str(directory / "mosquitto.conf")], stdout=output, stderr=output)  # noqa: S603
    try:
        wait_for_line(log, "running", broker)
        print(f"· Mosquitto running on port {port}", flush=True)
        yield broker
    finally:
        run.stop(broker)


@contextlib.contextmanager
def workers(count: int, env: dict[str, str], directory: Path):
    """`civiclink bench-ingest --worker N`, `count` of them, each subscribed before the block starts."""
    started = []
    try:
        for number in range(1, count + 1):
            log = directory / f"bench-ingest-{number}.log"
            with open(log, "ab") as output:
                command = [*run.CIVICLINK, "bench-ingest", "--worker", str(number), "--log-every", "5"]
                started.append(subprocess.Popen(command, env=env, cwd=run.ROOT, stdout=output, stderr=output))  # noqa: S603
            wait_for_line(log, "Ingesting as", started[-1])
        yield started
    finally:
        for process in started:
            run.stop(process)


class Meter:
    """CPU seconds over the measured window, per party (each a function giving its process ids at the start), for
    this process (the load generator), and for everything else on the machine."""

    def __init__(self, parties: dict[str, Callable[[], list[int]]]):
        self.parties = parties
        self.usage: dict[str, float] = {}

    def _sample(self) -> dict[str, float]:
        sample = {name: sum(map(cpumeter.process_seconds, pids)) for name, pids in self.pids.items()}
        sample["load"] = time.process_time()
        sample["busy"], sample["capacity"] = cpumeter.machine_seconds()
        return sample

    def __call__(self, edge: str) -> None:
        if edge == "start":
            self.pids = {name: pids() for name, pids in self.parties.items()}
            self.started = self._sample()
            return
        ended = self._sample()
        self.usage = {name: ended[name] - self.started[name] for name in ended}
        accounted = sum(value for name, value in self.usage.items() if name not in ("busy", "capacity"))
        self.usage["others"] = max(0.0, self.usage["busy"] - accounted)


@dataclass
class Row:
    title: str
    messages: int  # confirmed (MQTT) or stored (HTTP) in the measured window
    seconds: float
    percentile_ms: Callable[[float], float]
    usage: dict[str, float]

    @property
    def rate(self) -> float:
        return self.messages / self.seconds


def with_children(pid: int) -> Callable[[], list[int]]:
    return lambda: [pid, *cpumeter.children(pid)]


async def _follow(subscriber: asyncio.subprocess.Process, fleet: Fleet) -> None:
    while line := await subscriber.stdout.readline():
        fleet.confirm_count(int(line))


async def _drive(fleet_credentials, port: int, args, parties: dict, subscriber_url: str | None = None):
    """Run the fleet against the broker: (what was confirmed in the window, the meter, messages sent, messages
    left unconfirmed). With `subscriber_url`, the plain subscriber runs too and confirms by its count."""
    subscriber = reader = None
    if subscriber_url:
        command = [sys.executable, str(run.ROOT / "bench" / "benches_mqtt.py"), "subscribe", subscriber_url]
        subscriber = await asyncio.create_subprocess_exec(*command, stdout=asyncio.subprocess.PIPE)
        if (await subscriber.stdout.readline()).strip() != b"subscribed":
            raise SystemExit("the plain subscriber did not subscribe")
        parties = parties | {"consumer": lambda: [subscriber.pid]}
    meter = Meter(parties)
    fleet = Fleet("127.0.0.1", port, fleet_credentials, args.window, by_count=subscriber is not None)
    try:
        await fleet.connect()
        if subscriber:
            reader = asyncio.create_task(_follow(subscriber, fleet))
        stats = await fleet.measure(args.warmup, args.seconds, meter)
    finally:
        fleet.close()
        if subscriber:
            if reader:
                reader.cancel()
            subscriber.terminate()
            await subscriber.wait()
    return stats, meter, fleet.sent(), fleet.unconfirmed()


async def _post_load(port: int, fleet_credentials, args, meter: Meter) -> tuple[loadgen.Result, int]:
    """Like `loadgen.run`, but every request is a new batch of `args.batch` messages from the client's bench; also
    returns how many requests were sent in all (warm-up included), answered or not."""
    loop = asyncio.get_running_loop()
    measure_from = loop.time() + args.warmup
    deadline = measure_from + args.seconds
    result = loadgen.Result(url=f"http://127.0.0.1:{port}/api/v1/benches/messages", seconds=args.seconds)
    loop.call_at(measure_from, meter, "start")
    loop.call_at(deadline, meter, "end")

    attempted = 0

    def request(bench_id: str, secret: str, seq: int) -> bytes:
        nonlocal attempted
        attempted += 1
        stamp = datetime.now(UTC).isoformat()
        body = ",".join(
            TEMPLATE % (uuid.uuid4(), seq + n, stamp, 50 + n % 50, n % 80 / 2, 3, 21.5) for n in range(args.batch)
        ).join("[]")
        return (
            f"POST /api/v1/benches/messages HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: civiclink-bench\r\n"
            f"Authorization: Bearer {bench_id}.{secret}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n{body}"
        ).encode()

    async def client(bench_id: str, secret: str) -> None:
        connection = None
        seq = 0
        while loop.time() < deadline:
            seq += args.batch
            started = time.perf_counter_ns()
            try:
                if connection is None or not connection.keep_alive or connection.transport.is_closing():
                    _, connection = await loop.create_connection(loadgen._Connection, "127.0.0.1", port)
                status = await asyncio.wait_for(
                    connection.send(request(bench_id, secret, seq)), loadgen.REQUEST_TIMEOUT
                )
            except (OSError, TimeoutError):
                if connection is not None:
                    connection.transport.close()
                connection, status = None, 0
            result.succeeded_total += status == 200
            if measure_from <= loop.time() <= deadline:
                if status == 200:
                    result.latencies_ns.append(time.perf_counter_ns() - started)
                else:
                    result.errors += 1
        if connection is not None:
            connection.transport.close()

    await asyncio.gather(*(client(*fleet_credentials[n % len(fleet_credentials)]) for n in range(args.http_clients)))
    return result, attempted


def _check(what: str, sent: int, stored: int, left: int = 0, unanswered: int = 0) -> str:
    """Nothing lost, nothing doubled: what the load sent is what the database gained (`unanswered`: messages of
    requests that timed out, which may or may not have been stored)."""
    if left or not sent - unanswered <= stored <= sent:
        return f"{what}: {sent:,} messages sent, {stored:,} stored, {left + unanswered:,} unconfirmed: NOT EXACT"
    if unanswered:
        return f"{what}: {sent:,} messages sent, {stored:,} stored ({unanswered:,} in requests that timed out)"
    return f"{what}: {sent:,} messages sent, {stored:,} stored: exact"


def measure_mqtt(args, env: dict[str, str], scratch: Path, fleet_credentials, service_url: str, port: int):
    """(a) and (b): rows and checks."""
    rows, checks = [], []
    (scratch / "mosquitto").mkdir()
    with mosquitto(env, scratch / "mosquitto", port) as broker:
        broker_parties = {"broker": lambda: [broker.pid], "database": run.service_pids(args)}
        print(f"· (a) baseline: {args.benches} benches → plain subscriber, {args.seconds:g} s", flush=True)
        stats, meter, _sent, left = asyncio.run(
            _drive(fleet_credentials, port, args, broker_parties, subscriber_url=service_url)
        )
        if left:
            raise SystemExit(f"baseline: {left} messages never reached the plain subscriber")
        title = "(a) MQTT, plain subscriber (stores nothing)"
        rows.append(Row(title, stats.confirmed, args.seconds, stats.percentile_ms, meter.usage))
        for count in args.mqtt_workers:
            print(f"· (b) end to end: {args.benches} benches → {count} bench-ingest worker(s)", flush=True)
            before = stored_messages(args.database_url)
            with workers(count, env, scratch) as started:
                parties = broker_parties | {"consumer": lambda started=started: [p.pid for p in started]}
                stats, meter, sent, left = asyncio.run(_drive(fleet_credentials, port, args, parties))
            stored = stored_messages(args.database_url) - before
            checks.append(_check(f"MQTT, {count} worker(s)", sent, stored, left))
            if stats.duplicates or stats.rejected:
                checks.append(f"MQTT, {count} worker(s): {stats.duplicates} duplicate, {stats.rejected} rejected")
            title = f"(b) MQTT end to end, {count} worker(s)"
            rows.append(Row(title, stats.confirmed, args.seconds, stats.percentile_ms, meter.usage))
    return rows, checks


def measure_http(args, env: dict[str, str], fleet_credentials):
    """(c): a row and checks."""
    port = run.free_port()
    print(f"· (c) HTTP: {args.http_clients} benches posting batches of {args.batch}", flush=True)
    before = stored_messages(args.database_url)
    with run.gunicorn(args, env, port) as server:
        meter = Meter({"consumer": with_children(server.pid), "database": run.service_pids(args)})
        result, attempted = asyncio.run(_post_load(port, fleet_credentials, args, meter))
    stored = stored_messages(args.database_url) - before
    unanswered = (attempted - result.succeeded_total) * args.batch
    checks = [_check("HTTP", attempted * args.batch, stored, unanswered=unanswered)]
    if result.errors:
        checks.append(f"HTTP: {result.errors} requests failed or timed out in the measured window")
    title = f"(c) HTTP, batches of {args.batch}, {args.http_clients} clients"
    row = Row(title, len(result.latencies_ns) * args.batch, args.seconds, result.percentile_ms, meter.usage)
    return [row], checks


def main() -> None:
    args = parse_args()
    if args.http_clients > args.benches:
        raise SystemExit("--http-clients must not exceed --benches: each client is a bench")
    rows, checks = [], []
    with run.workspace(args) as (env, scratch):
        port = run.free_port()
        service_url = f"mqtt://civiclink-ingest:{secrets.token_urlsafe(16)}@127.0.0.1:{port}"
        env = env | {"CIVICLINK_MQTT_URL": service_url, "CIVICLINK_BENCH_RATE_LIMIT": RATE_LIMIT, "LOG_LEVEL": "INFO"}
        fleet_credentials = prepare(args, env)
        run.empty_cache(args.redis_url)
        print(f"· per-bench rate limit set to {RATE_LIMIT} (CIVICLINK_BENCH_RATE_LIMIT)", flush=True)
        print("· load average before the run: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
        if "mqtt" not in args.skip:
            more_rows, more_checks = measure_mqtt(args, env, scratch, fleet_credentials, service_url, port)
            rows += more_rows
            checks += more_checks
        if "http" not in args.skip:
            more_rows, more_checks = measure_http(args, env, fleet_credentials)
            rows += more_rows
            checks += more_checks
        if rows:
            report(rows, checks)
        if "dashboard" not in args.skip:
            dashboard(args)


def report(rows: list[Row], checks: list[str]) -> None:
    print(
        "\n| load | messages/s | ÷ (a) | p50 ms | p95 ms | p99 ms | consumer CPU µs/msg | broker µs/msg "
        "| PostgreSQL + Redis µs/msg | load generator µs/msg | others' CPU |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    baseline = rows[0].rate if rows[0].title.startswith("(a)") else float("nan")
    verdicts = []
    for row in rows:
        per = 1e6 / max(1, row.messages)
        usage = row.usage
        print(
            f"| {row.title} | {row.rate:,.0f} | {row.rate / baseline:.0%} | {row.percentile_ms(50):.1f} "
            f"| {row.percentile_ms(95):.1f} | {row.percentile_ms(99):.1f} | {usage.get('consumer', 0) * per:.0f} "
            f"| {usage.get('broker', 0) * per:.0f} | {usage.get('database', 0) * per:.0f} | {usage['load'] * per:.0f} "
            f"| {usage['others'] / usage['capacity']:.0%} |"
        )
        if row.title.startswith("(b)"):
            met = row.rate >= TARGET_RATE and row.rate / baseline >= TARGET_SHARE
            verdicts.append(
                f"{row.title}: ≥ {TARGET_RATE:,} messages/s and ≥ {TARGET_SHARE:.0%} of (a): "
                f"{'met' if met else 'MISSED'} ({row.rate:,.0f}/s, {row.rate / baseline:.0%})"
            )
        elif row.title.startswith("(c)"):
            met = row.rate >= TARGET_RATE
            verdicts.append(
                f"{row.title}: ≥ {TARGET_RATE:,} messages/s: {'met' if met else 'MISSED'} ({row.rate:,.0f}/s)"
            )
    print(
        "\nMQTT latencies are per message, from publishing to its id in the acknowledgement ((a): to the plain "
        "subscriber's count passing it); HTTP latencies are per request. CPU per message is over the measured window."
    )
    print("\nNothing lost, nothing doubled:\n" + "\n".join(f"- {check}" for check in checks))
    print("\nTargets:\n" + "\n".join(f"- {verdict}" for verdict in verdicts))


def dashboard(args: argparse.Namespace) -> None:
    if benches_dashboard is None:
        print("\n(d) dashboard: skipped (bench/benches_dashboard.py is missing)")
        return
    print("\n· (d) dashboard (bench/benches_dashboard.py)", flush=True)
    figures = benches_dashboard.measure_dashboard(args)
    pages = {name: value for name, value in figures.items() if isinstance(value, dict) and "path" in value}
    if pages:
        columns = list(next(iter(pages.values())))
        print("\n| page | " + " | ".join(columns) + " |")
        print("| --- |" + " ---: |" * len(columns))
        for name, page in pages.items():
            print(f"| {name} | " + " | ".join(str(page.get(column, "")) for column in columns) + " |")
    for name, value in figures.items():
        if name not in pages:
            print(f"- {name}: {value}")


if __name__ == "__main__":
    main()
