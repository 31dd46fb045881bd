"""CivicLink's ELoGE benchmark: scores of a campaign with 100,000 citizen responses, its results page under load, and
anonymous citizen survey submissions per second with a count of what was stored.

    uv run python bench/governance.py [--responses 100000] [--clients 16] [--seconds 20] [--drop]

Like bench/run.py (whose set-up and server it reuses) it creates a PostgreSQL database, loads the demo data,
adds one campaign with `--responses` citizen responses (bench/governance_data.py, which also times the scoring),
starts gunicorn with production settings and a shared Redis cache, then loads:
1. the campaign's results page (cached; the cache is dropped when answers arrive);
2. the citizens' questionnaire with form posts, each a new browser answering all 12 questions; afterwards the
   database must hold exactly one response per accepted post (none lost, none doubled) and 12 answers each.
"""

import argparse
import http.client
import re
from urllib.parse import urlencode

import psycopg

import cpumeter
import loadgen
import run

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/civiclink_bench_governance"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=100_000, help="citizen responses (default 100,000)")
    run.add_load_arguments(parser, DEFAULT_DATABASE)
    return parser.parse_args()


def prepare(args: argparse.Namespace, env: dict[str, str]) -> dict:
    run.prepare_database(args, env)
    data = run.data_script(
        f"topping the campaign up to {args.responses:,} citizen responses and timing its scores",
        "governance_data.py",
        ["--responses", str(args.responses)],
        env,
    )
    run.collect_static(env)
    return data


def survey_post(port: int, path: str) -> bytes:
    """A raw form post answering every question, with the CSRF cookie and token of one GET and no browser token
    (so each post is a new browser)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path)
    page = connection.getresponse()
    html = page.read().decode()
    if page.status != 200:
        raise SystemExit(f"{path} answered {page.status}")
    cookie = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    items = sorted(set(re.findall(r'name="(item-\d+)"', html)))
    if len(items) != 12:
        raise SystemExit(f"expected 12 questions on {path}, found {len(items)}")
    body = urlencode({"csrfmiddlewaretoken": token, **{name: str(2 + i % 4) for i, name in enumerate(items)}})
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: civiclink-bench\r\n"
        f"Cookie: csrftoken={cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {len(body)}\r\n\r\n{body}"
    ).encode()


def stored(database_url: str, campaign: int) -> tuple[int, int]:
    """Citizen responses and answers of the campaign, counted in the database."""
    with psycopg.connect(database_url) as connection:
        responses = connection.execute(
            "SELECT count(*) FROM governance_response WHERE campaign_id = %s AND audience = 'citizens'", [campaign]
        ).fetchone()[0]
        answers = connection.execute(
            "SELECT count(*) FROM governance_answer WHERE campaign_id = %s AND audience = 'citizens'", [campaign]
        ).fetchone()[0]
    return responses, answers


def line(title: str, result: loadgen.Result, usage: cpumeter.Usage) -> str:
    per_request = 1000 / max(1, len(result.latencies_ns))
    return (
        f"| {title} | {result.rps:.0f} | {result.percentile_ms(50):.1f} | {result.percentile_ms(95):.1f} "
        f"| {result.percentile_ms(99):.1f} | {result.errors} | {usage.server * per_request:.2f} "
        f"| {usage.services * per_request:.2f} | {usage.client / result.seconds:.0%} |"
    )


def main() -> None:
    args = parse_args()
    rows = []
    with run.workspace(args) as (env, _scratch):
        env = env | {"CIVICLINK_SURVEY_RATE_LIMIT": "100000000/h"}
        data = prepare(args, env)
        campaign = data["campaign"]
        print(f"· scores computed in {data['compute_ms']} ms ({data['citizen_responses']:,} responses)")
        run.empty_cache(args.redis_url)
        port = run.free_port()
        results_path = f"/bs/governance/campaigns/{campaign}/results/"
        survey_path = f"/bs/governance/campaigns/{campaign}/survey/"
        with run.gunicorn(args, env, port) as server:
            _size, result, usage = run.measure(args, server, port, results_path)
            rows.append(line(f"results page (`{results_path}`)", result, usage))

            before = stored(args.database_url, campaign)
            request = survey_post(port, survey_path)
            print(f"· {survey_path}: posting answers, {args.clients} clients, {args.seconds:g} s", flush=True)
            meter = cpumeter.Meter(server.pid, run.service_pids(args))
            result = loadgen.run(
                f"http://127.0.0.1:{port}{survey_path}",
                args.clients,
                args.seconds,
                args.warmup,
                meter,
                request=request,
                ok_statuses=(303,),
            )
            rows.append(line("citizen survey submission (POST)", result, meter.usage))
            after = stored(args.database_url, campaign)
        new_responses, new_answers = after[0] - before[0], after[1] - before[1]
        print(
            f"\nScores of {data['citizen_responses']:,} citizen responses ({data['citizen_answers_counted']:,} answers"
        )
        print(f"counted): {data['compute_ms']} ms, median {data['compute_median_ms']} ms.\n")
        print(
            "| load | req/s | p50 ms | p95 ms | p99 ms | errors | server CPU ms/req "
            "| PostgreSQL + Redis CPU ms/req | client CPU |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        print("\n".join(rows))
        print(
            f"\nSubmissions accepted (303): {result.succeeded_total:,}; responses stored: {new_responses:,}; "
            f"answers stored: {new_answers:,} (12 per response: {new_answers == 12 * new_responses}); "
            f"none lost or doubled: {new_responses == result.succeeded_total}"
        )


if __name__ == "__main__":
    main()
