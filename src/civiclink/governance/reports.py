"""The printable results report (A4 PDF) in the visitor's language: the facts, the radar chart, the table of
scores and gaps, the strongest and weakest principles, and the label's rules met and not met.

`report_content` is the report as a list of blocks; `report_pdf` lays them out. Tests read the first.
"""

import datetime
import io
import math
from xml.sax.saxutils import escape

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Circle, Drawing, Group, Polygon, PolyLine, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.flowables import Flowable

from civiclink.governance import charts, pdf
from civiclink.governance.models import Source
from civiclink.governance.scoring import Results

TABLE_GAPS = (Source.CITIZENS, Source.COUNCILLORS)
MARGIN = 16 * mm
PRINCIPLE_COLUMN = 38 * mm


def _principle(result) -> str:
    return f"{result.number}. {result.principle.localised('name')}"


def report_content(results: Results, today: datetime.date) -> list[tuple[str, str]]:
    """The report's blocks in order, as (kind, text): kinds are title, text, heading, item, chart and table."""
    campaign = results.campaign
    blocks = [
        (
            "title",
            _("ELoGE results: %(municipality)s") % {"municipality": campaign.municipality.display_name},
        ),
        (
            "text",
            _("Cycle: %(cycle)s (%(year)s), benchmark: %(benchmark)s")
            % {"cycle": campaign.cycle.name, "year": campaign.cycle.year, "benchmark": campaign.cycle.benchmark},
        ),
        ("text", _("Report of %(date)s") % {"date": date_format(today, "DATE_FORMAT")}),
        ("text", _("Overall score: %(score)s of 100") % {"score": charts.score_text(results.overall)}),
        (
            "text",
            _("Responses: %(citizens)s citizens, %(councillors)s councillors, %(staff)s municipal staff")
            % {audience: results.responses[audience] for audience in ("citizens", "councillors", "staff")},
        ),
        ("chart", _("Scores of the 12 principles by source (0 to 100)")),
        ("table", _("Scores, numbers of answers and perception gaps")),
        ("heading", _("Strongest principles")),
        *[("item", f"{_principle(result)}: {charts.score_text(result.combined)}") for result in results.strongest()],
        ("heading", _("Weakest principles")),
        *[("item", f"{_principle(result)}: {charts.score_text(result.combined)}") for result in results.weakest()],
        ("heading", _("Rules of the label")),
        *[
            ("item", (_("Met: %(rule)s") if rule.met else _("Not met: %(rule)s")) % {"rule": rule.description})
            for rule in results.rules
        ],
    ]
    return blocks


def table_rows(results: Results) -> list[list[str]]:
    """Header and one row per principle: each source's "score (answers)", combined, and two gaps."""
    header = [_("Principle"), *(capfirst(source.label) for source in Source), _("Combined")]
    header += [_("Gap: self − %(source)s") % {"source": source.label} for source in TABLE_GAPS]
    body = [
        [
            _principle(result),
            *(
                f"{charts.score_text(result.sources[source].score)} ({result.sources[source].count})"
                for source in Source
            ),
            charts.score_text(result.combined),
            *(charts.score_text(result.gaps[source], signed=True) for source in TABLE_GAPS),
        ]
        for result in results.principles
    ]
    return [header, *body]


def radar_drawing(results: Results, font: str, size: float = 120 * mm) -> Drawing:
    """The radar of `charts` drawn with ReportLab shapes: positions are computed as for the SVG (y down, the
    legend below the chart) and turned over into ReportLab's y-up coordinates."""
    series = charts.source_series(results)
    legend_height = 14 * math.ceil(len(series) / 3) + 6
    height = size + legend_height
    drawing = Drawing(size, height)
    radius = size / 2 - 22
    centre = (size / 2, size / 2)

    def turn(point: charts.Point) -> charts.Point:
        return point[0], height - point[1]

    def flat(points: list[charts.Point]) -> list[float]:
        return [coordinate for point in points for coordinate in turn(point)]

    grey, axis = colors.HexColor(charts.GRID_COLOUR), colors.HexColor(charts.AXIS_COLOUR)
    spokes = len(results.principles)
    for level in charts.SCALE[1:]:
        ring = [charts.radar_spoke(i, spokes, radius * level / 100, centre) for i in range(spokes)]
        drawing.add(Polygon(flat(ring), strokeColor=grey, fillColor=None, strokeWidth=0.6))
        x, y = turn((centre[0] + 2, centre[1] - radius * level / 100 + 8))
        drawing.add(String(x, y, str(level), fontName=font, fontSize=6, fillColor=axis))
    for index, result in enumerate(results.principles):
        drawing.add(PolyLine(flat([centre, charts.radar_spoke(index, spokes, radius, centre)]), strokeColor=axis))
        x, y = turn(charts.radar_spoke(index, spokes, radius + 10, centre))
        drawing.add(String(x, y - 3, str(result.number), fontName=font, fontSize=8, textAnchor="middle"))
    for one in series:
        drawing.add(_series_group(one.style, charts.radar_points(one.values, radius, centre), True, flat))
    for index, one in enumerate(series):
        x, y = 6 + (size / 3) * (index % 3), size + 10 + 14 * (index // 3)
        drawing.add(_series_group(one.style, [(x, y), (x + 26, y)], False, flat))
        drawing.add(String(*turn((x + 32, y + 3)), one.label, fontName=font, fontSize=8))
    return drawing


def _series_group(style: charts.Style, points: list[charts.Point | None], closed: bool, flat) -> Group:
    """A series' lines and markers, placed in chart coordinates and turned by `flat` into ReportLab's."""
    colour = colors.HexColor(style.colour)
    group = Group()
    for run in charts.runs(points, closed):
        group.add(
            PolyLine(flat(run), strokeColor=colour, strokeWidth=style.width * 0.6, strokeDashArray=list(style.dash))
        )
    for point in points:
        if point is None:
            continue
        if style.marker == "circle":
            x, y = flat([point])
            group.add(Circle(x, y, 2.5, fillColor=colour, strokeColor=colors.white, strokeWidth=0.5))
        else:
            outline = flat(charts.marker_polygon(style.marker, *point, 5.5))
            group.add(Polygon(outline, fillColor=colour, strokeColor=colors.white, strokeWidth=0.5))
    return group


class _Radar(Flowable):
    def __init__(self, drawing: Drawing):
        super().__init__()
        self.drawing = drawing
        self.width, self.height = drawing.width, drawing.height

    def draw(self):
        self.drawing.drawOn(self.canv, 0, 0)


def report_pdf(results: Results, today: datetime.date) -> bytes:
    regular, bold = pdf.register_fonts()
    styles = {
        "title": ParagraphStyle("title", fontName=bold, fontSize=17, leading=21, spaceAfter=6),
        "heading": ParagraphStyle("heading", fontName=bold, fontSize=12, leading=15, spaceBefore=8, spaceAfter=3),
        "text": ParagraphStyle("text", fontName=regular, fontSize=10, leading=13),
        "item": ParagraphStyle("item", fontName=regular, fontSize=10, leading=13, leftIndent=10, bulletIndent=0),
        "cell": ParagraphStyle("cell", fontName=regular, fontSize=7.5, leading=9),
        "head": ParagraphStyle("head", fontName=bold, fontSize=7, leading=8.5, embeddedHyphenation=1),
    }
    content = report_content(results, today)
    story = []
    for kind, text in content:
        if kind == "chart":
            story += [Paragraph(escape(text), styles["heading"]), _Radar(radar_drawing(results, regular))]
        elif kind == "table":
            rows = table_rows(results)
            cells = [[Paragraph(escape(cell), styles["head"]) for cell in rows[0]]]
            cells += [[Paragraph(escape(cell), styles["cell"]) for cell in row] for row in rows[1:]]
            others = (A4[0] - 2 * MARGIN - PRINCIPLE_COLUMN) / (len(rows[0]) - 1)
            table = Table(cells, colWidths=[PRINCIPLE_COLUMN] + [others] * (len(rows[0]) - 1), repeatRows=1)
            table.setStyle(
                TableStyle(
                    [
                        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.HexColor("#1f4e79")),
                        ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor(charts.GRID_COLOUR)),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 3),
                        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                    ]
                )
            )
            story += [KeepTogether([Paragraph(escape(text), styles["heading"]), table])]
        elif kind == "item":
            story.append(Paragraph(escape(text), styles["item"], bulletText="•"))
        else:
            story.append(Paragraph(escape(text), styles[kind]))
        if kind == "title":
            story.append(Spacer(1, 2 * mm))
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=content[0][1],
        author="CivicLink",
        lang=get_language(),
    )
    document.build(story)
    return output.getvalue()
