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
    run.prepare_database(args, env)
    data = run.data_script(
        f"adding a process with {args.proposals:,} proposals, one with {args.comments} comments",
        "participation_data.py",
        ["--proposals", str(args.proposals), "--comments", str(args.comments)],
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
                who = "signed in" if cookie else "anonymous"
                measured = run.measure(
                    args, server, port, path, cookie=cookie, visitor=data["visitor"], label=f"{path} ({who})"
                )
                rows.append((title, path, who, *measured))
        report(rows)


def report(rows) -> None:
    floor = rows[0][4].rps
    print(run.table_head("page | visitor | KiB", "--- | --- | ---:"))
    verdicts = []
    for title, path, who, size, result, usage in rows:
        print(f"| `{path}` | {who} | {size / 1024:.1f} | {run.figures(result, usage, floor)} |")
        if title in TARGETS:
            verdicts.append(run.verdict(f"{title} page ({who})", result, floor, *TARGETS[title]))
    print("\nTargets at the same load:\n" + "\n".join(f"- {verdict}" for verdict in verdicts))


if __name__ == "__main__":
    main()
