"""The scheme's documents: the certificate (PDF, with its public verification page), the
results report for the steering committee (PDF) and the export of every score (CSV); who may
have each, in which language, and the audit of the exports."""

import base64
import csv
import datetime
import io
import re
import shutil
import subprocess
import zlib

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from civhub.awards import documents
from civhub.awards.choices import AssignmentStatus, SubmissionState
from civhub.awards.models import Certificate, Decision, Score, Submission
from civhub.awards.tests.conftest import assign, make_call, make_evaluators, make_submission
from civhub.core import certificates
from civhub.core.models import AuditEntry
from civhub.testing import make_user

pytestmark = pytest.mark.django_db
S = SubmissionState
EXPORTED = "call.scores_exported"


# --- Reading a PDF back -----------------------------------------------------------------------


def _pdf_objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """Each object of a (reportlab) PDF: its dictionary and its stream, inflated."""
    objects: dict[int, tuple[bytes, bytes | None]] = {}
    header = re.compile(rb"(\d+) 0 obj\s*")
    pos = 0
    while match := header.search(data, pos):
        start, end = match.end(), data.find(b"endobj", match.end())
        stream = re.compile(rb">>\s*stream\r?\n").search(data, start, end)
        if stream is None:
            objects[int(match.group(1))] = (data[start:end], None)
            pos = end
            continue
        dictionary = data[start : stream.start() + 2]
        length = int(re.search(rb"/Length (\d+)", dictionary).group(1))  # type: ignore[union-attr]  # every stream has one
        raw = data[stream.end() : stream.end() + length]
        if b"/ASCII85Decode" in dictionary:
            raw = base64.a85decode(raw.strip(), adobe=True)
        if b"/FlateDecode" in dictionary:
            raw = zlib.decompress(raw)
        objects[int(match.group(1))] = (dictionary, raw)
        pos = stream.end() + length
    return objects


_TOKEN = re.compile(
    rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|/[^\s/\[\]()<>]+|\[|\]|[^\s\[\]()<>/]+", re.S
)
_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f"}


def _literal(token: bytes) -> bytes:
    if token.startswith(b"<"):
        return bytes.fromhex(token[1:-1].decode())
    out, body, i = bytearray(), token[1:-1], 0
    while i < len(body):
        if body[i : i + 1] == b"\\":
            octal = re.match(rb"[0-7]{1,3}", body[i + 1 : i + 4])
            if octal:
                out.append(int(octal.group(), 8))
                i += 1 + len(octal.group())
                continue
            nxt = body[i + 1 : i + 2]
            out += _ESCAPES.get(nxt, nxt)
            i += 2
        else:
            out.append(body[i])
            i += 1
    return bytes(out)


def _own_pdf_text(data: bytes) -> str:
    """The text of a PDF written by reportlab, through its fonts' ToUnicode maps (used when
    poppler's pdftotext is not installed)."""
    objects = _pdf_objects(data)
    cmaps = {}
    for number, (dictionary, _stream) in objects.items():
        found = re.search(rb"/ToUnicode (\d+) 0 R", dictionary)
        if found:
            cmap = objects[int(found.group(1))][1].decode()  # type: ignore[union-attr]  # a CMap has a stream
            cmaps[number] = {
                int(code, 16): chr(int(char, 16))
                for code, char in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]{4,})>", cmap)
            }
    fonts = {}  # resource name -> its ToUnicode map (None: a standard font, Latin-1)
    for dictionary, stream in objects.values():
        if stream is None:
            for name, number in re.findall(rb"/(F[\w+]+) (\d+) 0 R", dictionary):
                fonts[name.decode()] = cmaps.get(int(number))
    lines: list[str] = []
    for dictionary, stream in objects.values():
        if stream is None or b"/Length1" in dictionary or b"begincmap" in stream:
            continue  # a font file or a map, not a page's content
        font, operands, line = None, [], []
        for token in _TOKEN.findall(stream):
            if token.startswith(b"(") or (token.startswith(b"<") and token != b"<<"):
                operands.append(("text", _literal(token)))
            elif token.startswith(b"/"):
                operands.append(("name", token[1:].decode()))
            elif re.fullmatch(rb"-?[\d.]+", token):
                operands.append(("number", token))
            elif token in (b"[", b"]"):
                continue
            else:  # an operator
                if token == b"Tf" and len(operands) >= 2 and operands[-2][0] == "name":
                    font = fonts.get(operands[-2][1])
                elif token in (b"Tj", b"TJ", b"'", b'"'):
                    for kind, raw in operands:
                        if kind == "text":
                            line.append(
                                "".join(font.get(b, "?") for b in raw)
                                if font
                                else raw.decode("latin-1")
                            )
                elif token in (b"Td", b"TD", b"T*", b"Tm", b"ET") and line:
                    lines.append("".join(line))
                    line = []
                operands = []
    return "\n".join(lines)


def pdf_text(data: bytes, tmp_path) -> str:
    """The PDF's text, by poppler's pdftotext where it is installed, else by the fonts' maps;
    whitespace collapsed."""
    if shutil.which("pdftotext"):
        path = tmp_path / "document.pdf"
        path.write_bytes(data)
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
        ).stdout.decode()
    else:
        text = _own_pdf_text(data)
    return " ".join(text.split())


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", data))


def assert_valid_pdf(data: bytes) -> None:
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert b"/Author (civhub)" in data
    assert b"SourceSansPro" in data and b"/FontFile2" in data  # the font is embedded


# --- Fixtures -------------------------------------------------------------------------------


@pytest.fixture
def applicant(db):
    return make_user("applicant@test.example", "member")


@pytest.fixture
def results_out(db):
    """A call whose results are out."""
    call = make_call(
        slug="2019",
        opens_at=timezone.now() - datetime.timedelta(days=300),
        closes_at=timezone.now() - datetime.timedelta(days=200),
        results_published_on=datetime.date(2019, 6, 23),
    )
    prize = call.prizes.get()
    prize.title_ru, prize.title_kk = "Первая премия", "Бірінші сыйлық"
    prize.save()
    return call


def certified(call, applicant, outcome=S.AWARDED, **overrides):
    submission = make_submission(call, applicant, S.PUBLISHED, **overrides)
    Decision.objects.create(
        submission=submission,
        outcome=outcome,
        prize=call.prizes.first() if outcome == S.AWARDED else None,
        minutes="Unanimous.",
    )
    return Certificate.objects.create(submission=submission)


@pytest.fixture
def certificate(results_out, applicant):
    return certified(results_out, applicant, title="One-stop recruitment portal")


# --- The certificate ------------------------------------------------------------------------


def test_the_certificate_is_one_a4_landscape_page_with_its_metadata(certificate, rf, tmp_path):
    pdf = documents.certificate_pdf(certificate, rf.get("/"), "en")
    assert_valid_pdf(pdf)
    assert page_count(pdf) == 1
    assert b"/MediaBox [ 0 0 841.8898 595.2756 ]" in pdf  # landscape
    assert b"/Title (Certificate: One-stop recruitment portal)" in pdf
    text = pdf_text(pdf, tmp_path)
    for expected in (
        "Regional Hub of Civil Service",
        "Innovative Solutions Scheme",
        "Certificate",
        "Test call (2026)",
        "First prize",
        "One-stop recruitment portal",
        "Civil Service Agency, Georgia",
        "23 June 2019",
        certificate.code,
    ):
        assert expected in text


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("ru", ["Региональный хаб в сфере государственной службы", "Сертификат", "Первая премия"]),
        (
            "kk",
            ["Мемлекеттік қызмет саласындағы өңірлік хаб", "Сертификат", "Бірінші сыйлық"],
        ),
    ],
)
def test_the_certificate_speaks_the_language_asked_for(certificate, rf, tmp_path, language, words):
    pdf = documents.certificate_pdf(certificate, rf.get("/"), language)
    assert_valid_pdf(pdf)
    text = pdf_text(pdf, tmp_path)
    for word in words:
        assert word in text
    assert "Regional Hub" not in text
    assert f"/{language}/awards/certificates/{certificate.code}/" in text
    # the active language is left as it was
    assert translation.get_language() == "en"


def test_an_honourable_mention_says_so_in_russian(results_out, applicant, rf, tmp_path):
    certificate = certified(results_out, applicant, S.HONOURABLE_MENTION, title="Mentioned")
    text = pdf_text(documents.certificate_pdf(certificate, rf.get("/"), "ru"), tmp_path)
    assert "Почётное упоминание" in text and "Первая премия" not in text


def test_the_qr_code_and_the_printed_url_are_the_absolute_verification_url(
    certificate, rf, tmp_path, monkeypatch, settings
):
    settings.ALLOWED_HOSTS = ["hub.example.org"]
    encoded = []
    real = certificates.QrCodeWidget

    def spy(value, **kwargs):
        encoded.append(value)
        return real(value, **kwargs)

    monkeypatch.setattr(certificates, "QrCodeWidget", spy)
    request = rf.get("/", HTTP_HOST="hub.example.org", secure=True)
    pdf = documents.certificate_pdf(certificate, request, "ru")
    with translation.override("ru"):
        path = reverse("awards:certificate_verify", kwargs={"code": certificate.code})
    url = f"https://hub.example.org{path}"
    assert path == f"/ru/awards/certificates/{certificate.code}/"
    assert encoded == [url]
    assert url in pdf_text(pdf, tmp_path)
    # Without a request (a task, a command), from the site's base URL.
    assert (
        documents.verification_url(certificate, "https://hub.example.org/", "kk")
        == f"https://hub.example.org/kk/awards/certificates/{certificate.code}/"
    )


def test_an_individual_is_named_not_its_email_address(results_out, tmp_path, rf):
    person = make_user("aigerim@test.example", "member")
    person.display_name = "Айгерім Сәрсенова"
    person.save()
    certificate = certified(results_out, person, organization_name="", applicant_kind="individual")
    text = pdf_text(documents.certificate_pdf(certificate, rf.get("/"), "kk"), tmp_path)
    assert "Айгерім Сәрсенова" in text and "aigerim@test.example" not in text


def test_kazakh_letters_are_printed_in_every_face(results_out, applicant, rf, tmp_path):
    """The fonts' upright faces carry Cyrillic and the Kazakh letters (their italics do not,
    so a missing glyph would show as nothing)."""
    title = "Жаңа цифрлық портал: әділ іріктеу, өңірлер, ұлттық һәм үздік"
    certificate = certified(
        results_out, applicant, title=title, organization_name="Қызмет істері агенттігі"
    )
    text = pdf_text(documents.certificate_pdf(certificate, rf.get("/"), "kk"), tmp_path)
    assert title in text and "Қызмет істері агенттігі, Грузия" in text
    assert "\x00" not in text


def test_a_long_title_is_made_smaller_not_run_into_the_verification(
    results_out, applicant, rf, tmp_path, monkeypatch
):
    drawn = []

    class Spy(certificates.Paragraph):
        def drawOn(self, canvas, x, y, *args, **kwargs):  # noqa: N802 (reportlab's name)
            drawn.append((y, self.height, self.style.name))
            return super().drawOn(canvas, x, y, *args, **kwargs)

    monkeypatch.setattr(certificates, "Paragraph", Spy)
    title = "ЖЖЖЖЖ " * 50  # the widest letters, at the longest title allowed
    certificate = certified(
        results_out, applicant, title=title.strip(), organization_name="WWWWW " * 50
    )
    pdf = documents.certificate_pdf(certificate, rf.get("/"), "kk")
    assert page_count(pdf) == 1
    verification = [(y, h) for y, h, name in drawn if name in ("v1", "v2", "v3")]
    statement = [(y, h) for y, h, name in drawn if name not in ("v1", "v2", "v3")]
    assert len(verification) == 3 and len(statement) == 8
    assert min(y for y, _h in statement) > max(y + h for y, h in verification)
    assert title.strip() in pdf_text(pdf, tmp_path)


def test_markup_in_a_title_is_printed_as_written(results_out, applicant, rf, tmp_path):
    title = "R&D <b>bold & long</b> " + "word " * 50
    certificate = certified(results_out, applicant, title=title.strip())
    pdf = documents.certificate_pdf(certificate, rf.get("/"), "en")
    assert page_count(pdf) == 1
    assert "R&D <b>bold & long</b> word word" in pdf_text(pdf, tmp_path)


# --- The verification page ------------------------------------------------------------------


def test_anyone_can_verify_a_certificate(visitor, certificate):
    url = reverse("awards:certificate_verify", args=[certificate.code])
    response = visitor.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.count("<h1") == 1 and "Certificate verified" in body
    submission = certificate.submission
    for expected in (
        "Civil Service Agency",
        "Georgia",
        "One-stop recruitment portal",
        "Test call (2026)",
        "First prize",
        certificate.code,
        submission.get_absolute_url(),
        reverse("awards:certificate_pdf", args=[certificate.code]),
        f"http://testserver{url}",
        'name="robots" content="noindex"',
    ):
        assert expected in body
    assert "applicant@test.example" not in body


@pytest.mark.parametrize(
    "code",
    ["x" * 43, "y" * 500, "%3Cscript%3Ealert(1)", "--"],
    ids=["unknown", "overlong", "markup", "dashes"],
)
def test_a_code_no_certificate_has_is_a_404_that_says_so(visitor, certificate, code):
    response = visitor.get(f"/en/awards/certificates/{code}/")
    assert response.status_code == 404
    body = response.content.decode()
    assert body.count("<h1") == 1 and "No certificate has this code" in body
    assert "<script>" not in body
    assert "One-stop recruitment portal" not in body
    pdf = visitor.get(f"/en/awards/certificates/{code}/pdf/")
    assert pdf.status_code == 404 and pdf["Content-Type"].startswith("text/html")


def test_a_near_miss_of_a_real_code_is_not_valid(visitor, certificate):
    code = certificate.code[:-1] + ("A" if certificate.code[-1] != "A" else "B")
    url = reverse("awards:certificate_verify", args=[code])
    assert visitor.get(url).status_code == 404


def test_the_verification_page_in_russian(visitor, certificate):
    with translation.override("ru"):
        url = reverse("awards:certificate_verify", args=[certificate.code])
    body = visitor.get(url).content.decode()
    assert '<html lang="ru">' in body
    assert "Первая премия" in body and "Страна" in body


def test_anyone_with_the_code_downloads_the_pdf_in_the_page_language(
    visitor, certificate, tmp_path
):
    with translation.override("kk"):
        url = reverse("awards:certificate_pdf", args=[certificate.code])
    response = visitor.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    name = f"certificate-{certificate.submission.call.year}-2019-{certificate.submission_id}-kk.pdf"
    assert f'filename="{name}"' in disposition
    assert_valid_pdf(response.content)
    assert "Бірінші сыйлық" in pdf_text(response.content, tmp_path)
    assert not AuditEntry.objects.filter(action=EXPORTED).exists()


def test_the_winner_page_links_to_the_verification(visitor, certificate, results_out, applicant):
    body = visitor.get(certificate.submission.get_absolute_url()).content.decode()
    link = reverse("awards:certificate_verify", args=[certificate.code])
    assert f'href="{link}"' in body and "Verify the certificate" in body
    other = make_submission(results_out, applicant, S.PUBLISHED, title="No certificate yet")
    Decision.objects.create(submission=other, outcome=S.AWARDED, minutes="Yes")
    body = visitor.get(other.get_absolute_url()).content.decode()
    assert "Verify the certificate" not in body


def test_the_applicant_downloads_its_certificate(client, certificate, applicant):
    client.force_login(applicant)
    page = reverse("awards:my_submission", args=[certificate.submission_id])
    body = client.get(page).content.decode()
    assert reverse("awards:certificate_pdf", args=[certificate.code]) in body
    assert "Download your certificate (PDF)" in body


def test_no_certificate_link_before_the_results_are_out(client, results_out, applicant):
    certificate = certified(results_out, applicant)
    results_out.results_published_on = timezone.localdate() + datetime.timedelta(days=5)
    results_out.save()
    client.force_login(applicant)
    page = reverse("awards:my_submission", args=[certificate.submission_id])
    assert "Download your certificate" not in client.get(page).content.decode()


# --- The exports: who may have them ---------------------------------------------------------


@pytest.fixture
def scored(call, applicant):
    """Three submissions, each scored by the same three evaluators."""
    evaluators = make_evaluators(3, prefix="doc")
    rows = []
    for title, values in (("Strong", [9, 9, 9]), ("Contested", [1, 10, 2]), ("Weak", [3, 2, 3])):
        submission = make_submission(call, applicant, S.DECISION, title=title)
        for evaluator, value in zip(evaluators, values, strict=True):
            (a,) = assign(submission, [evaluator], AssignmentStatus.COMPLETED)
            for criterion in call.criteria.all():
                Score.objects.create(assignment=a, criterion=criterion, value=value, comment="ok")
        rows.append(submission)
    return rows, evaluators


def _urls(call):
    return (
        reverse("awards:scores_csv", args=[call.slug]),
        reverse("awards:results_report", args=[call.slug]),
    )


def test_the_export_addresses(call):
    assert _urls(call) == (
        "/en/awards/test-call/manage/scores.csv",
        "/en/awards/test-call/manage/report.pdf",
    )


def test_a_visitor_is_sent_to_log_in(visitor, call):
    for url in _urls(call):
        response = visitor.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    assert not AuditEntry.objects.filter(action=EXPORTED).exists()


@pytest.mark.parametrize("persona", ["member", "evaluator", "focal_point"], indirect=True)
def test_others_may_not_export(persona, call, scored):
    for url in _urls(call):
        assert persona.get(url).status_code == 403
    assert not AuditEntry.objects.filter(action=EXPORTED).exists()


def test_the_steering_committee_gets_the_report_not_the_scores(steering, call, scored):
    """The CSV names each evaluator beside its scores and comments; the committee reads the
    consolidated scores without names, so it gets the report only."""
    csv_url, report_url = _urls(call)
    assert steering.get(csv_url).status_code == 403
    response = steering.get(report_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    entry = AuditEntry.objects.get(action=EXPORTED)
    assert entry.actor == steering.user and entry.data["format"] == "pdf"


def test_a_draft_call_is_not_found_by_the_committee(steering, call):
    call.state = "draft"
    call.save()
    assert steering.get(_urls(call)[1]).status_code == 404


def test_an_unknown_call_is_not_found(editor):
    assert editor.get("/en/awards/no-such-call/manage/scores.csv").status_code == 404
    assert editor.get("/en/awards/no-such-call/manage/report.pdf").status_code == 404


def test_an_editor_exports_both_and_each_export_is_audited(editor, call, scored):
    csv_url, report_url = _urls(call)
    response = editor.get(csv_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="test-call-scores.csv"'
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    assert len(list(csv.reader(io.StringIO(body[1:])))) == 1 + 3 * 3 * 3
    response = editor.get(report_url)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="test-call-results-en.pdf"'
    assert_valid_pdf(response.content)
    entries = AuditEntry.objects.filter(action=EXPORTED).order_by("pk")
    assert [(e.actor, e.object_id, e.data["format"]) for e in entries] == [
        (editor.user, str(call.pk), "csv"),
        (editor.user, str(call.pk), "pdf"),
    ]


# --- The CSV --------------------------------------------------------------------------------


def _read(call) -> list[list[str]]:
    text = "".join(documents.scores_csv(call))
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_one_row_per_score_in_order(call, scored):
    submissions, evaluators = scored
    header, *rows = _read(call)
    assert header == [
        "Submission ID",
        "Submission",
        "Country",
        "Theme",
        "Evaluator",
        "E-mail",
        "Criterion (slug)",
        "Criterion",
        "Weight",
        "Score",
        "Comment",
        "Assignment status",
        "Scores submitted",
    ]
    assert len(rows) == Score.objects.count() == 27
    assert [int(r[0]) for r in rows] == sorted(int(r[0]) for r in rows)
    first = rows[:3]
    assert [r[6] for r in first] == ["innovation", "results", "replicability"]
    assert first[0][:6] == [
        str(submissions[0].pk),
        "Strong",
        "Georgia",
        "Digital government",
        str(evaluators[0]),
        evaluators[0].email,
    ]
    assert first[0][8:12] == ["2.00", "9", "ok", "Scores submitted"]
    assert datetime.datetime.fromisoformat(first[0][12])


def test_formulas_are_neutralised_and_cyrillic_kept(call, applicant):
    (evaluator,) = make_evaluators(1, prefix="inj")
    submission = make_submission(call, applicant, S.SCORING, title='=HYPERLINK("http://x")')
    (a,) = assign(submission, [evaluator])
    innovation, results, replicability = call.criteria.all()
    Score.objects.create(assignment=a, criterion=innovation, value=1, comment="=1+2")
    Score.objects.create(assignment=a, criterion=results, value=2, comment="Отличная работа, әғқң")
    Score.objects.create(assignment=a, criterion=replicability, value=3, comment="@SUM(A1)")
    _header, *rows = _read(call)
    assert [r[1] for r in rows] == ['\'=HYPERLINK("http://x")'] * 3
    assert [r[10] for r in rows] == ["'=1+2", "Отличная работа, әғқң", "'@SUM(A1)"]
    # an unfinished assignment says so, and has no completion time
    assert {(r[11], r[12]) for r in rows} == {("Assigned", "")}


def test_a_call_without_scores_has_only_the_header(call):
    assert len(_read(call)) == 1


def test_the_csv_in_russian(editor, call, scored):
    criterion = call.criteria.get(slug="innovation")
    criterion.title_ru = "Новизна"
    criterion.save()
    with translation.override("ru"):
        url = reverse("awards:scores_csv", args=[call.slug])
    body = b"".join(editor.get(url).streaming_content).decode("utf-8")
    assert "Новизна" in body and "Грузия" in body


def test_the_csv_reads_the_database_a_bounded_number_of_times(
    call, applicant, django_assert_max_num_queries
):
    evaluators = make_evaluators(3, prefix="many")
    for i in range(12):
        submission = make_submission(call, applicant, S.DECISION, title=f"Submission {i}")
        for a in assign(submission, evaluators, AssignmentStatus.COMPLETED):
            for criterion in call.criteria.all():
                Score.objects.create(assignment=a, criterion=criterion, value=i % 10)
    with django_assert_max_num_queries(2):
        rows = _read(call)
    assert len(rows) == 1 + 12 * 3 * 3


# --- The results report ---------------------------------------------------------------------


def test_the_report_for_the_committee(call, scored, steering, tmp_path):
    submissions, evaluators = scored
    strong = submissions[0]
    strong.state = S.AWARDED
    strong.save()
    Decision.objects.create(
        submission=strong,
        outcome=S.AWARDED,
        prize=call.prizes.first(),
        minutes="Panel of 12 May: unanimous.",
    )
    pdf = documents.results_report_pdf(call, steering.user, "en")
    assert_valid_pdf(pdf)
    assert b"/Title (Results of the call: Test call \\(2026\\))" in pdf
    text = pdf_text(pdf, tmp_path)
    pages = page_count(pdf)
    for expected in (
        "Test call (2026)",
        "Timeline",
        "From submission to award",
        "Submissions by country",
        "Georgia",
        "Submissions by theme",
        "Digital government",
        "Consolidated scores",
        "Kendall's W",
        "Evaluators disagree: discuss",
        "First prize",
        "Panel of 12 May: unanimous.",
        "Generated on",
        f"Page 1 of {pages}",
    ):
        assert expected in text
    assert text.index("Strong") < text.index("Contested") < text.index("Weak")
    for evaluator in evaluators:
        assert evaluator.email not in text and str(evaluator) not in text
    # the results are still not out: figures computed, nothing saved
    call.refresh_from_db()
    assert call.results_published_on is None


def test_the_report_in_kazakh(call, scored, editor, tmp_path):
    text = pdf_text(documents.results_report_pdf(call, editor.user, "kk"), tmp_path)
    assert "Сарапшылардың" in text or "Орын" in text
    assert "Мерзімдер" in text  # Timeline
    assert "беттің 1-беті" in text  # Page 1 of N


def test_a_long_report_numbers_its_pages(call, applicant, editor, tmp_path):
    for i in range(40):
        submission = make_submission(call, applicant, S.NOT_SELECTED, title=f"Submission {i}")
        Decision.objects.create(
            submission=submission, outcome=S.NOT_SELECTED, minutes="Not this time. " * 20
        )
    pdf = documents.results_report_pdf(call, editor.user, "en")
    pages = page_count(pdf)
    assert pages > 2
    text = pdf_text(pdf, tmp_path)
    for number in range(1, pages + 1):
        assert f"Page {number} of {pages}" in text


def test_the_report_prints_markup_as_written(call, applicant, editor, tmp_path):
    submission = make_submission(call, applicant, S.NOT_SELECTED, title="A <i>b</i> & c")
    Decision.objects.create(submission=submission, outcome=S.NOT_SELECTED, minutes="x < y\n& z")
    text = pdf_text(documents.results_report_pdf(call, editor.user, "en"), tmp_path)
    assert "A <i>b</i> & c" in text and "x < y & z" in text


def test_the_report_refuses_who_may_not_read_the_scores(call, scored, member, evaluator):
    for user in (member.user, evaluator.user):
        with pytest.raises(PermissionDenied):
            documents.results_report_pdf(call, user, "en")


def test_an_empty_call_still_has_a_report(call, editor, tmp_path):
    text = pdf_text(documents.results_report_pdf(call, editor.user, "en"), tmp_path)
    assert "No submitted scores yet." in text
    assert "No decision has been recorded yet." in text
    assert "0 submissions were received." in text
    assert not Submission.objects.exists()
