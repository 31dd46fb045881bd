"""Open data of the benches at stable addresses, for anyone: /<lang>/benches/data/ explains them, data/benches.csv
and .json list the benches in service, data/hourly.csv and .json give the whole fleet's hourly aggregates,
data/<bench id>/hourly.csv and .json one bench's (`?from=YYYY-MM-DD&to=YYYY-MM-DD`, see `benches.opendata`)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from civiclink.benches import opendata


def _stream(chunks, fmt: str, filename: str) -> StreamingHttpResponse:
    content_type, _writer = opendata.FORMATS[fmt]
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Link"] = f'<{opendata.LICENCE["url"]}>; rel="license"'
    response["Content-Disposition"] = f'inline; filename="{filename}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"  # public data, read without cookies: any site may use it
    return response


def _writer(fmt: str):
    if fmt not in opendata.FORMATS:
        raise Http404("No such format.")
    return opendata.FORMATS[fmt][1]


def index(request):
    benches = opendata.published_benches().select_related("community__municipality")
    context = {
        "page": Paginator(benches, settings.CIVICLINK_PAGE_SIZE * 4).get_page(request.GET.get("page")),
        "licence": opendata.LICENCE,
        "hourly": opendata.HOURLY,
        "devices": opendata.DEVICES,
        "formats": list(opendata.FORMATS),
        "default_days": opendata.DEFAULT_DAYS,
        "max_days": opendata.MAX_DAYS,
        "max_days_fleet": opendata.MAX_DAYS_FLEET,
    }
    return render(request, "benches/opendata.html", context)


def devices(request, fmt):
    writer = _writer(fmt)
    head = {"dataset": "benches", "attribution": "CivicLink"}
    rows = opendata.device_rows(opendata.published_benches())
    return _stream(writer(opendata.DEVICES, rows, head), fmt, "benches")


def _hourly(request, fmt, benches, max_days: int, name: str, head: dict):
    writer = _writer(fmt)
    try:
        start, end = opendata.date_range(request.GET, max_days)
    except opendata.RangeError as error:
        return HttpResponseBadRequest(str(error.message), content_type="text/plain; charset=utf-8")
    head = {"dataset": "hourly", **head, "from": start.isoformat(), "to": end.isoformat(), "attribution": "CivicLink"}
    rows = opendata.hourly_rows(benches, start, end)
    return _stream(writer(opendata.HOURLY, rows, head), fmt, f"{name}-{start}-{end}")


def fleet_hourly(request, fmt):
    return _hourly(request, fmt, opendata.published_benches(), opendata.MAX_DAYS_FLEET, "benches-hourly", {})


def bench_hourly(request, pk, fmt):
    bench = get_object_or_404(opendata.published_benches(), pk=pk)
    head = {"refDevice": opendata.urn(bench.pk), "name": bench.name}
    return _hourly(request, fmt, [bench.pk], opendata.MAX_DAYS, f"bench-{bench.pk}-hourly", head)


urlpatterns = [
    path("data/", index, name="opendata"),
    path("data/benches.<slug:fmt>", devices, name="opendata_benches"),
    path("data/hourly.<slug:fmt>", fleet_hourly, name="opendata_hourly"),
    path("data/<uuid:pk>/hourly.<slug:fmt>", bench_hourly, name="opendata_bench_hourly"),
]
