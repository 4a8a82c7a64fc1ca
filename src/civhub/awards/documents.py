"""The scheme's documents, as bytes or text: a winner's certificate (what it states; core's
certificate service draws the PDF, with its verification URL and QR code, and serves its
public page), the results report for the steering committee (PDF), and every score of a
call (CSV).

Who may have them is decided by the views that serve them (awards/views/documents.py); this
module only produces them, in the language it is given, with the fonts of core/pdf.py.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.http import HttpRequest
from django.utils import formats, timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    LongTable,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)

from civhub.awards.choices import SubmissionState
from civhub.awards.models import Call, Certificate, Decision, Score, Submission
from civhub.core.api import csv_cell  # neutralises = + - @ at a cell's start
from civhub.core.certificates import CertificateKind, Detail, Statement
from civhub.core.pdf import AUTHOR, FONT, INK, MUTED, RULE, fonts
from civhub.core.pdf import day as _day
from civhub.core.pdf import markup as _text
from civhub.core.pdf import paragraph_style as _style

S = SubmissionState


def _moment(value: datetime) -> str:
    value = timezone.localtime(value)
    return f"{formats.date_format(value, 'j E Y, H:i')} ({value.tzname()})"


def _number(value: float | None, places: int) -> str:
    return "—" if value is None else formats.number_format(round(value, places), places)


# --- Certificates ---------------------------------------------------------------------------


@dataclass
class CertificateFacts:
    """What a certificate states, in the active language; the PDF and the verification page
    show the same facts."""

    certificate: Certificate
    submission: Submission
    call: Call
    outcome: str
    holder: str
    country: str
    date: date | None

    @property
    def call_label(self) -> str:
        return self.call.full_title


def holder_of(submission: Submission) -> str:
    """Whom the certificate names: the organization, else the individual who applied (by the
    name it chose, never its e-mail address)."""
    if submission.organization_id:
        return str(submission.organization)
    if submission.organization_name:
        return submission.organization_name
    user = submission.applicant
    return user.display_name or user.get_full_name()


def outcome_of(decision: Decision | None) -> str:
    """The prize's title for an award, "Honourable mention" for a mention."""
    if decision is None:
        return ""
    if decision.outcome == S.HONOURABLE_MENTION:
        return str(S.HONOURABLE_MENTION.label)
    if decision.prize_id:
        return str(decision.prize.title)  # type: ignore[union-attr]  # prize_id is set
    return _("Winner")


def certificate_facts(certificate: Certificate) -> CertificateFacts:
    submission = (
        Submission.objects.select_related(
            "call", "country", "organization", "applicant", "decision__prize"
        )
        .filter(pk=certificate.submission_id)
        .get()
    )
    decision = getattr(submission, "decision", None)
    call = submission.call
    return CertificateFacts(
        certificate=certificate,
        submission=submission,
        call=call,
        outcome=outcome_of(decision),
        holder=holder_of(submission),
        country=str(submission.country.name) if submission.country_id else "",  # type: ignore[union-attr]
        date=call.results_published_on or (decision.decided_at if decision else None),
    )


def _statement(certificate: Certificate) -> Statement:
    """What the certificate states (core's page and PDF), from the facts of the award."""
    facts = certificate_facts(certificate)
    submission = facts.submission
    details = [
        Detail(_("Awarded to"), facts.holder, lang=None) if facts.holder else None,
        Detail(_("Country"), facts.country) if facts.country else None,
        Detail(_("Submission"), submission.title, lang=submission.language),
        Detail(_("Call"), facts.call_label, url=facts.call.get_absolute_url()),
        Detail(_("Outcome"), facts.outcome) if facts.outcome else None,
        Detail(_("Results published"), _day(facts.date)) if facts.date else None,
    ]
    public = Submission.objects.public().filter(pk=submission.pk).exists()
    return Statement(
        certificate=certificate,
        title=submission.title,
        holder=", ".join(part for part in (facts.holder, facts.country) if part),
        context=facts.call_label,
        distinction=facts.outcome,
        date=facts.date,
        details=[d for d in details if d is not None],
        links=[(submission.get_absolute_url(), _("Read about the winning solution"))]
        if public
        else [],
    )


def _filename(certificate: Certificate, language: str) -> str:
    submission = certificate.submission
    return (
        f"certificate-{submission.call.year}-{submission.call.slug}-{submission.pk}-{language}.pdf"
    )


def _find(code: str) -> Certificate | None:
    from civhub.awards.services.decisions import verify_certificate

    return verify_certificate(code)


#: the scheme's certificates, for core's verification page and PDF (awards:certificate_*)
CERTIFICATES = CertificateKind(
    model=Certificate,
    namespace="awards",
    scheme=gettext_lazy("Innovative Solutions Scheme"),
    home_url_name="awards:calls",
    home_link_text=gettext_lazy("See the calls and their winners"),
    statement=_statement,
    filename=_filename,
    find=_find,
)


def verification_url(
    certificate: Certificate, request_or_base_url: HttpRequest | str, language: str
) -> str:
    """The absolute address of the certificate's public verification page, in `language`
    (the base URL, e.g. "https://hub.example.org", when there is no request)."""
    return CERTIFICATES.verification_url(certificate, request_or_base_url, language)


def certificate_pdf(
    certificate: Certificate, request_or_base_url: HttpRequest | str, language: str
) -> bytes:
    """The certificate as an A4 landscape PDF in `language` (core/certificates.py draws it):
    the hub, the call, the outcome, the submission and who holds it, the date of the results,
    and the verification URL in full and as a QR code, with the certificate's code."""
    return CERTIFICATES.pdf(certificate, request_or_base_url, language)


# --- The results report ---------------------------------------------------------------------


def _report_figures(call: Call):
    """The call's figures, which the committee reads before the results are out too."""
    from civhub.awards.services.transparency import figures

    return figures(call)


class _NumberedCanvas(pdf_canvas.Canvas):
    """Writes "Page n of N" at the foot of every page, once N is known."""

    footer = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):  # noqa: N802 (reportlab's name)
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._foot(total)
            super().showPage()
        super().save()

    def _foot(self, total: int) -> None:
        # reportlab's Canvas keeps these; its stubs do not declare them
        width, _height = self._pagesize  # type: ignore[attr-defined]
        self.setFont(FONT, 8)
        self.setFillColor(MUTED)
        self.drawString(18 * mm, 10 * mm, self.footer)
        self.drawRightString(
            width - 18 * mm,
            10 * mm,
            _("Page %(number)s of %(total)s") % {"number": self._pageNumber, "total": total},  # type: ignore[attr-defined]
        )


def _table(header: list[str], rows: list[list], widths: list[float], styles) -> LongTable:
    cell, head = styles["cell"], styles["head"]
    data = [[Paragraph(_text(h), head) for h in header]]
    for row in rows:
        data.append([v if isinstance(v, Paragraph) else Paragraph(_text(v), cell) for v in row])
    table = LongTable(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8ecf2")),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def results_report_pdf(call: Call, actor, language: str) -> bytes:
    """The report for the steering committee, A4 in `language`: the call and its timeline, its
    figures (funnel, by country, by theme, spread of the scores), the consolidated scores with
    both rankings and the disagreement flags, the agreement between evaluators, the decisions
    with their prizes and minutes; when it was made, and page numbers.

    `scoring.consolidate` refuses (PermissionDenied) an actor who may not read the scores.
    Evaluators are never named."""
    from civhub.awards.services import scoring

    fonts()
    with translation.override(language):
        result = scoring.consolidate(call, actor)
        buffer = io.BytesIO()
        title = _("Results of the call: %(call)s") % {"call": call.full_title}
        doc = SimpleDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=18 * mm,
            rightMargin=18 * mm,
            topMargin=16 * mm,
            bottomMargin=18 * mm,
            title=title,
            author=AUTHOR,
            creator=AUTHOR,
            subject=str(_("Innovative Solutions Scheme")),
            lang=language,
            initialFontName=FONT,
        )
        generated = _moment(timezone.now())
        story = _report_story(call, result, doc.width, generated)
        call_label = Truncator(call.full_title).chars(70)
        footer = f"{_('Regional Hub of Civil Service')} · {call_label} · {generated}"

        def make_canvas(*args, **kwargs):
            canvas = _NumberedCanvas(*args, **kwargs)
            canvas.footer = footer
            return canvas

        doc.build(story, canvasmaker=make_canvas)
    return buffer.getvalue()


def _report_story(call: Call, result, width: float, generated: str) -> list:
    styles = {
        "meta": _style("meta", 10, textColor=MUTED),
        "h1": _style("h1", 20, weight="bold", textColor=INK, spaceAfter=6, leading=24),
        "h2": _style("h2", 13, weight="bold", textColor=INK, spaceBefore=10, spaceAfter=4),
        "body": _style("body", 10, spaceAfter=4),
        "cell": _style("cell", 8.5),
        "head": _style("head", 8.5, weight="bold"),
        "empty": _style("empty", 10, textColor=MUTED),
    }
    story: list = []

    def p(text, style: str = "body") -> Paragraph:
        return Paragraph(_text(text), styles[style])

    story.append(
        p(f"{_('Regional Hub of Civil Service')} · {_('Innovative Solutions Scheme')}", "meta")
    )
    story.append(p(call.full_title, "h1"))
    story.append(p(_("Report for the steering committee"), "body"))
    story.append(p(_("Generated on %(moment)s.") % {"moment": generated}, "meta"))

    # Timeline.
    story.append(p(_("Timeline"), "h2"))
    timeline = [
        (_("Opens"), _moment(call.opens_at)),
        (_("Closes"), _moment(call.closes_at)),
        (_("Screening ends"), _day(call.screening_ends_at)),
        (_("Scoring ends"), _day(call.scoring_ends_at)),
        (_("Decision"), _day(call.decision_at)),
        (_("Results published"), _day(call.results_published_on)),
    ]
    story.append(
        _table(
            [_("Stage"), _("Date")], [list(r) for r in timeline], [width * 0.4, width * 0.6], styles
        )
    )

    # The call in figures.
    figures = _report_figures(call)
    story.append(p(_("The call in figures"), "h2"))
    story.append(
        p(
            ngettext(
                "%(total)s submission was received.",
                "%(total)s submissions were received.",
                figures.total,
            )
            % {"total": figures.total}
        )
    )
    half = [width * 0.7, width * 0.3]
    for caption, first, rows in (
        (_("From submission to award"), _("Stage"), figures.funnel),
        (_("Submissions by country"), _("Country"), figures.by_country),
        (_("Submissions by theme"), _("Theme"), figures.by_category),
    ):
        block: list[Flowable] = [p(caption, "head")]
        if rows:
            block.append(
                _table([first, _("Submissions")], [[str(a), b] for a, b in rows], half, styles)
            )
        else:
            block.append(p("—", "empty"))
        story += [KeepTogether(block), Spacer(1, 6)]
    if figures.distributions:
        rows = [
            [
                f"{d.criterion.title} ({d.criterion.scale_min}–{d.criterion.scale_max})",
                d.count,
                *(
                    formats.number_format(v, 2)
                    for v in (d.minimum, d.q1, d.median, d.q3, d.maximum)
                ),
            ]
            for d in figures.distributions
        ]
        story.append(
            p(_("How the scores were spread, per criterion (all evaluators, anonymized)"), "head")
        )
        story.append(
            _table(
                [
                    _("Criterion"),
                    _("Scores"),
                    _("Lowest"),
                    _("Lower quartile"),
                    _("Median"),
                    _("Upper quartile"),
                    _("Highest"),
                ],
                rows,
                [width * 0.34] + [width * 0.11] * 6,
                styles,
            )
        )

    # Consolidated scores.
    story.append(p(_("Consolidated scores"), "h2"))
    story.append(
        p(
            _(
                "Scores are weighted totals in percent of the scale. The corrected mean adjusts "
                "for each evaluator's harshness or leniency."
            )
        )
    )
    not_enough = _("Not enough scores")
    agreement = [
        [
            _("Agreement between the evaluators' rankings (Kendall's W)"),
            not_enough if result.kendall_w is None else _number(result.kendall_w, 3),
        ],
        [
            _("Reliability of the scores (ICC)"),
            not_enough if result.icc is None else _number(result.icc, 3),
        ],
        [
            _("Disagreement threshold"),
            _("%(n)s percentage points")
            % {"n": formats.number_format(call.disagreement_threshold, 2)},
        ],
    ]
    story.append(_table([_("Statistic"), _("Value")], agreement, half, styles))
    story.append(Spacer(1, 6))
    if result.results:
        titles = dict(Submission.objects.in_call(call).values_list("pk", "title"))
        rows = [
            [
                r.rank,
                titles.get(r.submission, "?"),
                _number(r.mean, 1),
                _number(r.corrected, 1),
                r.rank_corrected,
                _number(r.spread, 1),
                len(r.totals),
                _("Evaluators disagree: discuss") if r.flagged else _("No"),
            ]
            for r in result.results
        ]
        story.append(
            _table(
                [
                    _("Rank"),
                    _("Submission"),
                    _("Weighted mean"),
                    _("Corrected mean"),
                    _("Rank when corrected"),
                    _("Spread"),
                    _("Evaluators"),
                    _("Disagreement"),
                ],
                rows,
                [w * width for w in (0.07, 0.31, 0.1, 0.1, 0.1, 0.08, 0.09, 0.15)],
                styles,
            )
        )
    else:
        story.append(p(_("No submitted scores yet."), "empty"))

    # Decisions.
    story.append(p(_("Decisions"), "h2"))
    decisions = list(
        Decision.objects.filter(submission__call=call)
        .select_related("submission", "prize")
        .order_by("outcome", "prize__order", "submission__title", "pk")
    )
    if decisions:
        rows = [
            [
                d.submission.title,
                S(d.outcome).label,
                d.prize.title if d.prize_id else "—",  # type: ignore[union-attr]
                _day(d.decided_at),
                d.minutes,
            ]
            for d in decisions
        ]
        story.append(
            _table(
                [_("Submission"), _("Outcome"), _("Prize"), _("Date"), _("Minutes")],
                rows,
                [w * width for w in (0.26, 0.14, 0.14, 0.12, 0.34)],
                styles,
            )
        )
    else:
        story.append(p(_("No decision has been recorded yet."), "empty"))
    return story


# --- All the scores, as CSV -----------------------------------------------------------------

#: rows read from the database at a time
CHUNK = 500


def scores_csv(call: Call) -> Iterator[str]:
    """Every score of the call, one CSV line at a time (UTF-8 with a byte-order mark, so
    spreadsheets read Cyrillic), ordered by submission, evaluator and criterion: the
    submission (id, title, country, theme), the evaluator (name, e-mail), the criterion (slug,
    title, weight), the score and its comment, the assignment's status and completion time.

    Text that a spreadsheet would run as a formula (= + - @ at its start) is quoted. Scores
    of unfinished assignments are included; their status says so. One query, read in chunks;
    names are in the language active when this is called."""
    language = translation.get_language()
    scores = (
        Score.objects.filter(assignment__submission__call=call)
        .select_related(
            "criterion",
            "assignment__evaluator",
            "assignment__submission__country",
            "assignment__submission__category",
        )
        .order_by(
            "assignment__submission_id",
            "assignment__evaluator__email",
            "assignment_id",
            "criterion__order",
            "criterion__slug",
        )
    )
    return _csv_lines(scores, language)


def _csv_lines(scores, language: str) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    with translation.override(language):
        writer.writerow(
            [
                _("Submission ID"),
                _("Submission"),
                _("Country"),
                _("Theme"),
                _("Evaluator"),
                _("E-mail"),
                _("Criterion (slug)"),
                _("Criterion"),
                _("Weight"),
                _("Score"),
                _("Comment"),
                _("Assignment status"),
                _("Scores submitted"),
            ]
        )
    yield "\ufeff" + take()
    batch = 0
    for score in scores.iterator(chunk_size=CHUNK):
        # The language is set for each row only, so that nothing leaks between the yields.
        with translation.override(language):
            assignment, submission = score.assignment, score.assignment.submission
            evaluator, criterion = assignment.evaluator, score.criterion
            completed = assignment.completed_at
            writer.writerow(
                [
                    submission.pk,
                    csv_cell(submission.title),
                    csv_cell(submission.country.name if submission.country_id else ""),
                    csv_cell(submission.category.title if submission.category_id else ""),
                    csv_cell(str(evaluator)),
                    csv_cell(evaluator.email),
                    criterion.slug,
                    csv_cell(criterion.title),
                    criterion.weight,
                    score.value,
                    csv_cell(score.comment),
                    assignment.get_status_display(),
                    timezone.localtime(completed).isoformat() if completed else "",
                ]
            )
        batch += 1
        if batch == CHUNK:
            batch = 0
            yield take()
    rest = take()
    if rest:
        yield rest
