"""Open data of a published process at stable addresses: /<lang>/participation/<slug>/data/ lists the datasets,
<slug>/data/<dataset>.csv and .json serve them (streamed)."""

from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path

from civiclink.core.pagecache import cached_page
from civiclink.participation import opendata
from civiclink.participation.views.common import process_context, process_or_404


def _public_process(request, slug):
    """Published processes only: a draft's data are not open, not even to its managers."""
    process = process_or_404(request, slug)
    if not process.published:
        raise Http404("This process is not published.")
    return process


def opendata_index(request, slug):
    process = _public_process(request, slug)

    def page():
        context = process_context(request, process, "participation:opendata_index") | {
            "datasets": opendata.available(process),
            "formats": list(opendata.FORMATS),
            "licence": opendata.LICENCE,
        }
        return render(request, "participation/opendata.html", context)

    return cached_page(request, page)


def opendata_file(request, slug, dataset, fmt):
    process = _public_process(request, slug)
    chosen = {item.key: item for item in opendata.available(process)}.get(dataset)
    if chosen is None or fmt not in opendata.FORMATS:
        raise Http404("No such dataset.")
    content_type, writer = opendata.FORMATS[fmt]
    response = StreamingHttpResponse(writer(process, chosen), content_type=content_type)
    response["Link"] = f'<{opendata.LICENCE["url"]}>; rel="license"'
    response["Content-Disposition"] = f'inline; filename="{process.slug}-{chosen.key}.{fmt}"'
    response["Access-Control-Allow-Origin"] = "*"  # public data, read without cookies: any site may use it
    return response


urlpatterns = [
    path("<slug:slug>/data/", opendata_index, name="opendata_index"),
    path("<slug:slug>/data/<slug:dataset>.<slug:fmt>", opendata_file, name="opendata"),
]
