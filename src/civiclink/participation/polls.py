"""Voting in polls and counting the votes.

One ballot per credential: an account, a one-time code printed on paper, a browser token kept in a cookie, or a
token a smart bench hands out. The credential is stored only as a keyed hash (`Ballot.voter_key`, unique per poll),
so the database refuses a second ballot however many arrive at once, and nothing stored names the voter. Paper
ballots typed in by the municipality's staff carry a code when the poll requires one; otherwise the staff vouch
for them. The web form, the paper entry form and the benches all call `vote`.
"""

import hashlib
import hmac
import secrets
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from civiclink.core import codes
from civiclink.core.errors import UserError
from civiclink.participation.models import Ballot, Choice, Poll, PollCode, Question, Source, TextAnswer, Vote
from civiclink.participation.models.polls import TEXT_ANSWER_MAX

CREDENTIAL_KINDS = ("account", "code", "browser", "token", "paper")
MAX_CODES_PER_BATCH = 5000


class PollError(UserError):
    """A vote refused, with a message fit to show the person who sent it."""

    default_message = _("Your vote could not be saved.")


class AlreadyVoted(PollError):
    default_message = _("You have already voted in this poll.")


class PollClosed(PollError):
    default_message = _("This poll is closed.")


class InvalidCode(PollError):
    default_message = _("This code is not valid for this poll. Please check it and try again.")


class InvalidAnswers(PollError):
    """`problems` maps question ids to what is wrong with their answer (None: the ballot as a whole)."""

    default_message = _("Some answers are missing or not valid. Please check the marked questions.")

    def __init__(self, problems: dict, message=None):
        self.problems = problems
        super().__init__(message or problems.get(None))


_ALREADY = {
    "account": AlreadyVoted.default_message,
    "code": _("This code has already been used. Each code allows one vote."),
    "browser": _("Someone has already voted in this poll from this browser. Thank you for taking part!"),
    "token": _("A vote has already been cast with this ticket."),
}


# --- Credentials --------------------------------------------------------------------------------------------------


def _keyed(message: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


def hash_code(code: str) -> str:
    """Keyed, so that a copy of the database does not let anyone try all codes offline."""
    return _keyed(f"poll-code:{codes.normalise(code)}")


def voter_key(poll: Poll, kind: str, credential: str) -> str:
    if kind == "code":
        credential = codes.normalise(credential)
    return _keyed(f"{poll.pk}:{kind}:{credential}")


def has_voted(poll: Poll, kind: str, credential) -> bool:
    if not credential:
        return False
    return Ballot.objects.filter(poll=poll, voter_key=voter_key(poll, kind, str(credential))).exists()


def issue_codes(poll: Poll, count: int) -> list[str]:
    """`count` new one-time codes to print. Only their hashes are kept: show them now or never."""
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise ValueError(f"between 1 and {MAX_CODES_PER_BATCH} codes at a time")
    return codes.issue(
        count,
        lambda drawn: PollCode.objects.bulk_create(PollCode(poll=poll, code_hash=hash_code(code)) for code in drawn),
    )


def code_counts(poll: Poll) -> tuple[int, int]:
    """(issued, used)"""
    counts = poll.codes.aggregate(issued=Count("pk"), used=Count("pk", filter=Q(used=True)))
    return counts["issued"], counts["used"]


# --- Answers ------------------------------------------------------------------------------------------------------


def questions_of(poll: Poll) -> list[Question]:
    """The poll's questions in order, each with its choices: two queries."""
    return list(poll.questions.prefetch_related("choices"))


class _Problem(ValueError):
    """What is wrong with one answer, in words for the voter."""


def _as_id(value) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    return int(value)


def _unanswered(value) -> bool:
    if isinstance(value, str):
        return not value.strip()
    return value is None or (isinstance(value, Iterable | Mapping) and not value)


def _ranks(value) -> dict[int, int]:
    """A ranking as {choice id: rank}; a list is taken in order of preference."""
    if isinstance(value, Mapping):
        return {_as_id(choice): _as_id(rank) for choice, rank in value.items()}
    if isinstance(value, str | int):
        raise ValueError(value)
    ranked = [_as_id(choice) for choice in value]
    if len(set(ranked)) != len(ranked):
        raise _Problem(_("Please rank each answer only once."))
    return {choice: rank for rank, choice in enumerate(ranked, start=1)}


def _clean_text(value) -> str:
    if not isinstance(value, str):
        raise ValueError(value)
    text = value.strip()
    if len(text) > TEXT_ANSWER_MAX:
        raise _Problem(
            _("Please keep your answer under %(limit)d characters (it has %(length)d).")
            % {"limit": TEXT_ANSWER_MAX, "length": len(text)}
        )
    return text


def _clean_single(value, choice_ids: set[int], most: int | None) -> int:
    chosen = _as_id(value)
    if chosen not in choice_ids:
        raise _Problem(_("Please choose one of the answers offered."))
    return chosen


def _clean_multiple(value, choice_ids: set[int], most: int | None) -> set[int]:
    chosen = {_as_id(choice) for choice in ([value] if isinstance(value, str | int) else value)}
    if not chosen <= choice_ids:
        raise _Problem(_("Please choose among the answers offered."))
    if most and len(chosen) > most:
        raise _Problem(
            _("Please choose at most %(most)d answers (you chose %(chosen)d).") % {"most": most, "chosen": len(chosen)}
        )
    return chosen


def _clean_ranking(value, choice_ids: set[int], most: int | None) -> dict[int, int]:
    ranks = _ranks(value)
    if not set(ranks) <= choice_ids:
        raise _Problem(_("Please rank only the answers offered."))
    limit = min(most or len(choice_ids), len(choice_ids))
    if len(ranks) > limit:
        raise _Problem(_("Please rank at most %(most)d answers.") % {"most": limit})
    if sorted(ranks.values()) != list(range(1, len(ranks) + 1)):
        raise _Problem(
            _("Please number your choices 1, 2, 3 and so on, without gaps and without giving two the same number.")
        )
    return ranks


_CLEAN = {
    Question.Kind.SINGLE: _clean_single,
    Question.Kind.MULTIPLE: _clean_multiple,
    Question.Kind.RANKING: _clean_ranking,
}


def _clean(question: Question, value):
    """The answer in the form `vote` stores; `_Problem` says what is wrong with it."""
    try:
        if question.kind == Question.Kind.TEXT:
            return _clean_text(value)
        choice_ids = {choice.pk for choice in question.choices.all()}
        return _CLEAN[question.kind](value, choice_ids, question.max_choices)
    except _Problem:
        raise
    except (TypeError, ValueError):  # not numbers, not a list: a forged or garbled request
        raise _Problem(_("This answer is not valid. Please check it and try again.")) from None


def check_answers(questions: list[Question], answers: Mapping) -> tuple[dict, dict]:
    """(cleaned answers, problems): both map question ids, the problems to a message for the voter. Unanswered
    questions are left out of the answers; a missing answer to a required question is a problem."""
    by_id = {question.pk: question for question in questions}
    cleaned, problems = {}, {}
    if any(key not in by_id for key in answers):
        problems[None] = _("Some answers do not belong to this poll. Please reload the page.")
    for question in questions:
        value = answers.get(question.pk)
        if _unanswered(value):
            if question.required:
                problems[question.pk] = _("Please answer this question.")
            continue
        try:
            cleaned[question.pk] = _clean(question, value)
        except _Problem as problem:
            problems[question.pk] = problem.args[0]
    if not cleaned and not problems:
        problems[None] = _("Please answer at least one question.")
    return cleaned, problems


# --- Voting -------------------------------------------------------------------------------------------------------


def closed_message(poll: Poll) -> str:
    """Why a poll takes no votes now."""
    if timezone.now() < poll.opens_at:
        return _("This poll opens on %(date)s.") % {"date": date_format(localtime(poll.opens_at), "DATETIME_FORMAT")}
    return _("This poll closed on %(date)s.") % {"date": date_format(localtime(poll.closes_at), "DATETIME_FORMAT")}


def _rows(ballot: Ballot, questions: list[Question], cleaned: dict) -> tuple[list[Vote], list[TextAnswer]]:
    votes, texts = [], []
    for question in questions:
        if question.pk not in cleaned:
            continue
        answer = cleaned[question.pk]
        common = {"ballot": ballot, "poll_id": ballot.poll_id, "question_id": question.pk, "source": ballot.source}
        if question.kind == Question.Kind.TEXT:
            texts.append(TextAnswer(ballot=ballot, question_id=question.pk, text=answer))
        elif question.kind == Question.Kind.SINGLE:
            votes.append(Vote(choice_id=answer, **common))
        elif question.kind == Question.Kind.MULTIPLE:
            votes.extend(Vote(choice_id=choice, **common) for choice in sorted(answer))
        else:
            votes.extend(Vote(choice_id=choice, rank=rank, **common) for choice, rank in sorted(answer.items()))
    return votes, texts


def vote(
    poll: Poll,
    answers: Mapping,
    *,
    source: str = Source.WEB,
    credential_kind: str,
    credential=None,
    questions: list[Question] | None = None,
) -> Ballot:
    """Store one ballot. `answers` maps question ids to: a choice id (single), choice ids (multiple), {choice id:
    rank} or choice ids in order of preference (ranking), a string (text); unanswered questions may be absent.

    `credential_kind` is "account" (a user's pk), "code" (a printed one-time code, spent here), "browser" (a token
    from a cookie), "token" (one a bench hands out) or "paper" (no credential: staff typing in a paper ballot).
    `questions` may pass what `questions_of` already loaded. Raises a `PollError` and stores nothing on refusal."""
    if source not in Source.values or credential_kind not in CREDENTIAL_KINDS:
        raise ValueError(f"unknown source {source!r} or credential kind {credential_kind!r}")
    if not poll.is_open:
        raise PollClosed(closed_message(poll))
    if credential_kind == "paper":
        if source != Source.PAPER:
            raise ValueError("only paper ballots may come without a credential")
        credential = secrets.token_urlsafe(24)
    elif not credential and credential_kind == "code":
        raise InvalidCode(_("Please enter the code printed on your ballot paper."))
    elif not credential:
        raise ValueError(f"a {credential_kind} vote needs its credential")
    questions = questions_of(poll) if questions is None else questions
    cleaned, problems = check_answers(questions, answers)
    if problems:
        raise InvalidAnswers(problems)
    credential = str(credential)
    with transaction.atomic():
        key = voter_key(poll, credential_kind, credential)
        ballot = Ballot(poll=poll, voter_key=key, source=source, cast_on=timezone.localdate())
        try:
            ballot.save()
        except IntegrityError:  # raising leaves the atomic block, which rolls everything back
            raise AlreadyVoted(_ALREADY.get(credential_kind)) from None
        if credential_kind == "code":
            spent = PollCode.objects.filter(poll=poll, code_hash=hash_code(credential), used=False).update(used=True)
            if not spent:
                raise InvalidCode
        votes, texts = _rows(ballot, questions, cleaned)
        Vote.objects.bulk_create(votes)
        TextAnswer.objects.bulk_create(texts)
        now = timezone.now()
        counted = Poll.objects.filter(pk=poll.pk, opens_at__lte=now, closes_at__gt=now).update(
            ballot_count=F("ballot_count") + 1
        )
        if not counted:  # closed, or its dates changed, since `poll` was read
            raise PollClosed
    return ballot


def results_visible(poll: Poll, has_voted: bool) -> bool:
    """Per `Poll.show_results`: everyone sees the results once the poll has closed; voters see them at once when
    the poll says so."""
    return poll.is_closed or (poll.show_results == Poll.ShowResults.AFTER_VOTING and has_voted)


# --- Counting -----------------------------------------------------------------------------------------------------

SOURCES = [(value, label) for value, label in Source.choices]


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


@dataclass
class ChoiceResult:
    choice: Choice
    counts: list[int]  # per source, in the order of `SOURCES`
    total: int
    percent: float = 0.0  # of the question's respondents; of all points for a ranking
    points: int | None = None  # ranking: Borda points (first of n choices: n points, last: 1, unranked: 0)
    average_rank: float | None = None

    @property
    def bar(self) -> int:
        """The percentage in steps of 5, for the CSS class that draws the bar (no inline styles under the CSP)."""
        return min(100, 5 * round(self.percent / 5))


@dataclass
class QuestionResult:
    question: Question
    respondents: list[int]  # per source: ballots that answered the question
    choices: list[ChoiceResult] = field(default_factory=list)
    written: list[str] = field(default_factory=list)  # free answers, filled in for the poll's managers only

    @property
    def total_respondents(self) -> int:
        return sum(self.respondents)

    @property
    def is_ranking(self) -> bool:
        return self.question.kind == Question.Kind.RANKING

    @property
    def is_text(self) -> bool:
        return self.question.kind == Question.Kind.TEXT


@dataclass
class Tally:
    poll: Poll
    ballots: list[int]  # per source
    questions: list[QuestionResult]
    sources: list[tuple[str, str]] = field(default_factory=lambda: SOURCES)
    flagged: int = 0  # bench ballots flagged by the anti-stuffing checks: counted, and shown apart

    @property
    def total_ballots(self) -> int:
        return sum(self.ballots)

    @property
    def ballots_by_source(self) -> list[tuple[str, int]]:
        """(source label, ballots), for the summary above the charts."""
        return [(label, count) for (_value, label), count in zip(self.sources, self.ballots, strict=True)]


def tally(poll: Poll, questions: list[Question] | None = None) -> Tally:
    """The counts per choice and source, percentages, and Borda points and average ranks for rankings: four
    queries (two more without `questions`), however many ballots."""
    questions = questions_of(poll) if questions is None else questions
    order = {value: index for index, (value, _label) in enumerate(SOURCES)}
    votes = defaultdict(lambda: [0] * len(SOURCES))
    rank_sums = defaultdict(int)
    for row in (
        Vote.objects.filter(poll=poll).values("choice_id", "source").annotate(count=Count("pk"), ranks=Sum("rank"))
    ):
        votes[row["choice_id"]][order[row["source"]]] = row["count"]
        rank_sums[row["choice_id"]] += row["ranks"] or 0
    respondents = defaultdict(lambda: [0] * len(SOURCES))
    for row in (
        Vote.objects.filter(poll=poll).values("question_id", "source").annotate(count=Count("ballot_id", distinct=True))
    ):
        respondents[row["question_id"]][order[row["source"]]] = row["count"]
    texts = TextAnswer.objects.filter(ballot__poll=poll).values("question_id", source=F("ballot__source"))
    for row in texts.annotate(count=Count("pk")):
        respondents[row["question_id"]][order[row["source"]]] = row["count"]
    ballots, flagged = [0] * len(SOURCES), 0
    for row in (
        Ballot.objects.filter(poll=poll)
        .values("source")
        .annotate(count=Count("pk"), flagged=Count("pk", filter=Q(flagged=True)))
    ):
        ballots[order[row["source"]]] = row["count"]
        flagged += row["flagged"]
    results = [_question_result(q, votes, rank_sums, respondents[q.pk]) for q in questions]
    return Tally(poll, ballots, results, flagged=flagged)


def _question_result(question: Question, votes, rank_sums, respondents: list[int]) -> QuestionResult:
    result = QuestionResult(question, respondents)
    if question.kind == Question.Kind.TEXT:
        return result
    choices = list(question.choices.all())
    for choice in choices:
        counts = votes.get(choice.pk, [0] * len(SOURCES))
        result.choices.append(ChoiceResult(choice, counts, sum(counts)))
    if question.kind == Question.Kind.RANKING:
        for row in result.choices:
            row.points = row.total * (len(choices) + 1) - rank_sums.get(row.choice.pk, 0)
            row.average_rank = round(rank_sums[row.choice.pk] / row.total, 2) if row.total else None
        all_points = sum(row.points for row in result.choices)
        for row in result.choices:
            row.percent = _percent(row.points, all_points)
        result.choices.sort(key=lambda row: -row.points)
    else:
        for row in result.choices:
            row.percent = _percent(row.total, result.total_respondents)
    return result


def text_answers(poll: Poll) -> dict[int, list[str]]:
    """{question id: the written answers, oldest first}. For the poll's managers only: people may write personal
    data into a free answer, so these never go to the public results or the open data."""
    answers = defaultdict(list)
    for question_id, text in (
        TextAnswer.objects.filter(ballot__poll=poll).order_by("pk").values_list("question_id", "text")
    ):
        answers[question_id].append(text)
    return dict(answers)


def written_rows(poll: Poll) -> list[list]:
    """The written answers as CSV rows (numbered like `result_rows`), for the poll's managers."""
    written = text_answers(poll)
    rows = [["question_number", "question", "answer"]]
    for number, question in enumerate(questions_of(poll), start=1):
        rows += [[number, _cell(question.text), _cell(text)] for text in written.get(question.pk, [])]
    return rows


# --- Export -------------------------------------------------------------------------------------------------------

RESULT_COLUMNS = [
    "question_number",
    "question",
    "kind",
    "choice",
    *(value for value, _label in SOURCES),
    "total",
    "percent",
    "borda_points",
    "average_rank",
]


def _cell(value):
    """Text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return f"'{value}"
    return value


def result_rows(counted: Tally):
    """The tally as rows under `RESULT_COLUMNS`: one per choice, one per free-text question (its answer count)."""
    yield RESULT_COLUMNS
    for number, result in enumerate(counted.questions, start=1):
        question = [number, _cell(result.question.text), result.question.kind]
        if result.is_text:
            yield [*question, "", *result.respondents, result.total_respondents, "", "", ""]
        for row in result.choices:
            yield [
                *question,
                _cell(row.choice.text),
                *row.counts,
                row.total,
                row.percent,
                "" if row.points is None else row.points,
                "" if row.average_rank is None else row.average_rank,
            ]
