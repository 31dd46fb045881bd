"""`civiclink worker` as a separate process, killed with SIGKILL in the middle of an issue and started again: every
subscriber gets the issue exactly once, except those whose messages were being handed to the mail backend at the
moment of the kill (at most sending.HANDOVER), which are marked "uncertain" and were written at most once.

PostgreSQL only: the worker and the test share the database, with real commits. Mail goes to files (EMAIL_URL
file://...), which are parsed to count what each address received."""

import email
import math
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from civiclink.newsletter import sending
from civiclink.newsletter.models import Delivery, Issue, Subscriber

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

SUBSCRIBERS = 1000
WORKER_ID = "newsletter-test-worker"
SEPARATOR = b"-" * 79 + b"\n"  # what the file backend writes after each message


def database_url() -> str:
    """The test database, for another process."""
    conf = connection.settings_dict
    password = f":{conf['PASSWORD']}" if conf["PASSWORD"] else ""
    return f"postgres://{conf['USER']}{password}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{conf['NAME']}"


def start_worker(mail_dir: Path, log: Path) -> subprocess.Popen:
    environment = os.environ | {
        "DATABASE_URL": database_url(),
        "EMAIL_URL": f"file://{mail_dir}",
        "CIVICLINK_TASKS": "database",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "civiclink.cli", "worker", "--worker-id", WORKER_ID]
    command += ["--no-reload", "--no-startup-delay", "--interval", "0.1"]
    with open(log, "ab") as output:
        return subprocess.Popen(command, env=environment, stdout=output, stderr=subprocess.STDOUT)


def wait_for(condition, what: str, timeout: float = 120, worker: subprocess.Popen | None = None, log=None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if worker is not None and worker.poll() is not None:
            raise AssertionError(f"the worker exited with {worker.returncode}:\n{log.read_text()}")
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def received(mail_dir: Path) -> Counter:
    """How many messages each address received, from the files the file backend wrote."""
    counts = Counter()
    for path in mail_dir.iterdir():
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                counts[email.message_from_bytes(chunk)["To"]] += 1
    return counts


def sent_count(issue) -> int:
    return Delivery.objects.filter(issue=issue, status="sent").count()


def test_a_worker_killed_mid_issue_and_restarted_sends_everybody_exactly_once(settings, tmp_path, make_issue):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}  # the worker runs the batches
    mail_dir, log = tmp_path / "mail", tmp_path / "worker.log"
    mail_dir.mkdir()
    Subscriber.objects.bulk_create(
        Subscriber(email=f"reader{n:05}@example.org", language="en", status="confirmed", confirmed_at=timezone.now())
        for n in range(SUBSCRIBERS)
    )
    issue = make_issue(intro="<p>Dear readers.</p>")
    assert sending.start_sending(issue) == SUBSCRIBERS
    batches = DBTaskResult.objects.filter(status="READY", task_path="civiclink.newsletter.sending.send_batch")
    assert batches.count() == math.ceil(SUBSCRIBERS / sending.BATCH_SIZE)

    first = start_worker(mail_dir, log)
    wait_for(lambda: sent_count(issue) >= 300, "the first worker to send some", worker=first, log=log)
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    sent_at_kill = sent_count(issue)
    held_at_kill = Delivery.objects.filter(issue=issue, status__in=["claimed", "sending"]).count()
    assert 0 < sent_at_kill < SUBSCRIBERS
    issue.refresh_from_db()
    assert issue.status == "sending"

    second = start_worker(mail_dir, log)
    wait_for(lambda: Issue.objects.get(pk=issue.pk).status == "sent", "the issue to be sent", worker=second, log=log)
    second.send_signal(signal.SIGTERM)
    assert second.wait(30) == 0, log.read_text()

    counts = received(mail_dir)
    uncertain = set(Delivery.objects.filter(status="uncertain").values_list("subscriber__email", flat=True))
    assert len(uncertain) <= sending.HANDOVER  # at most the rows in the backend's hands at the kill
    for address in Subscriber.objects.values_list("email", flat=True):
        if address in uncertain:
            assert counts[address] <= 1, address
        else:
            assert counts[address] == 1, address
    assert sum(counts.values()) <= SUBSCRIBERS
    assert sent_count(issue) == SUBSCRIBERS - len(uncertain)
    if held_at_kill:  # killed inside a batch: its task stays "running" for ever, and did not stall the issue
        assert DBTaskResult.objects.filter(status="RUNNING", worker_ids__contains=[WORKER_ID]).exists()
