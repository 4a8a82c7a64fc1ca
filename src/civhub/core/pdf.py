"""What every PDF of the hub shares: the fonts it embeds (the upright faces of Source Sans Pro,
which cover Latin, Cyrillic and the Kazakh letters), the colours, paragraph styles, and text
and dates made ready for reportlab in the active language."""

import os
from datetime import date, datetime
from functools import cache
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

AUTHOR = "civhub"
INK = colors.HexColor("#1f3a5f")
MUTED = colors.HexColor("#5a6270")
RULE = colors.HexColor("#c9ced6")

FONT = "CivhubSans"
FONT_SEMIBOLD = "CivhubSans-Semibold"
FONT_BOLD = "CivhubSans-Bold"
WEIGHTS = {"regular": FONT, "semibold": FONT_SEMIBOLD, "bold": FONT_BOLD}


@cache
def fonts() -> str:
    """Register Source Sans Pro with reportlab, once per process; the regular face's name.

    The TTF files ship with the `font-source-sans-pro` package: nothing is fetched. Only the
    upright faces cover Cyrillic and Kazakh (the package's italics have Latin letters only),
    so the documents use no italics: the family's italic is the upright face."""
    import font_source_sans_pro

    folder = os.path.join(os.path.dirname(font_source_sans_pro.__file__), "files")
    faces = {
        FONT: "SourceSansPro-Regular.ttf",
        FONT_SEMIBOLD: "SourceSansPro-Semibold.ttf",
        FONT_BOLD: "SourceSansPro-Bold.ttf",
    }
    for name, filename in faces.items():
        pdfmetrics.registerFont(TTFont(name, os.path.join(folder, filename)))
    pdfmetrics.registerFontFamily(
        FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD
    )
    return FONT


def paragraph_style(name: str, size: float, weight: str = "regular", **kwargs) -> ParagraphStyle:
    return ParagraphStyle(
        name,
        fontName=WEIGHTS[weight],
        fontSize=size,
        leading=kwargs.pop("leading", size * 1.25),
        **kwargs,
    )


def markup(value) -> str:
    """Plain text made safe for reportlab's paragraph markup, line breaks kept."""
    return escape(str(value or "")).replace("\r\n", "\n").replace("\n", "<br/>")


def day(value: date | datetime | None) -> str:
    """A date in the active language, e.g. "12 May 2026", "12 мая 2026"."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return formats.date_format(value, "j E Y")
