"""Becoming a verified resident: a citizen enters the code delivered on paper; officers verify people they have
checked, withdraw residencies, and print batches of codes. The rules live in `participation.residency`."""

import rules
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from civiclink.core import ratelimit
from civiclink.participation import residency
from civiclink.participation.models import Residency
from civiclink.participation.residency import MAX_CODES_PER_BATCH, ResidencyError
from civiclink.participation.views.common import see_other
from civiclink.places.models import Municipality

# Codes are guessed one attempt at a time: a person has few to make, an attacker many.
CODE_ATTEMPTS_PER_USER = "10/h"
CODE_ATTEMPTS_PER_ADDRESS = "30/h"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Your resident code"),
        max_length=20,
        help_text=gettext_lazy("Eight letters and digits, as printed on the paper, for example ABCD-2345."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "class": "code-input"}
        ),
    )


class VerifyForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address of the person's account"),
        help_text=gettext_lazy("Verify only people whose residence you have checked, for example against an ID card."),
    )


class CodesForm(forms.Form):
    count = forms.IntegerField(
        label=gettext_lazy("How many codes"), min_value=1, max_value=MAX_CODES_PER_BATCH, initial=100
    )
    batch = forms.CharField(
        label=gettext_lazy("Name of the batch"),
        max_length=60,
        required=False,
        help_text=gettext_lazy("So that you know later where the codes went, for example “Local community Centar”."),
    )


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if allowed else ""


@never_cache
@login_required
def enter_code(request, municipality):
    """A signed-in person enters the resident code they received on paper."""
    municipality = get_object_or_404(Municipality, slug=municipality)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if ratelimit.hit("residency-code", f"user:{request.user.pk}", CODE_ATTEMPTS_PER_USER) or ratelimit.over_limit(
            request, "residency-code", CODE_ATTEMPTS_PER_ADDRESS
        ):
            form.add_error("code", _("Too many attempts. Wait an hour, then try again."))
        else:
            try:
                residency.redeem(request.user, form.cleaned_data["code"], municipality)
            except ResidencyError as error:
                form.add_error("code", str(error))
            else:
                messages.success(
                    request,
                    _("You are now a verified resident of %(municipality)s.")
                    % {"municipality": municipality.display_name},
                )
                return see_other(_safe_next(request) or reverse("participation:residency", args=[municipality.slug]))
    context = {
        "municipality": municipality,
        "form": form,
        "next": _safe_next(request),
        "is_resident": Residency.objects.filter(user=request.user, municipality=municipality).exists(),
    }
    return render(request, "participation/residency/enter_code.html", context)


def _municipality_for_officer(request, slug: str) -> Municipality:
    municipality = get_object_or_404(Municipality, slug=slug)
    if not rules.has_perm("participation.verify_residents", request.user, municipality):
        raise PermissionDenied
    return municipality


@never_cache
@login_required
def residents(request, municipality):
    """Verify a person by their address, see who is verified, withdraw a residency."""
    municipality = _municipality_for_officer(request, municipality)
    form = VerifyForm(request.POST if "email" in request.POST else None)
    if request.method == "POST" and "revoke" in request.POST:
        if residency.revoke(municipality, _int(request.POST["revoke"])):
            messages.success(request, _("The residency is withdrawn."))
        return see_other("participation:residents", municipality.slug)
    if request.method == "POST" and form.is_valid():
        try:
            verified = residency.verify_by_officer(form.cleaned_data["email"], municipality, request.user)
        except ResidencyError as error:
            form.add_error("email", str(error))
        else:
            messages.success(
                request,
                _("%(email)s is a verified resident of %(municipality)s.")
                % {"email": verified.user.email, "municipality": municipality.display_name},
            )
            return see_other("participation:residents", municipality.slug)
    listed = municipality.residents.select_related("user", "verified_by").order_by("-verified_at", "-pk")
    page = Paginator(listed, settings.CIVICLINK_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"municipality": municipality, "form": form, "page": page}
    return render(request, "participation/residency/residents.html", context)


def _int(value: str) -> int:
    return int(value) if value.isdigit() else 0


@never_cache  # the new codes exist nowhere else
@login_required
def resident_codes(request, municipality):
    """Print a batch of one-time codes, shown once on a page to print."""
    municipality = _municipality_for_officer(request, municipality)
    form = CodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = residency.issue_codes(municipality, form.cleaned_data["count"], form.cleaned_data["batch"])
        address = request.build_absolute_uri(reverse("participation:residency", args=[municipality.slug]))
        context = {
            "municipality": municipality,
            "codes": codes,
            "batch": form.cleaned_data["batch"],
            "address": address.split("://", 1)[-1],
        }
        return render(request, "participation/residency/codes_print.html", context)
    context = {"municipality": municipality, "form": form, "counts": residency.code_counts(municipality)}
    return render(request, "participation/residency/codes.html", context)


urlpatterns = [
    path("residency/<slug:municipality>/", enter_code, name="residency"),
    path("residency/<slug:municipality>/manage/", residents, name="residents"),
    path("residency/<slug:municipality>/codes/", resident_codes, name="resident_codes"),
]
