import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiclink.core.pagecache import anonymous_page_cache
from civiclink.core.permissions import permission_required
from civiclink.places import membership, network, queries
from civiclink.places.forms import (
    AddMemberForm,
    MunicipalityForm,
    OrganisationFilterForm,
    OrganisationForm,
    SignStatementForm,
)
from civiclink.places.models import (
    Coalition,
    CoalitionMembership,
    JointStatement,
    Municipality,
    Organisation,
    OrganisationMembership,
    StatementSignature,
)
from civiclink.places.registration import DuplicateRegistration, register_organisation, verify_organisation
from civiclink.places.rules import admin_organisation_ids


@anonymous_page_cache
def municipality_list(request):
    return render(request, "places/municipality_list.html", {"municipalities": queries.municipalities()})


def municipality_detail(request, slug):
    municipality = get_object_or_404(Municipality, slug=slug)
    context = {
        "municipality": municipality,
        "communities": municipality.communities.order_by("name"),
        "organisations": queries.organisations_in(municipality),
        "processes": municipality.processes.filter(published=True).order_by("-created_at"),
        "may_change": request.user.has_perm("places.change_municipality", municipality),
    }
    return render(request, "places/municipality_detail.html", context)


def _object_for(request, model, permission, **lookup):
    """The object, if the user holds `permission` on it; the 403 page otherwise."""
    obj = get_object_or_404(model, **lookup)
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied
    return obj


def _edit_profile(request, instance, form_class, template: str, context_name: str):
    form = form_class(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The changes have been saved."))
        return redirect(instance)
    return render(request, template, {"form": form, context_name: instance})


@login_required
def municipality_edit(request, slug):
    municipality = _object_for(request, Municipality, "places.change_municipality", slug=slug)
    return _edit_profile(request, municipality, MunicipalityForm, "places/municipality_form.html", "municipality")


@anonymous_page_cache
def organisation_list(request):
    form = OrganisationFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    organisations = queries.organisation_directory(**{k: v for k, v in filters.items() if v})
    page = Paginator(organisations, settings.CIVICLINK_PAGE_SIZE).get_page(request.GET.get("page"))
    template = (
        "places/_organisation_results.html" if request.headers.get("HX-Request") else "places/organisation_list.html"
    )
    return render(request, template, {"form": form, "page": page})


def organisation_detail(request, slug):
    organisation = get_object_or_404(
        Organisation.objects.select_related("municipality", "network_membership").prefetch_related("sectors"), slug=slug
    )
    if not request.user.has_perm("places.view_organisation", organisation):
        raise Http404  # an organisation waiting for verification is not public, not even its existence
    context = {
        "organisation": organisation,
        "coalitions": organisation.coalitions.order_by("name"),
        "may_change": request.user.has_perm("places.change_organisation", organisation),
        "may_verify": request.user.has_perm("places.verify_organisation", organisation) and not organisation.verified,
        "may_join_network": request.user.has_perm("places.join_network", organisation)
        and not organisation.is_network_member,
    }
    return render(request, "places/organisation_detail.html", context)


@permission_required("places.add_organisation")
def organisation_register(request):
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = register_organisation(form, request.user)
        except DuplicateRegistration:
            form.add_error("registration_number", OrganisationForm.Meta.error_messages["registration_number"]["unique"])
        else:
            messages.success(
                request,
                _("Thank you. %(name)s is registered and will be listed once our staff have verified it.")
                % {"name": organisation.legal_name},
            )
            return redirect(organisation)
    return render(request, "places/organisation_form.html", {"form": form, "registering": True})


def _organisation_for(request, slug, permission):
    return _object_for(request, Organisation, permission, slug=slug)


@login_required
def organisation_edit(request, slug):
    organisation = _organisation_for(request, slug, "places.change_organisation")
    return _edit_profile(request, organisation, OrganisationForm, "places/organisation_form.html", "organisation")


@login_required
def organisation_members(request, slug):
    """Administrators add people by e-mail, change their role or remove them."""
    organisation = _organisation_for(request, slug, "places.manage_organisation_members")
    form = AddMemberForm(organisation, request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "add" and form.is_valid():
            membership.add_member(organisation, form.user, form.cleaned_data["role"])
            messages.success(request, _("%(person)s has been added.") % {"person": form.user.display_name})
            return redirect("places:organisation_members", organisation.slug)
        if action in {"role", "remove"}:
            target = get_object_or_404(organisation.memberships, pk=request.POST.get("membership"))
            try:
                if action == "role" and request.POST.get("role") in OrganisationMembership.Role.values:
                    membership.change_role(target, request.POST["role"])
                elif action == "remove":
                    membership.remove_member(target)
            except membership.LastAdministrator:
                messages.error(request, _("The organisation must keep at least one administrator."))
            else:
                messages.success(request, _("The membership has been updated."))
            return redirect("places:organisation_members", organisation.slug)
    context = {
        "organisation": organisation,
        "memberships": organisation.memberships.select_related("user").order_by("role", "user__email"),
        "roles": OrganisationMembership.Role.choices,
        "form": form,
    }
    return render(request, "places/organisation_members.html", context)


@require_POST
@login_required
def organisation_verify(request, slug):
    organisation = _organisation_for(request, slug, "places.verify_organisation")
    verify_organisation(organisation)
    messages.success(request, _("%(name)s is now verified and listed in the directory.") % {"name": organisation})
    return redirect(organisation)


@require_POST
@login_required
def network_join(request, slug):
    organisation = _organisation_for(request, slug, "places.join_network")
    network.join_network(organisation, request.user)
    messages.success(request, _("%(name)s has joined the CSO network.") % {"name": organisation})
    return redirect(organisation)


def network_overview(request):
    context = {"members": queries.network_members(), "coalitions": queries.coalitions()}
    return render(request, "places/network.html", context)


def coalition_detail(request, slug):
    coalition = get_object_or_404(Coalition, slug=slug)
    context = {
        "coalition": coalition,
        "memberships": coalition.memberships.select_related("organisation__municipality").order_by(
            "organisation__legal_name"
        ),
        "statements": coalition.statements.all(),
    }
    return render(request, "places/coalition_detail.html", context)


def statement_detail(request, coalition_slug, slug):
    statement = get_object_or_404(
        JointStatement.objects.select_related("coalition").prefetch_related(
            Prefetch("signatures", queryset=StatementSignature.objects.select_related("organisation"))
        ),
        coalition__slug=coalition_slug,
        slug=slug,
    )
    form = None
    # The rule itself, not user.has_perm: Django grants superusers everything, but they sign for no organisation.
    if rules.has_perm("places.sign_statement", request.user, statement):
        signable = network.organisations_that_may_sign(statement, admin_organisation_ids(request.user))
        form = SignStatementForm(signable, request.POST or None)
        if request.method == "POST" and form.is_valid():
            network.sign_statement(statement, form.cleaned_data["organisation"], request.user)
            messages.success(request, _("Thank you: your organisation has co-signed this statement."))
            return redirect(statement)
    elif request.method == "POST":
        raise PermissionDenied
    member_count = CoalitionMembership.objects.filter(coalition=statement.coalition).count()
    return render(
        request, "places/statement_detail.html", {"statement": statement, "form": form, "member_count": member_count}
    )
