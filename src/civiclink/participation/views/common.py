"""What every participation view needs: the process, with what `access.check` reads, if the visitor may see it."""

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from civiclink.participation import access
from civiclink.participation.features import registry
from civiclink.participation.models import Phase, Process


def processes_with_phases():
    """Processes with their municipality, features and phases with capabilities: `access.check` then asks nothing
    more of the database (three queries for any number of processes)."""
    return Process.objects.select_related("municipality").prefetch_related(
        "features", Prefetch("phases", queryset=Phase.objects.prefetch_related("capabilities"))
    )


def process_or_404(request, slug: str) -> Process:
    """The process, if the visitor may see it (published, or managed by them); 404 otherwise, so that drafts do
    not leak their existence."""
    process = get_object_or_404(processes_with_phases(), slug=slug)
    if not rules.has_perm("participation.view_process", request.user, process):
        raise Http404("No such process.")
    return process


def process_for(request, slug: str, permission: str) -> Process:
    """`process_or_404`, and the 403 page without `permission` (asked of the rule itself, as everywhere)."""
    process = process_or_404(request, slug)
    if not rules.has_perm(permission, request.user, process):
        raise PermissionDenied
    return process


def process_using(request, slug: str, feature: str, permission: str = "") -> Process:
    """The process, if it uses `feature` and the visitor may see it (and holds `permission`); 404 otherwise."""
    process = process_for(request, slug, permission) if permission else process_or_404(request, slug)
    if not access.enabled(process, feature):
        raise Http404("This process does not use this feature.")
    return process


def with_comments(request, process: Process, target, context: dict) -> dict:
    """`context` and, where the process has comments, the comment section of `target`."""
    if access.enabled(process, "comments"):
        from civiclink.participation.views.comments import section_context

        return context | section_context(request, process, target)
    return context


def process_context(request, process: Process, tab: str) -> dict:
    """The context of the process layout (`participation/process_base.html`): tabs and what the visitor may do.
    `tab` is the URL name of the current tab, e.g. "participation:polls"."""
    return {
        "process": process,
        "tab": tab,
        "phase": process.current_phase,
        "may": access.capabilities(request.user, process),
        "tabs": [
            (feature.page, feature.tab)
            for feature in registry
            if feature.page and feature.page != "participation:process" and access.enabled(process, feature.key)
        ],
        "has_proposals": access.enabled(process, "proposals"),
        "may_manage": rules.has_perm("participation.manage_process", request.user, process),
    }


def see_other(to, *args, **kwargs):
    """The redirect after a successful POST (303: the browser follows it with GET)."""
    response = redirect(to, *args, **kwargs)
    response.status_code = 303
    return response
