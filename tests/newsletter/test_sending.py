"""Sending an issue: who receives it, what each message looks like, bounces and failures, and resuming after a
crash without sending anybody the issue twice. Tasks run at once here (the immediate backend); the worker as a
separate process, killed mid-issue, is in test_worker.py."""

import datetime
import io
import re
from collections import Counter

import pytest
from django.core import mail
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as Picture
from wagtail.images import get_image_model

from civiclink.newsletter import sending, subscriptions
from civiclink.newsletter.models import Delivery, Issue, Subscriber

from .backends import RefusingBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def refusing(settings):
    settings.MAILERS = {**settings.MAILERS, "delivery": {"BACKEND": "newsletter.backends.RefusingBackend"}}
    RefusingBackend.opened = 0


def send(issue, committed) -> int:
    with committed():
        return sending.start_sending(issue)


def recipients_of(messages) -> Counter:
    return Counter(address for message in messages for address in message.to)


def test_an_issue_reaches_the_confirmed_subscribers_of_its_language_and_topics(world, make_subscriber, make_issue):
    everything = make_subscriber("everything@example.org")
    grants = make_subscriber("grants@example.org", themes=["grants"])
    mostar = make_subscriber("mostar@example.org", municipalities=[world.home])
    trainings = make_subscriber("trainings@example.org", themes=["trainings"], municipalities=[world.away])
    make_subscriber("bosnian@example.org", language="bs")
    for status in ("pending", "unsubscribed", "suspended"):
        make_subscriber(f"{status}@example.org", status=status)

    def reached(**targets) -> set[str]:
        issue = make_issue(**targets)
        return set(subscriptions.recipients(issue).values_list("email", flat=True))

    assert reached() == {s.email for s in (everything, grants, mostar, trainings)}
    assert reached(themes=["grants"]) == {everything.email, grants.email}
    assert reached(municipalities=[world.home]) == {everything.email, mostar.email}
    assert reached(themes=["grants"], municipalities=[world.home]) == {everything.email, grants.email, mostar.email}
    assert reached(language="bs") == {"bosnian@example.org"}


@pytest.fixture
def picture():
    buffer = io.BytesIO()
    Picture.new("RGB", (1200, 630), "#0b4f8a").save(buffer, "PNG")
    return get_image_model().objects.create(title="Bench", file=ImageFile(buffer, name="bench.png"))


def test_each_recipient_gets_one_personal_message_in_html_and_text(
    make_subscriber, make_issue, make_article, picture, committed, client
):
    first = make_article("en", title="New benches in Mostar", main_image=picture, main_image_alt="A green bench")
    second = make_article("en", title="Trainings for councillors")
    issue = make_issue(articles=[first, second], closing="<p>See you soon.</p>")
    readers = [make_subscriber(f"reader{number}@example.org") for number in range(3)]

    assert send(issue, committed) == 3

    assert sorted(recipients_of(mail.outbox).elements()) == sorted(reader.email for reader in readers)
    message = next(message for message in mail.outbox if message.to == ["reader1@example.org"])
    assert message.subject == "News from the programme"
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert 'lang="en"' in html and "New benches in Mostar" in html and "See you soon." in html
    assert 'alt="A green bench"' in html
    assert re.search(r'src="http://127\.0\.0\.1:8000/media/images/bench[^"]*\.png"', html)
    links = re.findall(r'href="([^"]+)"', html)
    assert links and all(link.startswith("http://127.0.0.1:8000/") for link in links)
    assert "http://127.0.0.1:8000/en/news/" in links  # the intro's own link, made absolute
    assert "http://127.0.0.1:8000/en/news/new-benches-in-mostar/" in links
    assert "New benches in Mostar\n" in message.body and "http://127.0.0.1:8000/en/news/new-benches-in-mostar/" in (
        message.body
    )
    assert "<" not in message.body  # the text alternative is text

    reader = Subscriber.objects.get(email="reader1@example.org")
    unsubscribe = f"http://127.0.0.1:8000/en/newsletter/unsubscribe/{subscriptions.unsubscribe_token(reader)}/"
    manage = f"http://127.0.0.1:8000/en/newsletter/preferences/{subscriptions.manage_token(reader)}/"
    assert unsubscribe in html and manage in html and unsubscribe in message.body and manage in message.body
    token = subscriptions.unsubscribe_token(reader).replace(":", "%3A")
    assert message.extra_headers["List-Unsubscribe"] == (
        f"<{unsubscribe}>, <mailto:noreply@civiclink.local?subject=unsubscribe%20{token}>"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    others = [m for m in mail.outbox if m is not message]
    assert all(subscriptions.unsubscribe_token(reader) not in m.body for m in others)  # personal, really

    # The header's address is the one-click unsubscription (RFC 8058).
    client.post(unsubscribe.removeprefix("http://127.0.0.1:8000"), {"List-Unsubscribe": "One-Click"})
    assert Subscriber.objects.get(email="reader1@example.org").status == "unsubscribed"


def test_the_footer_carries_the_funding_acknowledgement(make_subscriber, make_issue, committed):
    from civiclink.pages.models import SiteFooter

    SiteFooter.objects.create(funding_acknowledgement="Funded by the Council of Europe.")
    make_subscriber()

    send(make_issue(), committed)

    [message] = mail.outbox
    assert "Funded by the Council of Europe." in message.body
    assert "Funded by the Council of Europe." in message.alternatives[0][0]
    assert "because you subscribed to it on CivicLink" in message.body


def test_an_issue_is_sent_once(make_subscriber, make_issue, committed):
    make_subscriber()
    issue = make_issue()
    send(issue, committed)

    issue.refresh_from_db()
    assert issue.status == "sent" and issue.queued_at is not None and issue.sent_at is not None
    with pytest.raises(sending.NotADraft):
        send(issue, committed)
    assert len(mail.outbox) == 1 and Delivery.objects.count() == 1


def test_an_issue_that_matches_nobody_is_sent_at_once(make_issue, committed):
    issue = make_issue(themes=["grants"])

    assert send(issue, committed) == 0

    issue.refresh_from_db()
    assert issue.status == "sent"


def test_batches_open_one_connection_each_and_never_send_twice(
    make_subscriber, make_issue, committed, refusing, monkeypatch
):
    monkeypatch.setattr(sending, "BATCH_SIZE", 4)
    for _number in range(10):
        make_subscriber()
    issue = make_issue()

    send(issue, committed)

    assert RefusingBackend.opened == 3  # 10 rows, batches of 4
    assert sorted(recipients_of(mail.outbox).values()) == [1] * 10
    assert sending.deliver_batch(issue.pk, claim="again") == 0  # a retried task finds nothing to send
    assert len(mail.outbox) == 10


def test_a_hard_bounce_is_recorded_and_suspends_after_three(make_subscriber, make_issue, committed, refusing):
    bouncing = make_subscriber("nobody@refused.example")
    make_subscriber("reader@example.org")

    for number in range(3):
        send(make_issue(subject=f"Issue {number}"), committed)
        delivery = Delivery.objects.get(subscriber=bouncing, issue__subject=f"Issue {number}")
        assert delivery.status == "bounced"
        assert delivery.error == "550 5.1.1 No such user"

    bouncing.refresh_from_db()
    assert bouncing.bounce_count == 3 and bouncing.status == "suspended"
    assert recipients_of(mail.outbox) == {"reader@example.org": 3}
    assert Issue.objects.filter(status="sent").count() == 3
    send(make_issue(subject="Issue 4"), committed)  # a suspended address is not written to any more
    assert not Delivery.objects.filter(subscriber=bouncing, issue__subject="Issue 4").exists()


def test_a_temporary_failure_is_retried_with_a_growing_delay_then_given_up(
    make_subscriber, make_issue, committed, refusing
):
    busy = make_subscriber("someone@busy.example")
    issue = make_issue()
    send(issue, committed)
    delivery = Delivery.objects.get(subscriber=busy)
    delays = []

    for _attempt in range(sending.MAX_RETRIES):
        assert delivery.status == "queued" and "try later" in delivery.error
        delays.append(delivery.retry_at - delivery.updated_at)
        assert sending.deliver_batch(issue.pk, claim="too-early") == 0  # not due yet
        Delivery.objects.filter(pk=delivery.pk).update(retry_at=timezone.now())
        sending.deliver_batch(issue.pk, claim=f"retry-{_attempt}")
        delivery.refresh_from_db()

    assert [round(delay.total_seconds() / 60) for delay in delays] == [1, 2, 4]
    assert delivery.status == "failed" and delivery.attempts == sending.MAX_RETRIES + 1
    issue.refresh_from_db()
    assert issue.status == "sent" and mail.outbox == []
    assert Subscriber.objects.get(pk=busy.pk).status == "confirmed"  # not the address's fault


def test_a_dropped_connection_fails_one_row_and_leaves_the_rest_to_the_next_batch(
    make_subscriber, make_issue, refusing, monkeypatch
):
    monkeypatch.setattr(sending, "BATCH_SIZE", 10)
    make_subscriber("first@example.org")
    make_subscriber("down@broken.example")
    make_subscriber("third@example.org")
    issue = make_issue()
    sending.start_sending(issue)  # the batch tasks are left for after the commit: run by hand here

    assert sending.deliver_batch(issue.pk, claim="one") == 1
    assert dict(Delivery.objects.values_list("subscriber__email", "status")) == {
        "first@example.org": "sent",
        "down@broken.example": "queued",
        "third@example.org": "queued",
    }
    assert sending.deliver_batch(issue.pk, claim="two") == 1  # the broken one waits for its retry
    assert recipients_of(mail.outbox) == {"first@example.org": 1, "third@example.org": 1}


def test_who_unsubscribes_while_an_issue_is_queued_does_not_get_it(make_subscriber, make_issue, committed):
    leaving = make_subscriber("leaving@example.org")
    make_subscriber("staying@example.org")
    issue = make_issue()
    sending.start_sending(issue)
    subscriptions.unsubscribe(leaving)

    sending.deliver_batch(issue.pk, claim="batch")

    assert recipients_of(mail.outbox) == {"staying@example.org": 1}
    assert Delivery.objects.get(subscriber=leaving).status == "cancelled"
    issue.refresh_from_db()
    assert issue.status == "sent"


def crash(issue, claim: str, in_flight: int, claimed: int, minutes_ago: int) -> None:
    """What a batch killed mid-way leaves: rows handed over ("sending") and rows it had claimed."""
    rows = list(Delivery.objects.filter(issue=issue, status="queued").order_by("pk")[: in_flight + claimed])
    then = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    for position, row in enumerate(rows):
        status = "sending" if position < in_flight else "claimed"
        Delivery.objects.filter(pk=row.pk).update(status=status, claim=claim, updated_at=then)


def test_after_a_crash_claimed_rows_are_sent_and_in_flight_ones_become_uncertain(
    make_subscriber, make_issue, committed
):
    readers = [make_subscriber() for _number in range(6)]
    issue = make_issue()
    sending.start_sending(issue)  # queued; its batch tasks never ran (the worker died)
    crash(issue, "dead-batch", in_flight=1, claimed=3, minutes_ago=10)
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    Delivery.objects.filter(issue=issue, status="queued").update(updated_at=an_hour_ago)

    with committed():
        summary = sending.resume_interrupted()

    assert summary == {"released": 3, "uncertain": 1, "batches": 1}
    uncertain = Delivery.objects.get(status="uncertain")
    assert recipients_of(mail.outbox) == {r.email: 1 for r in readers if r.pk != uncertain.subscriber_id}
    issue.refresh_from_db()
    assert issue.status == "sent"
    assert sending.progress(issue) | {"last_activity": None} == sending.progress(issue) | {
        "last_activity": None,
        "total": 6,
        "done": 6,
        "sent": 5,
        "uncertain": 1,
        "pending": 0,
    }

    with committed():
        assert sending.resend(issue) == 1  # staff decide to send those again

    assert recipients_of(mail.outbox)[uncertain.subscriber.email] == 1
    issue.refresh_from_db()
    assert issue.status == "sent"


def test_a_batch_that_shows_signs_of_life_is_left_alone(make_subscriber, make_issue, committed):
    for _number in range(3):
        make_subscriber()
    issue = make_issue()
    sending.start_sending(issue)
    crash(issue, "busy-batch", in_flight=1, claimed=2, minutes_ago=1)

    with committed():
        assert sending.resume_interrupted() == {"released": 0, "uncertain": 0, "batches": 0}

    assert mail.outbox == []
    assert Delivery.objects.filter(status__in=["sending", "claimed"]).count() == 3
    # Once it falls silent for longer than STALE_AFTER, it counts as dead.
    with committed():
        summary = sending.resume_interrupted(stale_after=datetime.timedelta(seconds=30))
    assert summary["released"] == 2 and summary["uncertain"] == 1


def test_a_batch_taken_back_meanwhile_sends_none_of_its_rows(make_subscriber, make_issue):
    """`resume_interrupted` may wrongly think a slow batch dead: the batch then finds its rows gone."""
    for _number in range(3):
        make_subscriber()
    issue = make_issue()
    sending.start_sending(issue)
    rows = sending._claim(issue.pk, "slow", 10)
    Delivery.objects.filter(claim="slow").update(status="queued", claim="")  # taken back
    sending.deliver_batch(issue.pk, claim="other")

    from civiclink.newsletter.composing import Letter

    assert sending._hand_over(Letter(issue), rows, "slow") == 0
    assert len(mail.outbox) == 3
