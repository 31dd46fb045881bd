"""CivicLink's dashboard benchmark: the staff fleet page and a bench's page with 1,000 benches and 30 days of hourly
telemetry, on PostgreSQL, as a signed-in staff member.

    uv run python bench/benches_dashboard.py [--benches 1000] [--days 30] [--dashboard-clients 4] [--seconds 20]

Alone, it creates and migrates its own database (`civiclink_bench_dashboard`) if missing; called by bench/benches.py
as `measure_dashboard(args)`, it works in that run's database. Either way it tops the fleet up to `--benches`
benches (spread over Bosnia and Herzegovina, most in service, with live battery, solar and last-seen values, some
of them offline or with a low battery) and fills `--days` × 24 hourly aggregates per bench with one
`INSERT … SELECT … generate_series` (skipping hours that exist), then starts gunicorn with production settings
and loads, one after the other, `/bs/benches/` (counts, map and list of the whole fleet) and one bench's page
(its 24-hour charts and 30 days of usage) with `--dashboard-clients` keep-alive clients: a few staff members
looking at once. The pages read the hourly aggregates and one row per bench, never raw messages.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import run

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/civiclink_bench_dashboard"
BENCHES = 1000
DAYS = 30
CLIENTS = 2
TARGET_P95_MS = 100  # the fleet page: the target
STAFF_EMAIL = "bench-staff@example.org"


def add_dashboard_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dashboard-benches", type=int, default=BENCHES, help=f"fleet size (default {BENCHES:,})")
    parser.add_argument("--days", type=int, default=DAYS, help=f"days of hourly telemetry (default {DAYS})")
    parser.add_argument(
        "--dashboard-clients", type=int, default=CLIENTS, help=f"staff members loading at once (default {CLIENTS})"
    )


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_dashboard_arguments(parser)
    run.add_load_arguments(parser, DEFAULT_DATABASE)
    return parser.parse_args()


# --- The data, made inside the benchmark's environment (`--make-data`) -------------------------------------------

HOURS_SQL = """
INSERT INTO benches_benchhour (
    bench_id, hour, samples, charging_sessions, answers, flagged_answers,
    battery_n, battery_sum, battery_min, battery_max, solar_n, solar_sum, solar_min, solar_max,
    wifi_clients_n, wifi_clients_sum, wifi_clients_min, wifi_clients_max,
    enclosure_temp_n, enclosure_temp_sum, enclosure_temp_min, enclosure_temp_max,
    pm25_n, pm25_sum, pm25_min, pm25_max, pm10_n, pm10_sum, pm10_min, pm10_max,
    noise_n, noise_sum, noise_min, noise_max, air_temp_n, air_temp_sum, air_temp_min, air_temp_max,
    humidity_n, humidity_sum, humidity_min, humidity_max)
SELECT b.id, h.hour, 12, (random() * 3)::int, a.answers, (a.answers > 2)::int,
    12, 12 * s.battery, s.battery - 3, s.battery + 3, 12, 12 * s.solar, 0, s.solar * 1.4,
    12, 12 * 4, 0, 9, 12, 12 * 22, 18, 27,
    12, 12 * 14, 8, 25, 12, 12 * 22, 12, 40,
    12, 12 * 55, 41, 72, 12, 12 * 16, 12, 21,
    12, 12 * 60, 48, 71
FROM benches_bench b
CROSS JOIN generate_series(date_trunc('hour', now()) - make_interval(hours => %(hours)s - 1), date_trunc('hour', now()),
                           interval '1 hour') AS h(hour)
CROSS JOIN LATERAL (SELECT 30 + 60 * random() AS battery,
                           greatest(0, 40 * sin(pi() * (extract(hour FROM h.hour) - 4) / 14)) AS solar) AS s
CROSS JOIN LATERAL (SELECT (random() * random() * 6)::int AS answers) AS a
WHERE b.status IN ('active', 'maintenance')
ON CONFLICT (bench_id, hour) DO NOTHING
"""

LIVE_SQL = """
UPDATE benches_bench SET
    last_seen_at = now() - random() * interval '25 minutes',
    battery = 8 + random() * 92,
    solar_w = random() * 40,
    reporting_interval = 300
WHERE status IN ('active', 'maintenance');
UPDATE benches_bench SET last_telemetry_at = last_seen_at WHERE last_telemetry_at IS NULL;
"""


def make_data(benches: int, days: int) -> dict:
    """Top the fleet up to `benches` and fill `days` of hours; returns what the load needs (a JSON line)."""
    import os
    import random

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civiclink.settings")
    import django

    django.setup()
    from django.db import connection, transaction

    from civiclink.accounts.models import Role, User
    from civiclink.accounts.roles import grant_platform_role
    from civiclink.benches.models import Bench, BenchHour, Sensor, Status
    from civiclink.places.models import LocalCommunity, Municipality
    from signin import signed_in

    started = time.perf_counter()
    rng = random.Random(1000)
    with transaction.atomic():
        municipality, _ = Municipality.objects.get_or_create(
            slug="bench-dashboard", defaults={"name": "Benchmark Municipality", "entity": "FBiH"}
        )
        communities = [
            LocalCommunity.objects.get_or_create(
                municipality=municipality, slug=f"zajednica-{n}", defaults={"name": f"Zajednica {n}"}
            )[0]
            for n in range(40)
        ]
        missing = benches - Bench.objects.count()
        statuses = [Status.ACTIVE] * 90 + [Status.MAINTENANCE] * 5 + [Status.PLANNED] * 3 + [Status.RETIRED] * 2
        Bench.objects.bulk_create(
            Bench(
                community=communities[n % len(communities)],
                name=f"Klupa {n:04}",
                status=rng.choice(statuses),
                latitude=round(rng.uniform(42.6, 45.2), 6),
                longitude=round(rng.uniform(15.8, 19.6), 6),
                sensors=rng.sample(Sensor.values, rng.randint(0, 3)),
            )
            for n in range(max(0, missing))
        )
        with connection.cursor() as cursor:
            cursor.execute(LIVE_SQL)
            cursor.execute(HOURS_SQL, {"hours": days * 24})
        staff, created = User.objects.get_or_create(email=STAFF_EMAIL, defaults={"first_name": "Bench"})
        if created:
            grant_platform_role(staff, Role.STAFF)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE benches_bench")
        cursor.execute("VACUUM ANALYZE benches_benchhour")
    return {
        "benches": Bench.objects.count(),
        "hours": BenchHour.objects.count(),
        "bench": str(Bench.objects.filter(status=Status.ACTIVE).order_by("pk").values_list("pk", flat=True)[0]),
        "generated_s": round(time.perf_counter() - started, 1),
        **signed_in(staff),
    }


# --- The load --------------------------------------------------------------------------------------------------


def _prepare(args: argparse.Namespace, env: dict[str, str], benches: int, days: int) -> dict:
    run.prepare_database(args, env, demo=False, reuse=True)  # bench/benches.py calls it in its own database
    data = run.data_script(
        f"topping the fleet up to {benches:,} benches with {days} days of hourly telemetry",
        __file__,
        ["--make-data", str(benches), str(days)],
        env,
    )
    run.collect_static(env)
    return data


def measure_dashboard(args: argparse.Namespace) -> dict:
    """Make the data in `args.database_url` (kept), serve it and load the two pages; the figures per page."""
    benches = getattr(args, "dashboard_benches", BENCHES)
    days = getattr(args, "days", DAYS)
    clients = getattr(args, "dashboard_clients", CLIENTS)
    figures = {}
    with tempfile.TemporaryDirectory(prefix="civiclink-bench-dashboard-") as scratch:
        env = run.environment(args, Path(scratch))
        data = _prepare(args, env, benches, days)
        print(
            f"· {data['benches']:,} benches, {data['hours']:,} hourly rows (made in {data['generated_s']} s)",
            flush=True,
        )
        run.empty_cache(args.redis_url)
        port = run.free_port()
        pages = {"fleet": "/bs/benches/", "bench": f"/bs/benches/{data['bench']}/"}
        with run.gunicorn(args, env, port) as server:
            for page, path in pages.items():
                size, result, usage = run.measure(
                    args,
                    server,
                    port,
                    path,
                    clients=clients,
                    cookie=data["session_cookie"],
                    visitor=data["visitor"],
                    label=f"{path} (staff)",
                )
                per_request = 1000 / max(1, len(result.latencies_ns))
                figures[page] = {
                    "path": path,
                    "kib": round(size / 1024, 1),
                    "clients": clients,
                    "requests_per_s": round(result.rps, 1),
                    "p50_ms": round(result.percentile_ms(50), 1),
                    "p95_ms": round(result.percentile_ms(95), 1),
                    "p99_ms": round(result.percentile_ms(99), 1),
                    "errors": result.errors,
                    "server_cpu_ms_per_request": round(usage.server * per_request, 2),
                    "database_cpu_ms_per_request": round(usage.services * per_request, 2),
                }
    figures["data"] = {"benches": data["benches"], "hourly_rows": data["hours"], "days": days}
    figures["target"] = (
        f"fleet page p95 < {TARGET_P95_MS} ms: "
        f"{'met' if figures['fleet']['p95_ms'] < TARGET_P95_MS else 'MISSED'} ({figures['fleet']['p95_ms']} ms)"
    )
    return figures


def main() -> None:
    if sys.argv[1:2] == ["--make-data"]:
        print(json.dumps(make_data(int(sys.argv[2]), int(sys.argv[3]))))
        return
    args = parse_args()
    with run.cleanup(args):
        figures = measure_dashboard(args)
    print(
        "\n| page | KiB | clients | req/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/req "
        "| PostgreSQL CPU ms/req |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for page in ("fleet", "bench"):
        row = figures[page]
        print(
            f"| `{row['path']}` | {row['kib']} | {row['clients']} | {row['requests_per_s']} | {row['p50_ms']} "
            f"| {row['p95_ms']} | {row['p99_ms']} | {row['errors']} | {row['server_cpu_ms_per_request']} "
            f"| {row['database_cpu_ms_per_request']} |"
        )
    print(f"\n{figures['data']['benches']:,} benches, {figures['data']['hourly_rows']:,} hourly rows.")
    print(f"Target: {figures['target']}")


if __name__ == "__main__":
    main()
