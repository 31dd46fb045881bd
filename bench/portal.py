"""CivicLink's news benchmark: the news index, an article and a filtered page of the index with 5,000 live articles,
under load, against the floor view measured in the same run.

    uv run python bench/portal.py [--articles 5000] [--clients 16] [--seconds 20] [--reuse-db] [--drop]

Like bench/participation.py it reuses bench/run.py's set-up and server: it creates a PostgreSQL database of its own
(`civiclink_bench_portal`), loads the demo data, and bench/portal_data.py tops the Bosnian news up to `--articles`
live articles with tags and municipalities (written in bulk, see there). Then it starts gunicorn with production
settings and a shared Redis cache and loads, one after the other, with `--clients` keep-alive anonymous clients:
1. the floor (`/bench/floor`, the stack without a view);
2. the news index `/bs/news/` (first page of the newest articles, filters, archive years);
3. the newest article's page (the view counter counts the benchmark's one reader once; later requests find it);
4. the second page of the index filtered by the most used tag (`?tag=...&page=2`).
It prints a Markdown table with each page's requests per second as a share of the floor's, and the targets of
issue 6: p95 under 50 ms and at least 40 % of the floor's requests per second.
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import cpumeter
import loadgen
import run

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/civiclink_bench_portal"
# page: (p95 under this many ms, at least this share of the floor's requests per second)
TARGETS = {"news index": (50, 0.40), "article": (50, 0.40), "tag, page 2": (50, 0.40)}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000, help="live Bosnian articles (default 5,000)")
    run.add_load_arguments(parser, DEFAULT_DATABASE)
    return parser.parse_args()


def prepare(args: argparse.Namespace, env: dict[str, str]) -> dict:
    civiclink = [sys.executable, "-m", "civiclink.cli"]
    if args.reuse_db and run.database_exists(args.database_url):
        print(f"· reusing database {run._database_name(args.database_url)}", flush=True)
    else:
        print(f"· creating database {run._database_name(args.database_url)}", flush=True)
        run.create_database(args.database_url)
        run.step("migrating and loading the demo data", [*civiclink, "demo", "--no-serve"], env)
    print(f"· topping the Bosnian news up to {args.articles:,} live articles", flush=True)
    command = [sys.executable, str(run.ROOT / "bench" / "portal_data.py"), "--articles", str(args.articles)]
    done = subprocess.run(command, env=env, cwd=run.ROOT, capture_output=True, text=True, timeout=run.SETUP_TIMEOUT)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"portal_data.py failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    run.step("collecting static files", [*civiclink, "collectstatic", "--noinput"], env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    args = parse_args()
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="civiclink-bench-") as scratch:
            env = run.environment(args, Path(scratch))
            data = prepare(args, env)
            print(
                f"· {data['articles']:,} live Bosnian articles ({data['all_articles']:,} in all languages; generated "
                f"in {data['generated_s']} s); tag “{data['tag']}” on {data['tagged']:,} of them"
            )
            run.empty_cache(args.redis_url)
            port = run.free_port()
            loads = [
                ("floor", run.FLOOR),
                ("news index", data["index"]),
                ("article", data["article"]),
                ("tag, page 2", f"{data['index']}?{urlencode({'tag': data['tag'], 'page': 2})}"),
            ]
            with run.gunicorn(args, env, port) as server:
                for title, path in loads:
                    url = f"http://127.0.0.1:{port}{path}"
                    size = run.check(url)
                    print(
                        f"· {path}: {args.clients} clients, {args.warmup:g} s warm-up, {args.seconds:g} s", flush=True
                    )
                    meter = cpumeter.Meter(server.pid, run.service_pids(args))
                    result = loadgen.run(url, args.clients, args.seconds, args.warmup, meter)
                    rows.append((title, path, size, result, meter.usage))
        report(rows)
    finally:
        run.empty_cache(args.redis_url)
        if args.drop:
            run.drop_database(args.database_url)
            print(f"· dropped database {run._database_name(args.database_url)}")


def report(rows) -> None:
    floor = rows[0][3].rps
    print(
        "\n| page | URL | KiB | req/s | p50 ms | p95 ms | p99 ms | errors | ÷ floor | server CPU ms/req "
        "| PostgreSQL + Redis CPU ms/req | client CPU | others' CPU |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    verdicts = []
    for title, path, size, result, usage in rows:
        per_request = 1000 / max(1, len(result.latencies_ns))
        share = result.rps / floor
        print(
            f"| {title} | `{path}` | {size / 1024:.1f} | {result.rps:.0f} | {result.percentile_ms(50):.1f} "
            f"| {result.percentile_ms(95):.1f} | {result.percentile_ms(99):.1f} | {result.errors} | {share:.0%} "
            f"| {usage.server * per_request:.2f} | {usage.services * per_request:.2f} "
            f"| {usage.client / result.seconds:.0%} | {usage.others / usage.capacity:.0%} |"
        )
        if title in TARGETS:
            p95_limit, share_floor = TARGETS[title]
            met = result.percentile_ms(95) < p95_limit and share >= share_floor
            verdicts.append(
                f"{title}: p95 < {p95_limit} ms and ≥ {share_floor:.0%} of the floor: {'met' if met else 'MISSED'} "
                f"(p95 {result.percentile_ms(95):.1f} ms, {share:.0%} of the floor)"
            )
    print("\nTargets at the same load:\n" + "\n".join(f"- {verdict}" for verdict in verdicts))


if __name__ == "__main__":
    main()
