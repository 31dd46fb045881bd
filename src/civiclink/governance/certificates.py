"""The certificate of a label or of a recognition: one A4 landscape page in the visitor's language, written with the
DejaVu fonts so that "Žepče" and "Требиње" print as they are spelled."""

import math
from dataclasses import dataclass
from io import BytesIO
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from civiclink.governance.models import Campaign, Decision
from civiclink.governance.pdf import register_fonts

BRAND = colors.HexColor("#1f4e79")
GOLD = colors.HexColor("#c9a227")


@dataclass(frozen=True)
class Line:
    """A line of the certificate; `kind` chooses its style."""

    text: str
    kind: str = "body"


def number(campaign: Campaign) -> str:
    return f"ELoGE-{campaign.cycle.year}-{campaign.pk}"


def _date(day) -> str:
    return formats.date_format(day, "DATE_FORMAT")


def lines(campaign: Campaign) -> list[Line]:
    """What the certificate says, in the active language: a label or a recognition, never anything else. Lines end
    without a full stop: dates in several of our languages end with one."""
    if campaign.decision not in {Decision.LABEL, Decision.RECOGNITION}:
        raise ValueError(f"campaign {campaign.pk} has no certificate: {campaign.decision}")
    label = campaign.decision == Decision.LABEL
    text = [
        Line(
            _("European Label of Governance Excellence")
            if label
            else _("Recognition for completing the ELoGE self-assessment"),
            "title",
        ),
        Line(_("awarded to") if label else _("presented to")),
        Line(campaign.municipality.display_name, "name"),
        Line(
            _("for good democratic governance measured against the 12 Principles of Good Democratic Governance")
            if label
            else _("for assessing itself against the 12 Principles of Good Democratic Governance")
        ),
        Line(_("Cycle: %(cycle)s") % {"cycle": campaign.cycle.name}),
        Line(_("Stakeholders' platform: %(platform)s") % {"platform": campaign.cycle.platform.name}),
    ]
    if label:
        text.append(
            Line(
                _("The label is valid from %(start)s to %(end)s")
                % {"start": _date(campaign.label_valid_from), "end": _date(campaign.label_valid_until)},
                "strong",
            )
        )
    if campaign.decided_at:
        text.append(
            Line(
                _("Decided by the evaluation committee on %(date)s")
                % {"date": _date(timezone.localtime(campaign.decided_at).date())}
            )
        )
    text.append(Line(_("Certificate number: %(number)s") % {"number": number(campaign)}, "small"))
    return text


def _styles() -> dict[str, ParagraphStyle]:
    regular, bold = register_fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=13, leading=18, alignment=TA_CENTER, spaceAfter=6)
    return {
        "title": ParagraphStyle("title", base, fontName=bold, fontSize=26, leading=32, textColor=BRAND, spaceAfter=14),
        "body": base,
        "name": ParagraphStyle("name", base, fontName=bold, fontSize=34, leading=42, spaceBefore=6, spaceAfter=12),
        "strong": ParagraphStyle("strong", base, fontName=bold),
        "small": ParagraphStyle("small", base, fontSize=9, leading=12, textColor=colors.HexColor("#4a5563")),
    }


def _decorate(canvas, doc) -> None:
    """A double border and a ring of twelve stars, one for each principle."""
    width, height = doc.pagesize
    canvas.saveState()
    canvas.setStrokeColor(BRAND)
    canvas.setLineWidth(3)
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.setStrokeColor(GOLD)
    canvas.setLineWidth(1)
    canvas.rect(13 * mm, 13 * mm, width - 26 * mm, height - 26 * mm)
    canvas.setFillColor(GOLD)
    centre_x, centre_y, ring = width / 2, height - 34 * mm, 12 * mm
    for index in range(12):
        angle = math.pi / 2 - index * math.pi / 6
        _star(canvas, centre_x + ring * math.cos(angle), centre_y + ring * math.sin(angle), 2.2 * mm)
    canvas.restoreState()


def _star(canvas, x: float, y: float, radius: float) -> None:
    path = canvas.beginPath()
    for point in range(10):
        reach = radius if point % 2 == 0 else radius * 0.4
        angle = math.pi / 2 + point * math.pi / 5
        (path.moveTo if point == 0 else path.lineTo)(x + reach * math.cos(angle), y + reach * math.sin(angle))
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def render(campaign: Campaign, *, compress: bool = True) -> bytes:
    """The certificate as PDF bytes; `compress=False` leaves the page text readable in the file (for tests)."""
    styles = _styles()
    buffer = BytesIO()
    content = lines(campaign)
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        topMargin=52 * mm,
        bottomMargin=20 * mm,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        title=content[0].text,
        subject=f"{campaign.municipality.display_name}, {campaign.cycle.name}",
        author=campaign.cycle.platform.name,
        creator="CivicLink",
        lang=get_language(),
        pageCompression=1 if compress else 0,
    )
    story = []
    for line in content:
        if line.kind == "small":
            story.append(Spacer(0, 6 * mm))
        story.append(Paragraph(escape(line.text), styles[line.kind]))
    document.build(story, onFirstPage=_decorate)
    return buffer.getvalue()
