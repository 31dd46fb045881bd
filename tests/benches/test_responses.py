"""Kiosk answers as bench messages (`benches/responses.py`): one answer per one-time token, stored through the
polls, the citizen questionnaire and problem reports, refusals recorded with their reason, and the anti-stuffing
flags that keep suspicious answers but count them apart."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from benches.kiosk_setup import (
    category,
    choices_of,
    citizen_campaign,
    first_question,
    open_poll,
    open_process,
    response,
    vote,
)
from civiclink.benches import ingest, kiosk, responses
from civiclink.benches.models import BallotToken, BenchHour, DeadLetter, KioskAnswer, Message, Reason, Transport
from civiclink.governance.models import Answer, Channel, Response
from civiclink.moderation.models import Visibility
from civiclink.participation import polls
from civiclink.participation.models import Ballot, Poll, Proposal, ProposalKind, Source
from support import at_once

pytestmark = pytest.mark.django_db


def store(bench, *messages, transport=Transport.HTTP):
    return ingest.store_one_bench(bench, json.dumps(list(messages)).encode(), transport)


def refusal(outcome) -> tuple[str, str]:
    """(reason, the dead letter's detail) of the one refused message."""
    assert not outcome.accepted and len(outcome.rejected) == 1, outcome
    letter = DeadLetter.objects.get(message_id=outcome.rejected[0]["id"])
    return outcome.rejected[0]["reason"], letter.detail


@pytest.fixture
def bench(make_bench):
    return make_bench()[0]


@pytest.fixture
def process(world, community):
    return open_process(world.home)


@pytest.fixture
def poll(process):
    return open_poll(process)


def yes(poll) -> dict:
    question, choices = first_question(poll)
    return {str(question): choices[0]}


def no(poll) -> dict:
    question, choices = first_question(poll)
    return {str(question): choices[1]}


# --- One token, one answer ---------------------------------------------------------------------------------------


def test_a_token_gives_one_answer(bench, poll):
    first = vote(bench, poll, yes(poll))
    assert store(bench, first).accepted == [first["id"]]
    again = response(first["data"]["token"], "poll", poll.pk, answers=no(poll))  # another message, the same token
    assert refusal(store(bench, again)) == (Reason.REFUSED, "token already used")
    assert Ballot.objects.filter(poll=poll, source=Source.BENCH).count() == 1
    assert Poll.objects.get(pk=poll.pk).ballot_count == 1
    answer = KioskAnswer.objects.get()
    assert (answer.bench, answer.target, answer.target_id, answer.flags) == (bench, "poll", poll.pk, [])
    assert BallotToken.objects.get().used_at is not None
    assert BenchHour.objects.get(bench=bench).answers == 1
    assert not Message.objects.filter(message_id=again["id"]).exists()  # the refused message left nothing


def test_the_same_message_sent_twice_is_one_answer(bench, poll):
    message = vote(bench, poll, yes(poll))
    assert store(bench, message).accepted == [message["id"]]
    replay = store(bench, message, transport=Transport.KIOSK)
    assert replay.duplicate == [message["id"]] and not replay.rejected
    assert Ballot.objects.count() == 1 and KioskAnswer.objects.count() == 1 and not DeadLetter.objects.exists()


def test_a_token_of_another_bench_or_ballot_is_refused_and_stays_usable(bench, make_bench, poll, process):
    other_bench = make_bench()[0]
    other_poll = open_poll(process)
    (token,) = kiosk.issue_tokens(bench, "poll", poll.pk)
    assert refusal(store(other_bench, response(token, "poll", poll.pk, answers=yes(poll)))) == (
        Reason.REFUSED,
        "ballot token of another bench",
    )
    assert refusal(store(bench, response(token, "poll", other_poll.pk, answers=yes(other_poll)))) == (
        Reason.REFUSED,
        "ballot token issued for another ballot",
    )
    assert refusal(store(bench, response("made-up", "poll", poll.pk, answers=yes(poll))))[1] == "unknown ballot token"
    assert not Ballot.objects.exists()
    assert store(bench, response(token, "poll", poll.pk, answers=yes(poll))).accepted  # still unspent


def test_an_expired_token_is_refused(bench, poll):
    message = vote(bench, poll, yes(poll))
    BallotToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert refusal(store(bench, message)) == (Reason.REFUSED, "token expired")


def test_an_answer_to_a_closed_poll_is_refused_and_keeps_its_token(bench, poll):
    message = vote(bench, poll, yes(poll))
    Poll.objects.filter(pk=poll.pk).update(
        opens_at=timezone.now() - datetime.timedelta(days=3), closes_at=timezone.now() - datetime.timedelta(hours=1)
    )
    reason, detail = refusal(store(bench, message))
    assert reason == Reason.REFUSED and detail.startswith("This poll closed on")
    assert BallotToken.objects.get().used_at is None and not KioskAnswer.objects.exists()
    assert not Ballot.objects.exists() and not BenchHour.objects.exists()


def test_invalid_answers_are_refused_with_what_is_wrong(bench, poll):
    question, _choices = first_question(poll)
    assert refusal(store(bench, vote(bench, poll, {str(question): 999_999}))) == (
        Reason.REFUSED,
        "Please choose one of the answers offered.",
    )
    assert refusal(store(bench, vote(bench, poll, {})))[1] == "Please answer this question."
    assert not Ballot.objects.exists()


@pytest.mark.parametrize(
    ("data", "detail"),
    [
        ({"target": "selfie", "id": 1, "answers": {}}, "target must be poll, questionnaire or problem"),
        ({"target": "poll", "id": "one", "answers": {}}, "id must be an id"),
        ({"target": "poll", "id": True, "answers": {}}, "id must be an id"),
        ({"target": "poll", "id": 1, "answers": [1, 2]}, "a poll or questionnaire response needs answers"),
        ({"target": "poll", "id": 1, "answers": {"x": 1}}, "a question or item must be an id"),
        ({"target": "poll", "id": 1, "answers": {}, "colour": "red"}, "unknown response field colour"),
        ({"target": "poll", "id": 1, "answers": {}, "code": "ABCD-EFGH"}, "only a questionnaire response may carry"),
        ({"target": "problem", "id": 1, "problem": {"title": "", "description": "x"}}, "problem title must be"),
        ({"target": "problem", "id": 1, "problem": {"title": "x", "description": "x", "photo": 1}}, "unknown problem"),
        ({"target": "problem", "id": 1, "answers": {}}, "a problem report needs problem"),
    ],
)
def test_malformed_response_data_is_rejected_as_invalid(bench, data, detail):
    (token,) = kiosk.issue_tokens(bench, "poll", 1)
    reason, recorded = refusal(store(bench, response(token, **{"target_id": data.pop("id"), **data})))
    assert reason == Reason.INVALID and recorded.startswith(detail)
    assert BallotToken.objects.get().used_at is None


@pytest.mark.parametrize(
    "change",
    [
        {"on_benches": False},
        {"codes_required": True},
    ],
)
def test_a_poll_not_shown_on_benches_is_refused(bench, poll, change):
    Poll.objects.filter(pk=poll.pk).update(**change)
    assert refusal(store(bench, vote(bench, poll, yes(poll))))[1] == "this poll is not shown on this bench"


def test_polls_of_other_communities_or_not_open_to_anyone_are_refused(bench, world):
    from civiclink.places.models import LocalCommunity

    elsewhere = LocalCommunity.objects.create(municipality=world.home, name="Cim", slug="cim")
    for process in (
        open_process(world.home, communities=[elsewhere]),
        open_process(world.home, audience="registered"),
        open_process(world.away),
    ):
        poll = open_poll(process)
        assert refusal(store(bench, vote(bench, poll, yes(poll))))[1] == "this poll is not shown on this bench"


def test_every_kind_of_question_through_the_protocol(bench, process):
    poll = open_poll(process, kinds=("single", "multiple", "ranking", "text"), choices=("A", "B", "C"))
    single, multiple, ranking, _text = choices_of(poll)
    questions = [question.pk for question in poll.questions.all()]
    answers = {
        str(questions[0]): single[2],
        str(questions[1]): [multiple[0], multiple[2]],
        str(questions[2]): {str(ranking[1]): 1, str(ranking[0]): 2},
        str(questions[3]): "More benches in the park.",
    }
    assert store(bench, vote(bench, poll, answers)).accepted
    tally = polls.tally(poll)
    bench_column = [value for value, _label in tally.sources].index(Source.BENCH)
    assert tally.ballots[bench_column] == 1 and tally.total_ballots == 1
    counted = {row.choice.pk: row.counts[bench_column] for result in tally.questions for row in result.choices}
    assert counted[single[2]] == counted[multiple[0]] == counted[multiple[2]] == counted[ranking[1]] == 1
    assert counted[single[0]] == counted[multiple[1]] == 0
    assert polls.text_answers(poll) == {questions[3]: ["More benches in the park."]}


# --- Anti-stuffing flags ---------------------------------------------------------------------------------------------


def before_now(delta: datetime.timedelta) -> datetime.datetime:
    """`delta` ago; when the time from then to now touches the night, the same span ending at 22:00 local time the
    evening before. Answers at night are flagged as such, and these tests are about the other flags, whatever the
    hour they run at."""
    now = timezone.now()

    def at_night(moment) -> bool:
        return responses.NIGHT_START <= timezone.localtime(moment).hour < responses.NIGHT_END

    if at_night(now) or at_night(now - delta):
        evening = timezone.localtime(now).replace(hour=22, minute=0, second=0, microsecond=0)
        now = evening if evening < now else evening - datetime.timedelta(days=1)
    return now - delta


def answers_at(bench, poll, times, answers_for):
    """One answer per time, with a fresh token each; their flags in order."""
    for number, moment in enumerate(times):
        assert store(bench, vote(bench, poll, answers_for(number), ts=moment, seq=number + 1)).accepted
    return [answer.flags for answer in KioskAnswer.objects.order_by("answered_at", "pk")]


def test_answers_above_the_hourly_cap_are_kept_but_flagged(bench, poll, settings):
    settings.BENCH_HOURLY_ANSWER_CAP = 3
    start = before_now(datetime.timedelta(minutes=30))
    times = [start + datetime.timedelta(minutes=minute) for minute in (0, 5, 10, 15, 20)]
    flags = answers_at(bench, poll, times, lambda n: yes(poll) if n % 2 else no(poll))
    assert flags == [[], [], [], ["over_cap"], ["over_cap"]]
    assert Ballot.objects.filter(flagged=True).count() == 2 and Ballot.objects.count() == 5
    hour = BenchHour.objects.filter(bench=bench)
    assert sum(h.answers for h in hour) == 5 and sum(h.flagged_answers for h in hour) == 2
    tally = polls.tally(poll)
    assert tally.total_ballots == 5 and tally.flagged == 2  # counted, and shown apart


def test_the_public_results_show_flagged_bench_ballots_apart(client, bench, poll, settings):
    settings.BENCH_HOURLY_ANSWER_CAP = 1
    start = before_now(datetime.timedelta(minutes=30))
    answers_at(bench, poll, [start, start + datetime.timedelta(minutes=5)], lambda n: yes(poll))
    now = timezone.now()
    Poll.objects.filter(pk=poll.pk).update(opens_at=now - datetime.timedelta(days=2), closes_at=now)
    page = client.get(reverse("participation:poll_results", args=[poll.process.slug, poll.pk]))
    html = " ".join(page.content.decode().split())
    assert "2 ballots in all: Web 0, Smart bench 2, Paper 0." in html
    assert "1 smart-bench ballot is flagged for review" in html


def test_a_run_of_identical_answers_is_a_burst(bench, poll):
    start = before_now(datetime.timedelta(minutes=30))
    run = responses.BURST_RUN
    times = [start + datetime.timedelta(seconds=30 * n) for n in range(run + 1)]
    flags = answers_at(bench, poll, times, lambda n: yes(poll))
    assert flags == [[]] * (run - 1) + [["burst"], ["burst"]]


def test_identical_answers_spread_out_or_mixed_are_not_a_burst(bench, poll):
    start = before_now(datetime.timedelta(hours=5))
    spread = [start + datetime.timedelta(minutes=2 * n) for n in range(responses.BURST_RUN)]  # 14 minutes
    assert answers_at(bench, poll, spread, lambda n: yes(poll)) == [[]] * responses.BURST_RUN
    KioskAnswer.objects.all().delete()
    mixed = [start + datetime.timedelta(seconds=30 * n) for n in range(responses.BURST_RUN)]
    flags = answers_at(bench, poll, mixed, lambda n: no(poll) if n == 3 else yes(poll))
    assert flags == [[]] * responses.BURST_RUN


def test_answers_faster_than_the_cool_down_are_flagged_not_lost(bench, poll, settings):
    settings.BENCH_KIOSK_COOLDOWN_SECONDS = 15
    start = before_now(datetime.timedelta(minutes=10))
    times = [start, start + datetime.timedelta(seconds=5), start + datetime.timedelta(seconds=40)]
    assert answers_at(bench, poll, times, lambda n: yes(poll) if n % 2 else no(poll)) == [[], ["burst"], []]
    assert Ballot.objects.count() == 3


def test_a_night_time_spike_is_flagged(bench, poll):
    night = timezone.localtime() - datetime.timedelta(days=1)
    night = night.replace(hour=2, minute=0, second=0, microsecond=0)
    times = [night + datetime.timedelta(minutes=5 * n) for n in range(responses.NIGHT_SPIKE + 1)]
    flags = answers_at(bench, poll, times, lambda n: yes(poll) if n % 2 else no(poll))
    assert flags == [[]] * (responses.NIGHT_SPIKE - 1) + [["night"], ["night"]]
    KioskAnswer.objects.all().delete()
    day = night.replace(hour=14)
    flags = answers_at(bench, poll, [day + datetime.timedelta(minutes=5 * n) for n in range(6)], lambda n: no(poll))
    assert flags == [[]] * 6


def test_the_fingerprint_ignores_order_spacing_and_case():
    assert responses.fingerprint("poll", 1, {"2": [3, 1], "5": "Yes  please"}) == responses.fingerprint(
        "poll", 1, {"5": "yes please", "2": [1, 3]}
    )
    assert responses.fingerprint("poll", 1, {"2": 3}) != responses.fingerprint("poll", 2, {"2": 3})


# --- The questionnaire and problem reports ----------------------------------------------------------------------------


def test_the_citizen_questionnaire_from_a_bench(bench, world):
    from civiclink.governance.responses import active_items

    campaign = citizen_campaign(world.home)
    items = active_items(campaign, "citizens")
    (token,) = kiosk.issue_tokens(bench, "questionnaire", campaign.pk)
    answers = {str(items[0].pk): 4, str(items[1].pk): None}
    assert store(bench, response(token, "questionnaire", campaign.pk, answers=answers)).accepted
    stored = Response.objects.get()
    assert (stored.channel, stored.audience) == (Channel.BENCH, "citizens")
    assert sorted(Answer.objects.values_list("value", flat=True), key=str) == [4, None]
    assert refusal(store(bench, response(token, "questionnaire", campaign.pk, answers=answers)))[1] == (
        "token already used"
    )
    (late,) = kiosk.issue_tokens(bench, "questionnaire", campaign.pk)
    wrong = {str(items[0].pk): 99}
    assert refusal(store(bench, response(late, "questionnaire", campaign.pk, answers=wrong)))[0] == Reason.REFUSED
    assert Response.objects.count() == 1


def test_a_questionnaire_that_asks_for_printed_codes_takes_them_on_the_bench(bench, world):
    from civiclink.governance import invitations
    from civiclink.governance.responses import active_items

    campaign = citizen_campaign(world.home, codes_required=True)
    item = active_items(campaign, "citizens")[0]
    (code,) = invitations.issue_codes(campaign, 1)
    first, second, third = kiosk.issue_tokens(bench, "questionnaire", campaign.pk, count=3)
    answers = {str(item.pk): 3}
    without = refusal(store(bench, response(first, "questionnaire", campaign.pk, answers=answers)))
    assert without[1] == "this questionnaire needs the code printed on the citizen's leaflet"
    assert store(bench, response(first, "questionnaire", campaign.pk, answers=answers, code=code.lower())).accepted
    again = refusal(store(bench, response(second, "questionnaire", campaign.pk, answers=answers, code=code)))
    assert again[1] == "This code has already been used. Each code opens the questionnaire once."
    assert Response.objects.count() == 1 and invitations.code_counts(campaign) == (1, 1)
    assert BallotToken.objects.filter(used_at__isnull=True).count() == 2  # the refused answer spent no token
    assert third


def test_a_problem_reported_on_a_bench_is_anonymous_and_placed_in_the_community(bench, process, community):
    lights = category(process)
    (token,) = kiosk.issue_tokens(bench, "problem", process.pk)
    problem = {"title": "  Broken street light ", "description": "Dark at the bus stop.", "category": lights.pk}
    assert store(bench, response(token, "problem", process.pk, problem=problem)).accepted
    report = Proposal.objects.get()
    assert (report.kind, report.title, report.author, report.community, report.category) == (
        ProposalKind.PROBLEM,
        "Broken street light",
        None,
        community,
        lights,
    )
    assert report.visibility == Visibility.VISIBLE


def test_problem_reports_are_refused_where_not_open_or_in_another_category(bench, world, process):
    elsewhere = open_process(world.home, features=("polls",))
    foreign = category(elsewhere, "Parks")
    (token,) = kiosk.issue_tokens(bench, "problem", process.pk)
    (closed,) = kiosk.issue_tokens(bench, "problem", elsewhere.pk)
    problem = {"title": "Pothole", "description": "Deep."}
    wrong_category = {**problem, "category": foreign.pk}
    assert refusal(store(bench, response(token, "problem", process.pk, problem=wrong_category)))[1] == (
        "not a category of this process"
    )
    assert refusal(store(bench, response(closed, "problem", elsewhere.pk, problem=problem)))[1] == (
        "problem reports are not open in this process for this bench"
    )
    assert store(bench, response(token, "problem", process.pk, problem=problem)).accepted  # the refusal spent nothing
    assert Proposal.objects.count() == 1


def test_a_flagged_problem_report_waits_for_a_moderator(bench, process, settings):
    settings.BENCH_HOURLY_ANSWER_CAP = 1
    start = before_now(datetime.timedelta(minutes=20))
    for number in range(2):
        (token,) = kiosk.issue_tokens(bench, "problem", process.pk)
        problem = {"title": f"Pothole {number}", "description": "Deep."}
        ts = start + datetime.timedelta(minutes=number)
        assert store(bench, response(token, "problem", process.pk, problem=problem, ts=ts)).accepted
    assert list(Proposal.objects.order_by("pk").values_list("visibility", flat=True)) == [
        Visibility.VISIBLE,
        Visibility.PENDING,
    ]


# --- At once ---------------------------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_token_sent_at_once_from_many_connections_gives_one_answer(make_bench, world):
    bench = make_bench()[0]
    poll = open_poll(open_process(world.home))
    (token,) = kiosk.issue_tokens(bench, "poll", poll.pk)
    messages = [response(token, "poll", poll.pk, answers=yes(poll), seq=n) for n in range(4)]

    def send(barrier, message):
        barrier.wait()
        outcome = ingest.store_one_bench(bench, [message], Transport.HTTP)
        return "accepted" if outcome.accepted else outcome.rejected[0]["reason"]

    assert at_once(send, [(message,) for message in messages], {}) == ["accepted", "refused", "refused", "refused"]
    assert Ballot.objects.filter(poll=poll).count() == 1 and KioskAnswer.objects.count() == 1
    assert Poll.objects.get(pk=poll.pk).ballot_count == 1
    assert sorted(DeadLetter.objects.values_list("detail", flat=True)) == ["token already used"] * 3
