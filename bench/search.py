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
   address, and the load generator is one address), at `--clients` clients, at 4 and at one (the latency without
   queueing).
It prints a Markdown table and the target (p95 under 100 ms).
"""

import argparse
from urllib.parse import quote

import run
from search_data import QUERIES

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/civiclink_bench_search"
P95_TARGET_MS = 100
DATA_TIMEOUT = 1800  # seconds for each data script: 100,000 items take minutes to make and index


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100_000, help="searchable items added (default 100,000)")
    parser.add_argument("--articles", type=int, default=5000, help="live Bosnian articles (default 5,000)")
    parser.add_argument("--single-seconds", type=float, default=10, help="measured seconds with one client")
    run.add_load_arguments(parser, DEFAULT_DATABASE)
    return parser.parse_args()


def prepare(args: argparse.Namespace, env: dict[str, str]) -> dict:
    run.prepare_database(args, env)
    news = run.data_script(
        f"topping the news up to {args.articles:,} articles",
        "portal_data.py",
        ["--articles", str(args.articles)],
        env,
        timeout=DATA_TIMEOUT,
    )
    run.step("indexing the articles", [*run.CIVICLINK, "search", "rebuild", "--kind", "article"], env)
    data = run.data_script(
        f"adding {args.items:,} searchable items",
        "search_data.py",
        ["--items", str(args.items)],
        env,
        timeout=DATA_TIMEOUT,
    )
    run.collect_static(env)
    return data | {"articles": news["articles"]}


def main() -> None:
    args = parse_args()
    rows = []
    with run.workspace(args) as (env, _scratch):
        data = prepare(args, env)
        print(
            f"· {data['entries']:,} index entries, {data['bosnian_entries']:,} of them searched in Bosnian; "
            f"{data['articles']:,} Bosnian articles; items generated in {data['generated_s']} s, "
            f"indexed in {data['indexed_s']} s"
        )
        searches = [(meaning, f"/bs/search/?q={quote(text)}", data["matches"][text]) for text, meaning in QUERIES]
        phases = [
            ("shared cache", args.redis_url, [("anonymous", args.clients), ("signed in", args.clients)]),
            ("no cache", "", [("signed in", args.clients), ("signed in", 4), ("signed in", 1)]),
        ]
        for cache_mode, redis_url, visits in phases:
            run.empty_cache(args.redis_url)
            port = run.free_port()
            with run.gunicorn(args, env | {"REDIS_URL": redis_url}, port) as server:
                loads = [("floor", run.FLOOR, None, "anonymous", args.clients)]
                loads += [(*search, who, clients) for who, clients in visits for search in searches]
                for title, path, matches, who, clients in loads:
                    measured = run.measure(
                        args,
                        server,
                        port,
                        path,
                        clients=clients,
                        seconds=args.seconds if clients > 1 else args.single_seconds,
                        cookie=data["session_cookie"] if who == "signed in" else None,
                        visitor=data["visitor"],
                        label=f"{cache_mode}: {path} ({who})",
                    )
                    rows.append((cache_mode, title, path, matches, who, clients, *measured))
        report(rows)


def report(rows) -> None:
    print(
        run.table_head(
            "cache | query | path | matches | visitor | clients | KiB", "--- | --- | --- | ---: | --- | ---: | ---:"
        )
    )
    verdicts, floors = [], {}
    for cache_mode, title, path, matches, who, load, size, result, usage in rows:
        floors.setdefault(cache_mode, result.rps)  # each server's first load is its floor
        print(
            f"| {cache_mode} | {title} | `{path}` | {'' if matches is None else f'{matches:,}'} | {who} | {load} "
            f"| {size / 1024:.1f} | {run.figures(result, usage, floors[cache_mode])} |"
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
