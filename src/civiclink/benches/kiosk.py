"""What a bench's kiosk offers its local community, and the one-time ballot tokens that bind each answer to one
ballot screen.

A bench has no user. It offers only what the participation rules open to "anyone" (`access.check` with an
anonymous visitor): polls of the municipality's published processes that cover the bench's community (or all its
communities), are shown on benches and need no printed code; problem reports in the process that lets anyone
report one; and the municipality's citizen questionnaire while its surveys are open. A problem reported on a bench
is anonymous, like one sent by a visitor without an account, and is placed in the bench's community."""

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from civiclink.benches.models import BallotToken, Bench
from civiclink.governance.models import Campaign
from civiclink.governance.models import Phase as CampaignPhase
from civiclink.governance.views.surveys import POSTER_LANGUAGES
from civiclink.participation import access
from civiclink.participation.models import Poll, Process
from civiclink.participation.views.common import processes_with_phases

TOKEN_DAYS = 7  # long enough for answers kept on a bench that is offline for days to still count
TOKEN_POOL = 5  # spare tokens per item that the kiosk keeps for answers given while offline
MAX_TOKENS = 500  # at most this many in one call
IDLE_SECONDS = 90  # without a touch, the screen asks whether someone is still there ...
IDLE_WARNING_SECONDS = 20  # ... and goes back to the start this long after asking
TEXT_SIZES = ("normal", "large", "largest")

ALWAYS = "en"

Target = BallotToken.Target


def languages(bench: Bench) -> list[str]:
    """The languages the kiosk switches among: the bench's own choice, else those of its municipality's entity (as
    on the questionnaire's posters); English always."""
    known = {code for code, _name in settings.LANGUAGES}
    chosen = [code for code in bench.languages if code in known]
    if not chosen:
        chosen = list(POSTER_LANGUAGES.get(bench.community.municipality.entity, (settings.LANGUAGE_CODE,)))
    return chosen if ALWAYS in chosen else [*chosen, ALWAYS]


# --- Tokens ------------------------------------------------------------------------------------------------------


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_tokens(bench: Bench, target: str, target_id: int, count: int = 1) -> list[str]:
    """`count` new one-time tokens for answering `target` `target_id` on `bench`, valid `TOKEN_DAYS`. Only their
    hashes are stored: the tokens exist only in what this returns."""
    if target not in Target.values or not 1 <= count <= MAX_TOKENS:
        raise ValueError(f"target must be one of {Target.values} and count between 1 and {MAX_TOKENS}")
    now = timezone.now()
    tokens = [secrets.token_urlsafe(24) for _ in range(count)]
    BallotToken.objects.bulk_create(
        BallotToken(
            bench=bench,
            token_hash=hash_token(token),
            target=target,
            target_id=target_id,
            issued_at=now,
            expires_at=now + timedelta(days=TOKEN_DAYS),
        )
        for token in tokens
    )
    return tokens


# --- What is open ------------------------------------------------------------------------------------------------


def _processes(community):
    """The published processes of the community's municipality that cover the community (explicitly, or all
    communities when they name none), with what `access.check` reads; those naming the community come first."""
    named = Process.communities.through.objects.filter(process=OuterRef("pk"))
    return (
        processes_with_phases()
        .filter(municipality_id=community.municipality_id, published=True, for_network=False)
        .annotate(names_community=Exists(named.filter(localcommunity=community.pk)), names_any=Exists(named))
        .filter(Q(names_community=True) | Q(names_any=False))
        .order_by("-names_community", "-created_at", "-pk")
    )


def _open_to_anyone(process: Process, feature: str, action: str) -> bool:
    """Whether the running phase opens the action to anyone: a bench has no account to show."""
    return access.check(AnonymousUser(), process, feature, action).allowed


def _bench_polls(processes: list[Process]):
    voting = {process.pk: process for process in processes if _open_to_anyone(process, "polls", "vote")}
    return voting, Poll.objects.filter(process__in=list(voting), on_benches=True, codes_required=False)


def _with_process(polls, processes: dict[int, Process]) -> list[Poll]:
    polls = list(polls)
    for poll in polls:
        poll.process = processes[poll.process_id]  # with its phases and features, read once
    return polls


def offered_poll(community, poll_id: int) -> Poll | None:
    """The poll, if the bench of `community` may show it (open or not: voting checks the dates)."""
    voting, polls = _bench_polls(list(_processes(community).filter(polls=poll_id)))
    return next(iter(_with_process(polls.filter(pk=poll_id), voting)), None)


def offered_process(community, process_id: int) -> Process | None:
    """The process, if anyone may report a problem in it from the bench of `community` now."""
    process = _processes(community).filter(pk=process_id).first()
    return process if process is not None and _open_to_anyone(process, "proposals", "submit") else None


def open_campaign(municipality) -> Campaign | None:
    """The municipality's governance campaign whose questionnaires are open (the latest cycle's, if several)."""
    return (
        Campaign.objects.filter(municipality=municipality, phase=CampaignPhase.ASSESSMENT)
        .select_related("cycle")
        .order_by("-cycle__year", "-pk")
        .first()
    )


@dataclass
class Offer:
    """What the kiosk's home screen shows."""

    polls: list[Poll] = field(default_factory=list)
    campaign: Campaign | None = None
    problems: Process | None = None  # the process that takes problem reports

    def __bool__(self) -> bool:
        return bool(self.polls or self.campaign or self.problems)


def offer(community) -> Offer:
    """Everything open for `community` now: six queries, however many processes and polls."""
    processes = list(_processes(community))
    now = timezone.now()
    voting, polls = _bench_polls(processes)
    return Offer(
        polls=_with_process(polls.filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "pk"), voting),
        campaign=open_campaign(community.municipality),
        problems=next((p for p in processes if _open_to_anyone(p, "proposals", "submit")), None),
    )
