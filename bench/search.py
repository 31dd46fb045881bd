"""CivicLink's search benchmark: the site search over 100,000 searchable items and the demo's, on PostgreSQL, under
load, against the floor view measured in the same run.

    uv run python bench/search.py [--items 100000] [--articles 5000] [--clients 16] [--seconds 20] [--drop]

Like bench/participation.py it reuses bench/run.py's set-up and server: it creates a PostgreSQL database of its own
(`civiclink_bench_search`), loads the demo data, tops the news up to `--articles` Bosnian articles
(bench/portal_data.py) and adds `--items` proposals and organisations with generated texts in Bosnian, English and
Serbian Cyrillic (bench/search_data.py), all indexed. Then it starts gunicorn with production settings and loads,
one after the other, the floor and `/bs/search/?q=...` for a mix of queries (a common word, a rare word, two words,
a Cyrillic query, one without diacritics, one without hits) with `--clients` keep-alive clients, twice:
1. with the shared cache (Redis), as in production: anonymous visitors get the whole page another visitor's search
   rendered, signed-in ones (a session cookie of the demo citizen) the shared results below their own header
   (search/caching.py);
2. without it, where every request searches (signed in: the searches an anonymous visitor runs are rate limited per
   address, and the load generator is one address), at `--clients` clients and at one, the latency without queueing.
It prints a Markdown table and the target (p95 under 100 ms).
"""

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

import cpumeter
import loadgen
import run
from participation import check_signed_in, signed_in_request
from search_data import QUERIES

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/civiclink_bench_search"
P95_TARGET_MS = 100


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000, help="searchable items added (default 100,000)")
    parser.add_argument("--articles", type=int, default=5000, help="live Bosnian articles (default 5,000)")
    parser.add_argument("--single-seconds", type=float, default=10, help="measured seconds with one client")
    run.add_load_arguments(parser, DEFAULT_DATABASE)
    return parser.parse_args()


def _script(title: str, script: str, arguments: list[str], env: dict[str, str]) -> dict:
    """Run one of the bench's data scripts; its last line of output is JSON."""
    print(f"· {title}", flush=True)
    command = [sys.executable, str(run.ROOT / "bench" / script), *arguments]
    done = subprocess.run(command, env=env, cwd=run.ROOT, capture_output=True, text=True, timeout=1800)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"{script} failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def prepare(args: argparse.Namespace, env: dict[str, str]) -> dict:
    civiclink = [sys.executable, "-m", "civiclink.cli"]
    if not (args.reuse_db and run.database_exists(args.database_url)):
        print(f"· creating database {run._database_name(args.database_url)}", flush=True)
        run.create_database(args.database_url)
        run.step("migrating and loading the demo data", [*civiclink, "demo", "--no-serve"], env)
    news = _script(
        f"topping the news up to {args.articles:,} articles", "portal_data.py", ["--articles", str(args.articles)], env
    )
    run.step("indexing the articles", [*civiclink, "search", "rebuild", "--kind", "article"], env)
    data = _script(f"adding {args.items:,} searchable items", "search_data.py", ["--items", str(args.items)], env)
    run.step("collecting static files", [*civiclink, "collectstatic", "--noinput"], env)
    return data | {"articles": news["articles"]}


def main() -> None:
    args = parse_args()
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="civiclink-bench-") as scratch:
            env = run.environment(args, Path(scratch))
            data = prepare(args, env)
            print(
                f"· {data['entries']:,} index entries, {data['bosnian_entries']:,} of them searched in Bosnian; "
                f"{data['articles']:,} Bosnian articles; items generated in {data['generated_s']} s, "
                f"indexed in {data['indexed_s']} s"
            )
            cookie = data["session_cookie"]
            searches = [(meaning, f"/bs/search/?q={quote(text)}", data["matches"][text]) for text, meaning in QUERIES]
            phases = [
                ("shared cache", args.redis_url, [("anonymous", args.clients), ("signed in", args.clients)]),
                ("no cache", "", [("signed in", args.clients), ("signed in", 1)]),
            ]
            for cache_mode, redis_url, visits in phases:
                run.empty_cache(args.redis_url)
                port = run.free_port()
                with run.gunicorn(args, env | {"REDIS_URL": redis_url}, port) as server:
                    loads = [("floor", run.FLOOR, None, "anonymous", args.clients)]
                    loads += [(*search, who, clients) for who, clients in visits for search in searches]
                    for title, path, matches, who, clients in loads:
                        url = f"http://127.0.0.1:{port}{path}"
                        signed_in = who == "signed in"
                        size = check_signed_in(port, path, cookie, data["visitor"]) if signed_in else run.check(url)
                        seconds = args.seconds if clients > 1 else args.single_seconds
                        print(f"· {cache_mode}: {path} ({who}): {clients} clients, {seconds:g} s", flush=True)
                        meter = cpumeter.Meter(server.pid, run.service_pids(args))
                        request = signed_in_request(port, path, cookie) if signed_in else None
                        result = loadgen.run(url, clients, seconds, args.warmup, meter, request=request)
                        rows.append((cache_mode, title, path, matches, who, clients, size, result, meter.usage))
        report(rows)
    finally:
        run.empty_cache(args.redis_url)
        if args.drop:
            run.drop_database(args.database_url)
            print(f"· dropped database {run._database_name(args.database_url)}")


def report(rows) -> None:
    print(
        "\n| cache | query | path | matches | visitor | clients | KiB | req/s | p50 ms | p95 ms | p99 ms | errors "
        "| ÷ floor | server CPU ms/req | PostgreSQL + Redis CPU ms/req | client CPU | others' CPU |"
    )
    print("| --- | --- | --- | ---: | --- |" + " ---: |" * 12)
    verdicts, floors = [], {}
    for cache_mode, title, path, matches, who, load, size, result, usage in rows:
        floors.setdefault(cache_mode, result.rps)  # each server's first load is its floor
        per_request = 1000 / max(1, len(result.latencies_ns))
        print(
            f"| {cache_mode} | {title} | `{path}` | {'' if matches is None else f'{matches:,}'} | {who} | {load} "
            f"| {size / 1024:.1f} | {result.rps:.0f} | {result.percentile_ms(50):.1f} | {result.percentile_ms(95):.1f} "
            f"| {result.percentile_ms(99):.1f} | {result.errors} | {result.rps / floors[cache_mode]:.0%} "
            f"| {usage.server * per_request:.2f} | {usage.services * per_request:.2f} "
            f"| {usage.client / result.seconds:.0%} | {usage.others / usage.capacity:.0%} |"
        )
        if matches is not None:
            p95 = result.percentile_ms(95)
            verdicts.append(
                f"{cache_mode}, {who}, {title}, {load} client{'s' if load > 1 else ''}: p95 {p95:.1f} ms: "
                f"{'met' if p95 < P95_TARGET_MS else 'MISSED'}"
            )
    print(f"\nTarget: search p95 < {P95_TARGET_MS} ms\n" + "\n".join(f"- {verdict}" for verdict in verdicts))


if __name__ == "__main__":
    main()
