"""A proposal's page and what people do with it: submit and edit (authors), support and withdraw (citizens),
endorse (CSO members), answer and move between states (the municipality). Each action asks its rule; a refused
action shows the proposal again with the reason (status 403) and saves nothing.
"""

import rules
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiclink.moderation.guards import Refused, check_contribution
from civiclink.moderation.models import Visibility
from civiclink.participation import access, following, proposals, supports
from civiclink.participation.forms_proposals import AnswerForm, EndorseForm, ProposalForm
from civiclink.participation.models import Endorsement, Process, Proposal, ProposalKind, ProposalState
from civiclink.participation.queries import supported_ids
from civiclink.participation.views import comments
from civiclink.participation.views.common import process_context, process_using, see_other
from civiclink.participation.views.processes import cached_for_process


def _proposal_or_404(process: Process, pk: int, *, visible_only: bool = False) -> Proposal:
    found = Proposal.objects.select_related("author", "organisation", "category", "community").prefetch_related(
        Prefetch("endorsements", queryset=Endorsement.objects.select_related("organisation").order_by("created_at")),
        "state_changes",
    )
    if visible_only:
        found = found.filter(visibility=Visibility.VISIBLE)
    proposal = get_object_or_404(found, process=process, pk=pk)
    proposal.process = process  # with its features and phases, as the access checks read them
    return proposal


def proposal(request, slug, pk):
    def render_page():
        process = process_using(request, slug, "proposals")
        return _detail(request, process, _proposal_or_404(process, pk))

    return cached_for_process(request, render_page)


def _detail(request, process: Process, proposal: Proposal, *, answer_form=None, status: int = 200):
    user = request.user
    context = process_context(request, process, "participation:process")
    is_author = user.is_authenticated and proposal.author_id == user.pk
    may_moderate = rules.has_perm("participation.moderate", user, process)
    may_answer = rules.has_perm("participation.answer_proposal", user, process)
    shown = not proposal.is_hidden or is_author or may_moderate
    support_access = supports.may_support(user, process) if access.enabled(process, "supports") else None
    endorse_access = context["may"]["proposals.endorse"]
    settings = access.feature_settings(process, "supports") if support_access is not None else {}
    endorsed = {endorsement.organisation_id for endorsement in proposal.endorsements.all()}
    context |= {
        "proposal": proposal,
        "shown": shown,
        "is_author": is_author,
        "may_moderate": may_moderate,
        "following": following.is_following(user, proposal),
        "may_edit": proposals.may_edit(user, proposal),
        "supportable": supports.supportable(proposal),
        "support_access": support_access,
        "threshold": settings.get("threshold"),
        "supported": bool(support_access) and proposal.pk in supported_ids(user, [proposal.pk]),
        "endorse_access": endorse_access,
        "my_organisations": [
            (organisation, organisation.pk in endorsed) for organisation in proposals.member_organisations(user)
        ]
        if endorse_access
        else [],
        "answer_form": answer_form or (_answer_form(proposal) if may_answer else None),
        "may_make_result": may_answer
        and proposal.state == ProposalState.ACCEPTED
        and access.enabled(process, "results"),
    }
    if shown:
        context |= comments.section_context(request, process, proposal)
    return render(request, "participation/proposals/detail.html", context, status=status)


def _answer_form(proposal: Proposal, data=None) -> AnswerForm:
    return AnswerForm(data, initial={"answer": proposal.answer, "state": proposal.state})


def _refused(request, process: Process, proposal: Proposal, message) -> HttpResponse:
    """The proposal again, with why the action was refused; nothing was saved."""
    messages.error(request, message)
    return _detail(request, process, proposal, status=403)


def _back(request, proposal: Proposal) -> str:
    """Where the visitor came from (the list, with its filters), or the proposal."""
    target = request.POST.get("next", "")
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return proposal.get_absolute_url()


# --- Submitting and editing -------------------------------------------------------------------------------------------


def proposal_new(request, slug):
    """The form to report a problem (?kind=problem) or make a proposal. Never cached: it holds a CSRF token."""
    process = process_using(request, slug, "proposals")
    user = request.user
    submit_access = access.check(user, process, "proposals", "submit")
    kind = request.GET.get("kind") if request.GET.get("kind") in ProposalKind.values else ProposalKind.PROPOSAL
    posted = request.method == "POST"
    form = ProposalForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        process=process,
        user=user,
        initial={"kind": kind},
    )
    status = 400 if posted else 200  # what stays when the form does not go through
    if posted and not rules.has_perm("participation.submit", user, process):
        form.is_valid()  # so that the draft comes back as typed
        form.add_error(None, submit_access.reason)
        status = 403
    elif posted and form.is_valid():
        own = Proposal.objects.filter(author=user) if user.is_authenticated else None
        try:
            check_contribution(request, "proposal", own_recent=own, text=form.cleaned_data["body"])
            created = proposals.create_proposal(process, author=user, **form.changes())
        except (Refused, proposals.ProposalError) as refused:
            form.add_error(None, refused.message)
            status = 403
        else:
            messages.success(request, _("Thank you. Your contribution is published."))
            return see_other(created.get_absolute_url())
    context = process_context(request, process, "participation:process") | {
        "form": form,
        "kind": kind,
        "submit_access": submit_access,
        "show_form": bool(submit_access) or posted,
    }
    return render(request, "participation/proposals/form.html", context, status=status)


def proposal_edit(request, slug, pk):
    process = process_using(request, slug, "proposals")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    proposal = _proposal_or_404(process, pk)
    if not proposals.may_edit(request.user, proposal):
        raise PermissionDenied
    posted = request.method == "POST"
    form = ProposalForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        instance=proposal,
        process=process,
        user=request.user,
    )
    if posted and form.is_valid():
        try:
            proposals.update(proposal, by=request.user, **form.changes())
        except proposals.ProposalError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The changes have been saved."))
            return see_other(proposal.get_absolute_url())
    context = process_context(request, process, "participation:process") | {
        "form": form,
        "proposal": proposal,
        "kind": proposal.kind,
        "show_form": True,
    }
    return render(request, "participation/proposals/form.html", context, status=400 if posted else 200)


# --- Supports and endorsements ----------------------------------------------------------------------------------------


def _acting(request, slug, pk, feature: str, action: str):
    """The process and visible proposal for a POST action, and a response when it may not go ahead: the login page
    for anonymous visitors, the proposal with the reason when the rule refuses."""
    process = process_using(request, slug, "proposals")
    proposal = _proposal_or_404(process, pk, visible_only=True)
    if not request.user.is_authenticated:
        return process, proposal, redirect_to_login(proposal.get_absolute_url())
    if not rules.has_perm(f"participation.{action}", request.user, process):
        reason = access.check(request.user, process, feature, action).reason
        return process, proposal, _refused(request, process, proposal, reason)
    return process, proposal, None


def _change_support(request, slug, pk, act, done_message: str):
    process, proposal, refusal = _acting(request, slug, pk, "supports", "support")
    if refusal:
        return refusal
    try:
        act(proposal, request.user)
    except supports.SupportRefused as refused:
        return _refused(request, process, proposal, refused.message)
    messages.success(request, done_message)
    return see_other(_back(request, proposal))


@require_POST
def proposal_support(request, slug, pk):
    return _change_support(request, slug, pk, supports.support, _("Thank you for your support."))


@require_POST
def proposal_withdraw(request, slug, pk):
    return _change_support(request, slug, pk, supports.withdraw, _("Your support has been withdrawn."))


@require_POST
def proposal_endorse(request, slug, pk):
    """Endorse on behalf of an organisation (or, with action=withdraw, take the endorsement back)."""
    process, proposal, refusal = _acting(request, slug, pk, "proposals", "endorse")
    if refusal:
        return refusal
    form = EndorseForm(request.POST, user=request.user)
    if not form.is_valid():
        return _refused(request, process, proposal, _("Choose an organisation you belong to."))
    organisation = form.cleaned_data["organisation"]
    try:
        if request.POST.get("action") == "withdraw":
            proposals.unendorse(proposal, organisation, by=request.user)
            done = _("%(organisation)s no longer endorses this proposal.")
        else:
            proposals.endorse(proposal, organisation, by=request.user)
            done = _("%(organisation)s now endorses this proposal.")
    except proposals.ProposalError as error:
        return _refused(request, process, proposal, error.message)
    messages.success(request, done % {"organisation": organisation})
    return see_other(proposal.get_absolute_url())


# --- The municipality's answer ----------------------------------------------------------------------------------------


@require_POST
def proposal_answer(request, slug, pk):
    process = process_using(request, slug, "proposals")
    if not rules.has_perm("participation.answer_proposal", request.user, process):
        raise PermissionDenied
    proposal = _proposal_or_404(process, pk)
    form = _answer_form(proposal, request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                proposals.answer(proposal, form.cleaned_data["answer"], by=request.user)
                proposals.change_state(
                    proposal, form.cleaned_data["state"], by=request.user, reason=form.cleaned_data["reason"]
                )
        except proposals.ProposalError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The answer has been published."))
            return see_other(proposal.get_absolute_url())
    return _detail(request, process, proposal, answer_form=form, status=400)


urlpatterns = [
    path("<slug:slug>/proposals/new/", proposal_new, name="proposal_new"),
    path("<slug:slug>/proposals/<int:pk>/", proposal, name="proposal"),
    path("<slug:slug>/proposals/<int:pk>/edit/", proposal_edit, name="proposal_edit"),
    path("<slug:slug>/proposals/<int:pk>/support/", proposal_support, name="proposal_support"),
    path("<slug:slug>/proposals/<int:pk>/withdraw/", proposal_withdraw, name="proposal_withdraw"),
    path("<slug:slug>/proposals/<int:pk>/endorse/", proposal_endorse, name="proposal_endorse"),
    path("<slug:slug>/proposals/<int:pk>/answer/", proposal_answer, name="proposal_answer"),
]
