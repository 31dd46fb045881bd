"""The staff dashboard of the fleet: the map and list with health, a bench's page (telemetry, usage,
configuration, photos), and running a bench (register entry, claim codes, rotation, revocation, status).

Staff see every bench, a municipal officer those of their municipality (`benches/rules.py`). The fleet page reads
one row per bench and the last hours' solar maxima, never raw messages (`health.fleet`)."""

import json
from datetime import datetime, timedelta
from typing import NamedTuple

import rules
import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from civiclink.accounts.rules import is_staff_member
from civiclink.benches import broker, charts, configuration, credentials, health, telemetry
from civiclink.benches.api import credential_document
from civiclink.benches.forms import BenchForm, ConfigForm, FleetFilter, PhotoForm, StatusForm, municipalities_of
from civiclink.benches.health import State
from civiclink.benches.models import Bench, Sensor, Status
from civiclink.core.permissions import permission_required
from civiclink.places.models import LocalCommunity
from civiclink.places.rules import officer_municipality_ids

PAGE_SIZE = 25
MANAGE = "benches.manage_bench"
USAGE_COLOURS = ("#1f4e79", "#D55E00")  # answers kept as they are, flagged answers


def see_other(name: str, *args):
    response = redirect(name, *args)
    response.status_code = 303
    return response


def bench_for(request, pk, permission: str) -> Bench:
    """The bench, if the user holds `permission` on it (403 otherwise; anonymous visitors log in first)."""
    bench = get_object_or_404(Bench.objects.select_related("community__municipality"), pk=pk)
    if not rules.has_perm(permission, request.user, bench):
        raise PermissionDenied
    return bench


def _scope(user):
    """The benches the user may see on the fleet page."""
    benches = Bench.objects.all()
    if not is_staff_member(user):
        benches = benches.filter(community__municipality__in=municipalities_of(user))
    return benches


FLEET_SECONDS = 15  # how old the fleet page's health may be: far below the minutes that make a bench offline
GENERATION = "benches:fleet:generation"


def fleet_changed() -> None:
    """A bench was added or changed here: the next fleet page is computed afresh, not taken from the cache."""
    cache.add(GENERATION, 0, None)
    cache.incr(GENERATION)


def _fleet_snapshot(user, chosen: dict) -> dict:
    """Counts, map and rows of the benches the user sees with the filters chosen: judged once and shared for
    FLEET_SECONDS by everyone who sees the same benches in the same language, so that a dashboard open on several
    desks costs one computation; a change made on the dashboard starts a new generation."""
    scope = "all" if is_staff_member(user) else ",".join(map(str, sorted(officer_municipality_ids(user))))
    municipality = chosen["municipality"].pk if chosen.get("municipality") else ""
    filters = f"{municipality}-{chosen.get('status') or ''}-{chosen.get('health') or ''}"
    key = f"benches:fleet:{cache.get(GENERATION, 0)}:{get_language()}:{scope}:{filters}"
    snapshot = cache.get(key)
    if snapshot is None:
        snapshot = _judge_fleet(user, chosen)
        cache.set(key, snapshot, FLEET_SECONDS)
    return snapshot


def _judge_fleet(user, chosen: dict) -> dict:
    benches = _scope(user)
    if chosen.get("municipality"):
        benches = benches.filter(community__municipality=chosen["municipality"])
    if chosen.get("status"):
        benches = benches.filter(status=chosen["status"])
    rows = health.fleet(
        benches, timezone.now(), "name", "community_id", "desired_config_version", "reported_config_version"
    )
    counts = health.counts(judged for _row, judged in rows)
    if chosen.get("health"):
        rows = [(row, judged) for row, judged in rows if judged.has(chosen["health"])]
    communities = LocalCommunity.objects.select_related("municipality").in_bulk({row.community_id for row, _h in rows})
    listed = [
        Listed(
            str(row.pk), row.name, communities[row.community_id].display_name,
            communities[row.community_id].municipality.display_name, row.status, judged.state, judged.problems,
            row.battery, row.solar_w, row.last_seen_at, row.desired_config_version, row.reported_config_version,
            None if row.latitude is None else (float(row.latitude), float(row.longitude)),
        )
        for row, judged in rows
    ]  # fmt: skip
    name, placeholder = _("%(bench)s, %(community)s: %(health)s"), "00000000-0000-0000-0000-000000000000"
    labels = {state.value: str(state.label) for state in State}  # once, not a lazy translation per bench
    url = reverse("benches:bench", args=[placeholder])
    points = [
        charts.Point(
            *item.position,
            url.replace(placeholder, item.pk),
            name % {"bench": item.name, "community": item.community_name, "health": labels[item.state]},
            item.state,
        )
        for item in listed
        if item.position is not None
    ]
    return {
        "rows": listed,
        "counts": counts,
        "map": str(charts.map_svg(points, _("Map of the benches"))),
        "mapped": len(points),
    }


class Listed(NamedTuple):
    """A bench as the fleet page lists it: plain values, cheap to keep in the cache and to read back."""

    pk: str
    name: str
    community_name: str
    municipality_name: str
    status: str
    state: str
    problems: tuple[str, ...]
    battery: float | None
    solar_w: float | None
    last_seen_at: datetime | None
    desired_config_version: int
    reported_config_version: int
    position: tuple[float, float] | None


@permission_required("benches.view_fleet")
def fleet(request):
    """Counts per health state, the map and the list of the benches, filtered by municipality, health, status."""
    form = FleetFilter(request.GET or None, user=request.user)
    snapshot = _fleet_snapshot(request.user, form.cleaned_data if form.is_valid() else {})
    page = Paginator(snapshot["rows"], PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [
        {
            "bench": item,
            "status": Status(item.status).label,
            "health": State(item.state).label,
            "more": [State(problem).label for problem in item.problems[1:]],
        }
        for item in page.object_list
    ]
    context = {
        "form": form,
        "counts": [(State(state), snapshot["counts"][state]) for state in State.values],
        "total": len(snapshot["rows"]),
        "page": page,
        "map": mark_safe(snapshot["map"]),  # noqa: S308 (built by charts.map_svg, escaped there)
        "mapped": snapshot["mapped"],
        "legend": [(State(state), charts.legend_mark(state)) for state in reversed(charts.DRAW_ORDER)],
        "may_see_dead_letters": rules.has_perm("benches.view_dead_letters", request.user),
    }
    return render(request, "benches/fleet.html", context)


def _chart(chart: telemetry.Chart, rows: list, period: telemetry.Period, bench: Bench):
    """The SVG of one chart and the rows of its data table: (heading, [(mean, minimum, maximum) per metric])."""
    unit = f" ({chart.unit})" if chart.unit else ""
    lines = [
        charts.series(metric, str(label), [row.mean(metric) for row in rows], index)
        for index, (metric, label) in enumerate(chart.metrics)
    ]
    what = _("daily") if period.daily else _("hourly")
    svg = charts.time_line_svg(
        [row.label for row in rows],
        lines,
        _("%(chart)s%(unit)s, last %(period)s") % {"chart": chart.title, "unit": unit, "period": period.label},
        _("%(what)s means of %(bench)s; the same figures, with minimum and maximum, are in the table that follows.")
        % {"what": what.capitalize(), "bench": bench.name},
        chart.bounds,
        period.label_every,
    )
    table = [
        (row.heading, [cell for metric, _label in chart.metrics for cell in _cells(row.metrics.get(metric))])
        for row in rows
    ]
    return {"chart": chart, "unit": chart.unit, "svg": svg, "table": table}


def _cells(summary: tuple | None) -> list[str]:
    """Mean, minimum and maximum as the data table prints them (formatted here: hundreds of cells)."""
    if summary is None:
        return ["–", "–", "–"]
    return [formats.number_format(value, decimal_pos=1) for value in summary]


def _usage(bench: Bench, days: list):
    kept = [row.answers - row.flagged_answers for row in days]
    flagged = [row.flagged_answers for row in days]
    svg = charts.stacked_bars_svg(
        [row.label for row in days],
        [charts.Stack(_("answers"), kept, USAGE_COLOURS[0]), charts.Stack(_("flagged"), flagged, USAGE_COLOURS[1])],
        _("Kiosk answers per day, last %(days)d days") % {"days": len(days)},
        _(
            "Answers given on %(bench)s each day, flagged answers (kept, counted apart) on top; the same figures are "
            "in the table that follows."
        )
        % {"bench": bench.name},
        label_every=5,
    )
    return {
        "svg": svg,
        "days": [(row.heading, row.answers, row.flagged_answers) for row in days],
        "total": sum(row.answers for row in days),
        "flagged": sum(flagged),
    }


@login_required
def bench_detail(request, pk):
    bench = bench_for(request, pk, "benches.view_bench")
    now = timezone.now()
    period = telemetry.PERIODS.get(request.GET.get("period"), telemetry.PERIODS[telemetry.DEFAULT_PERIOD])
    days = telemetry.daily(bench, telemetry.USAGE_DAYS, now)
    rows = days if period.daily and period.buckets == telemetry.USAGE_DAYS else telemetry.buckets(bench, period, now)
    context = {
        "bench": bench,
        "health": health.of_bench(bench, now),
        "photos": bench.photos.all(),
        "period": period,
        "periods": telemetry.PERIODS.values(),
        "charts": [_chart(chart, rows, period, bench) for chart in telemetry.charts_for(bench, rows)],
        "usage": _usage(bench, days),
        "may_manage": rules.has_perm(MANAGE, request.user, bench),
        "may_see_dead_letters": rules.has_perm("benches.view_dead_letters", request.user),
        "status_form": StatusForm(initial={"status": bench.status}),
        "config_json": _pretty(bench.desired_config),
        "sensors": [str(Sensor(sensor).label) for sensor in bench.sensors if sensor in Sensor.values],
    }
    return render(request, "benches/bench.html", context)


@permission_required("benches.view_fleet")
def bench_new(request):
    """Register a bench; a claim code for it is the next step, on its page."""
    form = BenchForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        bench = form.save()
        fleet_changed()
        messages.success(request, _("The bench is registered. Issue a claim code to provision it."))
        return see_other("benches:bench", bench.pk)
    return render(request, "benches/bench_form.html", {"form": form, "bench": None})


@login_required
def bench_edit(request, pk):
    bench = bench_for(request, pk, MANAGE)
    form = BenchForm(request.POST or None, instance=bench, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        fleet_changed()
        messages.success(request, _("The bench is saved."))
        return see_other("benches:bench", bench.pk)
    return render(request, "benches/bench_form.html", {"form": form, "bench": bench})


@login_required
@require_POST
def bench_status(request, pk):
    bench = bench_for(request, pk, MANAGE)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the statuses."))
        return see_other("benches:bench", bench.pk)
    with transaction.atomic():
        Bench.objects.filter(pk=bench.pk).update(status=form.cleaned_data["status"])
        transaction.on_commit(broker.registry_changed)  # a retired bench leaves the broker's password file
    fleet_changed()
    messages.success(request, _("The status is now “%(status)s”.") % {"status": _status_label(form)})
    return see_other("benches:bench", bench.pk)


def _status_label(form: StatusForm) -> str:
    return dict(form.fields["status"].choices)[form.cleaned_data["status"]]


@login_required
@require_POST
def acknowledge_tamper(request, pk):
    """Staff have looked at the tamper alarm: it clears (a new tamper event raises it again)."""
    bench = bench_for(request, pk, MANAGE)
    Bench.objects.filter(pk=bench.pk).update(tamper_at=None)
    fleet_changed()
    messages.success(request, _("The tamper alarm is acknowledged."))
    return see_other("benches:bench", bench.pk)


@login_required
def bench_config(request, pk):
    """The desired configuration as JSON; saving gives it the next version and publishes it to the bench."""
    bench = bench_for(request, pk, MANAGE)
    form = ConfigForm(request.POST or None, initial={"config": _pretty(bench.desired_config)})
    if request.method == "POST" and form.is_valid():
        published = configuration.save_config(bench, form.cleaned_data["config"])
        fleet_changed()
        if published is None:
            messages.info(
                request,
                _("Nothing changed: the configuration keeps version %(version)d.")
                % {"version": bench.desired_config_version},
            )
        elif published:
            messages.success(
                request,
                _("Version %(version)d is saved and sent to the bench.") % {"version": bench.desired_config_version},
            )
        else:
            messages.warning(
                request,
                _(
                    "Version %(version)d is saved, but the message broker could not be reached: the bench gets it "
                    "when it next asks over HTTP, or when the configuration is saved again with the broker running."
                )
                % {"version": bench.desired_config_version},
            )
        return see_other("benches:bench", bench.pk)
    return render(request, "benches/config.html", {"bench": bench, "form": form})


def _pretty(config: dict) -> str:
    return json.dumps(config, indent=2, ensure_ascii=False)


def _qr_svg(text: str, title: str) -> str:
    """Inline SVG (no data: URI, no style attribute: the strict CSP holds)."""
    return mark_safe(segno.make(text, error="m").svg_inline(scale=4, title=title, omitsize=True))  # noqa: S308


@never_cache
@login_required
def claim_code(request, pk):
    """GET explains, POST issues a new claim code and shows it once (earlier unused codes stop working)."""
    bench = bench_for(request, pk, MANAGE)
    if request.method != "POST":
        return render(request, "benches/claim.html", {"bench": bench, "code": None})
    code = credentials.issue_claim(bench, by=request.user)
    provision_url = request.build_absolute_uri("/api/v1/benches/provision")
    context = {
        "bench": bench,
        "code": code,
        "qr": _qr_svg(f'{{"claim":"{code}","provision":"{provision_url}"}}', _("Claim code %(code)s") % {"code": code}),
        "provision_url": provision_url,
        "expires_at": timezone.now() + timedelta(minutes=settings.BENCH_CLAIM_MINUTES),
        "minutes": settings.BENCH_CLAIM_MINUTES,
    }
    return render(request, "benches/claim.html", context)


@never_cache
@login_required
def rotate(request, pk):
    """GET asks for confirmation; POST gives the bench a new secret and shows it once: the old one stops."""
    bench = bench_for(request, pk, MANAGE)
    if request.method != "POST":
        return render(request, "benches/confirm.html", {"bench": bench, "action": "rotate"})
    if not bench.secret_hash:
        messages.error(request, _("This bench holds no credential yet: issue a claim code instead."))
        return see_other("benches:bench", bench.pk)
    document = credential_document(bench, credentials.rotate(bench))
    return render(request, "benches/credential.html", {"bench": bench, "document": document})


@login_required
def revoke(request, pk):
    """GET asks for confirmation; POST refuses the bench at once on HTTP, MQTT and its kiosk."""
    bench = bench_for(request, pk, MANAGE)
    if request.method != "POST":
        return render(request, "benches/confirm.html", {"bench": bench, "action": "revoke"})
    credentials.revoke(bench)
    messages.success(
        request, _("The credential is revoked: the bench is refused from now on. A new claim code provisions it again.")
    )
    return see_other("benches:bench", bench.pk)


@login_required
def photo_add(request, pk):
    bench = bench_for(request, pk, MANAGE)
    form = PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        form.instance.bench = bench
        form.save()
        messages.success(request, _("The photo is added."))
        return see_other("benches:bench", bench.pk)
    return render(request, "benches/photo_form.html", {"bench": bench, "form": form})


urlpatterns = [
    path("", fleet, name="fleet"),
    path("new/", bench_new, name="new"),
    path("<uuid:pk>/", bench_detail, name="bench"),
    path("<uuid:pk>/edit/", bench_edit, name="edit"),
    path("<uuid:pk>/status/", bench_status, name="status"),
    path("<uuid:pk>/tamper/", acknowledge_tamper, name="tamper"),
    path("<uuid:pk>/configuration/", bench_config, name="config"),
    path("<uuid:pk>/claim/", claim_code, name="claim"),
    path("<uuid:pk>/rotate/", rotate, name="rotate"),
    path("<uuid:pk>/revoke/", revoke, name="revoke"),
    path("<uuid:pk>/photos/new/", photo_add, name="photo_add"),
]
