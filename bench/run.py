"""CivicLink's benchmark: serve the site as in production and measure public pages against a floor that does no work.

    uv run python bench/run.py [--clients 16] [--seconds 20] [--url /bs/organisations/ ...] [--drop]

It (re)creates a PostgreSQL database, migrates it, loads the demo data and tops it up to 1,000 verified CSOs
(bench/generate.py), empties its own Redis database (the shared cache, as in production), collects static files
into a temporary folder, starts gunicorn with production settings on 127.0.0.1 and loads each URL in turn with
bench/loadgen.py. Every step is bounded in time; gunicorn is stopped on the way out, whatever happens.
See docs/performance.md for the figures and for why gunicorn is set up this way.
"""

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
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


def step(title: str, command: list[str], env: dict[str, str]) -> None:
    """Run a set-up command quietly; show what it said only if it failed."""
    print(f"· {title}", flush=True)
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, timeout=SETUP_TIMEOUT)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"{title} failed ({done.returncode}):\n{done.stdout[-3000:]}{done.stderr[-3000:]}")


def empty_cache(redis_url: str) -> None:
    """Pages cached by an earlier run were rendered from another database: start and end with an empty cache."""
    if redis_url:
        redis.Redis.from_url(redis_url, socket_timeout=10).flushdb()


def prepare(args: argparse.Namespace, env: dict[str, str]) -> None:
    civiclink = [sys.executable, "-m", "civiclink.cli"]
    if args.reuse_db and database_exists(args.database_url):
        print(f"· reusing database {_database_name(args.database_url)}", flush=True)
    else:
        print(f"· creating database {_database_name(args.database_url)}", flush=True)
        create_database(args.database_url)
        step("migrating and loading the demo data", [*civiclink, "demo", "--no-serve"], env)
        step("generating CSOs up to 1,000 verified", [sys.executable, str(ROOT / "bench" / "generate.py")], env)
    step("collecting static files", [*civiclink, "collectstatic", "--noinput"], env)


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
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)


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


def report(results: list[tuple[loadgen.Result, cpumeter.Usage]], sizes: dict[str, int]) -> None:
    """The figures as a Markdown table, ready for docs/performance.md."""
    floor = next(result.rps for result, _ in results if urlsplit(result.url).path == FLOOR)
    print(
        "\n| URL | KiB | req/s | p50 ms | p95 ms | p99 ms | errors | ÷ floor "
        "| server CPU ms/req | PostgreSQL + Redis CPU ms/req | client CPU | others' CPU |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for result, usage in results:
        path = urlsplit(result.url)._replace(scheme="", netloc="").geturl()
        per_request = 1000 / max(1, len(result.latencies_ns))
        print(
            f"| `{path}` | {sizes[result.url] / 1024:.1f} | {result.rps:.0f} | {result.percentile_ms(50):.1f} "
            f"| {result.percentile_ms(95):.1f} | {result.percentile_ms(99):.1f} | {result.errors} "
            f"| {result.rps / floor:.0%} | {usage.server * per_request:.2f} | {usage.services * per_request:.2f} "
            f"| {usage.client / result.seconds:.0%} | {usage.others / usage.capacity:.0%} |"
        )


def main() -> None:
    args = parse_args()
    results, sizes = [], {}
    try:
        with tempfile.TemporaryDirectory(prefix="civiclink-bench-") as scratch:
            env = environment(args, Path(scratch))
            prepare(args, env)
            empty_cache(args.redis_url)
            port = args.port or free_port()
            with gunicorn(args, env, port) as server:
                print("· load average before the run: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
                for path in args.paths:
                    url = f"http://127.0.0.1:{port}{path}"
                    sizes[url] = check(url)
                    print(
                        f"· {path}: {args.clients} clients, {args.warmup:g} s warm-up, {args.seconds:g} s", flush=True
                    )
                    meter = cpumeter.Meter(server.pid, service_pids(args))
                    result = loadgen.run(url, args.clients, args.seconds, args.warmup, meter)
                    results.append((result, meter.usage))
        report(results, sizes)
    finally:
        empty_cache(args.redis_url)
        if args.drop:
            drop_database(args.database_url)
            print(f"· dropped database {_database_name(args.database_url)}")


if __name__ == "__main__":
    main()
