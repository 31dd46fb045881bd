"""CSV produced one line at a time, for streamed downloads and exports of any size."""

import csv
from collections.abc import Iterable, Iterator


class _Echo:
    """A file-like object whose `write` hands back what it is given, so that csv.writer yields lines."""

    def write(self, text: str) -> str:
        return text


def csv_lines(rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(row)
