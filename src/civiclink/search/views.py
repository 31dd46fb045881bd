"""The search page, `/<language>/search/?q=...` (the header's search box), and `&type=<kind>` for all results of
one kind, page by page.

Results are the same for everyone (search/caching.py): anonymous visitors share whole pages (core/pagecache.py),
signed-in ones the rendered results below their own header. Only searches that run count against an anonymous
visitor's rate limit (per address, generous), so that a popular query served from the cache costs nobody anything.
"""

from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import get_language

from civiclink.core.pagecache import cached_page
from civiclink.core.ratelimit import over_limit
from civiclink.search import caching, registry
from civiclink.search.forms import SearchForm
from civiclink.search.query import CANDIDATES, search

RATE_SCOPE = "search"


class _Limited(Exception):
    """An anonymous visitor's search past the rate limit."""


def results(request):
    if request.user.is_authenticated:
        return _page(request)
    return cached_page(request, lambda: _page(request), caching.index_version())


def _page(request):
    form = SearchForm(request.GET)
    context = {"form": form, "query": "", "kind": None}
    if form.is_valid() and (query := form.cleaned_data["q"].strip()):
        kind = registry.get(form.cleaned_data["type"])
        context |= {"query": query, "kind": kind}

        def render_results():
            limit = settings.SEARCH_RATE_LIMIT
            if not request.user.is_authenticated and over_limit(request, RATE_SCOPE, limit):
                raise _Limited
            key = kind.key if kind else ""
            found = search(request.user, query, get_language(), kind=key, page=_page_number(request))
            shown = {"query": query, "kind": kind, "results": found, "candidates": CANDIDATES}
            return render_to_string("search/_results.html", shown, request)

        try:
            context["results"] = caching.shared(request, render_results)
        except _Limited:
            return render(request, "search/results.html", context | {"limited": True}, status=429)
    return render(request, "search/results.html", context)


def _page_number(request) -> int:
    page = request.GET.get("page", "")
    return int(page) if page.isdigit() and 0 < int(page) < 10_000 else 1
