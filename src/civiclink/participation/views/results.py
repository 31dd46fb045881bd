"""The public accountability page of a process (what was promised, what was done) and the managers' forms."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiclink.participation import results
from civiclink.participation.forms_results import ResultForm, UpdateForm
from civiclink.participation.models import ProposalState
from civiclink.participation.views.common import process_context, process_using, see_other, with_comments

TAB = "participation:results"


def _process(request, slug: str, permission: str = ""):
    return process_using(request, slug, "results", permission)


def _results_of(process):
    """Results with their proposal and updates (newest first): three queries for any number of results."""
    return process.results.select_related("proposal").prefetch_related("updates")


def _results_page(request, process, *, error: str = "", status: int = 200):
    listed = list(_results_of(process))
    context = process_context(request, process, TAB) | {
        "results": listed,
        "summary": results.summary(listed),
        "error": error,
    }
    if context["may_manage"]:
        context["waiting"] = process.proposals.filter(state=ProposalState.ACCEPTED, result__isnull=True).order_by("pk")
    return render(request, "participation/results/list.html", context, status=status)


def result_list(request, slug):
    return _results_page(request, _process(request, slug))


def _detail_page(request, process, result, *, form=None, status: int = 200):
    context = process_context(request, process, TAB) | {"result": result}
    if context["may_manage"]:
        context["update_form"] = form or UpdateForm(result=result)
    context = with_comments(request, process, result, context)
    return render(request, "participation/results/detail.html", context, status=status)


def result_detail(request, slug, pk):
    process = _process(request, slug)
    return _detail_page(request, process, get_object_or_404(_results_of(process), pk=pk))


@require_POST
def result_from_proposal(request, slug, proposal_pk):
    """An accepted proposal becomes a result; anything else is refused with the reason, on the results page."""
    process = _process(request, slug, "participation.manage_process")
    proposal = get_object_or_404(process.proposals.all(), pk=proposal_pk)
    try:
        result = results.from_proposal(proposal, by=request.user)
    except results.ResultError as refusal:
        return _results_page(request, process, error=refusal.message, status=409)
    messages.success(
        request, _("“%(title)s” is now a result: report its progress with dated updates.") % {"title": result.title}
    )
    return see_other(result.get_absolute_url())


def result_edit(request, slug, pk):
    process = _process(request, slug, "participation.manage_process")
    result = get_object_or_404(process.results.all(), pk=pk)
    form = ResultForm(request.POST or None, instance=result)
    if request.method == "POST" and form.is_valid():
        form.instance.save(update_fields=[*form.fields, "updated_at"])
        messages.success(request, _("The result “%(title)s” is saved.") % {"title": result.title})
        return see_other(result.get_absolute_url())
    context = process_context(request, process, TAB) | {"form": form, "result": result}
    return render(request, "participation/results/form.html", context, status=400 if form.errors else 200)


@require_POST
def result_update(request, slug, pk):
    """A dated progress update; an invalid one comes back on the result's page with what was typed."""
    process = _process(request, slug, "participation.manage_process")
    result = get_object_or_404(_results_of(process), pk=pk)
    form = UpdateForm(request.POST, result=result)
    if form.is_valid():
        try:
            results.add_update(result, by=request.user, **form.cleaned_data)
        except results.ResultError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("The progress update is published."))
            return see_other(result.get_absolute_url())
    return _detail_page(request, process, result, form=form, status=400)


urlpatterns = [
    path("<slug:slug>/results/", result_list, name="results"),
    path("<slug:slug>/results/<int:pk>/", result_detail, name="result"),
    path("<slug:slug>/results/<int:pk>/edit/", result_edit, name="result_edit"),
    path("<slug:slug>/results/<int:pk>/updates/", result_update, name="result_update"),
    path("<slug:slug>/results/from-proposal/<int:proposal_pk>/", result_from_proposal, name="result_from_proposal"),
]
