"""The process dashboard: officers create and run their municipality's processes themselves (staff, every
process). The pages are generated from the feature registry; the rules live in `participation.processes`."""

import rules
from django.contrib import messages
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiclink.core.permissions import permission_required
from civiclink.participation import processes
from civiclink.participation.forms_dashboard import (
    CapabilitiesForm,
    CategoryForm,
    FeaturesForm,
    PhaseForm,
    ProcessForm,
    show_error,
)
from civiclink.participation.models import Phase, Process
from civiclink.participation.processes import ProcessError
from civiclink.participation.views.common import process_context, process_for, see_other

MANAGE = "participation.manage_process"


def _url_if_ready(name: str, *args) -> str:
    """The address of a page another part of the platform provides, or "" while it does not exist."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _render(request, process: Process, template: str, context: dict, tab: str = "participation:dashboard"):
    return render(request, f"participation/dashboard/{template}", {**process_context(request, process, tab), **context})


@permission_required("participation.add_process")
def process_new(request):
    """An officer starts a process for one of their municipalities (staff, for any); it stays a draft until
    published."""
    form = ProcessForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            process = processes.create_process(
                form.cleaned_data["municipality"],
                by=request.user,
                communities=form.cleaned_data["communities"],
                **form.values(),
            )
        except ProcessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The process is created as a draft. Choose its features and phases next."))
            return see_other("participation:process_features", process.slug)
    return render(request, "participation/dashboard/process_new.html", {"form": form})


def dashboard(request, slug):
    """What needs attention in the process, and the way to every part of running it."""
    process = process_for(request, slug, MANAGE)
    overview = processes.overview(process)
    pages = [
        (feature.tab, reverse(feature.page, args=[process.slug]), overview["counts"].get(feature.key))
        for feature in processes.enabled_features(process)
        if feature.page and feature.page != "participation:process"
    ]
    context = {
        "overview": overview,
        "feature_pages": pages,
        "moderation_url": _url_if_ready("moderation:queue"),
        "exports_url": _url_if_ready("participation:opendata_index", process.slug),
        "may_moderate": rules.has_perm("participation.moderate", request.user, process),
    }
    return _render(request, process, "dashboard.html", context)


def process_edit(request, slug):
    process = process_for(request, slug, MANAGE)
    form = ProcessForm(
        request.POST or None, request.FILES or None, instance=Process.objects.get(pk=process.pk), user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            processes.update_process(form.instance, communities=form.cleaned_data["communities"], **form.values())
        except ProcessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The process is saved."))
            return see_other("participation:dashboard", process.slug)
    return _render(request, process, "process_edit.html", {"form": form})


@require_POST
def process_publish(request, slug):
    """Publish the process, or take it back to a draft (POST `published` = "1" or "0")."""
    process = process_for(request, slug, MANAGE)
    try:
        if request.POST.get("published") == "1":
            processes.publish(process)
            messages.success(request, _("The process is published: everyone can see it now."))
        else:
            processes.unpublish(process)
            messages.success(request, _("The process is a draft again: only its managers can see it."))
    except ProcessError as error:
        messages.error(request, error.message)
    return see_other("participation:dashboard", process.slug)


def process_features(request, slug):
    """Which features the process uses, each with its settings."""
    process = process_for(request, slug, MANAGE)
    form = FeaturesForm(request.POST or None, process=process)
    if request.method == "POST" and form.is_valid():
        try:
            processes.set_features(process, form.chosen())
        except ProcessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The features are saved. Open their actions to people in the phases."))
            return see_other("participation:process_phases", process.slug)
    return _render(request, process, "features.html", {"form": form})


# --- Phases and their capabilities ------------------------------------------------------------------------------


def _phase_of(process: Process, pk: int):
    """The process's phase, from those already read with it."""
    for phase in process.phases.all():
        if phase.pk == pk:
            return phase
    raise Http404("No such phase.")


def _phases_page(request, process: Process, add_form=None, bound=None):
    """Every phase with the grid of who may do what in it, and the form to add one. `bound` is a grid posted
    with an error, shown in place of its phase's."""
    actions = processes.actions_of(process)
    phases = [
        (phase, bound if bound and bound.phase.pk == phase.pk else CapabilitiesForm(phase=phase, actions=actions))
        for phase in process.phases.all()
    ]
    context = {"phases": phases, "add_form": add_form or PhaseForm(), "has_actions": bool(actions)}
    return _render(request, process, "phases.html", context)


def _phase_values(form: PhaseForm) -> dict:
    return {name: form.cleaned_data[name] for name in ("name", "description", "starts_at", "ends_at")}


def process_phases(request, slug):
    """The phases; a POST adds one."""
    process = process_for(request, slug, MANAGE)
    if request.method != "POST":
        return _phases_page(request, process)
    form = PhaseForm(request.POST)
    if form.is_valid():
        try:
            phase = processes.add_phase(process, by=request.user, **_phase_values(form))
        except ProcessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The phase “%(phase)s” is added. Choose what it opens.") % {"phase": phase})
            return see_other(reverse("participation:process_phases", args=[process.slug]) + f"#phase-{phase.pk}")
    return _phases_page(request, process, add_form=form)


def phase_edit(request, slug, pk):
    process = process_for(request, slug, MANAGE)
    phase = _phase_of(process, pk)
    form = PhaseForm(request.POST or None, instance=phase)
    if request.method == "POST" and form.is_valid():
        try:  # on a copy: the page shown after a refusal keeps the phase as it is
            saved = processes.update_phase(
                Phase.objects.select_related("process").get(pk=phase.pk), **_phase_values(form)
            )
        except ProcessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The phase “%(phase)s” is saved.") % {"phase": saved.name})
            return see_other("participation:process_phases", process.slug)
    return _render(request, process, "phase_edit.html", {"form": form, "phase": phase})


@require_POST
def phase_delete(request, slug, pk):
    process = process_for(request, slug, MANAGE)
    phase = _phase_of(process, pk)
    processes.delete_phase(phase)
    messages.success(request, _("The phase “%(phase)s” is deleted.") % {"phase": phase.name})
    return see_other("participation:process_phases", process.slug)


@require_POST
def phase_capabilities(request, slug, pk):
    """Who may do what in one phase."""
    process = process_for(request, slug, MANAGE)
    phase = _phase_of(process, pk)
    form = CapabilitiesForm(request.POST, phase=phase, actions=processes.actions_of(process))
    if form.is_valid():
        try:
            processes.set_capabilities(phase, form.granted())
        except ProcessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("What the phase “%(phase)s” opens is saved.") % {"phase": phase.name})
            return see_other(reverse("participation:process_phases", args=[process.slug]) + f"#phase-{phase.pk}")
    return _phases_page(request, process, bound=form)


# --- Categories -----------------------------------------------------------------------------------------------


def _categories_page(request, process: Process, add_form=None, bound=None):
    categories = [
        (
            category,
            bound
            if bound and bound.instance.pk == category.pk
            else CategoryForm(instance=category, prefix=f"category-{category.pk}"),
        )
        for category in process.categories.all()
    ]
    context = {"categories": categories, "add_form": add_form or CategoryForm(prefix="new")}
    return _render(request, process, "categories.html", context)


def _category_values(form: CategoryForm) -> dict:
    return {"name": form.cleaned_data["name"], "position": form.cleaned_data["position"]}


def process_categories(request, slug):
    """The categories that proposals are filed under; a POST adds one."""
    process = process_for(request, slug, MANAGE)
    if request.method != "POST":
        return _categories_page(request, process)
    form = CategoryForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            category = processes.add_category(process, **_category_values(form))
        except ProcessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The category “%(category)s” is added.") % {"category": category.name})
            return see_other("participation:process_categories", process.slug)
    return _categories_page(request, process, add_form=form)


def _category_of(process: Process, pk: int):
    category = process.categories.filter(pk=pk).first()
    if category is None:
        raise Http404("No such category.")
    return category


@require_POST
def category_edit(request, slug, pk):
    process = process_for(request, slug, MANAGE)
    category = _category_of(process, pk)
    form = CategoryForm(request.POST, instance=category, prefix=f"category-{category.pk}")
    if form.is_valid():
        try:
            processes.update_category(category, **_category_values(form))
        except ProcessError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The category “%(category)s” is saved.") % {"category": category.name})
            return see_other("participation:process_categories", process.slug)
    return _categories_page(request, process, bound=form)


@require_POST
def category_delete(request, slug, pk):
    process = process_for(request, slug, MANAGE)
    category = _category_of(process, pk)
    processes.delete_category(category)
    messages.success(
        request, _("The category “%(category)s” is deleted; its proposals stay.") % {"category": category.name}
    )
    return see_other("participation:process_categories", process.slug)


urlpatterns = [
    path("new/", process_new, name="process_new"),
    path("<slug:slug>/manage/", dashboard, name="dashboard"),
    path("<slug:slug>/manage/edit/", process_edit, name="process_edit"),
    path("<slug:slug>/manage/publish/", process_publish, name="process_publish"),
    path("<slug:slug>/manage/features/", process_features, name="process_features"),
    path("<slug:slug>/manage/phases/", process_phases, name="process_phases"),
    path("<slug:slug>/manage/phases/<int:pk>/", phase_edit, name="phase_edit"),
    path("<slug:slug>/manage/phases/<int:pk>/delete/", phase_delete, name="phase_delete"),
    path("<slug:slug>/manage/phases/<int:pk>/capabilities/", phase_capabilities, name="phase_capabilities"),
    path("<slug:slug>/manage/categories/", process_categories, name="process_categories"),
    path("<slug:slug>/manage/categories/<int:pk>/", category_edit, name="category_edit"),
    path("<slug:slug>/manage/categories/<int:pk>/delete/", category_delete, name="category_delete"),
]
