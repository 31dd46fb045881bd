"""Refused bench messages (the dead-letter table), for staff: why each was refused and what it said."""

import uuid

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.urls import path

from civiclink.benches.forms import DeadLetterFilter
from civiclink.benches.models import DeadLetter
from civiclink.core.permissions import permission_required


def matching(letters, bench: str):
    """Letters of the bench named by id (also those that only claimed it: unknown or on the wrong topic), or by a
    part of its name."""
    try:
        bench_id = uuid.UUID(bench)
    except ValueError:
        return letters.filter(bench__name__icontains=bench)
    return letters.filter(Q(bench_id=bench_id) | Q(claimed_bench__iexact=str(bench_id)))


@permission_required("benches.view_dead_letters")
def dead_letters(request):
    form = DeadLetterFilter(request.GET or None)
    letters = DeadLetter.objects.select_related("bench")
    if form.is_valid():
        if form.cleaned_data["reason"]:
            letters = letters.filter(reason=form.cleaned_data["reason"])
        if form.cleaned_data["bench"]:
            letters = matching(letters, form.cleaned_data["bench"].strip())
    page = Paginator(letters, settings.CIVICLINK_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "benches/dead_letters.html", {"form": form, "page": page})


urlpatterns = [path("refused/", dead_letters, name="dead_letters")]
