"""Results of a campaign (chart, table, rules, exports, printable report), its publication, and the public
comparison of municipalities within a cycle and of one municipality across cycles."""

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from civiclink.core.pagecache import cached_page
from civiclink.governance import charts, comparison, exports, reports, scoring
from civiclink.governance.models import Cycle, Source
from civiclink.governance.views.common import campaign_for
from civiclink.places.models import Municipality

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def results(request, pk):
    """Served from the page cache to anonymous visitors until the next answer (`scoring.forget`)."""
    campaign = campaign_for(request, pk, "governance.view_results")
    return cached_page(request, lambda: _results_page(request, campaign), "results", scoring.version(campaign.pk))


def _results_page(request, campaign):
    outcome = scoring.results_for(campaign)
    numbers = [str(result.number) for result in outcome.principles]
    chart = charts.radar_svg(
        numbers,
        charts.source_series(outcome),
        _("Scores of the 12 principles by source"),
        _(
            "Radar chart: each spoke is a principle, numbered 1 to 12, scored from 0 at the centre to 100 at the "
            "edge; one line for each source and one for the combined score. The table gives the same numbers."
        ),
    )
    context = {
        "campaign": campaign,
        "results": outcome,
        "sources": list(Source),
        "chart": chart,
        "may_export_responses": request.user.has_perm("governance.export_responses", campaign),
        "may_publish": request.user.has_perm("governance.publish_results", campaign),
    }
    return render(request, "governance/results/results.html", context)


def _download(response: HttpResponse | StreamingHttpResponse, name: str) -> HttpResponse | StreamingHttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _export(campaign, what: str, fmt: str):
    if fmt not in CONTENT_TYPES:
        raise Http404
    name = exports.filename(campaign, what, fmt)
    if fmt == "xlsx":
        return _download(HttpResponse(exports.xlsx_export(campaign, what), content_type=CONTENT_TYPES[fmt]), name)
    chunks = exports.export_chunks(campaign, what, fmt)
    if fmt == "csv":
        chunks = _with_bom(chunks)
    return _download(StreamingHttpResponse(chunks, content_type=CONTENT_TYPES[fmt]), name)


def _with_bom(chunks):
    """A byte-order mark first, so that spreadsheet programs read the CSV as UTF-8 (č, ć, đ, Cyrillic)."""
    yield "\ufeff"
    yield from chunks


def results_export(request, pk, fmt):
    return _export(campaign_for(request, pk, "governance.view_results"), "results", fmt)


def responses_export(request, pk, fmt):
    """Anonymised responses: for the team's officers, the committee and overseers only."""
    return _export(campaign_for(request, pk, "governance.export_responses"), "responses", fmt)


def report(request, pk):
    campaign = campaign_for(request, pk, "governance.view_results")
    document = reports.report_pdf(scoring.results_for(campaign), timezone.localdate())
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{exports.filename(campaign, "report", "pdf")}"'
    return response


@require_POST
def results_publish(request, pk):
    """The municipality's consent to show its results to everyone and in the comparison, or its withdrawal."""
    campaign = campaign_for(request, pk, "governance.publish_results")
    public = request.POST.get("public") == "1"
    campaign.results_public = public
    campaign.save(update_fields=["results_public"])
    if public:
        messages.success(request, _("The results are published: everyone can see them and compare them."))
    else:
        messages.success(request, _("The results are no longer public."))
    return redirect("governance:results", campaign.pk)


SORT_DIRECTIONS = ("asc", "desc")


def _first_order(key: str) -> str:
    """Names sort A to Z first, scores highest first."""
    return "asc" if key == "municipality" else "desc"


def compare(request, pk):
    """Published results of every municipality in a cycle, sortable by any column with a query parameter."""
    cycle = get_object_or_404(Cycle.objects.select_related("benchmark", "platform"), pk=pk)
    sort = request.GET.get("sort", "municipality")
    order = request.GET.get("order", _first_order(sort))
    if order not in SORT_DIRECTIONS:
        order = "asc"
    rows = comparison.sorted_scores(comparison.cycle_scores(cycle), sort, order == "desc")
    principles = list(cycle.benchmark.principles.order_by("number"))
    chart = None
    if rows:
        description = _(
            "Bar chart of the overall scores from 0 to 100, in the order of the table; the dashed line is the "
            "cycle's overall threshold of %(threshold)s."
        ) % {"threshold": cycle.overall_threshold}
        chart = charts.bar_svg(
            [row.campaign.municipality.display_name for row in rows],
            [row.overall for row in rows],
            _("Overall score by municipality"),
            description,
            reference=(cycle.overall_threshold, _("threshold")),
        )
    columns = [("municipality", _("Municipality"), ""), ("overall", _("Overall"), "")]
    columns += [(f"p{principle.number}", str(principle.number), _("Principle")) for principle in principles]
    context = {
        "cycle": cycle,
        "rows": [(row, [row.principles.get(principle.number) for principle in principles]) for row in rows],
        "principles": principles,
        "headers": [_sort_header(key, label, prefix, sort, order) for key, label, prefix in columns],
        "chart": chart,
    }
    return render(request, "governance/results/compare.html", context)


def _sort_header(key: str, label: str, hidden_prefix: str, sort: str, order: str) -> dict:
    """A column heading: its link sorts by it (flipping the direction when it is the current column);
    `hidden_prefix` is read out by screen readers before a short label ("Principle" 3)."""
    current = key == sort
    next_order = {"asc": "desc", "desc": "asc"}[order] if current else _first_order(key)
    return {
        "key": key,
        "label": label,
        "hidden_prefix": hidden_prefix,
        "query": f"?sort={key}&order={next_order}",
        "aria_sort": ("ascending" if order == "asc" else "descending") if current else None,
    }


def trend(request, slug):
    """One municipality's published results across cycles, principles numbered as in the newest benchmark."""
    municipality = get_object_or_404(Municipality, slug=slug)
    found = comparison.trend(municipality)
    categories = [str(row.campaign.cycle.year) for row in found.scores]
    table = found.table()
    context = {"municipality": municipality, "trend": found, "table": table}
    if found.scores:
        context["chart"] = charts.line_svg(
            categories,
            [charts.styled("overall", _("Overall score"), [row.overall for row in found.scores])],
            _("Overall score by cycle"),
            _("Line chart of the overall score from 0 to 100 in each cycle, oldest first."),
            legend=False,
        )
        context["small_charts"] = [
            (
                principle,
                charts.line_svg(
                    categories,
                    [charts.styled("principle", principle.localised("name"), scores)],
                    str(principle),
                    _("Line chart of this principle's combined score from 0 to 100 in each cycle, oldest first."),
                    width=260,
                    height=150,
                    legend=False,
                ),
            )
            for principle, scores in table
        ]
    return render(request, "governance/results/trend.html", context)


urlpatterns = [
    path("campaigns/<int:pk>/results/", results, name="results"),
    path("campaigns/<int:pk>/results/publish/", results_publish, name="results_publish"),
    path("campaigns/<int:pk>/results.<str:fmt>", results_export, name="results_export"),
    path("campaigns/<int:pk>/responses.<str:fmt>", responses_export, name="responses_export"),
    path("campaigns/<int:pk>/report.pdf", report, name="report"),
    path("cycles/<int:pk>/compare/", compare, name="compare"),
    path("municipalities/<slug:slug>/", trend, name="trend"),
]
