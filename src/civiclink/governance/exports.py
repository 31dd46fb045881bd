"""Exports of a campaign: its results (one row per principle) and its anonymised responses (one row per response),
as JSON, CSV or XLSX.

Responses are streamed: answers are read with one ordered query through an iterator and grouped per response, so
100,000 responses never sit in memory as model instances. A response is shown by a running number, never by its
database id, and by the day it came in, never the time. Rows come day by day and, within a day, in an order
keyed by the site's secret, so that the order of the rows does not tell the order of submission either.
"""

import io
import json
from collections.abc import Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from itertools import groupby

from django.db.models import F
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from civiclink.core.streaming import csv_lines
from civiclink.governance.models import Campaign, Item, Response, Source
from civiclink.governance.scoring import GAP_SOURCES, Results, results_for

DONT_KNOW = "?"
KINDS = ("results", "responses")
TEXT_FORMATS = ("json", "csv")
_SHUFFLE_MODULUS = 2**32


def rounded(value: float | None) -> float | None:
    """One decimal, rounded half up as the pages show it (Python's round() would take 0.25 to 0.2)."""
    return None if value is None else float(Decimal(repr(value)).quantize(Decimal("0.1"), ROUND_HALF_UP))


# --- Results -----------------------------------------------------------------------------------------------------


def results_data(results: Results) -> dict:
    """The results as plain data (scores rounded to one decimal), for JSON and the API."""
    campaign = results.campaign
    return {
        "campaign": campaign.pk,
        "municipality": campaign.municipality.slug,
        "cycle": campaign.cycle.name,
        "year": campaign.cycle.year,
        "benchmark": campaign.cycle.benchmark.key,
        "overall": rounded(results.overall),
        "eligible": results.eligible,
        "responses": {str(audience): count for audience, count in results.responses.items()},
        "principles": [
            {
                "number": result.number,
                "name": result.principle.localised("name"),
                "sources": {
                    str(source): {"score": rounded(score.score), "count": score.count}
                    for source, score in result.sources.items()
                },
                "combined": rounded(result.combined),
                "gaps": {str(source): rounded(gap) for source, gap in result.gaps.items()},
            }
            for result in results.principles
        ],
        "rules": [{"rule": rule.description, "met": rule.met} for rule in results.rules],
    }


def _cell(value: float | None) -> float | str:
    return "" if value is None else rounded(value)


def results_rows(results: Results) -> Iterator[list]:
    """A header, one row per principle, and the overall score."""
    sources = list(Source)
    header = [_("Number"), _("Principle")]
    for source in sources:
        header += [
            _("Score: %(source)s") % {"source": source.label},
            _("Answers: %(source)s") % {"source": source.label},
        ]
    header.append(_("Combined score"))
    header += [_("Gap: self-assessment minus %(source)s") % {"source": source.label} for source in GAP_SOURCES]
    yield header
    for result in results.principles:
        row = [result.number, result.principle.localised("name")]
        for source in sources:
            row += [_cell(result.sources[source].score), result.sources[source].count]
        row.append(_cell(result.combined))
        row += [_cell(result.gaps[source]) for source in GAP_SOURCES]
        yield row
    yield ["", _("Overall score"), *[""] * (2 * len(sources)), _cell(results.overall), *[""] * len(GAP_SOURCES)]


# --- Responses ---------------------------------------------------------------------------------------------------


def _items(campaign: Campaign) -> list[tuple[int, str]]:
    """(id, code) of every item of the campaign's questionnaires, retired ones too: past answers may use them."""
    return list(
        Item.objects.filter(questionnaire__benchmark_id=campaign.cycle.benchmark_id)
        .order_by("questionnaire__audience", "position", "code")
        .values_list("pk", "code")
    )


def _answer_rows(campaign: Campaign) -> Iterator[tuple]:
    """(response id, audience, channel, day, item id, value) for every answer, one response's rows together,
    day by day, in a secret order within each day; a response without answers gives one row with item None."""
    secret = int(salted_hmac("governance.exports", str(campaign.pk), algorithm="sha256").hexdigest()[:8], 16)
    # odd, so that the key is a permutation of the ids; between 2**30 and 2**31, so that neighbours scatter and
    # the product stays within a 64-bit integer for any id below 2**32
    multiplier = (secret % 2**30) | 2**30 | 1
    return (
        Response.objects.filter(campaign=campaign)
        .annotate(shuffled=(F("pk") * multiplier) % _SHUFFLE_MODULUS)
        .order_by("submitted_on", "shuffled", "pk")
        .values_list("pk", "audience", "channel", "submitted_on", "answers__item_id", "answers__value")
        .iterator(chunk_size=5000)
    )


def responses(campaign: Campaign) -> Iterator[tuple[dict, dict[int, int | None]]]:
    """Each response's public fields (with its running number) and its answers {item id: value or None}."""
    grouped = groupby(_answer_rows(campaign), key=lambda row: row[0])
    for number, (_pk, group) in enumerate(grouped, start=1):
        answer_rows = list(group)
        audience, channel, day = answer_rows[0][1:4]
        fields = {"response": number, "audience": audience, "channel": channel, "submitted_on": day.isoformat()}
        answers = {item: value for *_fields, item, value in answer_rows if item is not None}
        yield fields, answers


def _value(answers: dict[int, int | None], item: int) -> int | str:
    if item not in answers:
        return ""
    value = answers[item]
    return DONT_KNOW if value is None else value


def responses_rows(campaign: Campaign) -> Iterator[list]:
    """A header (number, audience, channel, day, then the item codes) and one row per response: the value, empty
    for a skipped item, `?` for "don't know"."""
    items = _items(campaign)
    yield ["response", "audience", "channel", "submitted_on", *(code for _pk, code in items)]
    for fields, answers in responses(campaign):
        yield [*fields.values(), *(_value(answers, pk) for pk, _code in items)]


def responses_data(campaign: Campaign) -> Iterator[dict]:
    """Each response as a dict; skipped items are left out of its answers."""
    codes = dict(_items(campaign))
    for fields, answers in responses(campaign):
        yield fields | {"answers": {codes[pk]: DONT_KNOW if value is None else value for pk, value in answers.items()}}


# --- Formats -----------------------------------------------------------------------------------------------------


def rows(campaign: Campaign, what: str) -> Iterator[list]:
    if what == "results":
        return results_rows(results_for(campaign))
    if what == "responses":
        return responses_rows(campaign)
    raise ValueError(f"Unknown export {what!r}; choose one of {', '.join(KINDS)}.")


def _json_array(items: Iterable[dict]) -> Iterator[str]:
    """A JSON array written one element per line, without holding the elements."""
    yield "[\n"
    previous = None
    for item in items:
        if previous is not None:
            yield f"  {previous},\n"
        previous = json.dumps(item, ensure_ascii=False)
    if previous is not None:
        yield f"  {previous}\n"
    yield "]\n"


def export_chunks(campaign: Campaign, what: str, fmt: str) -> Iterator[str]:
    """The export as pieces of text, each ending with a line break (so that a streaming response and a command's
    output wrapper both pass them on as they are)."""
    if fmt == "csv":
        return csv_lines(rows(campaign, what))
    if fmt != "json":
        raise ValueError(f"Unknown text format {fmt!r}; choose one of {', '.join(TEXT_FORMATS)}.")
    if what == "results":
        return iter([json.dumps(results_data(results_for(campaign)), ensure_ascii=False, indent=2) + "\n"])
    if what == "responses":
        return _json_array(responses_data(campaign))
    raise ValueError(f"Unknown export {what!r}; choose one of {', '.join(KINDS)}.")


def write_export(campaign: Campaign, what: str, fmt: str, stream) -> None:
    """Write results or anonymised responses as JSON or CSV to a text stream (used by `civiclink governance
    export`)."""
    for chunk in export_chunks(campaign, what, fmt):
        stream.write(chunk)


def xlsx_export(campaign: Campaign, what: str) -> bytes:
    """The same table as the CSV, as an Excel workbook; written row by row (openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Results") if what == "results" else _("Responses"))
    bold = Font(bold=True)
    table = rows(campaign, what)
    header = []
    for title in next(table):
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in table:
        sheet.append([None if value == "" else value for value in row])  # empty cells cost nothing to write
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def filename(campaign: Campaign, what: str, fmt: str) -> str:
    return f"eloge-{campaign.municipality.slug}-{campaign.cycle.year}-{what}.{fmt}"
