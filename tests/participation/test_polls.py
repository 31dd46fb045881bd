"""Polls: each kind of question checked, one ballot per account, code or browser (enforced by the database, also
under concurrent requests), results per source and when they show, the ballot page for visitors with and without
an account, and the officers' pages."""

import csv
import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from civiclink.participation import polls
from civiclink.participation.models import Ballot, Choice, Poll, PollCode, Question, TextAnswer, Vote
from civiclink.participation.models.polls import TEXT_ANSWER_MAX
from support import at_once

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
ANONYMOUS_POLL_PAGE_QUERIES = 8  # process, its features, phases, capabilities; poll, questions, choices; footer
SIGNED_IN_VOTER_POLL_PAGE_QUERIES = 21  # + session, user, what access checks, has voted; tally: 4


def make_poll(process, *, questions=("single", "multiple", "ranking", "text"), **fields):
    """An open poll with a question of each kind asked for (three choices each; at most two for several choices,
    the free text optional). Returns the poll; `poll.q[kind]` is the question, `poll.c[kind]` its choices."""
    now = timezone.now()
    fields.setdefault("title", "Where should the new playground go?")
    fields.setdefault("opens_at", now - DAY)
    fields.setdefault("closes_at", now + 7 * DAY)
    poll = Poll.objects.create(process=process, **fields)
    poll.q, poll.c = {}, {}
    for position, kind in enumerate(questions):
        question = Question.objects.create(
            poll=poll,
            kind=kind,
            text=f"The {kind} question",
            position=position,
            max_choices=2 if kind == "multiple" else None,
            required=kind != "text",
        )
        poll.q[kind] = question
        poll.c[kind] = (
            []
            if kind == "text"
            else [Choice.objects.create(question=question, text=f"{kind} {n}", position=n) for n in range(3)]
        )
    return poll


def full_answers(poll, *, first=0) -> dict:
    c = poll.c
    return {
        poll.q["single"].pk: c["single"][first].pk,
        poll.q["multiple"].pk: [c["multiple"][0].pk, c["multiple"][2].pk],
        poll.q["ranking"].pk: {c["ranking"][2].pk: 1, c["ranking"][0].pk: 2},
        poll.q["text"].pk: "Near the school, please.",
    }


def form_data(poll, **extra) -> dict:
    c = poll.c
    ranking = poll.q["ranking"].pk
    return {
        f"q-{poll.q['single'].pk}": str(c["single"][1].pk),
        f"q-{poll.q['multiple'].pk}": [str(c["multiple"][0].pk)],
        f"q-{ranking}-{c['ranking'][0].pk}": "2",
        f"q-{ranking}-{c['ranking'][1].pk}": "1",
        f"q-{ranking}-{c['ranking'][2].pk}": "",
        f"q-{poll.q['text'].pk}": "More benches.",
        **extra,
    }


def nothing_stored(poll) -> bool:
    poll.refresh_from_db()
    return (
        poll.ballot_count == 0
        and not Ballot.objects.filter(poll=poll).exists()
        and not Vote.objects.filter(poll=poll).exists()
        and not TextAnswer.objects.filter(ballot__poll=poll).exists()
    )


@pytest.fixture
def process(make_process):
    """A process whose running phase lets anyone vote."""
    return make_process(features=("polls",), capabilities={"polls.vote": "anyone"})


@pytest.fixture
def poll(process):
    return make_poll(process)


def poll_url(poll, name="poll") -> str:
    return reverse(f"participation:{name}", args=[poll.process.slug, poll.pk])


def text_of(page) -> str:
    return re.sub(r"\s+", " ", page.content.decode())


# --- The domain: answers of each kind -----------------------------------------------------------------------------


def test_a_ballot_stores_each_kind_of_answer_and_counts_once(poll, people):
    ballot = polls.vote(poll, full_answers(poll), credential_kind="account", credential=people.citizen.pk)

    c = poll.c
    assert ballot.source == "web" and ballot.cast_on == timezone.localdate()
    assert set(Vote.objects.filter(ballot=ballot).values_list("choice_id", "rank")) == {
        (c["single"][0].pk, None),
        (c["multiple"][0].pk, None),
        (c["multiple"][2].pk, None),
        (c["ranking"][2].pk, 1),
        (c["ranking"][0].pk, 2),
    }
    assert TextAnswer.objects.get(ballot=ballot).text == "Near the school, please."
    poll.refresh_from_db()
    assert poll.ballot_count == 1
    assert ballot.voter_key == polls.voter_key(poll, "account", str(people.citizen.pk))  # a keyed hash, no user id


def test_optional_questions_may_be_left_out_and_a_ranking_may_be_a_list(poll, people):
    answers = full_answers(poll)
    del answers[poll.q["text"].pk]
    answers[poll.q["ranking"].pk] = [poll.c["ranking"][1].pk]
    ballot = polls.vote(poll, answers, credential_kind="account", credential=people.citizen.pk)
    assert not TextAnswer.objects.filter(ballot=ballot).exists()
    assert Vote.objects.get(ballot=ballot, question=poll.q["ranking"]).rank == 1


def _other_question_choice(poll):
    return poll.c["multiple"][0].pk


BAD_ANSWERS = [
    ("single", lambda poll: None, "Please answer this question."),
    ("single", lambda poll: [poll.c["single"][0].pk, poll.c["single"][1].pk], "This answer is not valid."),
    ("single", _other_question_choice, "Please choose one of the answers offered."),
    ("single", lambda poll: "one", "This answer is not valid."),
    ("multiple", lambda poll: [c.pk for c in poll.c["multiple"]], "Please choose at most 2 answers (you chose 3)."),
    ("multiple", lambda poll: [poll.c["single"][0].pk], "Please choose among the answers offered."),
    ("multiple", lambda poll: [], "Please answer this question."),
    ("ranking", lambda poll: {poll.c["ranking"][0].pk: 1, poll.c["ranking"][1].pk: 3}, "without gaps"),
    ("ranking", lambda poll: {poll.c["ranking"][0].pk: 1, poll.c["ranking"][1].pk: 1}, "two the same number"),
    ("ranking", lambda poll: {poll.c["ranking"][0].pk: 0}, "without gaps"),
    ("ranking", lambda poll: {poll.c["single"][0].pk: 1}, "Please rank only the answers offered."),
    ("ranking", lambda poll: [poll.c["ranking"][0].pk] * 2, "Please rank each answer only once."),
    ("ranking", lambda poll: {poll.c["ranking"][0].pk: "first"}, "This answer is not valid."),
    ("text", lambda poll: "x" * (TEXT_ANSWER_MAX + 1), f"under {TEXT_ANSWER_MAX} characters"),
    ("text", lambda poll: 42, "This answer is not valid."),
]


@pytest.mark.parametrize(("kind", "answer", "message"), BAD_ANSWERS)
def test_bad_answers_are_refused_with_a_message_at_their_question_and_nothing_is_saved(
    poll, people, kind, answer, message
):
    answers = full_answers(poll) | {poll.q[kind].pk: answer(poll)}
    with pytest.raises(polls.InvalidAnswers) as refused:
        polls.vote(poll, answers, credential_kind="account", credential=people.citizen.pk)
    assert message in str(refused.value.problems[poll.q[kind].pk])
    assert set(refused.value.problems) == {poll.q[kind].pk}
    assert nothing_stored(poll)


def test_a_ranking_may_not_rank_more_than_its_maximum(process, people):
    poll = make_poll(process, questions=("ranking",))
    Question.objects.filter(pk=poll.q["ranking"].pk).update(max_choices=2)
    answers = {poll.q["ranking"].pk: [choice.pk for choice in poll.c["ranking"]]}
    with pytest.raises(polls.InvalidAnswers) as refused:
        polls.vote(poll, answers, credential_kind="account", credential=people.citizen.pk)
    assert refused.value.problems == {poll.q["ranking"].pk: "Please rank at most 2 answers."}
    answers[poll.q["ranking"].pk] = answers[poll.q["ranking"].pk][:2]
    polls.vote(poll, answers, credential_kind="account", credential=people.citizen.pk)


def test_answers_to_questions_of_another_poll_or_to_nothing_are_refused(poll, process, people):
    other = make_poll(process, questions=("text",))
    with pytest.raises(polls.InvalidAnswers) as refused:
        polls.vote(poll, full_answers(poll) | {other.q["text"].pk: "hi"}, credential_kind="account", credential=1)
    assert "do not belong to this poll" in str(refused.value.message)
    optional = make_poll(process, questions=("text",))
    with pytest.raises(polls.InvalidAnswers, match="Please answer at least one question"):
        polls.vote(optional, {optional.q["text"].pk: "   "}, credential_kind="account", credential=1)
    assert nothing_stored(poll) and nothing_stored(optional)


@pytest.mark.parametrize(
    ("opens", "closes", "message"), [(1, 3, "This poll opens on"), (-3, -1, "This poll closed on")]
)
def test_polls_take_votes_only_while_open(process, people, opens, closes, message):
    now = timezone.now()
    poll = make_poll(process, opens_at=now + opens * DAY, closes_at=now + closes * DAY)
    with pytest.raises(polls.PollClosed, match=message):
        polls.vote(poll, full_answers(poll), credential_kind="account", credential=people.citizen.pk)
    assert nothing_stored(poll)


def test_a_poll_closed_since_it_was_read_refuses_the_vote(poll, people):
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(polls.PollClosed):
        polls.vote(poll, full_answers(poll), credential_kind="account", credential=people.citizen.pk)
    assert nothing_stored(poll)


# --- One ballot per credential ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("account", "You have already voted in this poll."),
        ("browser", "Someone has already voted in this poll from this browser."),
        ("token", "A vote has already been cast with this ticket."),
    ],
)
def test_one_ballot_per_account_browser_or_bench_ticket(poll, kind, message):
    polls.vote(poll, full_answers(poll), credential_kind=kind, credential="same")
    with pytest.raises(polls.AlreadyVoted, match=message):
        polls.vote(poll, full_answers(poll, first=1), credential_kind=kind, credential="same")
    assert Ballot.objects.filter(poll=poll).count() == 1
    assert polls.has_voted(poll, kind, "same") and not polls.has_voted(poll, kind, "other")
    poll.refresh_from_db()
    assert poll.ballot_count == 1


def test_codes_are_stored_as_keyed_hashes_and_each_votes_once(poll):
    codes = polls.issue_codes(poll, 3)
    assert len(set(codes)) == 3 and all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code) for code in codes)
    stored = set(PollCode.objects.filter(poll=poll).values_list("code_hash", flat=True))
    assert not any(code.replace("-", "") in digest for code in codes for digest in stored)

    typed = codes[0].lower().replace("-", " ")  # however it is typed, it is the same code
    polls.vote(poll, full_answers(poll), credential_kind="code", credential=typed)
    with pytest.raises(polls.AlreadyVoted, match="This code has already been used"):
        polls.vote(poll, full_answers(poll), credential_kind="code", credential=codes[0])
    with pytest.raises(polls.InvalidCode, match="not valid for this poll"):
        polls.vote(poll, full_answers(poll), credential_kind="code", credential="ABCD-EFGH")
    with pytest.raises(polls.InvalidCode, match="Please enter the code"):
        polls.vote(poll, full_answers(poll), credential_kind="code", credential="")
    assert polls.code_counts(poll) == (3, 1)
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_a_code_of_another_poll_does_not_vote_here(poll, process):
    other = make_poll(process)
    code = polls.issue_codes(other, 1)[0]
    with pytest.raises(polls.InvalidCode):
        polls.vote(poll, full_answers(poll), credential_kind="code", credential=code)
    assert nothing_stored(poll) and polls.code_counts(other) == (1, 0)


# --- Counting -----------------------------------------------------------------------------------------------------


def test_the_tally_splits_counts_by_source_with_shares_and_borda_points(poll, django_assert_num_queries):
    c = poll.c
    single, multiple, ranking = poll.q["single"].pk, poll.q["multiple"].pk, poll.q["ranking"].pk
    ballots = [
        ("web", "browser", c["single"][0], [c["multiple"][0]], [c["ranking"][0], c["ranking"][1]]),
        ("web", "account", c["single"][0], [c["multiple"][0], c["multiple"][1]], [c["ranking"][1]]),
        ("bench", "token", c["single"][1], [c["multiple"][1]], [c["ranking"][1], c["ranking"][0]]),
        ("paper", "paper", c["single"][0], [c["multiple"][0]], [c["ranking"][2], c["ranking"][1], c["ranking"][0]]),
    ]
    for number, (source, kind, one, several, order) in enumerate(ballots):
        answers = {single: one.pk, multiple: [x.pk for x in several], ranking: [x.pk for x in order]}
        polls.vote(poll, answers, source=source, credential_kind=kind, credential=f"voter-{number}")

    questions = polls.questions_of(poll)
    with django_assert_num_queries(4):
        tally = polls.tally(poll, questions)

    assert tally.ballots == [2, 1, 1] and tally.total_ballots == 4
    assert tally.ballots_by_source == [("Web", 2), ("Smart bench", 1), ("Paper", 1)]
    by_kind = {result.question.kind: result for result in tally.questions}
    one = {row.choice.text: row for row in by_kind["single"].choices}
    assert one["single 0"].counts == [2, 0, 1] and one["single 0"].total == 3 and one["single 0"].percent == 75.0
    assert one["single 1"].counts == [0, 1, 0] and one["single 2"].total == 0
    assert one["single 0"].bar == 75 and one["single 1"].bar == 25
    several = {row.choice.text: row for row in by_kind["multiple"].choices}
    assert several["multiple 0"].percent == 75.0 and several["multiple 1"].percent == 50.0
    assert by_kind["multiple"].respondents == [2, 1, 1]
    # Three choices: first place 3 points, second 2, third 1.
    ranked = by_kind["ranking"].choices
    assert [(row.choice.text, row.points) for row in ranked] == [
        ("ranking 1", 2 + 3 + 3 + 2),
        ("ranking 0", 3 + 2 + 1),
        ("ranking 2", 3),
    ]
    assert ranked[0].average_rank == 1.5 and ranked[1].average_rank == 2.0 and ranked[2].average_rank == 1.0
    assert ranked[0].counts == [2, 1, 1]
    assert sum(row.percent for row in ranked) == pytest.approx(100, abs=0.2)
    assert by_kind["text"].total_respondents == 0


def test_results_show_after_voting_or_after_closing_as_the_poll_says(process):
    now = timezone.now()
    after_voting = make_poll(process, show_results="voted")
    after_closing = make_poll(process, show_results="closed")
    closed = make_poll(process, show_results="closed", opens_at=now - 3 * DAY, closes_at=now - DAY)
    assert polls.results_visible(after_voting, has_voted=True)
    assert not polls.results_visible(after_voting, has_voted=False)
    assert not polls.results_visible(after_closing, has_voted=True)
    assert polls.results_visible(closed, has_voted=False)


# --- The ballot page ----------------------------------------------------------------------------------------------


def test_a_visitor_without_an_account_votes_once_per_browser(client, poll):
    url = poll_url(poll)
    page = client.get(url)
    assert page.status_code == 200 and "no-cache" in page["Cache-Control"]
    assert "Send my vote" in text_of(page) and "Results so far" not in text_of(page)

    sent = client.post(url, form_data(poll))
    assert sent.status_code == 303 and sent["Location"] == url
    cookie = sent.cookies[f"poll-{poll.pk}-token-en"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == url
    assert sent.cookies[f"poll-{poll.pk}-token-bs"]["path"] == url.replace("/en/", "/bs/")

    after = text_of(client.get(url))
    assert "Thank you! Your vote has been counted." in after
    assert "You have already voted in this poll." in after and "Send my vote" not in after
    assert "Results so far" in after  # shown to voters at once by default

    again = client.post(url, form_data(poll))
    assert again.status_code == 409
    assert Ballot.objects.filter(poll=poll).count() == 1

    client.cookies.clear()  # another browser
    assert client.post(url, form_data(poll)).status_code == 303
    assert Ballot.objects.filter(poll=poll, source="web").count() == 2


def test_a_signed_in_person_votes_once_with_the_account(client, poll, people):
    client.force_login(people.citizen)
    url = poll_url(poll)
    assert client.post(url, form_data(poll)).status_code == 303
    assert not any(name.startswith("poll-") for name in client.cookies)
    client.cookies.clear()  # another browser, same account
    client.force_login(people.citizen)
    page = client.get(url)
    assert "You have already voted in this poll." in text_of(page)
    assert client.post(url, form_data(poll)).status_code == 409
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_a_poll_with_codes_asks_everyone_for_a_code_that_votes_once(client, process):
    poll = make_poll(process, codes_required=True, show_results="voted")
    code = polls.issue_codes(poll, 1)[0]
    url = poll_url(poll)
    assert "Code from your ballot paper" in text_of(client.get(url))

    wrong = client.post(url, form_data(poll, code="ZZZZ-ZZZZ"))
    assert wrong.status_code == 400
    assert "This code is not valid for this poll." in text_of(wrong)
    missing = client.post(url, form_data(poll))
    assert missing.status_code == 400 and "This field is required." in text_of(missing)
    assert nothing_stored(poll)

    assert client.post(url, form_data(poll, code=code.lower())).status_code == 303
    assert "Results so far" in text_of(client.get(url))  # the browser remembers it voted, for the results

    client.cookies.clear()
    reused = client.post(url, form_data(poll, code=code))
    assert reused.status_code == 409 and "This code has already been used." in text_of(reused)
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_votes_from_one_network_are_rate_limited(client, poll, settings):
    settings.MODERATION_ANONYMOUS_RATE_LIMIT = "2/h"
    url = poll_url(poll)
    for _browser in range(2):
        client.cookies.clear()
        assert client.post(url, form_data(poll), REMOTE_ADDR="203.0.113.9").status_code == 303
    client.cookies.clear()
    refused = client.post(url, form_data(poll), REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429
    assert "Too many votes were sent from your network." in text_of(refused)
    assert "More benches." in text_of(refused)  # the answers come back
    assert Ballot.objects.filter(poll=poll).count() == 2
    client.cookies.clear()
    assert client.post(url, form_data(poll), REMOTE_ADDR="198.51.100.4").status_code == 303


def test_bad_input_comes_back_with_translated_messages_and_the_answers_kept(client, poll):
    ranking = poll.q["ranking"]
    data = form_data(poll) | {
        f"q-{ranking.pk}-{poll.c['ranking'][0].pk}": "abc",
        f"q-{poll.q['multiple'].pk}": [str(choice.pk) for choice in poll.c["multiple"]],
        f"q-{poll.q['single'].pk}": "",
    }
    page = client.post(poll_url(poll), data)
    assert page.status_code == 400
    text = text_of(page)
    assert "Please type whole numbers as ranks" in text
    assert "Please choose at most 2 answers (you chose 3)." in text
    assert "Please answer this question." in text
    assert "More benches." in text and 'value="abc"' in text
    assert nothing_stored(poll)

    oversized = form_data(poll) | {f"q-{poll.q['text'].pk}": "x" * (TEXT_ANSWER_MAX + 5)}
    page = client.post(poll_url(poll), oversized)
    assert page.status_code == 400 and "Ensure this value has at most 2000 characters" in text_of(page)
    forged = form_data(poll) | {f"q-{poll.q['single'].pk}": str(poll.c["multiple"][0].pk)}
    page = client.post(poll_url(poll), forged)
    assert page.status_code == 400 and "Select a valid choice." in text_of(page)
    assert nothing_stored(poll)


def test_a_visitor_who_may_not_vote_is_told_what_would_let_them(client, make_process, people):
    process = make_process(features=("polls",), capabilities={"polls.vote": "registered"})
    poll = make_poll(process)
    page = client.get(poll_url(poll))
    assert "Log in to vote in a poll." in text_of(page) and "Send my vote" not in text_of(page)
    assert "The single question" in text_of(page)  # the questions are shown all the same
    assert client.post(poll_url(poll), form_data(poll)).status_code == 403
    assert nothing_stored(poll)
    client.force_login(people.citizen)
    assert client.post(poll_url(poll), form_data(poll)).status_code == 303


def test_a_closed_poll_shows_its_results_and_takes_no_votes(client, process):
    now = timezone.now()
    poll = make_poll(process, opens_at=now - 3 * DAY, closes_at=now + DAY, show_results="closed")
    polls.vote(poll, full_answers(poll), source="bench", credential_kind="token", credential="t")
    page = text_of(client.get(poll_url(poll)))
    assert "The results will be published when the poll closes" in page and "Smart bench" not in page
    Poll.objects.filter(pk=poll.pk).update(closes_at=now - DAY)
    page = client.get(poll_url(poll))
    assert "This poll closed on" in text_of(page) and "Send my vote" not in text_of(page)
    assert client.post(poll_url(poll), form_data(poll)).status_code == 409
    assert Ballot.objects.filter(poll=poll).count() == 1


def test_the_results_page_shows_counts_per_source_with_bars_and_a_table(client, poll):
    c = poll.c
    for number, source in enumerate(["web", "web", "bench", "paper"]):
        answers = full_answers(poll, first=0 if number < 3 else 1)
        polls.vote(poll, answers, source=source, credential_kind="token", credential=str(number))
    Poll.objects.filter(pk=poll.pk).update(closes_at=timezone.now())
    page = client.get(poll_url(poll, "poll_results"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "style=" not in html
    assert "4 ballots in all: Web 2, Smart bench 1, Paper 1." in text_of(page)
    assert 'class="poll-bar-fill poll-bar-75"' in html and 'class="poll-bar-fill poll-bar-25"' in html
    row = re.search(rf"<th scope=\"row\" lang=\"\w+\">{c['single'][0].text}</th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', row) == ["2", "1", "0", "3", "75.0 %"]

    csv_page = client.get(poll_url(poll, "poll_csv"))
    lines = csv_page.content.decode().splitlines()
    assert lines[0] == "question_number,question,kind,choice,web,bench,paper,total,percent,borda_points,average_rank"
    assert "1,The single question,single,single 0,2,1,0,3,75.0,," in lines
    assert "4,The text question,text,,2,1,1,4,,," in lines


def test_results_and_their_export_wait_for_the_vote_or_the_closing(client, process):
    poll = make_poll(process, show_results="closed")
    polls.vote(poll, full_answers(poll), credential_kind="token", credential="t")
    assert "Results so far" not in text_of(client.get(poll_url(poll, "poll_results")))
    assert client.get(poll_url(poll, "poll_csv")).status_code == 404


def test_the_ballot_page_asks_the_same_number_of_queries_however_big_the_poll(client, process, people):
    small = make_poll(process, questions=("single",))
    big = make_poll(process)
    for question in big.q.values():
        if question.kind != "text":
            Choice.objects.bulk_create(Choice(question=question, text=f"more {n}", position=n) for n in range(3, 12))
    for number in range(30):
        polls.vote(big, full_answers(big, first=number % 3), credential_kind="token", credential=str(number))

    def count(poll) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(poll_url(poll)).status_code == 200
        return len(queries)

    client.get(poll_url(small))  # the first page of all creates the site's settings
    assert count(small) == count(big) == ANONYMOUS_POLL_PAGE_QUERIES
    client.force_login(people.citizen)
    assert count(small) == count(big)
    polls.vote(
        small, {small.q["single"].pk: small.c["single"][0].pk}, credential_kind="account", credential=people.citizen.pk
    )
    polls.vote(big, full_answers(big), credential_kind="account", credential=people.citizen.pk)
    assert count(small) == count(big) == SIGNED_IN_VOTER_POLL_PAGE_QUERIES  # "you have voted", and the results


def test_the_list_asks_the_same_number_of_queries_however_many_polls(client, process):
    url = reverse("participation:polls", args=[process.slug])
    make_poll(process)
    client.get(url)  # the first page of all creates the site's settings
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _number in range(5):
        make_poll(process)
    with CaptureQueriesContext(connection) as six:
        assert text_of(client.get(url)).count("Where should the new playground go?") == 6
    assert len(one) == len(six) == 6  # process, its features, phases, capabilities; the polls; footer


def test_the_list_shows_polls_with_questions_and_their_state(client, process, people):
    now = timezone.now()
    make_poll(process, title="Open poll")
    make_poll(process, title="Future poll", opens_at=now + DAY, closes_at=now + 3 * DAY)
    make_poll(process, title="Draft poll", questions=())
    page = text_of(client.get(reverse("participation:polls", args=[process.slug])))
    assert "Open poll" in page and "Open until" in page and "Opens on" in page
    assert "Draft poll" not in page and "New poll" not in page
    client.force_login(people.officer)
    page = text_of(client.get(reverse("participation:polls", args=[process.slug])))
    assert "Draft poll" in page and "New poll" in page


# --- The officers' pages ------------------------------------------------------------------------------------------


def test_an_officer_sets_up_a_poll_with_questions_and_choices(client, process, people):
    client.force_login(people.officer)
    now = timezone.localtime()
    created = client.post(
        reverse("participation:poll_new", args=[process.slug]),
        {
            "title": "Park benches",
            "description": "",
            "language": "en",
            "opens_at": (now - DAY).strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now + DAY).strftime("%Y-%m-%dT%H:%M"),
            "show_results": "voted",
            "on_benches": "on",
        },
    )
    assert created.status_code == 303
    poll = Poll.objects.get(title="Park benches")
    assert created["Location"] == poll_url(poll, "poll_edit")

    question_url = reverse("participation:question_new", args=[process.slug, poll.pk])
    refused = client.post(question_url, {"kind": "multiple", "text": "Which?", "position": 1, "choices_text": "Only"})
    assert refused.status_code == 400 and "Please give at least two choices" in text_of(refused)
    too_many = client.post(
        question_url,
        {"kind": "multiple", "text": "Which?", "position": 1, "max_choices": 3, "choices_text": "Oak\nPine"},
    )
    assert "There are only 2 choices" in text_of(too_many)
    saved = client.post(
        question_url,
        {"kind": "multiple", "text": "Which?", "required": "on", "position": 1, "choices_text": "Oak\n\nPine\nLime"},
    )
    assert saved.status_code == 303
    question = poll.questions.get()
    oak = question.choices.get(text="Oak")
    assert list(question.choices.values_list("text", flat=True)) == ["Oak", "Pine", "Lime"]

    edit_url = reverse("participation:question_edit", args=[process.slug, poll.pk, question.pk])
    assert "Oak\nPine\nLime" in client.get(edit_url).content.decode()
    client.post(edit_url, {"kind": "multiple", "text": "Which?", "position": 1, "choices_text": "Oak tree\nPine"})
    assert list(question.choices.values_list("pk", "text")) == [(oak.pk, "Oak tree"), (oak.pk + 1, "Pine")]

    polls.vote(poll, {question.pk: [oak.pk]}, credential_kind="token", credential="t")
    locked = client.post(edit_url, {"kind": "single", "text": "Changed", "position": 1, "choices_text": "A\nB"})
    assert locked.status_code == 303
    assert "can no longer be changed" in text_of(client.get(locked["Location"]))
    question.refresh_from_db()
    assert question.text == "Which?"
    client.post(reverse("participation:question_delete", args=[process.slug, poll.pk, question.pk]))
    assert Question.objects.filter(pk=question.pk).exists()


def test_a_poll_must_close_after_it_opens(client, process, people):
    client.force_login(people.officer)
    now = timezone.localtime()
    page = client.post(
        reverse("participation:poll_new", args=[process.slug]),
        {
            "title": "Backwards",
            "language": "en",
            "opens_at": now.strftime("%Y-%m-%dT%H:%M"),
            "closes_at": (now - DAY).strftime("%Y-%m-%dT%H:%M"),
            "show_results": "voted",
        },
    )
    assert page.status_code == 400 and "The poll must close after it opens." in text_of(page)
    assert not Poll.objects.filter(title="Backwards").exists()


def test_officers_print_codes_and_type_in_paper_ballots(client, poll, people):
    client.force_login(people.officer)
    page = client.post(poll_url(poll, "poll_codes"), {"count": 5})
    assert page.status_code == 200 and "no-cache" in page["Cache-Control"]
    codes = re.findall(r"\b[A-Z2-9]{4}-[A-Z2-9]{4}\b", page.content.decode())
    assert len(set(codes)) == 5 and PollCode.objects.filter(poll=poll).count() == 5
    assert client.post(poll_url(poll, "poll_codes"), {"count": 0}).status_code == 400

    paper = client.post(poll_url(poll, "poll_paper"), form_data(poll))
    assert paper.status_code == 303
    assert client.post(poll_url(poll, "poll_paper"), form_data(poll)).status_code == 303  # each paper counts
    assert list(Ballot.objects.filter(poll=poll).values_list("source", flat=True)) == ["paper", "paper"]
    Poll.objects.filter(pk=poll.pk).update(codes_required=True)
    paper = client.post(poll_url(poll, "poll_paper"), form_data(poll, code=codes[0]))
    assert paper.status_code == 303
    again = client.post(poll_url(poll, "poll_paper"), form_data(poll, code=codes[0]))
    assert again.status_code == 400 and "This code has already been used." in text_of(again)
    assert Ballot.objects.filter(poll=poll).count() == 3


@pytest.mark.parametrize("who", ["anonymous", "citizen", "resident", "org_member", "moderator"])
def test_only_officers_and_staff_manage_polls(client, poll, people, who):
    if getattr(people, who):
        client.force_login(getattr(people, who))
    for name in ("poll_edit", "poll_codes", "poll_paper"):
        response = client.get(poll_url(poll, name))
        assert response.status_code in (302, 403)
    assert client.get(reverse("participation:poll_new", args=[poll.process.slug])).status_code in (302, 403)
    assert not PollCode.objects.exists()


def test_staff_manage_polls_of_any_municipality(client, poll, people):
    client.force_login(people.staff)
    assert client.get(poll_url(poll, "poll_edit")).status_code == 200


# --- Concurrency (PostgreSQL) -------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["account", "browser", "code"])
def test_one_voter_eight_times_at_once_makes_one_ballot(poll, kind):
    credential = polls.issue_codes(poll, 1)[0] if kind == "code" else "the-same-voter"
    poll = Poll.objects.get(pk=poll.pk)
    questions = polls.questions_of(poll)
    answers = full_answers(make_poll_namespace(poll, questions))

    def cast(barrier):
        barrier.wait()
        polls.vote(poll, answers, credential_kind=kind, credential=credential, questions=questions)
        return "voted"

    outcomes = at_once(cast, [()] * 8, {polls.AlreadyVoted: "already voted"})
    assert outcomes == ["already voted"] * 7 + ["voted"]
    poll.refresh_from_db()
    assert poll.ballot_count == 1 == Ballot.objects.filter(poll=poll).count()
    assert Vote.objects.filter(poll=poll).count() == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_eight_voters_at_once_make_eight_ballots_and_exact_tallies(poll):
    poll = Poll.objects.get(pk=poll.pk)
    questions = polls.questions_of(poll)
    shaped = make_poll_namespace(poll, questions)

    def cast(barrier, number):
        barrier.wait()
        source = ("web", "bench", "paper")[number % 3]
        kind = "paper" if source == "paper" else "token"
        answers = full_answers(shaped, first=number % 2)
        polls.vote(poll, answers, source=source, credential_kind=kind, credential=str(number), questions=questions)
        return "voted"

    assert at_once(cast, [(number,) for number in range(8)], {}) == ["voted"] * 8
    poll.refresh_from_db()
    assert poll.ballot_count == 8 == Ballot.objects.filter(poll=poll).count()
    tally = polls.tally(poll)
    assert tally.ballots == [3, 3, 2]
    single = {row.choice.text: row for row in tally.questions[0].choices}
    assert single["single 0"].total == 4 and single["single 1"].total == 4
    assert single["single 0"].counts == [2, 1, 1] and single["single 1"].counts == [1, 2, 1]
    ranking = {row.choice.text: row for row in tally.questions[2].choices}
    assert ranking["ranking 2"].points == 8 * 3 and ranking["ranking 0"].points == 8 * 2


def make_poll_namespace(poll, questions):
    """The `q`/`c` shortcuts of `make_poll` for a poll read again from the database."""
    poll.q = {question.kind: question for question in questions}
    poll.c = {question.kind: list(question.choices.all()) for question in questions}
    return poll


def test_written_answers_are_for_the_organisers_only(client, poll, people):
    polls.vote(poll, full_answers(poll), credential_kind="browser", credential="a")
    results = poll_url(poll, "poll_results")
    texts = poll_url(poll, "poll_texts_csv")
    poll.closes_at = timezone.now()
    poll.save()
    client.force_login(people.citizen)
    assert "Near the school, please." not in client.get(results).content.decode()
    assert client.get(texts).status_code == 403
    client.force_login(people.officer)
    assert "Near the school, please." in client.get(results).content.decode()
    export = client.get(texts)
    assert export.status_code == 200
    assert list(csv.reader(export.content.decode().splitlines()))[1][2] == "Near the school, please."
