"""What a kiosk shows, built for the kiosk tests (unit and browser): a published process open to anyone, a poll
with its questions, a governance campaign with the citizens' questionnaire, a signed-in kiosk, and response
messages as the kiosk sends them."""

import datetime
import uuid

from django.utils import timezone

from civiclink.benches import kiosk
from civiclink.benches.views.kiosk import SESSION_KEY
from civiclink.participation.models import (
    Category,
    Choice,
    Phase,
    PhaseCapability,
    Poll,
    Process,
    ProcessFeature,
    Question,
)

_numbers = iter(range(1, 1_000_000))


def open_process(municipality, communities=(), features=("polls", "proposals"), audience="anyone", **fields):
    """A published process whose running phase opens voting and reporting to `audience`."""
    number = next(_numbers)
    fields.setdefault("title", f"Process {number}")
    fields.setdefault("slug", f"process-{number}")
    process = Process.objects.create(municipality=municipality, published=True, **fields)
    process.communities.set(communities)
    now = timezone.now()
    phase = Phase.objects.create(
        process=process,
        name="Open",
        starts_at=now - datetime.timedelta(days=3),
        ends_at=now + datetime.timedelta(days=30),
    )
    for feature in features:
        ProcessFeature.objects.create(process=process, feature=feature)
        action = {"polls": "vote", "proposals": "submit"}[feature]
        PhaseCapability.objects.create(phase=phase, feature=feature, action=action, audience=audience)
    return process


def open_poll(process, kinds=("single",), choices=("Yes", "No"), **fields):
    """An open poll with one question of each kind in `kinds`, each with `choices` (text questions have none)."""
    now = timezone.now()
    fields.setdefault("title", f"Poll {next(_numbers)}")
    fields.setdefault("opens_at", now - datetime.timedelta(days=1))
    fields.setdefault("closes_at", now + datetime.timedelta(days=7))
    poll = Poll.objects.create(process=process, **fields)
    for position, kind in enumerate(kinds):
        question = Question.objects.create(poll=poll, kind=kind, text=f"Question {position + 1}?", position=position)
        if kind != Question.Kind.TEXT:
            for place, text in enumerate(choices):
                Choice.objects.create(question=question, text=text, position=place)
    return poll


def choices_of(poll) -> list[list[int]]:
    """The choice ids of each question, in order."""
    return [[choice.pk for choice in question.choices.all()] for question in poll.questions.all()]


def first_question(poll) -> tuple[int, list[int]]:
    question = poll.questions.first()
    return question.pk, [choice.pk for choice in question.choices.all()]


def category(process, name="Street lights"):
    return Category.objects.create(process=process, name=name)


def citizen_campaign(municipality, codes_required=False):
    """The municipality's governance campaign in its assessment phase, with the small test benchmark."""
    from civiclink.governance.models import Campaign, Cycle, Platform
    from civiclink.governance.models import Phase as CampaignPhase
    from eloge_data import make_small_benchmark

    platform = Platform.objects.create(
        name="LDA", accredited_from=datetime.date(2022, 1, 1), accredited_until=datetime.date(2030, 12, 31)
    )
    cycle = Cycle.for_platform(platform, benchmark=make_small_benchmark(), name="ELoGE 2026", year=2026)
    cycle.save()
    return Campaign.objects.create(
        cycle=cycle, municipality=municipality, phase=CampaignPhase.ASSESSMENT, citizen_codes_required=codes_required
    )


def response(token, target, target_id, message_id=None, ts=None, seq=1, **content):
    """A response message as the kiosk sends it; `content` is `answers=...`, `problem=...` and/or `code=...`."""
    return {
        "id": str(message_id or uuid.uuid4()),
        "seq": seq,
        "ts": (ts or timezone.now()).isoformat(),
        "type": "response",
        "data": {"token": token, "target": target, "id": target_id, **content},
    }


def vote(bench, poll, answers, **fields):
    """A response to `poll` with a fresh token of `bench`."""
    (token,) = kiosk.issue_tokens(bench, "poll", poll.pk)
    return response(token, "poll", poll.pk, answers=answers, **fields)


def sign_in(client, bench, language="en"):
    """Put a kiosk session for `bench` in the test client, as the start screen does, with the screen switched to
    `language` (the tests read English; None: the bench's first language)."""
    session = client.session
    session[SESSION_KEY] = {"bench": str(bench.pk), "version": bench.credential_version}
    if language:
        session[SESSION_KEY]["language"] = language
    session.save()
