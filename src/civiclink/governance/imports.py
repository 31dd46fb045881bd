"""Paper questionnaires imported in bulk from CSV (format: docs/governance-import.md).

Every row is checked before anything is written; one bad row and nothing is imported, with every problem listed
by line. Good files are written in one transaction with two bulk inserts, so thousands of rows take a moment, and
the rows are the same as `responses.submit` stores for a questionnaire typed in by hand.
"""

import csv
from typing import TextIO

from django.db import transaction
from django.utils.translation import gettext as _

from civiclink.governance import scoring
from civiclink.governance.models import Answer, Campaign, Channel, Response
from civiclink.governance.responses import Scale, active_items, answer_rows, new_response

CHANNEL_COLUMN = "channel"
BATCH_SIZE = 2000


class ImportFailed(Exception):
    """Nothing was imported; `problems` lists what to fix, each as "line N: ..."."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _problem(line: int, text: str) -> str:
    return _("line %(line)d: %(problem)s") % {"line": line, "problem": text}


def _columns(header: list[str], by_code: dict) -> tuple[list[str | None], list[str]]:
    """Per column: an item code, "channel", or None when unusable; and the header's problems."""
    columns: list[str | None] = []
    problems = []
    for position, name in enumerate(header, start=1):
        key = CHANNEL_COLUMN if name.lower() == CHANNEL_COLUMN else name.upper()
        if key != CHANNEL_COLUMN and key not in by_code:
            problems.append(
                _problem(1, _("column %(column)d: unknown item code “%(code)s”") % {"column": position, "code": name})
            )
            key = None
        elif key in columns:
            problems.append(
                _problem(1, _("column %(column)d: “%(code)s” appears twice") % {"column": position, "code": name})
            )
            key = None
        columns.append(key)
    if not any(key in by_code for key in columns):
        problems.append(_problem(1, _("the first line must name the item codes of the questionnaire")))
    return columns, problems


def _row(cells: list[str], header: list[str], columns: list, by_code: dict, scale: Scale):
    """(channel, answers, problems) of one questionnaire."""
    if len(cells) != len(header):
        found = _("%(found)d cells where the first line has %(expected)d")
        return None, {}, [found % {"found": len(cells), "expected": len(header)}]
    channel, answers, problems = Channel.PAPER, {}, []
    for position, (key, cell) in enumerate(zip(columns, cells, strict=True), start=1):
        text = cell.strip()
        if key is None or not text:
            continue
        if key == CHANNEL_COLUMN:
            channel = text.lower()
            if channel not in Channel.values:
                problems.append(
                    _("column %(column)d: unknown channel “%(value)s”") % {"column": position, "value": text}
                )
            continue
        try:
            answers[by_code[key].pk] = scale.parse(text)
        except ValueError:
            wrong = _(
                "column %(column)d (%(code)s): “%(value)s” is not a number from %(low)d to %(high)d, "
                "nor ? for “don't know”"
            )
            problems.append(
                wrong % {"column": position, "code": key, "value": text, "low": scale.low, "high": scale.high}
            )
    if not answers and not problems:
        problems.append(_("no answer in this row"))
    return channel, answers, problems


def import_responses(campaign: Campaign, audience: str, stream: TextIO) -> int:
    """Import one questionnaire per row; returns how many. Raises ImportFailed and imports nothing on any problem."""
    if not campaign.surveys_open:
        raise ImportFailed([_("The questionnaires of this campaign are closed: nothing can be imported.")])
    items = active_items(campaign, audience)
    by_code = {item.code.upper(): item for item in items}
    scale = Scale.of(campaign)
    reader = csv.reader(stream)
    rows: list[tuple[str, dict[int, int | None]]] = []
    try:
        header = [name.strip() for name in next(reader, [])]
        columns, problems = _columns(header, by_code)
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue  # a blank line
            channel, answers, row_problems = _row(cells, header, columns, by_code, scale)
            problems += [_problem(reader.line_num, text) for text in row_problems]
            rows.append((channel, answers))
    except (csv.Error, UnicodeDecodeError) as error:
        raise ImportFailed([_problem(reader.line_num + 1, _("unreadable (%(error)s)") % {"error": error})]) from None
    if not rows and not problems:
        problems.append(_problem(2, _("the file has no questionnaires below the first line")))
    if problems:
        raise ImportFailed(problems)

    by_pk = {item.pk: item for item in items}
    with transaction.atomic():
        responses = [new_response(campaign, audience, channel) for channel, _answers in rows]
        Response.objects.bulk_create(responses, batch_size=BATCH_SIZE)
        Answer.objects.bulk_create(
            [
                answer
                for response, (_channel, answers) in zip(responses, rows, strict=True)
                for answer in answer_rows(response, answers, by_pk)
            ],
            batch_size=BATCH_SIZE,
        )
        transaction.on_commit(lambda: scoring.forget(campaign.pk))
    return len(rows)
