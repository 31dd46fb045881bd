"""Sending an issue in background batches, never twice to anyone, and resuming after a worker died.

`start_sending` creates one `Delivery` per matching subscriber in one transaction and enqueues a batch task per
BATCH_SIZE rows. A batch claims queued rows (on PostgreSQL with SKIP LOCKED, on SQLite under the write lock), opens
one connection to the "delivery" mailer and, HANDOVER rows at a time: marks them "sending" (committed), hands their
messages to the backend one by one, marks those that left "sent". Every change is conditional on the row still
being the batch's, and stamps `updated_at`: the batch's sign of life. (One commit per message would make a crash
leave a single uncertain row, but the commits would cost more than writing the messages.)

A worker killed mid-batch leaves its task "running" for ever and its rows "claimed" or "sending". `resume_interrupted`
(run when `civiclink worker` starts and by `civiclink newsletter resume`) finds such claims: those of a task that
ended, of a task that ran under the starting worker's own `--worker-id`, or without a sign of life for
STALE_AFTER. Their "claimed" rows go back to the queue with new batch tasks; their "sending" rows may have left,
so they become "uncertain" and are sent again only when staff ask (`resend`).

Refusals of the recipient (SMTP 5xx), and reports of a permanent failure that come back later (`inbound`), are
bounces: the subscriber is suspended after HARD_BOUNCES of them. Other errors are failures, retried MAX_RETRIES
times with a doubling delay.
"""

import math
import smtplib
from datetime import timedelta
from functools import partial

from django.core.mail import mailers
from django.db import transaction
from django.db.models import Case, Count, Exists, F, Max, OuterRef, Q, Value, When
from django.tasks import TaskResultStatus, task
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.core.errors import UserError
from civiclink.newsletter.composing import Letter
from civiclink.newsletter.models import Delivery, Issue, Subscriber
from civiclink.newsletter.subscriptions import recipients

BATCH_SIZE = 200
HANDOVER = 10  # rows marked "sending" in one commit: at most this many become "uncertain" when a worker dies
MAX_RETRIES = 3
RETRY_DELAY = timedelta(minutes=1)  # before the first retry; doubled before each further one
HARD_BOUNCES = 3
STALE_AFTER = timedelta(minutes=5)  # far above one message's SMTP timeout (30 s)

Status = Delivery.Status
PENDING = [Status.QUEUED, Status.CLAIMED, Status.SENDING]
HELD = [Status.CLAIMED, Status.SENDING]


class NotADraft(UserError):
    default_message = _("This issue has already been sent: it cannot be sent again.")


# --- Starting and finishing -------------------------------------------------------------------------------------


def start_sending(issue: Issue, user=None) -> int:
    """Queue the issue for every matching confirmed subscriber; how many. Once only: the issue leaves "draft"."""
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=issue.pk)
        if not issue.is_draft:
            raise NotADraft
        now = timezone.now()
        subscriber_ids = list(recipients(issue).order_by("pk").values_list("pk", flat=True))
        Delivery.objects.bulk_create(
            (Delivery(issue=issue, subscriber_id=pk, updated_at=now) for pk in subscriber_ids), batch_size=2000
        )
        Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING, queued_at=now, queued_by=user)
        transaction.on_commit(partial(enqueue_batches, issue.pk, len(subscriber_ids)))
    finish_if_done(issue.pk)  # an issue that matches nobody is sent at once
    return len(subscriber_ids)


def enqueue_batches(issue_id: int, rows: int, run_after=None) -> int:
    """Enqueue enough batch tasks for `rows` rows; how many. A deferred batch needs a backend that can defer it
    (the database queue); elsewhere (the demo's immediate tasks) it is left to `resume_interrupted`."""
    batch = send_batch
    if run_after is not None:
        if not batch.get_backend().supports_defer:
            return 0
        batch = batch.using(run_after=run_after)
    count = math.ceil(rows / BATCH_SIZE)
    for _number in range(count):
        batch.enqueue(issue_id)
    return count


def finish_if_done(issue_id: int) -> bool:
    """The issue is sent once no row is queued or in the hands of a batch."""
    pending = Delivery.objects.filter(issue=OuterRef("pk"), status__in=PENDING)
    return bool(
        Issue.objects.filter(pk=issue_id, status=Issue.Status.SENDING)
        .filter(~Exists(pending))
        .update(status=Issue.Status.SENT, sent_at=timezone.now())
    )


def resend(issue: Issue, status: str = Status.UNCERTAIN) -> int:
    """Queue the issue's uncertain (or failed) rows again, at staff's explicit request; how many."""
    with transaction.atomic():
        count = Delivery.objects.filter(issue=issue, status=status).update(
            status=Status.QUEUED, claim="", attempts=0, retry_at=None, error="", updated_at=timezone.now()
        )
        if count:
            Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING, sent_at=None)
            transaction.on_commit(partial(enqueue_batches, issue.pk, count))
    return count


# --- One batch --------------------------------------------------------------------------------------------------


@task(takes_context=True)
def send_batch(context, issue_id: int) -> int:
    """Send up to BATCH_SIZE queued rows of the issue; the claim is this task's id (see `resume_interrupted`)."""
    return deliver_batch(issue_id, claim=str(context.task_result.id))


def deliver_batch(issue_id: int, claim: str) -> int:
    """Claim and send up to BATCH_SIZE rows of the issue under `claim`; how many were sent."""
    rows = _claim(issue_id, claim, BATCH_SIZE)
    sent = 0
    if rows:
        issue = Issue.objects.get(pk=issue_id)
        letter = Letter(issue)
        sent = _hand_over(letter, rows, claim)
    finish_if_done(issue_id)
    return sent


def _claim(issue_id: int, claim: str, size: int) -> list[Delivery]:
    """Take up to `size` due rows; those whose subscriber left meanwhile are cancelled instead."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(issue_id=issue_id, status=Status.QUEUED)
            .filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now))
            .order_by("pk")
            .values_list("pk", flat=True)[:size]
        )
        if not ids:
            return []
        confirmed = Q(subscriber__status=Subscriber.Status.CONFIRMED)
        Delivery.objects.filter(pk__in=ids).exclude(confirmed).update(
            status=Status.CANCELLED, updated_at=now, error="unsubscribed before sending"
        )
        Delivery.objects.filter(confirmed, pk__in=ids).update(status=Status.CLAIMED, claim=claim, updated_at=now)
    return list(
        Delivery.objects.filter(pk__in=ids, status=Status.CLAIMED, claim=claim)
        .select_related("subscriber")
        .order_by("pk")
    )


def _move(delivery: Delivery, held_by: str, before: str, after: str, **changes) -> bool:
    """One committed, conditional step of a row: False if the row is no longer the batch's in state `before`."""
    return bool(
        Delivery.objects.filter(pk=delivery.pk, claim=held_by, status=before).update(
            status=after, updated_at=timezone.now(), **changes
        )
    )


def _hand_over(letter: Letter, rows: list[Delivery], claim: str) -> int:
    """Send the claimed rows over one connection, HANDOVER rows at a time: marked "sending" together (one
    commit), handed to the backend one by one, the ones that left marked "sent" together (one commit)."""
    sent = 0
    connection = mailers["delivery"]
    try:
        connection.open()
    except Exception as error:  # whatever the backend raises: retried later
        _fail(rows[0], claim, error, before=Status.CLAIMED)
        _release(rows[1:], claim, Status.CLAIMED)
        return 0
    try:
        for start in range(0, len(rows), HANDOVER):
            group = _mark_sending(rows[start : start + HANDOVER], claim)
            handed, broken = [], False
            for position, delivery in enumerate(group):
                try:
                    connection.send_messages([letter.message(delivery.subscriber, delivery.pk)])
                except smtplib.SMTPRecipientsRefused as refused:
                    code, reason = next(iter(refused.recipients.values()), (550, b""))
                    if code >= 500:
                        _bounce(delivery, claim, f"{code} {_text(reason)}")
                    else:  # a temporary refusal (greylisting, full mailbox): try again later
                        _fail(delivery, claim, refused)
                except ValueError as error:  # an address the backend cannot use: it will never work
                    _bounce(delivery, claim, str(error))
                except Exception as error:  # the connection may be broken: stop, the rest waits
                    _fail(delivery, claim, error)
                    _release(group[position + 1 :], claim, Status.SENDING)
                    _release(rows[start + HANDOVER :], claim, Status.CLAIMED)
                    broken = True
                    break
                else:
                    handed.append(delivery)
            sent += _mark_sent(handed, claim)
            if broken:
                break
    finally:
        connection.close()
    return sent


def _mark_sending(group: list[Delivery], claim: str) -> list[Delivery]:
    """The rows of `group` now marked "sending" (committed): those the batch still holds."""
    ids = [delivery.pk for delivery in group]
    marked = Delivery.objects.filter(pk__in=ids, claim=claim, status=Status.CLAIMED).update(
        status=Status.SENDING, updated_at=timezone.now()
    )
    if marked < len(ids):  # taken from this batch meanwhile (`resume_interrupted` thought it dead)
        ours = set(Delivery.objects.filter(pk__in=ids, claim=claim, status=Status.SENDING).values_list("pk", flat=True))
        group = [delivery for delivery in group if delivery.pk in ours]
    return group


def _mark_sent(handed: list[Delivery], claim: str) -> int:
    now = timezone.now()
    return Delivery.objects.filter(pk__in=[row.pk for row in handed], claim=claim, status=Status.SENDING).update(
        status=Status.SENT, sent_at=now, updated_at=now
    )


def _text(reason) -> str:
    return reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)


def _release(rows: list[Delivery], claim: str, status: str) -> None:
    """Rows the batch holds but never handed over go back to the queue, for the next batch."""
    Delivery.objects.filter(pk__in=[row.pk for row in rows], claim=claim, status=status).update(
        status=Status.QUEUED, claim="", updated_at=timezone.now()
    )


def _fail(delivery: Delivery, claim: str, error: Exception, before: str = Status.SENDING) -> None:
    """Back to the queue with a delay, or failed for good after MAX_RETRIES retries."""
    attempts = delivery.attempts + 1
    message = f"{type(error).__name__}: {error}"[:1000]
    if attempts > MAX_RETRIES:
        _move(delivery, claim, before, Status.FAILED, attempts=attempts, error=message)
        return
    retry_at = timezone.now() + RETRY_DELAY * 2 ** (attempts - 1)
    if _move(delivery, claim, before, Status.QUEUED, attempts=attempts, error=message, retry_at=retry_at, claim=""):
        enqueue_batches(delivery.issue_id, 1, run_after=retry_at)


def _count_bounce(subscriber_id: int) -> None:
    Subscriber.objects.filter(pk=subscriber_id).update(
        bounce_count=F("bounce_count") + 1,
        status=Case(
            When(
                status=Subscriber.Status.CONFIRMED,
                bounce_count__gte=HARD_BOUNCES - 1,
                then=Value(Subscriber.Status.SUSPENDED),
            ),
            default=F("status"),
        ),
    )


def _bounce(delivery: Delivery, claim: str, reason: str) -> None:
    with transaction.atomic():
        if _move(delivery, claim, Status.SENDING, Status.BOUNCED, error=reason[:1000]):
            _count_bounce(delivery.subscriber_id)


def bounce_reported(delivery_id: int, reason: str) -> bool:
    """A bounce report that came back after the message left (`inbound`): counted like a refusal while sending,
    once per delivery however often the report is read."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status not in {Status.SENT, Status.UNCERTAIN}:
            return False
        delivery.status, delivery.error, delivery.updated_at = Status.BOUNCED, reason[:1000], timezone.now()
        delivery.save(update_fields=["status", "error", "updated_at"])
        _count_bounce(delivery.subscriber_id)
    return True


# --- Resuming after a worker died -------------------------------------------------------------------------------


def _batch_ended(claim: str, worker_id: str | None) -> bool:
    """Whether the batch task behind `claim` is known to be gone: it finished (without letting go of its rows), or
    it "runs" under the id of the worker that is starting now, so its process is dead."""
    try:
        result = send_batch.get_result(claim)
    except (TaskResultDoesNotExist, NotImplementedError, ValueError):  # not kept by this backend, or not its id
        return False
    if result.status in {TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED}:
        return True
    return bool(worker_id) and result.status == TaskResultStatus.RUNNING and result.worker_ids[-1:] == [worker_id]


def resume_interrupted(
    worker_id: str | None = None, stale_after: timedelta = STALE_AFTER, follow_up: bool = False
) -> dict[str, int]:
    """Take back the rows of dead batches of every issue being sent (see the module's description) and make sure
    batch tasks exist for what is due; {"released": rows requeued, "uncertain": rows, "batches": enqueued}.

    With `follow_up` (at a worker's start), batches that still look alive are looked at again once they would
    count as dead, by a deferred `resume_sending` task that keeps doing so while any remain."""
    summary = {"released": 0, "uncertain": 0, "batches": 0}
    look_again = False
    for issue_id in Issue.objects.filter(status=Issue.Status.SENDING).values_list("pk", flat=True):
        now = timezone.now()
        cutoff = now - stale_after
        claims = set(Delivery.objects.filter(issue_id=issue_id, status__in=HELD).values_list("claim", flat=True))
        alive = set(Delivery.objects.filter(claim__in=claims, updated_at__gte=cutoff).values_list("claim", flat=True))
        dead = {claim for claim in claims if claim not in alive or _batch_ended(claim, worker_id)}
        look_again |= bool(claims - dead)
        stalled = not Delivery.objects.filter(issue_id=issue_id, updated_at__gte=cutoff).exists()
        with transaction.atomic():
            released = Delivery.objects.filter(issue_id=issue_id, claim__in=dead, status=Status.CLAIMED).update(
                status=Status.QUEUED, claim="", updated_at=now
            )
            uncertain = Delivery.objects.filter(issue_id=issue_id, claim__in=dead, status=Status.SENDING).update(
                status=Status.UNCERTAIN, updated_at=now, error="interrupted while handing over to the mail server"
            )
        waiting = released
        if stalled:  # queued rows nobody worked on for a while: their batch tasks were lost
            queued = Delivery.objects.filter(issue_id=issue_id, status=Status.QUEUED)
            waiting = queued.filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now)).count()
        summary["batches"] += enqueue_batches(issue_id, waiting)
        summary["released"] += released
        summary["uncertain"] += uncertain
        finish_if_done(issue_id)
    if follow_up and look_again and resume_sending.get_backend().supports_defer:
        resume_sending.using(run_after=timezone.now() + stale_after).enqueue()
    return summary


@task()
def resume_sending() -> dict[str, int]:
    """The deferred second look of `resume_interrupted(follow_up=True)`."""
    return resume_interrupted(follow_up=True)


# --- Progress, as the admin shows it ----------------------------------------------------------------------------


def progress(issue: Issue) -> dict:
    """Counts per state straight from the rows (right after a restart too), and the last sign of life."""
    rows = Delivery.objects.filter(issue=issue)
    counts = dict(rows.order_by().values("status").annotate(n=Count("pk")).values_list("status", "n"))
    total = sum(counts.values())
    done = sum(counts.get(status, 0) for status in Status.values if status not in PENDING)
    last = rows.aggregate(last=Max("updated_at"))["last"]
    return {
        "total": total,
        "done": done,
        "pending": total - done,
        "stalled": bool(total - done) and last is not None and last < timezone.now() - STALE_AFTER,
        "last_activity": last,
        **{status: counts.get(status, 0) for status in Status.values},
    }
