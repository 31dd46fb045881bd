"""The fleet map and the telemetry and usage charts, drawn on the server as SVG: no tiles, no CDN, no script.

The line and legend pieces, the series styles and the SVG frame (title and description for screen readers) are
those of `governance.charts`; what differs is that telemetry has a time axis and its own units, so the y axis is
scaled to the data. Every chart has a data table beside it on the page; the map has the bench list."""

import math
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from civiclink.benches.health import State
from civiclink.governance.charts import (
    AXIS_COLOUR,
    GRID_COLOUR,
    TEXT_COLOUR,
    Series,
    Style,
    legend_block,
    line_path,
    marker_polygon,
    number_text,
    runs,
    svg_document,
)

# Okabe-Ito and Tol colours, each at least 3:1 against white; dash and marker tell the series apart without colour.
STYLES = (
    Style("#0072B2", (), "circle"),
    Style("#D55E00", (7, 4), "square"),
    Style("#117733", (2, 3), "triangle"),
)
MARKERS_UP_TO = 31  # points per series: beyond this (a week of hours) the line goes without markers
WIDTH, HEIGHT = 640.0, 220.0
LEFT, RIGHT, TOP, BOTTOM = 48.0, 16.0, 12.0, 30.0


def series(key: str, label: str, values: list[float | None], index: int) -> Series:
    return Series(key, label, values, STYLES[index % len(STYLES)])


def nice_scale(low: float, high: float, steps: int = 4) -> list[float]:
    """Round tick values from at most `low` to at least `high` (1, 2, 2.5 or 5 times a power of ten apart)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / steps
    power = 10 ** math.floor(math.log10(raw))
    step = next(factor * power for factor in (1, 2, 2.5, 5, 10) if factor * power >= raw)
    start = math.floor(low / step) * step
    ticks = [start]
    while ticks[-1] < high - 1e-9:
        ticks.append(ticks[-1] + step)
    return ticks


def tick_text(value: float) -> str:
    return f"{value:g}"


def _t(text) -> str:
    """Text for the SVG, escaped. The charts are built with plain string joins, not format_html: a week of hours
    is hundreds of pieces, and every value but the texts is a number this module computed."""
    return escape(str(text))


def _grid(ticks: list[float], y_at) -> list[str]:
    return [
        f'<line x1="{LEFT:.1f}" y1="{y_at(tick):.1f}" x2="{WIDTH - RIGHT:.1f}" y2="{y_at(tick):.1f}" '
        f'stroke="{GRID_COLOUR}" stroke-width="1"/><text x="{LEFT - 5:.1f}" y="{y_at(tick) + 4:.1f}" font-size="11" '
        f'fill="{AXIS_COLOUR}" text-anchor="end">{tick_text(tick)}</text>'
        for tick in ticks
    ]


def _axis_label(x: float, text: str) -> str:
    return (
        f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 18:.1f}" font-size="11" fill="{TEXT_COLOUR}" '
        f'text-anchor="middle">{_t(text)}</text>'
    )


def _dot(style: Style, x: float, y: float, tooltip: str) -> str:
    """A data point in the series' marker shape, with its value as a tooltip."""
    if style.marker == "circle":
        shape = f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{style.colour}" stroke="#fff" stroke-width="1">'
        return f"{shape}<title>{_t(tooltip)}</title></circle>"
    outline = " ".join(f"{px:.1f},{py:.1f}" for px, py in marker_polygon(style.marker, x, y, 6))
    return (
        f'<polygon points="{outline}" fill="{style.colour}" stroke="#fff" stroke-width="1">'
        f"<title>{_t(tooltip)}</title></polygon>"
    )


def time_line_svg(
    categories: list[str],
    lines: list[Series],
    title: str,
    description: str,
    bounds: tuple[float | None, float | None] = (None, None),
    label_every: int = 1,
) -> SafeString:
    """Values over regular time buckets (x: `categories`, one label every `label_every`), one line per series;
    `bounds` fixes the y axis where the quantity has natural limits (0 to 100 per cent)."""
    values = [value for one in lines for value in one.values if value is not None]
    low = bounds[0] if bounds[0] is not None else min(values, default=0)
    high = bounds[1] if bounds[1] is not None else max(values, default=1)
    ticks = nice_scale(low, high)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_width / max(len(categories) - 1, 1)

    def x_at(index: int) -> float:
        return LEFT + step * index

    def y_at(value: float) -> float:
        return TOP + plot_height * (1 - (value - ticks[0]) / (ticks[-1] - ticks[0]))

    parts = _grid(ticks, y_at)
    parts += [_axis_label(x_at(i), category) for i, category in enumerate(categories) if i % label_every == 0]
    for one in lines:
        points = [None if value is None else (x_at(i), y_at(value)) for i, value in enumerate(one.values)]
        drawn = [str(line_path(one.style, run, 1.5)) for run in runs(points, False)]
        if len(points) <= MARKERS_UP_TO:
            drawn += [
                _dot(one.style, *point, f"{one.label}, {category}: {value:g}")
                for point, category, value in zip(points, categories, one.values, strict=True)
                if point is not None
            ]
        parts.append(f'<g class="series series-{_t(one.key)}">{"".join(drawn)}</g>')
    total = HEIGHT
    if len(lines) > 1:
        legend, legend_height = legend_block(lines, HEIGHT, WIDTH, 3)
        parts.append(str(legend))
        total += legend_height
    body = mark_safe("".join(parts))  # noqa: S308 (numbers, fixed strings and escaped texts)
    return svg_document(WIDTH, total, title, description, body, "chart-line bench-chart")


@dataclass(frozen=True)
class Stack:
    """One layer of a stacked bar chart."""

    label: str
    values: list[int]
    colour: str


def stacked_bars_svg(
    categories: list[str], stacks: list[Stack], title: str, description: str, label_every: int = 1
) -> SafeString:
    """Counts per category (a day) as vertical bars, the layers stacked bottom up, with a legend; the layers are
    told apart by colour and by a white gap between them."""
    totals = [sum(layer) for layer in zip(*(stack.values for stack in stacks), strict=True)]
    ticks = nice_scale(0, max(totals, default=0) or 1)
    plot_width, plot_height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(categories), 1)

    def y_at(value: float) -> float:
        return TOP + plot_height * (1 - value / ticks[-1])

    parts = _grid(ticks, y_at)
    for index, category in enumerate(categories):
        x = LEFT + slot * index
        base = 0
        for stack in stacks:
            value = stack.values[index]
            if value:
                parts.append(
                    f'<rect x="{x + slot * 0.15:.1f}" y="{y_at(base + value):.1f}" width="{slot * 0.7:.1f}" '
                    f'height="{y_at(base) - y_at(base + value):.1f}" fill="{stack.colour}" stroke="#fff" '
                    f'stroke-width="1"><title>{_t(stack.label)}, {_t(category)}: {value}</title></rect>'
                )
            base += value
        if index % label_every == 0:
            parts.append(_axis_label(x + slot / 2, category))
    for index, stack in enumerate(stacks):
        x = LEFT + 160 * index
        parts.append(
            f'<rect x="{x:.1f}" y="{HEIGHT + 2:.1f}" width="14" height="14" fill="{stack.colour}"/>'
            f'<text x="{x + 20:.1f}" y="{HEIGHT + 13:.1f}" font-size="12" fill="{TEXT_COLOUR}">{_t(stack.label)}</text>'
        )
    body = mark_safe("".join(parts))  # noqa: S308 (numbers, fixed strings and escaped texts)
    return svg_document(WIDTH, HEIGHT + 22, title, description, body, "chart-bar bench-chart")


# --- The fleet map ------------------------------------------------------------------------------------------------

# How each health state is drawn: colour (at least 3:1 against the map's background) and shape.
MAP_STYLES = {
    State.ONLINE: Style("#117733", (), "circle"),
    State.LOW_BATTERY: Style("#B34700", (), "square"),
    State.NO_SOLAR: Style("#7A5C00", (), "triangle"),
    State.OFFLINE: Style("#3D4652", (), "plus"),
    State.TAMPER: Style("#AA3377", (), "diamond"),
    State.NOT_IN_SERVICE: Style("#5F6B7A", (), "hollow"),
}
DRAW_ORDER = (State.NOT_IN_SERVICE, State.ONLINE, State.NO_SOLAR, State.LOW_BATTERY, State.OFFLINE, State.TAMPER)
MAP_WIDTH = 640.0
MAP_PADDING = 16.0
MIN_SPAN = 0.02  # degrees: a single bench or a tight cluster is not blown up to the whole map


@dataclass(frozen=True)
class Point:
    latitude: float
    longitude: float
    url: str  # a path the site made (not escaped again)
    name: str  # the link's accessible name: the bench and its state
    state: str


def _box(points: list[Point]) -> tuple[float, float, float, float]:
    """The region: the bounding box of the points, at least MIN_SPAN wide and high, a tenth bigger each way."""
    south, north = min(p.latitude for p in points), max(p.latitude for p in points)
    west, east = min(p.longitude for p in points), max(p.longitude for p in points)
    middle_lat, middle_lon = (south + north) / 2, (west + east) / 2
    half_lat = max(north - south, MIN_SPAN) * 0.55
    half_lon = max(east - west, MIN_SPAN) * 0.55
    return middle_lat - half_lat, middle_lat + half_lat, middle_lon - half_lon, middle_lon + half_lon


def project(points: list[Point]) -> tuple[list[tuple[float, float]], float]:
    """Equirectangular projection into the region's box (longitudes shrunk by the cosine of the latitude, which
    is true enough over a country); the points' (x, y) and the map's height."""
    south, north, west, east = _box(points)
    shrink = math.cos(math.radians((south + north) / 2))
    width_units, height_units = (east - west) * shrink, north - south
    scale = min((MAP_WIDTH - 2 * MAP_PADDING) / width_units, (MAP_WIDTH - 2 * MAP_PADDING) / height_units)
    height = height_units * scale + 2 * MAP_PADDING
    left = (MAP_WIDTH - width_units * scale) / 2
    return [
        (left + (p.longitude - west) * shrink * scale, MAP_PADDING + (north - p.latitude) * scale) for p in points
    ], height


def _map_marker(style: Style, x: float, y: float) -> str:
    if style.marker == "circle":
        return format_html(
            '<circle cx="{}" cy="{}" r="5" fill="{}" stroke="#fff"/>', number_text(x), number_text(y), style.colour
        )
    if style.marker == "hollow":
        return format_html(
            '<circle cx="{}" cy="{}" r="4.5" fill="#fff" stroke="{}" stroke-width="2"/>',
            number_text(x),
            number_text(y),
            style.colour,
        )
    outline = " ".join(f"{number_text(px)},{number_text(py)}" for px, py in marker_polygon(style.marker, x, y, 11))
    return format_html('<polygon points="{}" fill="{}" stroke="#fff"/>', outline, style.colour)


def legend_mark(state: str) -> SafeString:
    """The marker of `state` on its own, for the map's legend (decorative: the legend names the state)."""
    return format_html(
        '<svg class="legend-mark" viewBox="0 0 14 14" width="14" height="14" aria-hidden="true" focusable="false">'
        "{}</svg>",
        _map_marker(MAP_STYLES[state], 7, 7),
    )


def map_svg(points: list[Point], label: str) -> SafeString:
    """The benches on a plain background, each a link to its page named by `Point.name`, the worst drawn last so
    that it stays visible where benches overlap. Each marker is defined once and placed with <use>: a thousand
    benches make a small document, built with plain string joins (names escaped)."""
    if not points:
        return SafeString("")
    points = sorted(points, key=lambda point: DRAW_ORDER.index(point.state))
    positions, height = project(points)
    defs = "".join(f'<g id="map-{state}">{_map_marker(style, 0, 0)}</g>' for state, style in MAP_STYLES.items())
    links = "".join(
        f'<a href="{point.url}" aria-label="{escape(point.name)}">'
        f'<use href="#map-{point.state}" x="{x:.1f}" y="{y:.1f}"/></a>'
        for point, (x, y) in zip(points, positions, strict=True)
    )
    return mark_safe(  # noqa: S308 (every value above is a number, a fixed string or escaped)
        f'<svg class="bench-map" viewBox="0 0 {MAP_WIDTH:.1f} {height:.1f}" role="group" aria-label="{escape(label)}" '
        f'xmlns="http://www.w3.org/2000/svg"><defs>{defs}</defs>'
        f'<rect width="100%" height="100%" fill="#eef2f5" stroke="{GRID_COLOUR}"/>{links}</svg>'
    )
