"""Certificates, for whatever an app certifies (the award scheme's winners now, an event's
participants next): the unguessable code, the public verification page, and the PDF in the
reader's language with the verification address in full and as a QR code.

An app keeps its certificates in a model of its own that extends `core.models.CertificateBase`
(the code, who issued it and when, plus the record it is for), and describes them once as a
`CertificateKind`: what a certificate states (`Statement`, made in the active language, so the
page and the PDF speak the reader's language), where its list lives and how its files are
named. Then:

    KIND = CertificateKind(model=EventCertificate, namespace="events", statement=..., ...)
    certificate = issue(EventCertificate, actor, registration=r)  # for the record it is for
    KIND.verify(code)                        # the certificate with code C, or None
    KIND.pdf(certificate, request, "kk")     # its PDF in a language
    urlpatterns = [*KIND.urls()]             # <namespace>:certificate_verify, :certificate_pdf

Who may issue is the app's service's question; verifying is for anyone with the code.
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import Paragraph

from civhub.core.models import CertificateBase
from civhub.core.pdf import AUTHOR, FONT, INK, MUTED, day, fonts, markup, paragraph_style

C = TypeVar("C", bound=CertificateBase)

#: the longest code `new_verification_code` makes, and the column holds
CODE_LENGTH = 43
PDF = "application/pdf"


def issue(model: type[C], issued_by: Any, **subject: Any) -> C:
    """A new certificate of `model` for `subject` (its own fields: the record it is for),
    with a fresh unguessable code. The caller's service checks who may issue, and when."""
    # CertificateBase is abstract (no manager); each concrete certificate model has `objects`
    return model.objects.create(issued_by=issued_by, **subject)  # type: ignore[attr-defined]


def verify(source: type[C] | QuerySet[C], code: str) -> C | None:
    """The certificate with this code (`source`: the model or a queryset of it), for anyone to
    check; None when there is none, or the code could be no certificate's."""
    if not code or len(code) > CODE_LENGTH:
        return None
    queryset = source.objects.all() if isinstance(source, type) else source  # type: ignore[attr-defined]
    return queryset.filter(code=code).first()


@dataclass
class Detail:
    """One fact of the verification page: a label and its value, a link, and the value's
    language: a code, "" for the page's language, or None when unknown (told by its script)."""

    label: str
    value: str
    url: str = ""
    lang: str | None = ""


@dataclass
class Statement:
    """What a certificate states, in the active language; the PDF and the verification page
    say the same."""

    certificate: CertificateBase
    #: what it is for (a solution, an event): the PDF's title
    title: str
    #: whom it names, as printed (e.g. "Civil Service Agency, Georgia")
    holder: str
    #: where it was given (the call, the event), and the distinction (a prize, a role)
    context: str = ""
    distinction: str = ""
    date: date | datetime | None = None
    #: the page's facts, above the issue date and the code
    details: list[Detail] = field(default_factory=list)
    #: (address, text) of the pages to read on
    links: list[tuple[str, str]] = field(default_factory=list)


def _absolute(request_or_base_url: HttpRequest | str, path: str) -> str:
    if isinstance(request_or_base_url, str):
        return request_or_base_url.rstrip("/") + path
    return request_or_base_url.build_absolute_uri(path)


@dataclass(frozen=True)
class CertificateKind:
    """One app's certificates, described once for core's page, PDF and URLs."""

    model: type[CertificateBase]
    #: the app's URL namespace, where `urls()` are mounted
    namespace: str
    #: the programme that issues them ("Innovative Solutions Scheme"), on the page and the PDF
    scheme: str | Promise
    #: the app's page the verification page leads back to, and the link's text when a code
    #: matches nothing
    home_url_name: str
    home_link_text: str | Promise
    #: what a certificate states, in the active language
    statement: Callable[[Any], Statement]
    #: the PDF's file name in a language
    filename: Callable[[Any, str], str]
    #: finds a certificate by its code (default: `verify` on the model)
    find: Callable[[str], Any] | None = None

    @property
    def verify_url_name(self) -> str:
        return f"{self.namespace}:certificate_verify"

    @property
    def pdf_url_name(self) -> str:
        return f"{self.namespace}:certificate_pdf"

    def verify(self, code: str):
        return self.find(code) if self.find else verify(self.model, code)

    def verification_url(
        self, certificate: CertificateBase, request_or_base_url: HttpRequest | str, language: str
    ) -> str:
        """The absolute address of the certificate's public verification page, in `language`
        (the base URL, e.g. "https://hub.example.org", when there is no request)."""
        with translation.override(language):
            path = reverse(self.verify_url_name, kwargs={"code": certificate.code})
        return _absolute(request_or_base_url, path)

    def pdf(
        self, certificate: CertificateBase, request_or_base_url: HttpRequest | str, language: str
    ):
        """The certificate as an A4 landscape PDF in `language`: the hub, the programme, what
        it was given in and for, whom it names, the date, and the verification URL in full
        and as a QR code, with the certificate's code."""
        fonts()
        url = self.verification_url(certificate, request_or_base_url, language)
        with translation.override(language):
            statement = self.statement(certificate)
            buffer = io.BytesIO()
            width, height = landscape(A4)
            canvas = pdf_canvas.Canvas(
                buffer,
                pagesize=(width, height),
                lang=language,
                # reportlab-stubs type the font's name as a float: it is the name, a str
                initialFontName=FONT,  # type: ignore[arg-type]
            )
            canvas.setTitle(_("Certificate: %(title)s") % {"title": statement.title})
            canvas.setAuthor(AUTHOR)
            canvas.setCreator(AUTHOR)
            canvas.setSubject(str(self.scheme))
            canvas.setKeywords(certificate.code)
            _draw(canvas, statement, str(self.scheme), url, width, height)
            canvas.showPage()
            canvas.save()
        return buffer.getvalue()

    # --- The public pages ---------------------------------------------------------------

    def verify_view(self, request, code):
        """Anyone may check a certificate by its code: who holds it and for what, or a plain
        "no certificate has this code" (404)."""
        certificate = self.verify(code)
        context: dict[str, Any] = {"kind": self, "certificate": certificate, "code": code}
        if certificate is None:
            return render(request, "core/certificate_verify.html", context, status=404)
        context.update(
            statement=self.statement(certificate),
            verification_url=self.verification_url(certificate, request, request.LANGUAGE_CODE),
        )
        return render(request, "core/certificate_verify.html", context)

    def pdf_view(self, request, code):
        """The certificate as PDF, in the page's language, for anyone with its code."""
        certificate = self.verify(code)
        if certificate is None:
            return self.verify_view(request, code)
        response = HttpResponse(
            self.pdf(certificate, request, request.LANGUAGE_CODE), content_type=PDF
        )
        response.headers["Content-Disposition"] = content_disposition_header(
            True, self.filename(certificate, request.LANGUAGE_CODE)
        )
        return response

    def urls(self) -> list:
        """The verification page and the PDF, for the app's `urlpatterns`."""
        return [
            path("certificates/<str:code>/", self.verify_view, name="certificate_verify"),
            path("certificates/<str:code>/pdf/", self.pdf_view, name="certificate_pdf"),
        ]


# --- Drawing the certificate ------------------------------------------------------------------

#: the certificate's lines, top to bottom: (name, size, weight, colour, space below)
LINES = [
    ("hub", 15, "bold", INK, 4),
    ("scheme", 12, "regular", MUTED, 14),
    ("heading", 38, "bold", INK, 6),
    ("context", 13, "regular", colors.black, 16),
    ("distinction", 22, "bold", INK, 10),
    ("title", 20, "semibold", colors.black, 8),
    ("holder", 14, "regular", colors.black, 8),
    ("date", 12, "regular", MUTED, 0),
]


def _draw(canvas, statement: Statement, scheme: str, url: str, width: float, height: float):
    margin = 18 * mm
    inner = margin + 10  # inside the double frame
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(2.5)
    canvas.rect(margin / 2, margin / 2, width - margin, height - margin)
    canvas.setLineWidth(0.6)
    canvas.rect(margin / 2 + 5, margin / 2 + 5, width - margin - 10, height - margin - 10)

    # The verification block, at the foot: the QR code on the right, the URL and the code
    # on its left.
    qr_size = 30 * mm
    qr_x, qr_y = width - inner - qr_size, margin + 4
    widget = QrCodeWidget(url, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(
        qr_size, qr_size, transform=[qr_size / (x1 - x0), 0, 0, qr_size / (y1 - y0), 0, 0]
    )
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, qr_x, qr_y)
    certificate = statement.certificate
    code_label = capfirst(certificate._meta.get_field("code").verbose_name)
    y: float = qr_y + qr_size
    for text, style in (
        (
            markup(_("Anyone can check this certificate at:")),
            paragraph_style("v1", 10, textColor=MUTED),
        ),
        (markup(url), paragraph_style("v2", 10, "bold", textColor=INK, splitLongWords=True)),
        (markup(f"{code_label}: {certificate.code}"), paragraph_style("v3", 10, textColor=MUTED)),
    ):
        paragraph = Paragraph(text, style)
        _w, h = paragraph.wrap(qr_x - inner - 10, height)
        paragraph.drawOn(canvas, inner, y - h)
        y -= h + 2

    # The statement, centred, made smaller until it fits above the verification block.
    texts = {
        "hub": _("Regional Hub of Civil Service"),
        "scheme": scheme,
        "heading": capfirst(certificate._meta.verbose_name),
        "context": statement.context,
        "distinction": statement.distinction,
        "title": statement.title,
        "holder": statement.holder,
        "date": f"{_('Date')}: {day(statement.date)}",
    }
    top, bottom = height - inner, qr_y + qr_size + 12
    text_width = width - 2 * inner
    for scale in (1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4):
        placed = []
        for name, size, weight, colour, gap in LINES:
            if not texts[name]:
                continue
            style = paragraph_style(
                name, size * scale, weight, textColor=colour, alignment=TA_CENTER
            )
            paragraph = Paragraph(markup(texts[name]), style)
            _w, h = paragraph.wrap(text_width, height)
            placed.append((paragraph, h, gap * scale))
        if sum(h + gap for _p, h, gap in placed) <= top - bottom:
            break
    y = top
    for paragraph, h, space in placed:
        paragraph.drawOn(canvas, inner, y - h)
        y -= h + space
