"""PDF documents (certificates, reports) with a font that writes Bosnian, Croatian, Serbian Cyrillic, Macedonian
and Albanian letters: ReportLab's built-in fonts know only Latin-1."""

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent / "fonts"
REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"


@cache
def register_fonts() -> tuple[str, str]:
    """Register the shipped DejaVu fonts once per process; returns (regular, bold) font names."""
    for name in (REGULAR, BOLD):
        pdfmetrics.registerFont(TTFont(name, FONT_DIR / f"{name}.ttf"))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return REGULAR, BOLD
