"""CivicLink's benchmark: serve the site as in production and measure public pages against a floor that does no work.

    uv run python bench/run.py [--clients 16] [--seconds 20] [--url /bs/organisations/ ...] [--drop]

It (re)creates a PostgreSQL database, migrates it, loads the demo data and tops it up to 1,000 verified CSOs
(bench/generate.py), empties its own Redis database (the shared cache, as in production), collects static files
into a temporary folder, starts gunicorn with production settings on 127.0.0.1 and loads each URL in turn with
bench/loadgen.py. Every step is bounded in time; gunicorn is stopped on the way out, whatever happens.
See docs/performance.md for the figures and for why gunicorn is set up this way.
"""

import argparse
import http.client
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import redis
from psycopg import sql

import cpumeter
import loadgen

ROOT = Path(__file__).resolve().parent.parent
FLOOR = "/bench/floor"
DEFAULT_PATHS = [FLOOR, "/bs/municipalities/", "/bs/organisations/", "/bs/organisations/?q=udruzenje&network=on"]
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/civiclink_bench"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"
SETUP_TIMEOUT = 600  # seconds for migrations and data; a fresh database takes well under a minute
CIVICLINK = [sys.executable, "-m", "civiclink.cli"]
# The figures of a load, in the columns every benchmark's table ends with (see `figures`).
FIGURES = (
    "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "÷ floor",
    "server CPU ms/req", "PostgreSQL + Redis CPU ms/req", "client CPU", "others' CPU",
)  # fmt: skip


def add_load_arguments(parser: argparse.ArgumentParser, database: str) -> None:
    """The options every benchmark shares: the load, the server and the database it creates."""
    parser.add_argument("--clients", type=int, default=16, help="concurrent keep-alive connections (default 16)")
    parser.add_argument("--seconds", type=float, default=20, help="measured seconds per load (default 20)")
    parser.add_argument("--warmup", type=float, default=3, help="unmeasured seconds before each load (default 3)")
    parser.add_argument("--worker-class", choices=["gthread", "sync"], default="gthread", help="(default gthread)")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes (default 3)")
    parser.add_argument("--threads", type=int, default=2, help="threads per gthread worker (default 2)")
    parser.add_argument("--database-url", default=database, help=f"database to create (default {database})")
    parser.add_argument("--reuse-db", action="store_true", help="keep the database of an earlier run as it is")
    parser.add_argument(
        "--redis-url",
        default=DEFAULT_REDIS,
        help=f"cache, emptied before and after the run (default {DEFAULT_REDIS}); '' for the per-process default",
    )
    parser.add_argument("--drop", action="store_true", help="drop the database when done")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--url",
        action="append",
        dest="paths",
        metavar="PATH",
        help=f"path to load; repeat for more (default: {', '.join(DEFAULT_PATHS)}); the floor is always measured",
    )
    parser.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (default: a free one)")
    add_load_arguments(parser, DEFAULT_DATABASE)
    args = parser.parse_args()
    paths = args.paths or DEFAULT_PATHS
    args.paths = paths if FLOOR in paths else [FLOOR, *paths]
    return args


def _admin_connection(database_url: str) -> psycopg.Connection:
    """A connection to the server's `postgres` database, from which the benchmark's database is created or dropped."""
    parts = urlsplit(database_url)
    return psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=10)


def _database_name(database_url: str) -> str:
    return urlsplit(database_url).path.lstrip("/")


def database_exists(database_url: str) -> bool:
    with _admin_connection(database_url) as connection:
        query = "SELECT 1 FROM pg_database WHERE datname = %s"
        return connection.execute(query, [_database_name(database_url)]).fetchone() is not None


def drop_database(database_url: str) -> None:
    name = sql.Identifier(_database_name(database_url))
    with _admin_connection(database_url) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def create_database(database_url: str) -> None:
    drop_database(database_url)
    name = sql.Identifier(_database_name(database_url))
    with _admin_connection(database_url) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(name))


def environment(args: argparse.Namespace, scratch: Path) -> dict[str, str]:
    """Production settings, except plain HTTP on loopback, with a throw-away secret key and folders."""
    return os.environ | {
        "DATABASE_URL": args.database_url,
        "CIVICLINK_ENV": "production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "CONN_MAX_AGE": "600",
        "CIVICLINK_BENCH_FLOOR": "1",
        "CIVICLINK_VAR_DIR": str(scratch / "var"),
        "STATIC_ROOT": str(scratch / "static"),
        "MEDIA_ROOT": str(scratch / "media"),
        "LOG_LEVEL": "WARNING",
        "REDIS_URL": args.redis_url,
    }


@contextmanager
def cleanup(args: argparse.Namespace) -> Iterator[None]:
    """Whatever happens in the block: an empty cache at the end, and the database dropped with --drop."""
    try:
        yield
    finally:
        empty_cache(args.redis_url)
        if args.drop:
            drop_database(args.database_url)
            print(f"· dropped database {_database_name(args.database_url)}")


@contextmanager
def workspace(args: argparse.Namespace) -> Iterator[tuple[dict[str, str], Path]]:
    """The run's environment and its scratch folder, removed when the block ends; then `cleanup`."""
    with cleanup(args), tempfile.TemporaryDirectory(prefix="civiclink-bench-") as scratch:
        yield environment(args, Path(scratch)), Path(scratch)


def step(title: str, command: list[str], env: dict[str, str], timeout: float = SETUP_TIMEOUT) -> str:
    """Run a set-up command quietly; show what it said only if it failed, and give its output to the caller."""
    print(f"· {title}", flush=True)
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=timeout)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"{title} failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return done.stdout


def data_script(
    title: str, script: str | Path, arguments: list[str], env: dict[str, str], timeout: float = SETUP_TIMEOUT
) -> Any:
    """Run one of the bench's data scripts (a name in bench/, or a path) quietly; its last line of output is JSON."""
    output = step(title, [sys.executable, str(ROOT / "bench" / script), *arguments], env, timeout)
    return json.loads(output.strip().splitlines()[-1])


def collect_static(env: dict[str, str]) -> None:
    step("collecting static files", [*CIVICLINK, "collectstatic", "--noinput"], env)


def empty_cache(redis_url: str) -> None:
    """Pages cached by an earlier run were rendered from another database: start and end with an empty cache."""
    if redis_url:
        redis.Redis.from_url(redis_url, socket_timeout=10).flushdb()


def prepare_database(
    args: argparse.Namespace, env: dict[str, str], *, demo: bool = True, csos: bool = False, reuse: bool = False
) -> None:
    """Create the benchmark's database and migrate it, with the demo data (`demo`) topped up to 1,000 verified CSOs
    (`csos`), unless it exists and may be kept as it is: with --reuse-db, or always with `reuse`."""
    name = _database_name(args.database_url)
    if (args.reuse_db or reuse) and database_exists(args.database_url):
        print(f"· reusing database {name}", flush=True)
        return
    print(f"· creating database {name}", flush=True)
    create_database(args.database_url)
    if demo:
        step("migrating and loading the demo data", [*CIVICLINK, "demo", "--no-serve"], env)
    else:
        step("migrating", [*CIVICLINK, "migrate", "--noinput"], env)
    if csos:
        step("generating CSOs up to 1,000 verified", [sys.executable, str(ROOT / "bench" / "generate.py")], env)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(args: argparse.Namespace, env: dict[str, str], port: int):
    """gunicorn serving the site on 127.0.0.1:`port` until the block ends; ready when the floor answers."""
    command = [
        sys.executable, "-m", "gunicorn", "civiclink.wsgi:application",
        "--bind", f"127.0.0.1:{port}",
        "--worker-class", args.worker_class, "--workers", str(args.workers), "--threads", str(args.threads),
        "--keep-alive", "5", "--log-level", "warning",
    ]  # fmt: skip
    print(f"· starting gunicorn: {' '.join(command[3:])}", flush=True)
    server = subprocess.Popen(command, env=env, cwd=ROOT)  # noqa: S603 (our own interpreter and arguments)
    try:
        _wait_until_ready(f"http://127.0.0.1:{port}{FLOOR}", server)
        yield server
    finally:
        stop(server)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM, and a kill if the process has not finished 30 s later."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def _wait_until_ready(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with status {server.returncode}")
        try:
            if loadgen.fetch(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url} within {timeout:.0f} s")


def service_pids(args: argparse.Namespace) -> Callable[[], list[int]]:
    """The processes that serve gunicorn: PostgreSQL's backends for the bench's database, and Redis."""

    def pids() -> list[int]:
        with _admin_connection(args.database_url) as connection:
            query = "SELECT pid FROM pg_stat_activity WHERE datname = %s"
            found = [pid for (pid,) in connection.execute(query, [_database_name(args.database_url)])]
        if args.redis_url:
            found.append(redis.Redis.from_url(args.redis_url, socket_timeout=10).info("server")["process_id"])
        return found

    return pids


def check(url: str) -> int:
    """Refuse to measure a URL that does not answer 200 (a redirect or an error page would flatter the figures)."""
    status, body = loadgen.fetch(url)
    if status != 200:
        raise SystemExit(f"{url} answered {status}, not 200")
    return len(body)


def signed_in_request(port: int, path: str, cookie: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: civiclink-bench\r\nCookie: {cookie}\r\n\r\n"
    ).encode()


def check_signed_in(port: int, path: str, cookie: str, name: str) -> int:
    """Refuse to measure a signed-in page that does not answer 200 or does not name the visitor (a login redirect or
    an anonymous page would flatter the figures)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status} to the signed-in visitor, not 200")
    if name.encode() not in body:
        raise SystemExit(f"{path} does not show the signed-in visitor: the session cookie was not accepted")
    return len(body)


def measure(
    args: argparse.Namespace,
    server: subprocess.Popen,
    port: int,
    path: str,
    *,
    clients: int | None = None,
    seconds: float | None = None,
    cookie: str | None = None,
    visitor: str | None = None,
    label: str | None = None,
) -> tuple[int, loadgen.Result, cpumeter.Usage]:
    """Check `path` (signed in as `visitor` with `cookie`, if given), then load it with `clients` (default --clients)
    for `seconds` (default --seconds); its size, the figures and the CPU spent. `label` names the load (the path)."""
    clients = args.clients if clients is None else clients
    seconds = args.seconds if seconds is None else seconds
    url = f"http://127.0.0.1:{port}{path}"
    size = check_signed_in(port, path, cookie, visitor) if cookie else check(url)
    print(f"· {label or path}: {clients} clients, {args.warmup:g} s warm-up, {seconds:g} s", flush=True)
    meter = cpumeter.Meter(server.pid, service_pids(args))
    request = signed_in_request(port, path, cookie) if cookie else None
    result = loadgen.run(url, clients, seconds, args.warmup, meter, request=request)
    return size, result, meter.usage


def table_head(columns: str, rule: str) -> str:
    """A Markdown table's head: the table's own `columns` with their `rule` (alignments), then FIGURES."""
    return f"\n| {columns} | {' | '.join(FIGURES)} |\n| {rule} |" + " ---: |" * len(FIGURES)


def figures(result: loadgen.Result, usage: cpumeter.Usage, floor: float) -> str:
    """A load's cells under FIGURES; `floor` is the floor's requests per second, measured by the same server."""
    per_request = 1000 / max(1, len(result.latencies_ns))
    return (
        f"{result.rps:.0f} | {result.percentile_ms(50):.1f} | {result.percentile_ms(95):.1f} "
        f"| {result.percentile_ms(99):.1f} | {result.errors} | {result.rps / floor:.0%} "
        f"| {usage.server * per_request:.2f} | {usage.services * per_request:.2f} "
        f"| {usage.client / result.seconds:.0%} | {usage.others / usage.capacity:.0%}"
    )


def verdict(title: str, result: loadgen.Result, floor: float, p95_ms: float, share: float | None) -> str:
    """Whether a load met its targets: p95 under `p95_ms` and, unless `share` is None, that share of the floor."""
    p95, of_floor = result.percentile_ms(95), result.rps / floor
    met = p95 < p95_ms and (share is None or of_floor >= share)
    wanted = f"p95 < {p95_ms} ms" + ("" if share is None else f" and ≥ {share:.0%} of the floor")
    return f"{title}: {wanted}: {'met' if met else 'MISSED'} (p95 {p95:.1f} ms, {of_floor:.0%} of the floor)"


def report(rows: list[tuple[str, int, loadgen.Result, cpumeter.Usage]]) -> None:
    """The figures as a Markdown table, ready for docs/performance.md."""
    floor = next(result.rps for path, _, result, _ in rows if path == FLOOR)
    print(table_head("URL | KiB", "--- | ---:"))
    for path, size, result, usage in rows:
        print(f"| `{path}` | {size / 1024:.1f} | {figures(result, usage, floor)} |")


def main() -> None:
    args = parse_args()
    rows = []
    with workspace(args) as (env, _scratch):
        prepare_database(args, env, csos=True)
        collect_static(env)
        empty_cache(args.redis_url)
        port = args.port or free_port()
        with gunicorn(args, env, port) as server:
            print("· load average before the run: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
            for path in args.paths:
                rows.append((path, *measure(args, server, port, path)))
        report(rows)


if __name__ == "__main__":
    main()
