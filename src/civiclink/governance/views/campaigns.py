"""The benchmark's public front: cycles and campaigns, the catalogue of a benchmark, a campaign's dashboard and
its team."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from civiclink.core.permissions import permission_required
from civiclink.governance import assessment, campaigns, catalogue
from civiclink.governance.models import (
    PHASE_ORDER,
    Benchmark,
    Campaign,
    Cycle,
    Indicator,
    Item,
    Outcome,
    Phase,
    Platform,
    TeamMember,
)
from civiclink.governance.rules import may_mentor
from civiclink.governance.views.common import campaign_for
from civiclink.places.models import Municipality


def index(request):
    """Every cycle with the municipalities taking part, newest first."""
    cycles = (
        Cycle.objects.select_related("platform", "benchmark")
        .prefetch_related(
            Prefetch(
                "campaigns", queryset=Campaign.objects.select_related("municipality").order_by("municipality__name")
            )
        )
        .order_by("-year", "name")
    )
    benchmarks = Benchmark.objects.filter(platform__isnull=True).annotate(
        indicator_count=Count("indicators", filter=Q(indicators__retired=False))
    )
    may_register = request.user.is_authenticated and (
        request.user.has_perm("governance.add_campaign") or request.user.municipal_roles.filter(role="officer").exists()
    )
    context = {"cycles": cycles, "benchmarks": benchmarks, "may_register": may_register}
    return render(request, "governance/index.html", context)


def benchmark(request, key):
    """The catalogue: principles, their outcomes and indicators, and the questionnaires."""
    benchmark = get_object_or_404(Benchmark, key=key)
    indicators = Indicator.objects.filter(retired=False).order_by("position")
    principles = benchmark.principles.prefetch_related(
        Prefetch("indicators", queryset=indicators),
        Prefetch("outcomes", queryset=Outcome.objects.order_by("position")),
        Prefetch("items", queryset=Item.objects.filter(retired=False).select_related("questionnaire")),
    )
    questionnaires = benchmark.questionnaires.annotate(
        item_count=Count("items", filter=Q(items__retired=False))
    ).order_by("audience")
    return render(
        request,
        "governance/benchmark.html",
        {"benchmark": benchmark, "principles": principles, "questionnaires": questionnaires},
    )


class AdaptForm(forms.Form):
    platform = forms.ModelChoiceField(label=gettext_lazy("For the platform"), queryset=Platform.objects.all())
    key = forms.SlugField(label=gettext_lazy("Key of the copy"), max_length=60)

    def clean_key(self):
        key = self.cleaned_data["key"]
        if Benchmark.objects.filter(key=key).exists():
            raise forms.ValidationError(_("A benchmark with this key exists already."), code="taken")
        return key


@permission_required("governance.adapt_benchmark")
def benchmark_adapt(request, key):
    """Copy a benchmark for a platform to reword, extend or retire items in; then edit it in the back office."""
    original = get_object_or_404(Benchmark, key=key)
    form = AdaptForm(request.POST or None, initial={"key": f"{original.key}-{timezone.localdate().year}"})
    if request.method == "POST" and form.is_valid():
        copy = catalogue.adapt_copy(original, form.cleaned_data["platform"], form.cleaned_data["key"])
        messages.success(request, _("The copy is ready; adapt its wording in the back office."))
        return redirect("wagtailsnippets_governance_benchmark:edit", copy.pk)
    return render(request, "governance/benchmark_adapt.html", {"benchmark": original, "form": form})


def campaign(request, pk):
    """Where a campaign stands, and what the visitor may do in it now."""
    campaign = campaign_for(request, pk, "governance.view_campaign")
    may_see_workspace = request.user.has_perm("governance.view_campaign_workspace", campaign)
    context = {
        "campaign": campaign,
        "phases": [(value, label, PHASE_ORDER.index(value)) for value, label in Phase.choices],
        "current_index": PHASE_ORDER.index(campaign.phase),
        "next_phase": campaigns.next_phase(campaign),
        "may_see_workspace": may_see_workspace,
        "team": campaign.team_members.select_related("user").order_by("role", "user__email")
        if may_see_workspace
        else (),
    }
    if may_see_workspace:
        context["progress"] = campaign_progress(campaign)
    return render(request, "governance/campaign.html", context)


def campaign_progress(campaign: Campaign) -> dict:
    """The self-assessment's progress and the responses per audience."""
    responses = dict(
        campaign.responses.values("audience").annotate(n=Count("pk")).order_by().values_list("audience", "n")
    )
    return {"self_assessment": assessment.progress(campaign), "responses": responses}


@require_POST
def campaign_advance(request, pk):
    campaign = campaign_for(request, pk, "governance.change_phase")
    try:
        campaigns.advance(campaign)
    except campaigns.PhaseError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The campaign moved to the phase “%(phase)s”.") % {"phase": campaign.get_phase_display()}
        )
    return redirect(campaign)


class RegistrationForm(forms.Form):
    municipality = forms.ModelChoiceField(label=gettext_lazy("Municipality"), queryset=Municipality.objects.none())

    def __init__(self, *args, user, cycle, **kwargs):
        super().__init__(*args, **kwargs)
        taken = cycle.campaigns.values("municipality")
        allowed = [m.pk for m in Municipality.objects.exclude(pk__in=taken) if user.has_perm(PERMISSION_REGISTER, m)]
        self.fields["municipality"].queryset = Municipality.objects.filter(pk__in=allowed).order_by("name")


PERMISSION_REGISTER = "governance.register_municipality"


@login_required
def cycle_register(request, pk):
    """A municipal officer registers their municipality for a cycle and becomes the team's coordinator."""
    cycle = get_object_or_404(Cycle.objects.select_related("platform", "benchmark"), pk=pk)
    if cycle.registration_closes and cycle.registration_closes < timezone.localdate():
        messages.error(request, _("Registration for this cycle has closed."))
        return redirect("governance:index")
    form = RegistrationForm(request.POST or None, user=request.user, cycle=cycle)
    if not form.fields["municipality"].queryset.exists():
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        campaign = campaigns.register(cycle, form.cleaned_data["municipality"], coordinator=request.user)
        messages.success(request, _("The municipality is registered; name the rest of the ELoGE team now."))
        return redirect("governance:campaign_team", campaign.pk)
    return render(request, "governance/cycle_register.html", {"cycle": cycle, "form": form})


class TeamMemberForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address of a registered user"))
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=TeamMember.Role.choices)

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("Nobody with this address has an account yet. Ask them to register first."), code="unknown"
            )
        self.user = user
        return email

    def clean(self):
        cleaned = super().clean()
        user = getattr(self, "user", None)
        if user and cleaned.get("role") == TeamMember.Role.MENTOR and not may_mentor(user):
            self.add_error("role", _("Only a certified ELoGE trainer can mentor a team."))
        return cleaned


def campaign_team(request, pk):
    """The municipality's ELoGE team: officers who fill in the self-assessment and the trainer who mentors them."""
    campaign = campaign_for(request, pk, "governance.manage_campaign")
    form = TeamMemberForm(request.POST if request.method == "POST" and "email" in request.POST else None)
    if request.method == "POST":
        if "remove" in request.POST:
            removed, _details = campaign.team_members.filter(pk=request.POST["remove"]).delete()
            if removed:
                messages.success(request, _("The member was removed from the team."))
            return redirect("governance:campaign_team", campaign.pk)
        if form.is_valid():
            TeamMember.objects.update_or_create(
                campaign=campaign, user=form.user, defaults={"role": form.cleaned_data["role"]}
            )
            messages.success(request, _("%(email)s is on the team.") % {"email": form.user.email})
            return redirect("governance:campaign_team", campaign.pk)
    members = campaign.team_members.select_related("user").order_by("role", "user__email")
    return render(request, "governance/campaign_team.html", {"campaign": campaign, "members": members, "form": form})


urlpatterns = [
    path("", index, name="index"),
    path("benchmarks/<slug:key>/", benchmark, name="benchmark"),
    path("benchmarks/<slug:key>/adapt/", benchmark_adapt, name="benchmark_adapt"),
    path("cycles/<int:pk>/register/", cycle_register, name="cycle_register"),
    path("campaigns/<int:pk>/", campaign, name="campaign"),
    path("campaigns/<int:pk>/advance/", campaign_advance, name="campaign_advance"),
    path("campaigns/<int:pk>/team/", campaign_team, name="campaign_team"),
]
