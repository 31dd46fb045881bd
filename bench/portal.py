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
from urllib.parse import urlencode

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
    run.prepare_database(args, env)
    data = run.data_script(
        f"topping the Bosnian news up to {args.articles:,} live articles",
        "portal_data.py",
        ["--articles", str(args.articles)],
        env,
    )
    run.collect_static(env)
    return data


def main() -> None:
    args = parse_args()
    rows = []
    with run.workspace(args) as (env, _scratch):
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
                rows.append((title, path, *run.measure(args, server, port, path)))
        report(rows)


def report(rows) -> None:
    floor = rows[0][3].rps
    print(run.table_head("page | URL | KiB", "--- | --- | ---:"))
    verdicts = []
    for title, path, size, result, usage in rows:
        print(f"| {title} | `{path}` | {size / 1024:.1f} | {run.figures(result, usage, floor)} |")
        if title in TARGETS:
            verdicts.append(run.verdict(title, result, floor, *TARGETS[title]))
    print("\nTargets at the same load:\n" + "\n".join(f"- {verdict}" for verdict in verdicts))


if __name__ == "__main__":
    main()
