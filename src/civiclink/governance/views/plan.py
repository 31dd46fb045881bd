"""The action plan and its public monitoring page."""

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civiclink.governance import plan, scoring
from civiclink.governance.models import Measure, MeasureUpdate
from civiclink.governance.views.common import campaign_for


class MeasureForm(forms.ModelForm):
    class Meta:
        model = Measure
        fields = [
            "principle",
            "reason",
            "title",
            "description",
            "responsible",
            "deadline",
            "success_indicator",
            "training_topic",
            "grant_topic",
        ]
        widgets = {
            "deadline": forms.DateInput(attrs={"type": "date"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["principle"].queryset = campaign.cycle.benchmark.principles.order_by("number")
        self.fields["principle"].label_from_instance = str


class ProgressForm(forms.Form):
    progress = forms.IntegerField(label=gettext_lazy("Progress (%)"), min_value=0, max_value=100)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=Measure.Status.choices)
    text = forms.CharField(label=gettext_lazy("What happened"), widget=forms.Textarea(attrs={"rows": 2}))


def action_plan(request, pk):
    """Measures per principle with their progress: the public monitoring page, and the team's workspace."""
    campaign = campaign_for(request, pk, "governance.view_action_plan")
    may_manage = request.user.has_perm("governance.manage_action_plan", campaign)
    measures = list(
        campaign.measures.select_related("principle")
        .prefetch_related(Prefetch("updates", queryset=MeasureUpdate.objects.order_by("-created_at")))
        .order_by("principle__number", "deadline", "pk")
    )
    today = timezone.localdate()
    for measure in measures:
        measure.overdue = measure.is_overdue(today)
    context = {
        "campaign": campaign,
        "measures": measures,
        "may_manage": may_manage,
        "counts": {status: sum(1 for m in measures if m.status == status) for status in Measure.Status.values},
        "overdue": sum(measure.overdue for measure in measures),
    }
    if may_manage:
        context["findings"] = plan.findings(scoring.results_for(campaign))
        context["form"] = MeasureForm(campaign=campaign)
        context["progress_form"] = ProgressForm()
    return render(request, "governance/plan/action_plan.html", context)


def _measure_form_page(request, campaign, instance=None):
    form = MeasureForm(request.POST or None, instance=instance, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        measure = form.save(commit=False)
        measure.campaign = campaign
        measure.save()
        messages.success(request, _("The measure “%(title)s” is saved.") % {"title": measure.title})
        return redirect("governance:action_plan", campaign.pk)
    return render(
        request, "governance/plan/measure_form.html", {"campaign": campaign, "form": form, "measure": instance}
    )


def measure_add(request, pk):
    campaign = campaign_for(request, pk, "governance.manage_action_plan")
    return _measure_form_page(request, campaign)


def measure_edit(request, pk, measure):
    campaign = campaign_for(request, pk, "governance.manage_action_plan")
    return _measure_form_page(request, campaign, get_object_or_404(Measure, pk=measure, campaign=campaign))


@require_POST
def measure_progress(request, pk, measure):
    campaign = campaign_for(request, pk, "governance.manage_action_plan")
    measure = get_object_or_404(Measure, pk=measure, campaign=campaign)
    form = ProgressForm(request.POST)
    if form.is_valid():
        plan.record_progress(measure, request.user, **form.cleaned_data)
        messages.success(request, _("The progress of “%(title)s” is recorded.") % {"title": measure.title})
        return redirect("governance:action_plan", campaign.pk)
    return render(
        request,
        "governance/plan/progress_form.html",
        {"campaign": campaign, "measure": measure, "form": form},
        status=400,
    )


urlpatterns = [
    path("campaigns/<int:pk>/action-plan/", action_plan, name="action_plan"),
    path("campaigns/<int:pk>/action-plan/add/", measure_add, name="measure_add"),
    path("campaigns/<int:pk>/action-plan/<int:measure>/", measure_edit, name="measure_edit"),
    path("campaigns/<int:pk>/action-plan/<int:measure>/progress/", measure_progress, name="measure_progress"),
]
