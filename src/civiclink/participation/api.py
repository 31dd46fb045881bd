"""The participation API under /api/v1/participation/: processes, proposals, polls and results.

Everyone reads what the site shows a visitor without an account (published processes, visible proposals, poll
results once they are public); texts come in the language of the request (Accept-Language). Writes need the site's
session and its CSRF token, like the site's own forms, and ask the same rules and `access.check` as the pages. A
refusal is JSON, `{"detail": "<why, in the visitor's language>"}`, with 401 (log in), 403 (not allowed), 404,
409 (already done, or the state forbids it), 422 (invalid input, with `errors`) or 429 (too many)."""

from datetime import date, datetime
from decimal import Decimal
from typing import Literal

import rules
from django.db.models import Count, Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.responses import Status
from ninja.security import SessionAuth
from ninja.utils import check_csrf

from civiclink.moderation.guards import Refused, check_contribution
from civiclink.moderation.models import Visibility
from civiclink.participation import access, polls, proposals, queries, supports
from civiclink.participation.forms_proposals import ProposalForm
from civiclink.participation.models import (
    Endorsement,
    Poll,
    Proposal,
    ProposalKind,
    ProposalState,
    Question,
    Result,
    ResultUpdate,
    Source,
)
from civiclink.participation.views.common import processes_with_phases

router = Router(tags=["participation"])


class SiteSession(SessionAuth):
    """The site's session cookie and CSRF token; refusals in the visitor's language (401 before 403)."""

    def _get_key(self, request):
        if not request.user.is_authenticated:
            raise HttpError(401, _("Log in to do this."))
        if check_csrf(request):
            raise HttpError(403, _("The security token (CSRF) is missing or wrong. Reload the page and try again."))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request, key):
        return request.user


signed_in = SiteSession()


# --- Schemas -----------------------------------------------------------------------------------------------------


class Message(Schema):
    detail: str


class Invalid(Schema):
    detail: str
    errors: dict[str, list[str]]


class PhaseOut(Schema):
    name: str
    description: str
    starts_at: datetime
    ends_at: datetime
    current: bool


class AccessOut(Schema):
    allowed: bool
    need: str
    reason: str


class CategoryOut(Schema):
    id: int
    name: str


class ProcessOut(Schema):
    slug: str
    title: str
    summary: str
    municipality: str
    level: str
    decision_step: str
    features: list[str]
    current_phase: str | None
    url: str


class ProcessDetailOut(ProcessOut):
    description: str
    phases: list[PhaseOut]
    categories: list[CategoryOut]
    may: dict[str, AccessOut]
    opendata: str


class ProposalOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    category: str | None
    community: str | None
    organisation: str | None
    state: str
    supports: int = Field(..., alias="support_count")
    comments: int = Field(..., alias="comment_count")
    created: datetime = Field(..., alias="created_at")
    answered: datetime | None = Field(..., alias="answered_at")
    answer: str
    url: str

    @staticmethod
    def resolve_category(obj) -> str | None:
        return obj.category.localised("name") if obj.category else None

    @staticmethod
    def resolve_community(obj) -> str | None:
        return obj.community.name if obj.community else None

    @staticmethod
    def resolve_organisation(obj) -> str | None:
        return obj.organisation.legal_name if obj.organisation else None

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class StateChangeOut(Schema):
    old_state: str
    new_state: str
    reason: str
    automatic: bool
    changed_at: datetime


class ProposalDetailOut(ProposalOut):
    process: str = Field(..., alias="process.slug")
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    photo: str | None
    photo_alt: str
    endorsed_by: list[str]
    history: list[StateChangeOut]

    @staticmethod
    def resolve_photo(obj) -> str | None:
        return obj.photo.url if obj.photo else None

    @staticmethod
    def resolve_endorsed_by(obj) -> list[str]:
        return [endorsement.organisation.legal_name for endorsement in obj.endorsements.all()]

    @staticmethod
    def resolve_history(obj) -> list:
        return list(obj.state_changes.all())


class ChoiceOut(Schema):
    id: int
    text: str


class QuestionOut(Schema):
    id: int
    kind: str
    text: str
    help_text: str
    max_choices: int | None
    required: bool
    choices: list[ChoiceOut]


class PollOut(Schema):
    id: int
    title: str
    description: str
    opens_at: datetime
    closes_at: datetime
    open: bool
    show_results: str
    codes_required: bool
    url: str
    questions: list[QuestionOut]


class ChoiceResultOut(Schema):
    id: int
    text: str
    counts: dict[str, int]
    total: int
    percent: float
    points: int | None
    average_rank: float | None


class QuestionResultOut(Schema):
    id: int
    kind: str
    text: str
    respondents: dict[str, int]
    choices: list[ChoiceResultOut]


class PollResultsOut(Schema):
    poll: int
    title: str
    closed: bool
    ballots: dict[str, int]
    questions: list[QuestionResultOut]


class ResultUpdateOut(Schema):
    date: date
    text: str
    progress: int
    status: str


class ResultOut(Schema):
    id: int
    title: str
    description: str
    status: str
    progress: int
    budget: Decimal | None
    starts_on: date | None
    ends_on: date | None
    proposal: int | None = Field(..., alias="proposal_id")
    url: str
    updates: list[ResultUpdateOut]

    @staticmethod
    def resolve_title(obj) -> str:
        return obj.localised("title")

    @staticmethod
    def resolve_description(obj) -> str:
        return obj.localised("description")

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_updates(obj) -> list:
        return list(obj.updates.all())


class ProposalIn(Schema):
    kind: ProposalKind = ProposalKind.PROPOSAL
    title: str
    body: str
    category: int | None = None
    community: int | None = None
    organisation: int | None = Field(None, description="A verified organisation you belong to, to speak for it.")
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None


class SupportOut(Schema):
    detail: str
    supported: bool
    supports: int


class VoteIn(Schema):
    answers: dict[int, int | str | list[int] | dict[int, int]] = Field(
        ...,
        description="Question id → a choice id (one choice), choice ids (several choices), choice ids in order of "
        "preference or {choice id: rank} (ranking), or text (free text).",
    )
    code: str = Field("", description="The one-time code printed on paper, for polls that require one.")


class VoteOut(Schema):
    detail: str
    results: str


# --- Reading -----------------------------------------------------------------------------------------------------

NOT_FOUND = {404: Message}


def _process(request, feature: str | None = None, **lookup):
    """The process as the pages read it, if the visitor may see it (404 otherwise, drafts included) and it uses
    `feature`."""
    process = processes_with_phases().filter(**lookup).first()
    if process is None or not rules.has_perm("participation.view_process", request.user, process):
        raise HttpError(404, _("There is no such process."))
    if feature and not access.enabled(process, feature):
        raise HttpError(404, _("This process does not offer this."))
    return process


def _process_data(process) -> dict:
    phase = process.current_phase
    return {
        "slug": process.slug,
        "title": process.localised("title"),
        "summary": process.localised("summary"),
        "municipality": process.municipality.slug,
        "level": process.level,
        "decision_step": process.decision_step,
        "features": [row.feature for row in process.features.all()],
        "current_phase": phase.localised("name") if phase else None,
        "url": process.get_absolute_url(),
    }


@router.get("/participation/processes", response=list[ProcessOut], summary="Published participatory processes")
def list_processes(request, municipality: str = ""):
    processes = processes_with_phases().filter(published=True)
    if municipality:
        processes = processes.filter(municipality__slug=municipality)
    return [_process_data(process) for process in processes]


@router.get(
    "/participation/processes/{slug}",
    response={200: ProcessDetailOut, **NOT_FOUND},
    summary="One process: phases, categories, and what the caller may do now (and if not, why)",
)
def get_process(request, slug: str):
    process = _process(request, slug=slug)
    current = process.current_phase
    return {
        **_process_data(process),
        "description": process.localised("description"),
        "phases": [
            {
                "name": phase.localised("name"),
                "description": phase.localised("description"),
                "starts_at": phase.starts_at,
                "ends_at": phase.ends_at,
                "current": phase == current,
            }
            for phase in process.phases.all()
        ],
        "categories": [
            {"id": category.pk, "name": category.localised("name")}
            for category in process.categories.order_by("position", "name")
        ],
        "may": {
            name: {"allowed": result.allowed, "need": result.need, "reason": str(result.reason)}
            for name, result in access.capabilities(request.user, process).items()
        },
        "opendata": reverse("participation:opendata_index", args=[process.slug]),
    }


@router.get(
    "/participation/processes/{slug}/proposals",
    response={200: list[ProposalOut], **NOT_FOUND},
    summary="Visible proposals of a process: filters, search, ordering, pages",
)
@paginate(LimitOffsetPagination, max_limit=100)
def list_proposals(
    request,
    slug: str,
    state: ProposalState | None = None,
    kind: ProposalKind | None = None,
    category: int | None = None,
    community: int | None = None,
    q: str = "",
    ordering: Literal["newest", "supported", "commented", "random"] = "newest",
):
    process = _process(request, "proposals", slug=slug)
    return queries.proposal_list(
        process,
        kind=kind or "",
        state=state or "",
        category=category,
        community=community,
        q=q,
        sort=ordering,
    ).select_related("process")


def _visible_proposal(request, pk: int) -> Proposal:
    """A visible proposal of a process the visitor may see, with that process read as the pages read it."""
    proposal = (
        Proposal.objects.filter(pk=pk, visibility=Visibility.VISIBLE)
        .select_related("category", "community", "organisation")
        .prefetch_related(
            Prefetch("endorsements", queryset=Endorsement.objects.select_related("organisation").order_by("pk")),
            "state_changes",
        )
        .first()
    )
    if proposal is None:
        raise HttpError(404, _("There is no such proposal."))
    proposal.process = _process(request, "proposals", pk=proposal.process_id)
    return proposal


@router.get("/participation/proposals/{id}", response={200: ProposalDetailOut, **NOT_FOUND}, summary="One proposal")
def get_proposal(request, id: int):
    return _visible_proposal(request, id)


def _polls_of(process, **filters):
    questions = Question.objects.prefetch_related("choices")
    return (
        Poll.objects.filter(process=process, **filters)
        .annotate(question_count=Count("questions"))
        .filter(question_count__gt=0)  # a poll without questions is still being written
        .prefetch_related(Prefetch("questions", queryset=questions))
    )


def _poll_data(poll) -> dict:
    return {
        "id": poll.pk,
        "title": poll.localised("title"),
        "description": poll.localised("description"),
        "opens_at": poll.opens_at,
        "closes_at": poll.closes_at,
        "open": poll.is_open,
        "show_results": poll.show_results,
        "codes_required": poll.codes_required,
        "url": poll.get_absolute_url(),
        "questions": [
            {
                "id": question.pk,
                "kind": question.kind,
                "text": question.localised("text"),
                "help_text": question.localised("help_text"),
                "max_choices": question.max_choices,
                "required": question.required,
                "choices": [{"id": choice.pk, "text": choice.localised("text")} for choice in question.choices.all()],
            }
            for question in poll.questions.all()
        ],
    }


@router.get(
    "/participation/processes/{slug}/polls",
    response={200: list[PollOut], **NOT_FOUND},
    summary="Polls of a process with their questions and choices",
)
def list_polls(request, slug: str):
    process = _process(request, "polls", slug=slug)
    return [_poll_data(poll) for poll in _polls_of(process)]


def _poll(request, pk: int) -> Poll:
    """The poll, in a process the visitor may see that uses polls."""
    process_id = Poll.objects.filter(pk=pk).values_list("process_id", flat=True).first()
    if process_id is None:
        raise HttpError(404, _("There is no such poll."))
    process = _process(request, "polls", pk=process_id)
    poll = _polls_of(process, pk=pk).first()
    if poll is None:
        raise HttpError(404, _("There is no such poll."))
    poll.process = process
    return poll


def _per_source(counts: list[int]) -> dict[str, int]:
    return dict(zip(Source.values, counts, strict=True))


@router.get(
    "/participation/polls/{id}/results",
    response={200: PollResultsOut, 403: Message, **NOT_FOUND},
    summary="Results of a poll per choice and source, once they are public (after closing, or after voting where "
    "the poll says so)",
)
def get_poll_results(request, id: int):
    poll = _poll(request, id)
    voted = request.user.is_authenticated and polls.has_voted(poll, "account", request.user.pk)
    may_manage = rules.has_perm("participation.manage_process", request.user, poll.process)
    if not (may_manage or polls.results_visible(poll, voted)):
        if poll.show_results == Poll.ShowResults.AFTER_VOTING:
            raise HttpError(403, _("The results are shown to those who have voted, and to all when the poll closes."))
        raise HttpError(403, _("The results will be shown when the poll closes."))
    tally = polls.tally(poll, list(poll.questions.all()))
    return {
        "poll": poll.pk,
        "title": poll.localised("title"),
        "closed": poll.is_closed,
        "ballots": _per_source(tally.ballots),
        "questions": [
            {
                "id": result.question.pk,
                "kind": result.question.kind,
                "text": result.question.localised("text"),
                "respondents": _per_source(result.respondents),
                "choices": [
                    {
                        "id": row.choice.pk,
                        "text": row.choice.localised("text"),
                        "counts": _per_source(row.counts),
                        "total": row.total,
                        "percent": row.percent,
                        "points": row.points,
                        "average_rank": row.average_rank,
                    }
                    for row in result.choices
                ],
            }
            for result in tally.questions
        ],
    }


@router.get(
    "/participation/processes/{slug}/results",
    response={200: list[ResultOut], **NOT_FOUND},
    summary="What the municipality promised in a process and how far it got, with dated updates",
)
def list_results(request, slug: str):
    process = _process(request, "results", slug=slug)
    updates = ResultUpdate.objects.order_by("-date", "-pk")
    results = Result.objects.filter(process=process).prefetch_related(Prefetch("updates", queryset=updates))
    for result in results:
        result.process = process
    return results


# --- Writing -----------------------------------------------------------------------------------------------------

REFUSALS = {401: Message, 403: Message, 404: Message, 409: Message, 429: Message}


def _allowed(request, process, feature: str, action: str) -> None:
    """403 with the reason the pages show ("You need to be a verified resident...") unless the rule allows."""
    if not rules.has_perm(f"participation.{action}", request.user, process):
        raise HttpError(403, str(access.check(request.user, process, feature, action).reason))


@router.post(
    "/participation/processes/{slug}/proposals",
    auth=signed_in,
    response={201: ProposalOut, 422: Invalid, **REFUSALS},
    summary="Report a problem or make a proposal",
)
def create_proposal(request, slug: str, payload: ProposalIn):
    process = _process(request, "proposals", slug=slug)
    _allowed(request, process, "proposals", "submit")
    data = {name: "" if value is None else value for name, value in payload.model_dump().items()}
    form = ProposalForm(data, process=process, user=request.user)
    if not form.is_valid():
        errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
        return Status(422, {"detail": _("Some fields are missing or not valid."), "errors": errors})
    try:
        check_contribution(
            request, "proposal", own_recent=Proposal.objects.filter(author=request.user), text=form.cleaned_data["body"]
        )
        created = proposals.create_proposal(process, author=request.user, **form.changes())
    except Refused as refused:
        raise HttpError(refused.status, str(refused.message)) from None
    except proposals.ProposalError as error:
        raise HttpError(403, str(error.message)) from None
    return Status(201, created)


def _supporting(request, pk: int) -> Proposal:
    proposal = _visible_proposal(request, pk)
    if not access.enabled(proposal.process, "supports"):
        raise HttpError(404, _("This process does not offer this."))
    _allowed(request, proposal.process, "supports", "support")
    return proposal


def _support_count(proposal: Proposal) -> int:
    return Proposal.objects.values_list("support_count", flat=True).get(pk=proposal.pk)


@router.post(
    "/participation/proposals/{id}/support",
    auth=signed_in,
    response={201: SupportOut, **REFUSALS},
    summary="Support a proposal (one support per person)",
)
def support_proposal(request, id: int):
    proposal = _supporting(request, id)
    try:
        added = supports.support(proposal, request.user)
    except supports.SupportRefused as refused:
        raise HttpError(409, str(refused.message)) from None
    if not added:
        raise HttpError(409, _("You already support this proposal."))
    detail = _("Thank you for your support.")
    return Status(201, {"detail": detail, "supported": True, "supports": _support_count(proposal)})


@router.delete(
    "/participation/proposals/{id}/support",
    auth=signed_in,
    response={200: SupportOut, **REFUSALS},
    summary="Withdraw your support",
)
def withdraw_support(request, id: int):
    proposal = _supporting(request, id)
    try:
        withdrawn = supports.withdraw(proposal, request.user)
    except supports.SupportRefused as refused:
        raise HttpError(409, str(refused.message)) from None
    if not withdrawn:
        raise HttpError(409, _("You do not support this proposal."))
    detail = _("Your support has been withdrawn.")
    return {"detail": detail, "supported": False, "supports": _support_count(proposal)}


@router.post(
    "/participation/polls/{id}/votes",
    auth=signed_in,
    response={201: VoteOut, 422: Invalid, **REFUSALS},
    summary="Vote in a poll: one ballot per account (or per printed code, where the poll requires codes)",
)
def vote(request, id: int, payload: VoteIn):
    poll = _poll(request, id)
    _allowed(request, poll.process, "polls", "vote")
    by_code = poll.codes_required
    try:
        polls.vote(
            poll,
            payload.answers,
            source=Source.WEB,
            credential_kind="code" if by_code else "account",
            credential=payload.code if by_code else request.user.pk,
            questions=list(poll.questions.all()),
        )
    except polls.InvalidAnswers as invalid:
        errors = {str(question or "__all__"): [str(message)] for question, message in invalid.problems.items()}
        return Status(422, {"detail": str(invalid.message), "errors": errors})
    except polls.InvalidCode as invalid:
        raise HttpError(403, str(invalid.message)) from None
    except (polls.AlreadyVoted, polls.PollClosed) as refused:
        raise HttpError(409, str(refused.message)) from None
    results = reverse("api:get_poll_results", kwargs={"id": poll.pk})
    return Status(201, {"detail": _("Thank you! Your vote has been counted."), "results": results})
