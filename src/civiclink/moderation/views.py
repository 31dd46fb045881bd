"""Moderation pages: anyone reports a contribution; moderators (everything) and municipal officers (their own
municipality's contributions) work through the queue, hide or restore with a reason, and moderators block accounts.

Contributions are addressed as "app_label.model/pk" and must be registered in `civiclink.moderation.registry`.
"""

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from civiclink.accounts.rules import is_moderator
from civiclink.core import ratelimit
from civiclink.moderation import actions, registry
from civiclink.moderation.forms import ReasonForm, ReportForm
from civiclink.moderation.models import Block, Decision, Report, Visibility
from civiclink.places.rules import officer_municipality_ids

QUEUE_SIZE = 100  # items of each kind on the queue page, most reported first


def _see_other(url: str) -> HttpResponseRedirect:
    """The redirect after a successful POST (303: the browser follows it with GET)."""
    response = HttpResponseRedirect(url)
    response.status_code = 303
    return response


def _contribution(app_label: str, model: str, pk: int):
    """The registered kind and the contribution, with its author and municipality; 404 for anything else."""
    entry = registry.by_key(f"{app_label}.{model}")
    if entry is None:
        raise Http404("This cannot be reported.")
    related = [entry.author, *([entry.municipality] if entry.municipality else [])]
    return entry, get_object_or_404(entry.model._default_manager.select_related(*related), pk=pk)


def _follow(obj, lookup: str | None):
    """The object at the end of a lookup such as "process__municipality" (already selected), or None."""
    if not lookup:
        return None
    for part in lookup.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _public(contribution) -> bool:
    """Whether the contribution exists for the public: not deleted, and its process (if any) is published."""
    process = getattr(contribution, "process", None)
    return getattr(contribution, "deleted_at", None) is None and getattr(process, "published", True)


def _page_of(contribution) -> str:
    """The public page that shows the contribution (a comment: the page of what it comments on)."""
    for candidate in (contribution, getattr(contribution, "target", None)):
        if hasattr(candidate, "get_absolute_url"):
            return candidate.get_absolute_url()
    return "/"


def _next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(candidate, {request.get_host()}, require_https=request.is_secure())
    return candidate if allowed else ""


# --- Reporting ----------------------------------------------------------------------------------------------------


@never_cache  # the form carries a CSRF token
def report(request, app_label, model, pk):
    entry, contribution = _contribution(app_label, model, pk)
    if not _public(contribution):
        raise Http404("No such contribution.")
    if not rules.has_perm("moderation.report", request.user, contribution):
        raise PermissionDenied
    next_url = _next(request)
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 200
    hidden = contribution.visibility != Visibility.VISIBLE
    if request.method == "POST" and not hidden:
        if not form.is_valid():
            status = 400
        elif not request.user.is_authenticated and ratelimit.over_limit(
            request, "moderation-report", settings.MODERATION_ANONYMOUS_RATE_LIMIT
        ):
            form.add_error(None, _("Many reports were sent from your network in a short time. Please try again later."))
            status = 429
        else:
            try:
                actions.report(
                    contribution,
                    user=request.user,
                    address_key=ratelimit.client_key(request),
                    reason=form.cleaned_data["reason"],
                    details=form.cleaned_data["details"],
                )
            except actions.AlreadyReported as error:
                messages.info(request, error.message)
            else:
                messages.success(request, _("Thank you for your report. The moderators will look at it."))
            return _see_other(next_url or _page_of(contribution))
    context = {
        "entry": entry,
        "contribution": contribution,
        "hidden": hidden,
        "form": form,
        "next": next_url,
        "back": next_url or _page_of(contribution),
        "threshold": settings.MODERATION_REPORT_THRESHOLD,
    }
    return render(request, "moderation/report.html", context, status=status)


# --- The queue ----------------------------------------------------------------------------------------------------


def _in_reach(entry, queryset, user):
    """Moderators see everything; officers their municipalities' contributions."""
    if is_moderator(user):
        return queryset
    if entry.municipality is None:
        return queryset.none()
    return queryset.filter(**{f"{entry.municipality}__in": officer_municipality_ids(user)})


def _queue_section(entry, user, show: str) -> dict:
    """One kind of contribution in the queue: the items (three queries) with their open reports' reasons."""
    queryset = entry.model._default_manager.all()
    if show == "hidden":
        queryset = queryset.filter(visibility=Visibility.HIDDEN).order_by("-pk")
    else:
        pending = Q(visibility=Visibility.PENDING) | Q(visibility=Visibility.VISIBLE, report_count__gt=0)
        queryset = queryset.filter(pending).order_by("-report_count", "-pk")
    queryset = _in_reach(entry, queryset, user)
    related = [entry.author, *([entry.municipality] if entry.municipality else [])]
    items = list(queryset.select_related(*related)[:QUEUE_SIZE])
    total = len(items) if len(items) < QUEUE_SIZE else queryset.count()
    reasons = {}
    if items and show != "hidden":
        rows = (
            Report.objects.filter(
                content_type=ContentType.objects.get_for_model(entry.model),
                object_id__in=[item.pk for item in items],
                resolved=False,
            )
            .values_list("object_id", "reason")
            .annotate(count=Count("pk"))
            .order_by("object_id", "-count")
        )
        labels = dict(Report._meta.get_field("reason").choices)
        for object_id, reason, count in rows:
            reasons.setdefault(object_id, []).append((labels.get(reason, reason), count))
    for item in items:
        item.queue_reasons = reasons.get(item.pk, [])
        item.queue_author = getattr(item, entry.author, None)
        item.queue_municipality = _follow(item, entry.municipality)
    meta = entry.model._meta
    return {
        "entry": entry,
        "app_label": meta.app_label,
        "model_name": meta.model_name,
        "plural": meta.verbose_name_plural,
        "items": items,
        "total": total,
        "more": total > len(items),
    }


@login_required
def queue(request):
    if not rules.has_perm("moderation.view_queue", request.user):
        raise PermissionDenied
    show = "hidden" if request.GET.get("show") == "hidden" else "open"
    sections = [_queue_section(entry, request.user, show) for entry in registry.entries()]
    context = {
        "sections": sections,
        "show": show,
        "empty": not any(section["items"] for section in sections),
        "may_block": rules.has_perm("moderation.block_user", request.user),
        "queue_size": QUEUE_SIZE,
    }
    return render(request, "moderation/queue.html", context)


# --- One contribution ---------------------------------------------------------------------------------------------

DECISIONS = {
    "hide": (actions.hide, gettext_lazy("The contribution is hidden. Its author has been told why.")),
    "restore": (actions.restore, gettext_lazy("The contribution is visible again.")),
}


@login_required
def item(request, app_label, model, pk):
    """The contribution with its reports and history; hide, restore, or block its author, each with a reason."""
    entry, contribution = _contribution(app_label, model, pk)
    if not rules.has_perm("moderation.moderate", request.user, contribution):
        raise PermissionDenied
    author = getattr(contribution, entry.author, None)
    current_block = Block.objects.filter(user=author, lifted_at__isnull=True).first() if author else None
    may_block = author is not None and not current_block and rules.has_perm("moderation.block_user", request.user)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {
        "hide": ReasonForm(request.POST if action == "hide" else None, prefix="hide"),
        "restore": ReasonForm(
            request.POST if action == "restore" else None,
            prefix="restore",
            help_text=_("Shown in the history of this contribution."),
        ),
        "block": ReasonForm(
            request.POST if action == "block" else None,
            prefix="block",
            help_text=_("Shown to the other moderators. The person cannot contribute until they are unblocked."),
        ),
    }
    if action == "block" and not may_block:
        raise PermissionDenied
    if action in forms and forms[action].is_valid():
        reason = forms[action].cleaned_data["reason"]
        if action == "block":
            actions.block(author, moderator=request.user, reason=reason)
            messages.success(request, _("%(name)s is blocked.") % {"name": author.display_name})
        else:
            decide, done = DECISIONS[action]
            decide(contribution, moderator=request.user, reason=reason)
            messages.success(request, done)
        return _see_other(request.path)
    about = {"content_type": ContentType.objects.get_for_model(entry.model), "object_id": contribution.pk}
    context = {
        "entry": entry,
        "contribution": contribution,
        "app_label": app_label,
        "model_name": entry.model._meta.model_name,
        "author": author,
        "municipality": _follow(contribution, entry.municipality),
        "page": _page_of(contribution) if _public(contribution) else "",
        "reports": Report.objects.filter(**about).order_by("-created_at"),
        "decisions": Decision.objects.filter(**about).select_related("moderator"),
        "current_block": current_block,
        "may_block": may_block,
        "may_hide": contribution.visibility != Visibility.HIDDEN,
        "may_restore": contribution.visibility != Visibility.VISIBLE,
        "forms": forms,
    }
    return render(request, "moderation/item.html", context, status=400 if action else 200)


# --- Blocked accounts ---------------------------------------------------------------------------------------------


@login_required
def blocked(request):
    if not rules.has_perm("moderation.block_user", request.user):
        raise PermissionDenied
    blocks = Block.objects.filter(lifted_at__isnull=True).select_related("user", "blocked_by").order_by("-created_at")
    return render(request, "moderation/blocked.html", {"blocks": blocks})


@require_POST
@login_required
def unblock(request, pk):
    if not rules.has_perm("moderation.block_user", request.user):
        raise PermissionDenied
    block = get_object_or_404(Block.objects.select_related("user"), pk=pk, lifted_at__isnull=True)
    actions.unblock(block.user)
    messages.success(request, _("%(name)s can contribute again.") % {"name": block.user.display_name})
    return _see_other(reverse("moderation:blocked"))
