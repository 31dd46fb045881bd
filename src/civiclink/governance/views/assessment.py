"""Self-assessment (overview, a principle's indicators, saving one indicator, evidence, submission), the committee's
evaluation and decision, and the certificate.

Saving an indicator answers a full page without JavaScript, and a small fragment (the status line, the new
revision, the other person's version on a conflict) when the page's script posts in the background.
"""

from dataclasses import dataclass
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiclink.governance import assessment, certificates, scoring
from civiclink.governance import evaluation as committee
from civiclink.governance.forms_assessment import AdjustmentForm, DecisionForm, EvidenceForm, IndicatorForm
from civiclink.governance.models import Campaign, Evidence, Indicator, IndicatorAssessment, Principle
from civiclink.governance.views.common import campaign_for

EDIT = "governance.edit_self_assessment"
VIEW = "governance.view_self_assessment"


def _wants_fragment(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _indicator(campaign: Campaign, pk) -> Indicator:
    if not str(pk).isdigit():
        raise Http404
    return get_object_or_404(
        Indicator.objects.select_related("principle"), pk=pk, benchmark_id=campaign.cycle.benchmark_id, retired=False
    )


def _indicator_url(campaign: Campaign, indicator: Indicator) -> str:
    page = reverse("governance:self_assessment_principle", args=[campaign.pk, indicator.principle.number])
    return f"{page}#indicator-{indicator.pk}"


# --- Self-assessment -----------------------------------------------------------------------------------------


@login_required
def self_assessment(request, pk):
    """The twelve principles with how far the team has got, and the submission once everything is filled in."""
    campaign = campaign_for(request, pk, VIEW)
    context = {
        "campaign": campaign,
        "progress": assessment.progress(campaign),
        "may_edit": request.user.has_perm(EDIT, campaign),
        "may_submit": request.user.has_perm("governance.submit_self_assessment", campaign),
    }
    if campaign.self_assessment_submitted_by_id:
        context["submitted_by"] = campaign.self_assessment_submitted_by
    return render(request, "governance/assessment/overview.html", context)


@login_required
@require_POST
def self_assessment_submit(request, pk):
    campaign = campaign_for(request, pk, "governance.submit_self_assessment")
    try:
        assessment.submit(campaign, request.user)
    except assessment.AssessmentError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("The self-assessment has been submitted to the evaluation committee. It can no longer be changed."),
        )
    return redirect("governance:self_assessment", campaign.pk)


@dataclass
class Conflict:
    """Two versions of one indicator: the one saved by someone else, and the one this visitor typed."""

    theirs: IndicatorAssessment
    theirs_level: str
    yours_level: str
    yours_justification: str


def _level_text(benchmark, value: int | None) -> str:
    """The level's name and number, e.g. "Established (3)"; empty without a level."""
    return "" if value is None else f"{assessment.level_name(benchmark, value)} ({value})"


@login_required
def self_assessment_principle(request, pk, number):
    campaign = campaign_for(request, pk, VIEW)
    principle = get_object_or_404(Principle, benchmark_id=campaign.cycle.benchmark_id, number=number)
    return _principle_page(request, campaign, principle)


def _principle_page(request, campaign, principle, *, forms=None, evidence_forms=None, conflicts=None, status=200):
    """The principle's indicators, as forms for the team's officers and as text for everyone else; `forms`,
    `evidence_forms` and `conflicts` (by indicator id) show what was just sent back with its errors."""
    benchmark = campaign.cycle.benchmark
    may_edit = request.user.has_perm(EDIT, campaign)
    forms, evidence_forms, conflicts = forms or {}, evidence_forms or {}, conflicts or {}
    groups = assessment.principle_sheet(campaign, principle)
    for group in groups:
        for entry in group.entries:
            indicator, current = entry.indicator, entry.assessment
            entry.conflict = conflicts.get(indicator.pk)
            if may_edit:
                entry.form = forms.get(indicator.pk) or IndicatorForm(benchmark, indicator, current=current)
                entry.evidence_form = evidence_forms.get(indicator.pk) or EvidenceForm(indicator)
            elif current is not None:
                entry.level_text = _level_text(benchmark, current.level)
                entry.adjusted_level_text = _level_text(benchmark, current.adjusted_level)
    context = {
        "campaign": campaign,
        "principle": principle,
        "groups": groups,
        "heading": 3 if any(group.outcome for group in groups) else 2,
        "may_edit": may_edit,
        "previous_number": principle.number - 1 if principle.number > 1 else None,
        "next_number": principle.number + 1 if principle.number < 12 else None,
    }
    return render(request, "governance/assessment/principle.html", context, status=status)


def _save_result(request, state: str, message: str, *, revision=None, conflict=None, status=200):
    context = {"state": state, "message": message, "revision": revision, "conflict": conflict}
    return render(request, "governance/assessment/_save_result.html", context, status=status)


@login_required
@require_POST
def indicator_save(request, pk, indicator):
    """Save one indicator's level and justification, unless someone else saved it since the form was loaded."""
    campaign = campaign_for(request, pk, VIEW)
    indicator = _indicator(campaign, indicator)
    fragment = _wants_fragment(request)
    if not request.user.has_perm(EDIT, campaign):
        if fragment:
            message = _("Not saved: the self-assessment can no longer be changed by you.")
            return _save_result(request, "refused", message, status=403)
        raise PermissionDenied
    benchmark = campaign.cycle.benchmark
    form = IndicatorForm(benchmark, indicator, request.POST)
    if not form.is_valid():
        if fragment:
            errors = " ".join(str(error) for errors in form.errors.values() for error in errors)
            return _save_result(request, "invalid", _("Not saved: %(errors)s") % {"errors": errors}, status=400)
        return _principle_page(request, campaign, indicator.principle, forms={indicator.pk: form}, status=400)
    try:
        saved = assessment.save_indicator(campaign, indicator, user=request.user, **form.cleaned_data)
    except assessment.StaleRevision as stale:
        return _conflict(request, campaign, indicator, form, stale.current, fragment)
    message = _("Saved at %(time)s.") % {"time": time_format(timezone.localtime(saved.updated_at), "H:i")}
    if fragment:
        return _save_result(request, "saved", message, revision=saved.revision)
    messages.success(request, _("Indicator %(code)s: %(message)s") % {"code": indicator.code, "message": message})
    return redirect(_indicator_url(campaign, indicator))


def _conflict(request, campaign, indicator, form, theirs, fragment):
    """409 with both versions. Nothing is overwritten; the form now carries their revision, so that saving again
    after merging is a deliberate choice."""
    benchmark = campaign.cycle.benchmark
    conflict = Conflict(
        theirs=theirs,
        theirs_level=_level_text(benchmark, theirs.level),
        yours_level=_level_text(benchmark, form.cleaned_data["level"]),
        yours_justification=form.cleaned_data["justification"],
    )
    message = _("Not saved: someone else saved this indicator in the meantime. Compare the two versions.")
    if fragment:
        return _save_result(request, "conflict", message, revision=theirs.revision, conflict=conflict, status=409)
    data = request.POST.copy()
    data[form.add_prefix("revision")] = str(theirs.revision)
    form = IndicatorForm(benchmark, indicator, data)
    return _principle_page(
        request,
        campaign,
        indicator.principle,
        forms={indicator.pk: form},
        conflicts={indicator.pk: conflict},
        status=409,
    )


@login_required
@require_POST
def evidence_add(request, pk, indicator):
    campaign = campaign_for(request, pk, EDIT)
    indicator = _indicator(campaign, indicator)
    form = EvidenceForm(indicator, request.POST, request.FILES)
    if not form.is_valid():
        return _principle_page(request, campaign, indicator.principle, evidence_forms={indicator.pk: form}, status=400)
    evidence = assessment.add_evidence(campaign, indicator, user=request.user, **form.cleaned_data)
    messages.success(request, _("The evidence “%(title)s” has been added.") % {"title": evidence.title})
    return redirect(_indicator_url(campaign, indicator))


@login_required
@require_POST
def evidence_delete(request, pk, evidence):
    campaign = campaign_for(request, pk, EDIT)
    evidence = get_object_or_404(
        Evidence.objects.select_related("assessment__indicator__principle"), pk=evidence, assessment__campaign=campaign
    )
    assessment.delete_evidence(evidence)
    messages.success(request, _("The evidence “%(title)s” has been removed.") % {"title": evidence.title})
    return redirect(_indicator_url(campaign, evidence.assessment.indicator))


@login_required
def evidence_file(request, pk, evidence):
    """An evidence file, to those who may read the self-assessment (the media folder is not public)."""
    campaign = campaign_for(request, pk, VIEW)
    evidence = get_object_or_404(Evidence, pk=evidence, assessment__campaign=campaign)
    if not evidence.file:
        raise Http404
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=Path(evidence.file.name).name)


# --- Evaluation and decision ---------------------------------------------------------------------------------


@login_required
def evaluation(request, pk):
    """Every indicator with the team's level, justification and evidence; the committee may set another level."""
    campaign = campaign_for(request, pk, VIEW)
    benchmark = campaign.cycle.benchmark
    may_adjust = request.user.has_perm("governance.adjust_level", campaign)
    bound = {}
    if request.method == "POST":
        if not may_adjust:
            raise PermissionDenied
        indicator, form = _adjust(request, campaign)
        if form is None:
            return redirect(reverse("governance:evaluation", args=[campaign.pk]) + f"#indicator-{indicator.pk}")
        bound = {indicator.pk: form}
    sheet = assessment.campaign_sheet(campaign)
    for _principle, entries in sheet:
        for entry in entries:
            current = entry.assessment
            if current is not None:
                entry.level_text = _level_text(benchmark, current.level)
                entry.adjusted_level_text = _level_text(benchmark, current.adjusted_level)
                if may_adjust:
                    entry.form = bound.get(entry.indicator.pk) or AdjustmentForm(
                        benchmark, entry.indicator, current=current
                    )
    context = {"campaign": campaign, "sheet": sheet, "may_adjust": may_adjust}
    return render(request, "governance/assessment/evaluation.html", context, status=400 if bound else 200)


def _adjust(request, campaign) -> tuple[Indicator, AdjustmentForm | None]:
    """Set or clear the committee's level for the posted indicator; the form with its errors when refused."""
    indicator = _indicator(campaign, request.POST.get("indicator", ""))
    current = get_object_or_404(IndicatorAssessment, campaign=campaign, indicator=indicator)
    current.campaign = campaign
    form = AdjustmentForm(campaign.cycle.benchmark, indicator, request.POST)
    try:
        if "clear" in request.POST:
            committee.clear_adjustment(current, request.user)
            messages.success(request, _("Indicator %(code)s is back at the team's level.") % {"code": indicator.code})
            return indicator, None
        if form.is_valid():
            committee.adjust(current, form.cleaned_data["level"], form.cleaned_data["reason"], request.user)
            messages.success(request, _("The committee's level for %(code)s is saved.") % {"code": indicator.code})
            return indicator, None
    except committee.EvaluationError as error:
        form.add_error(None, str(error))
    return indicator, form


@login_required
def decision(request, pk):
    """The committee's decision, with the platform's rules met and not met before its eyes."""
    campaign = campaign_for(request, pk, "governance.decide")
    results = scoring.results_for(campaign)
    years = campaign.cycle.label_validity_years
    form = DecisionForm(request.POST or None, eligible=results.eligible, validity_years=years)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            committee.decide(campaign, data["decision"], data["minutes"], request.user, data.get("valid_from"))
        except committee.EvaluationError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("The decision “%(decision)s” is recorded.") % {"decision": campaign.get_decision_display()}
            )
            return redirect(campaign)
    today = timezone.localdate()
    context = {
        "campaign": campaign,
        "form": form,
        "results": results,
        "label_period": committee.label_period(campaign, today),
    }
    return render(request, "governance/assessment/decision.html", context, status=400 if form.errors else 200)


def certificate(request, pk):
    """Public for a label or a recognition; no certificate exists for anything else."""
    campaign = get_object_or_404(
        Campaign.objects.select_related("cycle__platform", "municipality"), pk=pk, decision__in=committee.AWARDS
    )
    response = HttpResponse(certificates.render(campaign), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificates.number(campaign)}.pdf"'
    return response


urlpatterns = [
    path("campaigns/<int:pk>/self-assessment/", self_assessment, name="self_assessment"),
    path("campaigns/<int:pk>/self-assessment/submit/", self_assessment_submit, name="self_assessment_submit"),
    path(
        "campaigns/<int:pk>/self-assessment/<int:number>/", self_assessment_principle, name="self_assessment_principle"
    ),
    path("campaigns/<int:pk>/self-assessment/indicators/<int:indicator>/", indicator_save, name="indicator_save"),
    path("campaigns/<int:pk>/self-assessment/indicators/<int:indicator>/evidence/", evidence_add, name="evidence_add"),
    path("campaigns/<int:pk>/self-assessment/evidence/<int:evidence>/", evidence_file, name="evidence_file"),
    path("campaigns/<int:pk>/self-assessment/evidence/<int:evidence>/delete/", evidence_delete, name="evidence_delete"),
    path("campaigns/<int:pk>/evaluation/", evaluation, name="evaluation"),
    path("campaigns/<int:pk>/decision/", decision, name="decision"),
    path("campaigns/<int:pk>/certificate.pdf", certificate, name="certificate"),
]
