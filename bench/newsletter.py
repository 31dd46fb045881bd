"""CivicLink's newsletter benchmark: an issue of five articles to 20,000 subscribers, queued, then sent by two
`civiclink worker` processes through the file e-mail backend, until the issue is "sent".

    uv run python bench/newsletter.py [--subscribers 20000] [--workers 2] [--reuse-db] [--drop]

It (re)creates a PostgreSQL database of its own (`civiclink_bench_newsletter`) and migrates it, then, in a
subprocess with production settings: a home page and news index in English with five articles, the confirmed
subscribers, and a draft issue. The workers are started and left to settle; the issue is queued (`start_sending`:
one delivery row per subscriber, one batch task per 200), timed in its own process; then the clock runs until the
issue's state is "sent". The messages the workers wrote are counted per recipient in the mail folder: each must
have received exactly one. Target: queued and sent in under 2 minutes.
"""

import argparse
import datetime
import json
import os
import re
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path

import psycopg

import run

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/civiclink_bench_newsletter"
TARGET_SECONDS = 120
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what the file backend writes after each message
RECIPIENT = re.compile(rb"^To: (.+)$", re.MULTILINE)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=20_000, help="confirmed subscribers (default 20,000)")
    parser.add_argument("--workers", type=int, default=2, help="`civiclink worker` processes (default 2)")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE, help=f"database to create ({DEFAULT_DATABASE})")
    parser.add_argument("--reuse-db", action="store_true", help="keep the migrated database of an earlier run")
    parser.add_argument("--drop", action="store_true", help="drop the database when done")
    parser.add_argument("--populate", type=int, help=argparse.SUPPRESS)  # internal: run inside Django
    parser.add_argument("--queue", type=int, help=argparse.SUPPRESS)  # internal: run inside Django
    args = parser.parse_args()
    args.redis_url = ""  # run.environment's cache: the workers need none
    return args


# --- Inside Django (subprocesses with the benchmark's settings) -------------------------------------------------


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civiclink.settings")
    import django

    django.setup()


def populate(subscribers: int) -> dict:
    """Five English articles under a news index, the subscribers (new ones only), and a draft issue."""
    django_setup()
    from django.utils import timezone
    from wagtail.models import Locale, Page, Site

    from civiclink.newsletter.models import Issue, IssueArticle, Subscriber
    from civiclink.pages.models import HomePage
    from civiclink.portal.models import ArticlePage, NewsIndexPage

    english, _created = Locale.objects.get_or_create(language_code="en")
    home = HomePage.objects.filter(locale=english).first()
    if home is None:
        home = Page.get_first_root_node().add_child(instance=HomePage(title="Home", slug="bench-home", locale=english))
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "127.0.0.1", "port": 80, "root_page": home}
        )
    index = NewsIndexPage.objects.filter(locale=english).first() or home.add_child(
        instance=NewsIndexPage(title="News", slug="news", locale=english)
    )
    articles = list(ArticlePage.objects.filter(locale=english)[:5])
    for number in range(len(articles), 5):
        articles.append(
            index.add_child(
                instance=ArticlePage(
                    title=f"Programme news {number + 1}",
                    slug=f"programme-news-{number + 1}",
                    locale=english,
                    summary="Benches, trainings and a call for grants: what happened in the municipalities this month.",
                    published_on=datetime.date(2025, 3, number + 1),
                )
            )
        )
    have = Subscriber.objects.count()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{number:06}@example.org", language="en", status="confirmed", confirmed_at=timezone.now()
            )
            for number in range(have, subscribers)
        ),
        batch_size=5000,
    )
    issue = Issue.objects.create(
        subject="CivicLink newsletter: news from the programme",
        language="en",
        intro="<p>Dear readers, here is what happened in the programme's municipalities this month.</p>",
        closing="<p>Thank you for following CivicLink.</p>",
    )
    IssueArticle.objects.bulk_create(
        IssueArticle(issue=issue, article=article, sort_order=position) for position, article in enumerate(articles)
    )
    return {"issue": issue.pk, "subscribers": Subscriber.objects.filter(status="confirmed").count()}


def queue(issue_id: int) -> dict:
    """`start_sending`, timed without Django's start-up; the wall-clock time when the batch tasks were queued."""
    django_setup()
    from civiclink.newsletter import sending
    from civiclink.newsletter.models import Issue

    issue = Issue.objects.get(pk=issue_id)
    started = time.perf_counter()
    queued = sending.start_sending(issue)
    return {"queued": queued, "seconds": time.perf_counter() - started, "at": time.time()}


# --- The harness --------------------------------------------------------------------------------------------------


def start_workers(count: int, env: dict[str, str], logs: Path) -> list[subprocess.Popen]:
    """`count` workers, returned once each has started its loop."""
    workers = []
    for number in range(count):
        log = logs / f"worker-{number}.log"
        command = [*run.CIVICLINK, "worker", "--worker-id", f"bench-{number}"]
        command += ["--interval", "0.2", "--no-startup-delay", "--no-reload"]
        with open(log, "wb") as output:
            workers.append(subprocess.Popen(command, env=env, cwd=run.ROOT, stdout=output, stderr=subprocess.STDOUT))  # noqa: S603
    deadline = time.monotonic() + 120
    for number, worker in enumerate(workers):
        log = logs / f"worker-{number}.log"
        while b"Starting worker" not in log.read_bytes():
            if worker.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"worker {number} did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
    return workers


def stop(workers: list[subprocess.Popen]) -> None:
    for worker in workers:
        worker.send_signal(signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait(timeout=10)


def wait_until_sent(database_url: str, issue_id: int, timeout: float) -> float:
    """Poll the issue's state; the wall-clock time it was seen "sent"."""
    deadline = time.monotonic() + timeout
    last_report = time.monotonic()
    with psycopg.connect(database_url, autocommit=True) as connection:
        while time.monotonic() < deadline:
            [status] = connection.execute("SELECT status FROM newsletter_issue WHERE id = %s", [issue_id]).fetchone()
            if status == "sent":
                return time.time()
            if time.monotonic() - last_report > 10:
                query = "SELECT count(*) FROM newsletter_delivery WHERE issue_id = %s AND status = 'sent'"
                print(f"  … {connection.execute(query, [issue_id]).fetchone()[0]:,} sent", flush=True)
                last_report = time.monotonic()
            time.sleep(0.1)
    raise SystemExit(f"the issue was not sent within {timeout:.0f} s")


def written(mail_dir: Path) -> Counter:
    """How many messages each address received, from the files the workers wrote."""
    counts = Counter()
    for path in mail_dir.iterdir():
        for chunk in path.read_bytes().split(SEPARATOR):
            if match := RECIPIENT.search(chunk):
                counts[match.group(1).strip()] += 1
    return counts


def main() -> None:
    args = parse_args()
    if args.populate is not None:
        print(json.dumps(populate(args.populate)))
        return
    if args.queue is not None:
        print(json.dumps(queue(args.queue)))
        return
    workers = []
    with run.workspace(args) as (env, scratch):
        try:
            mail_dir = scratch / "mail"
            mail_dir.mkdir()
            env = env | {"EMAIL_URL": f"file://{mail_dir}"}
            if not (args.reuse_db and run.database_exists(args.database_url)):
                print(f"· creating database {run._database_name(args.database_url)}", flush=True)
                run.create_database(args.database_url)
            run.step("migrating", [*run.CIVICLINK, "migrate", "--noinput"], env)
            title = f"{args.subscribers:,} subscribers, five articles, a draft issue"
            data = run.data_script(title, __file__, ["--populate", str(args.subscribers)], env)
            print(f"· starting {args.workers} workers", flush=True)
            workers = start_workers(args.workers, env, scratch)
            print("· load average before sending: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
            queued = run.data_script("queueing the issue", __file__, ["--queue", str(data["issue"])], env)
            print(f"· queued {queued['queued']:,} deliveries in {queued['seconds']:.1f} s; sending…", flush=True)
            sent_at = wait_until_sent(args.database_url, data["issue"], timeout=1800)
            stop(workers)
            counts = written(mail_dir)
            report(args, queued, sent_at - queued["at"], counts)
        finally:
            stop(workers)


def report(args: argparse.Namespace, queued: dict, sending_seconds: float, counts: Counter) -> None:
    messages = sum(counts.values())
    total = queued["seconds"] + sending_seconds
    print(
        "\n| subscribers | workers | queueing s | sending s | total s | messages/s | messages written "
        "| recipients | written twice |"
    )
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(
        f"| {queued['queued']:,} | {args.workers} | {queued['seconds']:.1f} | {sending_seconds:.1f} | {total:.1f} "
        f"| {messages / sending_seconds:.0f} | {messages:,} | {len(counts):,} "
        f"| {sum(1 for count in counts.values() if count > 1)} |"
    )
    met = total < TARGET_SECONDS and messages == queued["queued"] == len(counts)
    print(f"\nTarget: queued and sent in under {TARGET_SECONDS} s, each once: {'met' if met else 'MISSED'}.")


if __name__ == "__main__":
    main()
