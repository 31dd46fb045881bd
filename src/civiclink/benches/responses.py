"""Kiosk answers, arriving as bench messages of type "response" (see `docs/benches-protocol.md`).

An answer carries the one-time ballot token of the screen it was given on. `record` checks the message's data,
spends the token with a conditional UPDATE (one token gives one answer, however often and however concurrently it
arrives), stores the answer through the domain's own functions (a poll ballot, a citizen questionnaire, a problem
report) and keeps a `KioskAnswer` with anti-stuffing flags. Flagged answers are kept and counted apart, never
dropped:

- `over_cap`: the bench already had `BENCH_HOURLY_ANSWER_CAP` answers in the hour before this one;
- `burst`: the bench's previous `BURST_RUN - 1` answers, all within `BURST_WINDOW`, were identical to this one; or
  this one came less than `BENCH_KIOSK_COOLDOWN_SECONDS` after the one before it. The kiosk itself waits that long
  between answers, so a closer pair comes from a tampered or scripted screen: kept, but flagged;
- `night`: given between `NIGHT_START` and `NIGHT_END` o'clock local time as at least the `NIGHT_SPIKE`th answer of
  the bench within an hour.

Times are the answers' own (`ts`): answers kept on a bench while it was offline are judged by when they were given.
Flagged poll ballots are marked `flagged` (results show them apart); a flagged problem report waits for a
moderator. A refusal raises `Rejected(Reason.REFUSED, <detail in English, for staff>)`; ingestion then rolls back
everything the answer did, the token's spending included."""

import hashlib
import json
from datetime import timedelta

from django.conf import settings
from django.utils import timezone, translation

from civiclink.benches import kiosk
from civiclink.benches.ingest import Rejected
from civiclink.benches.models import BallotToken, Flag, KioskAnswer, Reason
from civiclink.core.errors import UserError
from civiclink.governance import responses as questionnaires
from civiclink.governance.models import Audience, Campaign, Channel
from civiclink.moderation.models import Visibility
from civiclink.participation import polls, proposals
from civiclink.participation.models import Ballot, Category, Proposal, ProposalKind, Source
from civiclink.participation.models.proposals import BODY_MAX, TITLE_MAX
from civiclink.places.models import LocalCommunity

HOUR = timedelta(hours=1)
BURST_RUN = 8  # this many identical answers in a row ...
BURST_WINDOW = timedelta(minutes=10)  # ... within this time are a burst
NIGHT_START, NIGHT_END = 0, 5  # night: from 00:00 to 04:59 local time
NIGHT_SPIKE = 5  # answers within an hour at night that make a spike

Target = BallotToken.Target
FIELDS = {"token", "target", "id", "answers", "problem", "code"}
PROBLEM_FIELDS = {"title", "description", "category"}
MAX_ID = 2**31 - 1


def _invalid(detail: str):
    return Rejected(Reason.INVALID, detail)


def _refused(detail) -> Rejected:
    return Rejected(Reason.REFUSED, str(detail)[:300])


# --- The message's data ------------------------------------------------------------------------------------------


def _identifier(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _invalid(f"{name} must be an id")
    try:
        number = int(value)
    except ValueError:
        raise _invalid(f"{name} must be an id") from None
    if not 1 <= number <= MAX_ID:
        raise _invalid(f"{name} must be an id")
    return number


def _answers(data: dict) -> dict[int, object]:
    answers = data.get("answers")
    if not isinstance(answers, dict) or "problem" in data:
        raise _invalid("a poll or questionnaire response needs answers, and no problem")
    return {_identifier(key, "a question or item"): value for key, value in answers.items()}


def _problem(data: dict) -> dict:
    problem = data.get("problem")
    if not isinstance(problem, dict) or "answers" in data:
        raise _invalid("a problem report needs problem, and no answers")
    if unknown := problem.keys() - PROBLEM_FIELDS:
        raise _invalid(f"unknown problem field {sorted(unknown)[0][:40]}")
    title, description = problem.get("title"), problem.get("description")
    if not isinstance(title, str) or not 1 <= len(title.strip()) <= TITLE_MAX:
        raise _invalid(f"problem title must be text of 1 to {TITLE_MAX} characters")
    if not isinstance(description, str) or not 1 <= len(description.strip()) <= BODY_MAX:
        raise _invalid(f"problem description must be text of 1 to {BODY_MAX} characters")
    category = problem.get("category")
    return {
        "title": title.strip(),
        "description": description.strip(),
        "category": None if category is None else _identifier(category, "category"),
    }


def fingerprint(target: str, target_id: int, content) -> str:
    """A hash of what was answered, the same for the same answers however they were written (key order, the order
    of several choices, spacing and case of a report)."""

    def normal(value):
        if isinstance(value, dict):
            return {str(key): normal(item) for key, item in value.items()}
        if isinstance(value, list):
            return sorted((normal(item) for item in value), key=json.dumps)
        if isinstance(value, str):
            return " ".join(value.split()).casefold()
        return value

    text = json.dumps([target, target_id, normal(content)], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


# --- The token ---------------------------------------------------------------------------------------------------


def _spend(bench, token: str, target: str, target_id: int, now) -> BallotToken:
    """The bench's token for this ballot, marked used by a conditional UPDATE: of answers sent at once with the
    same token, the database lets exactly one through."""
    found = BallotToken.objects.filter(token_hash=kiosk.hash_token(token)).first()
    if found is None:
        raise _refused("unknown ballot token")
    if found.bench_id != bench.pk:
        raise _refused("ballot token of another bench")
    if (found.target, found.target_id) != (target, target_id):
        raise _refused("ballot token issued for another ballot")
    if not BallotToken.objects.filter(pk=found.pk, used_at__isnull=True, expires_at__gt=now).update(used_at=now):
        raise _refused("token already used" if found.used_at or found.expires_at > now else "token expired")
    return found


# --- Flags -------------------------------------------------------------------------------------------------------


def flags_for(bench, answer_print: str, at) -> list[str]:
    """The anti-stuffing flags of an answer given on `bench` at `at` (see the module): two queries."""
    before = KioskAnswer.objects.filter(bench=bench, answered_at__gt=at - HOUR, answered_at__lte=at)
    in_hour = before.count()
    recent = list(before.order_by("-answered_at", "-pk").values_list("answered_at", "fingerprint")[: BURST_RUN - 1])
    flags = []
    if in_hour >= settings.BENCH_HOURLY_ANSWER_CAP:
        flags.append(Flag.OVER_CAP)
    run = [print_ for when, print_ in recent if when > at - BURST_WINDOW]
    too_soon = bool(recent) and at - recent[0][0] < timedelta(seconds=settings.BENCH_KIOSK_COOLDOWN_SECONDS)
    if too_soon or (len(run) == BURST_RUN - 1 and all(print_ == answer_print for print_ in run)):
        flags.append(Flag.BURST)
    if NIGHT_START <= timezone.localtime(at).hour < NIGHT_END and in_hour + 1 >= NIGHT_SPIKE:
        flags.append(Flag.NIGHT)
    return [str(flag) for flag in flags]


# --- Storing through the domain ----------------------------------------------------------------------------------


def _vote(community, poll_id: int, answers: dict, token: str, flags: list[str]) -> None:
    poll = kiosk.offered_poll(community, poll_id)
    if poll is None:
        raise _refused("this poll is not shown on this bench")
    ballot = polls.vote(poll, answers, source=Source.BENCH, credential_kind="token", credential=token)
    if flags:
        Ballot.objects.filter(pk=ballot.pk).update(flagged=True)


def _questionnaire(community, campaign_id: int, answers: dict, token: str, code) -> None:
    campaign = (
        Campaign.objects.select_related("cycle")
        .filter(pk=campaign_id, municipality_id=community.municipality_id)
        .first()
    )
    if campaign is None:
        raise _refused("not a questionnaire of this bench's municipality")
    if any(value is not None and (isinstance(value, bool) or not isinstance(value, int)) for value in answers.values()):
        raise _invalid("questionnaire answers must be numbers or null")
    # The token stands for the browser of a web answer; where the campaign asks for printed codes, the citizen types
    # theirs on the kiosk and it goes in "code".
    by_code = questionnaires.credential_kind(campaign, Audience.CITIZENS) == "code"
    if by_code and not isinstance(code, str):
        raise _refused("this questionnaire needs the code printed on the citizen's leaflet")
    questionnaires.submit(
        campaign, Audience.CITIZENS, answers, channel=Channel.BENCH, credential=code if by_code else token
    )


def _report(community, process_id: int, problem: dict, flags: list[str]) -> None:
    process = kiosk.offered_process(community, process_id)
    if process is None:
        raise _refused("problem reports are not open in this process for this bench")
    category = None
    if problem["category"] is not None:
        category = Category.objects.filter(process=process, pk=problem["category"]).first()
        if category is None:
            raise _refused("not a category of this process")
    report = proposals.create_proposal(
        process,
        author=None,  # anonymous, as from a visitor without an account: the bench speaks for no one
        kind=ProposalKind.PROBLEM,
        title=problem["title"],
        body=problem["description"],
        category=category,
        community=community,
    )
    if flags:
        Proposal.objects.filter(pk=report.pk).update(visibility=Visibility.PENDING)


def record(bench, clean, transport) -> list[str]:
    """Store one answer (see the module) and return its flags; raises `Rejected` to refuse it."""
    data = clean.data
    if unknown := data.keys() - FIELDS:
        raise _invalid(f"unknown response field {sorted(unknown)[0][:40]}")
    token, target = data.get("token"), data.get("target")
    if target not in Target.values:
        raise _invalid("target must be poll, questionnaire or problem")
    target_id = _identifier(data.get("id"), "id")
    content = _problem(data) if target == Target.PROBLEM else _answers(data)
    if "code" in data and (target != Target.QUESTIONNAIRE or not isinstance(data["code"], str)):
        raise _invalid("only a questionnaire response may carry a code, as text")
    spent = _spend(bench, token, target, target_id, timezone.now())
    answer_print = fingerprint(target, target_id, content)
    flags = flags_for(bench, answer_print, clean.measured_at)
    community = LocalCommunity.objects.select_related("municipality").get(pk=bench.community_id)
    with translation.override("en"):  # the domain's refusals, in English for the staff's dead-letter list
        try:
            if target == Target.POLL:
                _vote(community, target_id, content, token, flags)
            elif target == Target.QUESTIONNAIRE:
                _questionnaire(community, target_id, content, token, data.get("code"))
            else:
                _report(community, target_id, content, flags)
        except polls.InvalidAnswers as error:
            raise _refused("; ".join(str(problem) for problem in error.problems.values())) from None
        except UserError as error:
            raise _refused(error.message) from None
    KioskAnswer.objects.create(
        token=spent,
        bench_id=bench.pk,
        target=target,
        target_id=target_id,
        answered_at=clean.measured_at,
        fingerprint=answer_print,
        flags=flags,
    )
    return flags
