"""CivicLink's participation benchmark: a process with 1,000 proposals and a proposal with 500 comments, under load,
against the floor view measured in the same run.

    uv run python bench/participation.py [--proposals 1000] [--comments 500] [--clients 16] [--seconds 20] [--drop]

Like bench/governance.py it reuses bench/run.py's set-up and server: it creates a PostgreSQL database of its own
(`civiclink_bench_participation`; the harness runs on PostgreSQL only), loads the demo data, and
bench/participation_data.py adds a copy of Mostar's call for proposals with `--proposals` problems and proposals
(supports, discussions, state histories; the demo's generator) of which one has `--comments` comments. Then it
starts gunicorn with production settings and a shared Redis cache and loads, one after the other, with `--clients`
keep-alive clients:
1. the floor (`/bench/floor`, the stack without a view);
2. the process page `/bs/participation/<slug>/` (first page of proposals, filters, counts) for anonymous visitors;
3. the proposal page `/bs/participation/<slug>/proposals/<pk>/` with the 500 comments, anonymous;
4. and 5. the same two pages for a signed-in citizen (a session cookie), which no page cache can serve.
It prints a Markdown table with each page's requests per second as a share of the floor's, and the targets.
"""

import argparse
import http.client
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import cpumeter
import loadgen
import run

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/civiclink_bench_participation"
# page: (p95 under this many ms, at least this share of the floor's requests per second)
TARGETS = {"process": (60, 0.30), "proposal": (100, None)}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--proposals", type=int, default=1000, help="proposals in the process (default 1,000)")
    parser.add_argument("--comments", type=int, default=500, help="comments on one proposal (default 500)")
    parser.add_argument("--language", default="bs", help="language prefix of the URLs (default bs)")
    run.add_load_arguments(parser, DEFAULT_DATABASE)
    return parser.parse_args()


def prepare(args: argparse.Namespace, env: dict[str, str]) -> dict:
    civiclink = [sys.executable, "-m", "civiclink.cli"]
    if not (args.reuse_db and run.database_exists(args.database_url)):
        print(f"· creating database {run._database_name(args.database_url)}", flush=True)
        run.create_database(args.database_url)
        run.step("migrating and loading the demo data", [*civiclink, "demo", "--no-serve"], env)
    print(f"· adding a process with {args.proposals:,} proposals, one with {args.comments} comments", flush=True)
    command = [
        sys.executable, str(run.ROOT / "bench" / "participation_data.py"),
        "--proposals", str(args.proposals), "--comments", str(args.comments),
    ]  # fmt: skip
    done = subprocess.run(command, env=env, cwd=run.ROOT, capture_output=True, text=True, timeout=run.SETUP_TIMEOUT)  # noqa: S603
    if done.returncode:
        raise SystemExit(f"participation_data.py failed:\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
    run.step("collecting static files", [*civiclink, "collectstatic", "--noinput"], env)
    return json.loads(done.stdout.strip().splitlines()[-1])


def signed_in_request(port: int, path: str, cookie: str) -> bytes:
    return (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: civiclink-bench\r\nCookie: {cookie}\r\n\r\n"
    ).encode()


def check_signed_in(port: int, path: str, cookie: str, name: str) -> int:
    """Refuse to measure a signed-in page that does not answer 200 or does not name the visitor."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Cookie": cookie})
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"{path} answered {response.status} to the signed-in citizen, not 200")
    if name.encode() not in body:
        raise SystemExit(f"{path} does not show the signed-in citizen: the session cookie was not accepted")
    return len(body)


def main() -> None:
    args = parse_args()
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="civiclink-bench-") as scratch:
            env = run.environment(args, Path(scratch))
            data = prepare(args, env)
            print(
                f"· {data['proposals']:,} proposals, {data['comments']:,} comments, {data['supports']:,} supports "
                f"(generated in {data['generated_s']} s); proposal {data['proposal']}: "
                f"{data['proposal_comments']} comments"
            )
            run.empty_cache(args.redis_url)
            port = run.free_port()
            base = f"/{args.language}/participation/{data['slug']}/"
            pages = {"process": base, "proposal": f"{base}proposals/{data['proposal']}/"}
            loads = [("floor", run.FLOOR, None)]
            loads += [(page, path, None) for page, path in pages.items()]
            loads += [(page, path, data["session_cookie"]) for page, path in pages.items()]
            with run.gunicorn(args, env, port) as server:
                for title, path, cookie in loads:
                    url = f"http://127.0.0.1:{port}{path}"
                    size = check_signed_in(port, path, cookie, data["visitor"]) if cookie else run.check(url)
                    who = "signed in" if cookie else "anonymous"
                    print(f"· {path} ({who}): {args.clients} clients, {args.seconds:g} s", flush=True)
                    meter = cpumeter.Meter(server.pid, run.service_pids(args))
                    request = signed_in_request(port, path, cookie) if cookie else None
                    result = loadgen.run(url, args.clients, args.seconds, args.warmup, meter, request=request)
                    rows.append((title, path, who, size, result, meter.usage))
        report(rows)
    finally:
        run.empty_cache(args.redis_url)
        if args.drop:
            run.drop_database(args.database_url)
            print(f"· dropped database {run._database_name(args.database_url)}")


def report(rows) -> None:
    floor = rows[0][4].rps
    print(
        "\n| page | visitor | KiB | req/s | p50 ms | p95 ms | p99 ms | errors | ÷ floor | server CPU ms/req "
        "| PostgreSQL + Redis CPU ms/req | client CPU | others' CPU |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    verdicts = []
    for title, path, who, size, result, usage in rows:
        per_request = 1000 / max(1, len(result.latencies_ns))
        share = result.rps / floor
        print(
            f"| `{path}` | {who} | {size / 1024:.1f} | {result.rps:.0f} | {result.percentile_ms(50):.1f} "
            f"| {result.percentile_ms(95):.1f} | {result.percentile_ms(99):.1f} | {result.errors} | {share:.0%} "
            f"| {usage.server * per_request:.2f} | {usage.services * per_request:.2f} "
            f"| {usage.client / result.seconds:.0%} | {usage.others / usage.capacity:.0%} |"
        )
        if title in TARGETS:
            p95_limit, share_floor = TARGETS[title]
            met = result.percentile_ms(95) < p95_limit and (share_floor is None or share >= share_floor)
            wanted = f"p95 < {p95_limit} ms" + (f" and ≥ {share_floor:.0%} of the floor" if share_floor else "")
            verdicts.append(
                f"{title} page ({who}): {wanted}: {'met' if met else 'MISSED'} "
                f"(p95 {result.percentile_ms(95):.1f} ms, {share:.0%} of the floor)"
            )
    print("\nTargets at the same load:\n" + "\n".join(f"- {verdict}" for verdict in verdicts))


if __name__ == "__main__":
    main()
