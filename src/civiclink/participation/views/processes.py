"""The public pages of processes: the list of processes, a process's page (its proposals with filters and counts,
and what the visitor may do) and its "about" page (description, level, decision step, phases and what each allows).

Anonymous visitors get these pages from the page cache (`core.pagecache`), whose version changes whenever the
data they show changes (the models below). These pages never hold a form with a CSRF token for anonymous
visitors: they show links ("Log in to support a proposal") instead. Signed-in visitors, whom no page cache serves,
get the process page's proposal list (filters, counts, cards, pagination) from a fragment cached for everyone
under the same version (`shared_list`), with only what concerns them rendered around and into it.
"""

import hashlib
import re

import rules
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template import Context
from django.template.loader import get_template, render_to_string
from django.urls import path
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from civiclink.core.pagecache import (
    PAGE_SECONDS,
    anonymous_page_cache,
    cached_page,
    expire_when_changed,
    from_cache,
    page_version,
)
from civiclink.moderation.models import Visibility
from civiclink.participation import access, following, queries, supports
from civiclink.participation.features import registry
from civiclink.participation.forms_proposals import ProcessFilterForm, ProposalFilterForm
from civiclink.participation.models import (
    Audience,
    Category,
    Comment,
    Endorsement,
    Phase,
    PhaseCapability,
    Process,
    ProcessFeature,
    Proposal,
    StateChange,
    Support,
)
from civiclink.participation.processes import municipalities_for
from civiclink.participation.views.common import process_context, process_or_404, processes_with_phases

expire_when_changed(
    Process,
    Process.communities.through,
    ProcessFeature,
    Phase,
    PhaseCapability,
    Category,
    Proposal,
    StateChange,
    Endorsement,
    Support,
    Comment,
)


def cached_for_process(request, render_page):
    """`render_page()`, from the page cache for anonymous visitors. A hit costs no query: the key is the path (which
    names the process) and the date (the random order changes daily); `render_page` finds the process and checks
    that it is public. A phase that starts or ends without any row changing shows at most `PAGE_SECONDS` late,
    and only in what the page says: every action checks the phase again."""
    return cached_page(request, render_page, timezone.localdate().isoformat())


@anonymous_page_cache
def index(request):
    form = ProcessFilterForm(request.GET or None)
    processes = (
        processes_with_phases()
        .filter(published=True)
        .annotate(proposal_count=Count("proposals", filter=Q(proposals__visibility=Visibility.VISIBLE)))
        .order_by("-created_at", "pk")
    )
    if municipality := form.chosen_municipality():
        processes = processes.filter(municipality=municipality)
    page = Paginator(processes, settings.CIVICLINK_PAGE_SIZE).get_page(request.GET.get("page"))
    drafts = Process.objects.none()
    if rules.has_perm("participation.add_process", request.user):
        drafts = Process.objects.filter(published=False, municipality__in=municipalities_for(request.user))
    context = {"form": form, "page": page, "drafts": drafts.select_related("municipality").order_by("title")}
    return render(request, "participation/index.html", context)


def process(request, slug):
    return cached_for_process(request, lambda: _process_page(request, process_or_404(request, slug)))


def _process_page(request, process: Process):
    context = process_context(request, process, "participation:process")
    context["following"] = following.is_following(request.user, process)
    if context["has_proposals"]:
        context |= proposal_list_context(request, process, context["may"])
    return render(request, "participation/process.html", context)


def proposal_list_context(request, process: Process, may: dict) -> dict:
    """The proposals with their filters and counts (one fragment shared by every visitor, see `shared_list`), with
    each card's support form for this visitor, and what the visitor may do."""
    html, supportable = shared_list(request, process)
    support_access = supports.may_support(request.user, process) if access.enabled(process, "supports") else None
    forms = {}
    if support_access:
        supported = queries.supported_ids(request.user, supportable)
        forms = support_forms(request, process, supportable, supported)
    return {
        "proposal_list": mark_safe(SUPPORT_PLACEHOLDER.sub(lambda found: forms.get(int(found[1]), ""), html)),  # noqa: S308
        "submit_access": may["proposals.submit"],
        "support_access": support_access,
        "supports_left": supports.allowance_left(process, request.user) if support_access else None,
    }


SUPPORT_PLACEHOLDER = re.compile(r"<!--support:(\d+)-->")
LIST_SECONDS = PAGE_SECONDS


def shared_list(request, process: Process) -> tuple[str, dict[int, str]]:
    """The filter form, the count, the page of proposal cards and the pagination as HTML that is the same for every
    visitor, and the {pk: title} of its cards that take supports (each marked by a `<!--support:pk-->`
    placeholder). Cached under the page version (read before the data, so that a change made meanwhile expires
    what we store), the language, the query string and the date (the random order changes daily): a hit asks
    nothing of the database. Without a shared cache (`page_version()` is None) it is rendered every time."""
    version = page_version()
    query = hashlib.sha256(request.META.get("QUERY_STRING", "").encode()).hexdigest()[:32]
    key = f"civiclink:proposal-list:{version}:{process.pk}:{get_language()}:{timezone.localdate().isoformat()}:{query}"
    if version is not None and (cached := from_cache(lambda: cache.get(key))) is not None:
        return cached
    categories = list(process.categories.all())
    communities = queries.communities_for(process)
    counts = queries.facets(process)
    form = ProposalFilterForm(request.GET, categories=categories, communities=communities, facets=counts)
    filters = form.filters()
    filtered = any(name != "sort" for name in filters)
    paginator = Paginator(queries.proposal_list(process, **filters), queries.PAGE_SIZE)
    if not filtered:
        paginator.count = counts.total  # known already: no COUNT(*) for the page most visitors see
    page = paginator.get_page(request.GET.get("page"))
    context = {
        "request": request,  # for the pagination links; a plain context: no context processor, no CSRF token
        "process": process,
        "filter_form": form,
        "filtered": filtered,
        "page": page,
        "supportable_states": supports.SUPPORTABLE,
    }
    html = render_to_string("participation/proposals/_list.html", context)
    supportable = {proposal.pk: proposal.title for proposal in page.object_list if supports.supportable(proposal)}
    if version is not None:
        from_cache(lambda: cache.set(key, (html, supportable), LIST_SECONDS))
    return html, supportable


def support_forms(request, process: Process, titles: dict[int, str], supported: set[int]) -> dict[int, str]:
    """This visitor's support (or withdraw) form for each card of the shared list, with their CSRF token. One
    template rendered in a plain context: no context processors run 20 times."""
    template = get_template("participation/proposals/_support_form.html").template
    context = Context({"request": request, "process": process, "anchor": True, "csrf_token": get_token(request)})
    forms = {}
    for pk, title in titles.items():
        with context.push(proposal={"pk": pk, "title": title}, supports_it=pk in supported):
            forms[pk] = template.render(context)
    return forms


def about(request, slug):
    return cached_for_process(request, lambda: _about_page(request, process_or_404(request, slug)))


def _about_page(request, process: Process):
    audiences = dict(Audience.choices)
    phases = [
        {
            "phase": phase,
            "current": phase == process.current_phase,
            "allows": [
                (registry[capability.feature].action(capability.action).label, audiences[capability.audience])
                for capability in phase.capabilities.all()
                if capability.feature in registry and access.enabled(process, capability.feature)
            ],
        }
        for phase in process.phases.all()
    ]
    features = [feature for feature in registry if access.enabled(process, feature.key)]
    context = process_context(request, process, "participation:about") | {"phases": phases, "features": features}
    return render(request, "participation/about.html", context)


urlpatterns = [
    path("", index, name="index"),
    path("<slug:slug>/", process, name="process"),
    path("<slug:slug>/about/", about, name="about"),
]
