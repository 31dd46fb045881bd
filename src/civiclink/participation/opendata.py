"""Open data of a process: its proposals, comments, poll results and results, as CSV and JSON under the CC BY 4.0
licence.

Nothing personal leaves: no author of a proposal or a comment (an organisation's name may, it speaks in public),
no free-text poll answers, nothing hidden by moderators or deleted, and poll counts only once the poll has closed.
Rows are read with one query per dataset (values, through an iterator) and written as they come, so a process
with 100,000 comments streams them without holding them."""

import datetime
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import chain

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civiclink.core.streaming import csv_lines
from civiclink.moderation.models import Visibility
from civiclink.participation import access
from civiclink.participation.models import Choice, Comment, Process, Proposal, Result, Source, Vote

LICENCE = {
    "name": "CC BY 4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}
CHUNK = 2000  # rows fetched at a time


@dataclass(frozen=True)
class Dataset:
    key: str
    title: str
    description: str
    features: tuple[str, ...]  # the process must use them all
    columns: tuple[str, ...]
    rows: Callable[[Process], Iterable[tuple]]  # the values of each record, in the order of `columns`


def _visible_proposals(process: Process):
    return Proposal.objects.filter(process=process, visibility=Visibility.VISIBLE)


def proposal_rows(process: Process) -> Iterable[tuple]:
    return (
        _visible_proposals(process)
        .order_by("pk")
        .values_list(
            "pk",
            "kind",
            "title",
            "body",
            "category__name",
            "community__name",
            "organisation__legal_name",
            "state",
            "support_count",
            "comment_count",
            "created_at",
            "answered_at",
            "answer",
        )
        .iterator(chunk_size=CHUNK)
    )


def comment_rows(process: Process) -> Iterable[tuple]:
    """Comments on the visible proposals, without the hidden and deleted ones (a reply keeps its parent's id)."""
    return (
        Comment.objects.filter(
            content_type=ContentType.objects.get_for_model(Proposal),
            object_id__in=_visible_proposals(process).values("pk"),
            visibility=Visibility.VISIBLE,
            deleted_at__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", "object_id", "parent_id", "stance", "official", "created_at", "body")
        .iterator(chunk_size=CHUNK)
    )


def poll_rows(process: Process) -> Iterator[tuple]:
    """How often each choice of a closed poll was chosen, per source (web, bench, paper), zeros included."""
    closed = {"poll__process": process, "poll__closes_at__lte": timezone.now()}
    counts = {
        (row["choice"], row["source"]): row["number"]
        for row in Vote.objects.filter(**closed).values("choice", "source").annotate(number=Count("pk")).order_by()
    }
    choices = (
        Choice.objects.filter(**{f"question__{key}": value for key, value in closed.items()})
        .order_by("question__poll__opens_at", "question__poll", "question__position", "question", "position", "pk")
        .values_list("question__poll", "question__poll__title", "question", "question__text", "pk", "text")
    )
    for poll, poll_title, question, question_text, choice, text in choices:
        for source in Source.values:
            yield poll, poll_title, question, question_text, choice, text, source, counts.get((choice, source), 0)


def result_rows(process: Process) -> Iterable[tuple]:
    return (
        Result.objects.filter(process=process)
        .annotate(update_count=Count("updates"))
        .order_by("pk")
        .values_list("pk", "title", "status", "progress", "budget", "proposal", "starts_on", "ends_on", "update_count")
    )


DATASETS = {
    dataset.key: dataset
    for dataset in (
        Dataset(
            "proposals",
            _("Problems and proposals"),
            _("Every visible problem and proposal with its state, supports, comments and the municipality's answer."),
            ("proposals",),
            (
                "id",
                "kind",
                "title",
                "body",
                "category",
                "community",
                "organisation",
                "state",
                "supports",
                "comments",
                "created",
                "answered",
                "answer",
            ),
            proposal_rows,
        ),
        Dataset(
            "comments",
            _("Comments"),
            _("Comments on the proposals, with their stance; official answers of the municipality are marked."),
            ("proposals", "comments"),
            ("id", "proposal", "parent", "stance", "official", "created", "body"),
            comment_rows,
        ),
        Dataset(
            "polls",
            _("Poll results"),
            _("For each closed poll, how often each choice was chosen on the web, on smart benches and on paper."),
            ("polls",),
            ("poll", "poll_title", "question", "question_text", "choice", "choice_text", "source", "count"),
            poll_rows,
        ),
        Dataset(
            "results",
            _("Results"),
            _("What the municipality promised, its status, progress, budget (BAM) and number of progress updates."),
            ("results",),
            ("id", "title", "status", "progress", "budget", "proposal", "start", "planned_end", "updates"),
            result_rows,
        ),
    )
}


def available(process: Process) -> list[Dataset]:
    """The datasets of the features the process uses."""
    return [
        dataset
        for dataset in DATASETS.values()
        if all(access.enabled(process, feature) for feature in dataset.features)
    ]


def _plain(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _csv_value(value):
    """As JSON writes them: true and false, not Python's True and False."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return _plain(value)


def _json_value(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def csv_chunks(process: Process, dataset: Dataset) -> Iterator[str]:
    """A header of column names, then one line per record. No comment lines: the licence goes in the HTTP `Link`
    header and on the index page."""
    yield from csv_lines(
        chain([dataset.columns], ([_csv_value(value) for value in row] for row in dataset.rows(process)))
    )


def json_chunks(process: Process, dataset: Dataset) -> Iterator[str]:
    """One JSON document: what the data are and under which licence, then `items`, one record per line."""
    head = {
        "dataset": dataset.key,
        "process": process.slug,
        "municipality": process.municipality.slug,
        "licence": LICENCE,
        "attribution": f"CivicLink · {process.municipality.display_name} · {process.title}",
    }
    yield json.dumps(head, ensure_ascii=False, indent=2)[:-2] + ',\n  "items": ['
    separator = "\n"
    for row in dataset.rows(process):
        record = dict(zip(dataset.columns, (_plain(value) for value in row), strict=True))
        yield separator + "    " + json.dumps(record, ensure_ascii=False, default=_json_value)
        separator = ",\n"
    yield "\n  ]\n}\n"


# format: (content type, writer)
FORMATS = {
    "csv": ("text/csv; charset=utf-8; header=present", csv_chunks),
    "json": ("application/json", json_chunks),
}
