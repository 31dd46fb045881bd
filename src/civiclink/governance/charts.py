"""Charts drawn on the server as SVG, so that they print, work without JavaScript and carry a title and a
description for screen readers (the page puts a data table beside each one).

Series are told apart without colour: each has its own dash pattern and marker shape, and a legend. The radar's
geometry is computed here once and drawn both as SVG and, by `reports.py`, with ReportLab.
"""

import math
from dataclasses import dataclass
from itertools import count

from django.template.defaultfilters import floatformat
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from civiclink.governance.models import Source

Point = tuple[float, float]

GRID_COLOUR = "#c4ccd4"
AXIS_COLOUR = "#6b7785"
TEXT_COLOUR = "#1b2430"
BAR_COLOUR = "#1f4e79"
SCALE = (0, 25, 50, 75, 100)


@dataclass(frozen=True)
class Style:
    """How one series is drawn: colour is an extra, dash and marker carry the difference."""

    colour: str
    dash: tuple[float, ...]
    marker: str  # circle, square, triangle, diamond or plus
    width: float = 2.0


# Okabe-Ito and Tol colours, each at least 3:1 against white.
SOURCE_STYLES = {
    "self": Style("#0072B2", (), "circle"),
    "councillors": Style("#D55E00", (7, 4), "square"),
    "staff": Style("#117733", (2, 3), "triangle"),
    "citizens": Style("#AA3377", (10, 3, 2, 3), "diamond"),
    "combined": Style("#1b2430", (), "plus", 3.5),
}


@dataclass
class Series:
    key: str
    label: str
    values: list[float | None]
    style: Style


def styled(key: str, label: str, values: list[float | None]) -> Series:
    """A series in its source's style; a series that is no source (an overall score, one principle) is drawn
    like the self-assessment."""
    return Series(key, label, values, SOURCE_STYLES.get(key, SOURCE_STYLES["self"]))


def source_series(results) -> list[Series]:
    """A campaign's `scoring.Results` as one series per source and one for the combined score, legend order."""
    series = [
        styled(str(source), str(source.label), [result.sources[source].score for result in results.principles])
        for source in Source
    ]
    series.append(styled("combined", _("combined"), [result.combined for result in results.principles]))
    return series


# --- Geometry, shared by the SVG and the PDF --------------------------------------------------------------------


def radar_spoke(index: int, spokes: int, radius: float, centre: Point) -> Point:
    """The point at `radius` on spoke `index`; spoke 0 points up and the others follow clockwise (y grows down)."""
    angle = -math.pi / 2 + 2 * math.pi * index / spokes
    return centre[0] + radius * math.cos(angle), centre[1] + radius * math.sin(angle)


def radar_points(values: list[float | None], radius: float, centre: Point) -> list[Point | None]:
    """Where each value (0 to 100) sits on its spoke; None where the source has no score."""
    return [
        None if value is None else radar_spoke(index, len(values), radius * max(0.0, min(value, 100)) / 100, centre)
        for index, value in enumerate(values)
    ]


def runs(points: list[Point | None], closed: bool) -> list[list[Point]]:
    """Consecutive present points, to be joined by lines: a missing score breaks the line rather than drawing it
    at zero. A radar with every point present is one closed ring (its first point repeated at the end)."""
    if closed and points and all(point is not None for point in points):
        return [[*points, points[0]]]
    found, current = [], []
    for point in points:
        if point is None:
            if current:
                found.append(current)
            current = []
        else:
            current.append(point)
    if current:
        found.append(current)
    if closed and len(found) > 1 and points[0] is not None and points[-1] is not None:
        found[0] = found.pop() + found[0]  # the ring wraps around from the last spoke to the first
    return found


def marker_polygon(shape: str, x: float, y: float, size: float) -> list[Point]:
    """The outline of a marker centred on (x, y); circles are drawn as circles by the callers."""
    h = size / 2
    if shape == "square":
        return [(x - h, y - h), (x + h, y - h), (x + h, y + h), (x - h, y + h)]
    if shape == "triangle":
        return [(x, y - h * 1.2), (x + h * 1.1, y + h * 0.8), (x - h * 1.1, y + h * 0.8)]
    if shape == "diamond":
        return [(x, y - h * 1.3), (x + h * 1.1, y), (x, y + h * 1.3), (x - h * 1.1, y)]
    t = h / 3  # plus: a cross of two bars
    return [
        (x - t, y - h), (x + t, y - h), (x + t, y - t), (x + h, y - t), (x + h, y + t), (x + t, y + t),
        (x + t, y + h), (x - t, y + h), (x - t, y + t), (x - h, y + t), (x - h, y - t), (x - t, y - t),
    ]  # fmt: skip


# --- SVG ---------------------------------------------------------------------------------------------------------

_ids = count(1)


def _join(parts: list[SafeString]) -> SafeString:
    """Pieces already built with format_html (so escaped), joined."""
    return format_html_join("", "{}", ((part,) for part in parts))


def number_text(value: float) -> str:
    return f"{value:.1f}"


def _points(points: list[Point]) -> str:
    return " ".join(f"{number_text(x)},{number_text(y)}" for x, y in points)


def score_text(value: float | None, signed: bool = False) -> str:
    """One decimal, rounded half up and in the active language's notation, like the templates' floatformat;
    `signed` puts a plus before a positive number (a perception gap)."""
    if value is None:
        return "–"
    text = floatformat(value, 1)
    return f"+{text}" if signed and value > 0 else text


def _marker(style: Style, x: float, y: float, tooltip: str, size: float = 8) -> str:
    if style.marker == "circle":
        shape = format_html(
            '<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#fff" stroke-width="1">',
            number_text(x),
            number_text(y),
            number_text(size / 2),
            style.colour,
        )
        return format_html("{}<title>{}</title></circle>", shape, tooltip)
    return format_html(
        '<polygon points="{}" fill="{}" stroke="#fff" stroke-width="1"><title>{}</title></polygon>',
        _points(marker_polygon(style.marker, x, y, size)),
        style.colour,
        tooltip,
    )


def line_path(style: Style, points: list[Point], width: float | None = None) -> str:
    dash = format_html(' stroke-dasharray="{}"', " ".join(number_text(d) for d in style.dash)) if style.dash else ""
    return format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round"{}/>',
        _points(points),
        style.colour,
        number_text(width or style.width),
        dash,
    )


def _series(series: Series, points: list[Point | None], closed: bool, axis_labels: list[str]) -> str:
    parts = [line_path(series.style, run) for run in runs(points, closed)]
    for point, label, value in zip(points, axis_labels, series.values, strict=True):
        if point is not None:
            parts.append(_marker(series.style, *point, f"{series.label}, {label}: {score_text(value)}"))
    return format_html('<g class="series series-{}">{}</g>', series.key, _join(parts))


def legend_block(series: list[Series], top: float, width: float, columns: int) -> tuple[str, float]:
    """Swatches (line sample with its marker) and names in rows; returns the SVG and its height."""
    column_width = width / columns
    parts = []
    for index, one in enumerate(series):
        x = 10 + column_width * (index % columns)
        y = top + 18 * (index // columns) + 9
        parts.append(line_path(one.style, [(x, y), (x + 34, y)]))
        parts.append(_marker(one.style, x + 17, y, one.label))
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                number_text(x + 42),
                number_text(y + 4),
                TEXT_COLOUR,
                one.label,
            )
        )
    rows = math.ceil(len(series) / columns)
    return format_html('<g class="legend">{}</g>', _join(parts)), 18 * rows + 6


def svg_document(width: float, height: float, title: str, description: str, body: str, css_class: str) -> SafeString:
    prefix = f"chart-{next(_ids)}"
    return format_html(
        '<svg class="chart {}" viewBox="0 0 {} {}" role="img" aria-labelledby="{}-title {}-desc" '
        'xmlns="http://www.w3.org/2000/svg" font-family="DejaVu Sans, Verdana, sans-serif">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        css_class,
        number_text(width),
        number_text(height),
        prefix,
        prefix,
        prefix,
        title,
        prefix,
        description,
        body,
    )


def radar_svg(axis_labels: list[str], series: list[Series], title: str, description: str) -> SafeString:
    """A radar of scores 0-100 on len(axis_labels) spokes, one ring per series, with a legend below."""
    size, radius = 420.0, 160.0
    centre = (size / 2, size / 2)
    spokes = len(axis_labels)
    parts = []
    for level in SCALE[1:]:
        ring = [radar_spoke(i, spokes, radius * level / 100, centre) for i in range(spokes)]
        parts.append(
            format_html('<polygon points="{}" fill="none" stroke="{}" stroke-width="1"/>', _points(ring), GRID_COLOUR)
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="10" fill="{}" text-anchor="start">{}</text>',
                number_text(centre[0] + 3),
                number_text(centre[1] - radius * level / 100 + 11),
                AXIS_COLOUR,
                level,
            )
        )
    for index, label in enumerate(axis_labels):
        end = radar_spoke(index, spokes, radius, centre)
        x, y = radar_spoke(index, spokes, radius + 16, centre)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>',
                number_text(centre[0]),
                number_text(centre[1]),
                number_text(end[0]),
                number_text(end[1]),
                AXIS_COLOUR,
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" font-weight="bold" fill="{}" text-anchor="middle">{}</text>',
                number_text(x),
                number_text(y + 5),
                TEXT_COLOUR,
                label,
            )
        )
    for one in series:
        parts.append(_series(one, radar_points(one.values, radius, centre), True, axis_labels))
    legend, legend_height = legend_block(series, size - 8, size, 2)
    parts.append(legend)
    return svg_document(size, size - 8 + legend_height, title, description, _join(parts), "chart-radar")


def line_svg(
    categories: list[str],
    series: list[Series],
    title: str,
    description: str,
    width: float = 520,
    height: float = 260,
    legend: bool = True,
) -> SafeString:
    """Scores 0-100 (y) over categories such as cycles (x), one line per series."""
    left, right, top, bottom = 36.0, 16.0, 12.0, 28.0
    plot_width, plot_height = width - left - right, height - top - bottom
    step = plot_width / max(len(categories) - 1, 1)

    def x_at(index: int) -> float:
        return left + (step * index if len(categories) > 1 else plot_width / 2)

    def y_at(value: float) -> float:
        return top + plot_height * (1 - max(0.0, min(value, 100)) / 100)

    parts = []
    for level in SCALE:
        y = y_at(level)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
                '<text x="{}" y="{}" font-size="11" fill="{}" text-anchor="end">{}</text>',
                number_text(left),
                number_text(y),
                number_text(width - right),
                number_text(y),
                GRID_COLOUR,
                number_text(left - 5),
                number_text(y + 4),
                AXIS_COLOUR,
                level,
            )
        )
    for index, category in enumerate(categories):
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="11" fill="{}" text-anchor="middle">{}</text>',
                number_text(x_at(index)),
                number_text(height - bottom + 16),
                TEXT_COLOUR,
                category,
            )
        )
    for one in series:
        points = [None if value is None else (x_at(i), y_at(value)) for i, value in enumerate(one.values)]
        parts.append(_series(one, points, False, categories))
    total_height = height
    if legend and series:
        legend_svg, legend_height = legend_block(series, height, width, 3)
        parts.append(legend_svg)
        total_height += legend_height
    return svg_document(width, total_height, title, description, _join(parts), "chart-line")


def bar_svg(
    labels: list[str],
    values: list[float | None],
    title: str,
    description: str,
    reference: tuple[float, str] | None = None,
) -> SafeString:
    """Horizontal bars of scores 0-100, one per label, the value written at the end of each bar; `reference` adds
    a dashed line such as a threshold, with its name."""
    width, label_width, row = 560.0, 170.0, 24.0
    plot_width = width - label_width - 56
    top = 22.0 if reference else 6.0
    height = top + row * len(labels) + 6
    parts = []
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + row * index
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="{}" text-anchor="end">{}</text>',
                number_text(label_width - 6),
                number_text(y + 16),
                TEXT_COLOUR,
                label,
            )
        )
        if value is not None:
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    number_text(label_width),
                    number_text(y + 4),
                    number_text(plot_width * max(0.0, min(value, 100)) / 100),
                    number_text(row - 8),
                    BAR_COLOUR,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" fill="{}">{}</text>',
                number_text(label_width + plot_width * max(0.0, min(value or 0, 100)) / 100 + 4),
                number_text(y + 16),
                TEXT_COLOUR,
                score_text(value),
            )
        )
    if reference is not None:
        level, name = reference
        x = label_width + plot_width * level / 100
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2" stroke-dasharray="5 3"/>'
                '<text x="{}" y="14" font-size="11" fill="{}" text-anchor="middle">{}</text>',
                number_text(x),
                number_text(top - 2),
                number_text(x),
                number_text(height - 4),
                TEXT_COLOUR,
                number_text(x),
                TEXT_COLOUR,
                name,
            )
        )
    return svg_document(width, height, title, description, _join(parts), "chart-bar")
