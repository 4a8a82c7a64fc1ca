"""core.certificates, the one certificate service: an app describes its certificates once
(here a kind of its own over the scheme's certificate table, as events will over theirs), and
core issues them, finds them by code, draws the PDF in the language asked for and serves the
public verification page."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext_lazy

from civhub.awards.choices import SubmissionState
from civhub.awards.models import Certificate
from civhub.awards.tests.conftest import make_call, make_submission
from civhub.core import certificates
from civhub.core.certificates import CertificateKind, Detail, Statement
from civhub.core.models import new_verification_code
from civhub.testing import make_user

pytestmark = pytest.mark.django_db


def _statement(certificate) -> Statement:
    return Statement(
        certificate=certificate,
        title="Open data in the civil service",
        holder="Aigerim Sarsenova",
        context="Peer-learning week",
        distinction="Speaker",
        details=[Detail("Held by", "Aigerim Sarsenova", lang=None)],
        links=[("/en/events/", "The event")],
    )


KIND = CertificateKind(
    model=Certificate,
    namespace="awards",
    scheme=gettext_lazy("Innovative Solutions Scheme"),
    home_url_name="awards:calls",
    home_link_text="Back to the list",
    statement=_statement,
    filename=lambda certificate, language: f"certificate-{language}.pdf",
)


@pytest.fixture
def issued(editor):
    applicant = make_user("applicant@test.example", "member")
    submission = make_submission(make_call(), applicant, SubmissionState.PUBLISHED)
    return certificates.issue(Certificate, editor.user, submission=submission)


def test_a_certificate_gets_an_unguessable_code_of_its_own(issued, editor):
    assert len(issued.code) == 22 and issued.issued_by == editor.user
    assert len(new_verification_code()) <= certificates.CODE_LENGTH
    assert new_verification_code() != new_verification_code()


def test_a_code_finds_its_certificate_and_nothing_else_does(issued):
    assert KIND.verify(issued.code) == issued
    assert certificates.verify(Certificate.objects.all(), issued.code) == issued
    for code in ("", issued.code[:-1] + "?", "x" * 500):
        assert KIND.verify(code) is None


def test_the_pdf_speaks_the_language_asked_for_and_names_its_verification_url(issued):
    pdf = KIND.pdf(issued, "https://hub.example.org/", "ru")
    assert pdf.startswith(b"%PDF-") and b"/Lang (ru)" in pdf
    assert b"/Subject" in pdf and issued.code.encode() in pdf
    assert translation.get_language() == "en"  # left as it was
    assert (
        KIND.verification_url(issued, "https://hub.example.org/", "kk")
        == f"https://hub.example.org/kk/awards/certificates/{issued.code}/"
    )


def test_the_verification_page_shows_the_statement_of_the_kind(rf, issued):
    request = rf.get("/")
    request.LANGUAGE_CODE, request.user = "en", AnonymousUser()
    response = KIND.verify_view(request, issued.code)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("<h1") == 1 and "Certificate verified" in body
    assert "<dt>Held by</dt><dd>Aigerim Sarsenova</dd>" in body
    assert '<a href="/en/events/">The event</a>' in body and issued.code in body
    missing = KIND.verify_view(request, "nothing-has-this-code")
    assert missing.status_code == 404 and "Back to the list" in missing.content.decode()


def test_the_pdf_view_names_the_file_as_the_kind_says(rf, issued):
    request = rf.get("/")
    request.LANGUAGE_CODE, request.user = "kk", AnonymousUser()
    response = KIND.pdf_view(request, issued.code)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="certificate-kk.pdf"'


def test_the_schemes_certificates_keep_their_table_and_codes():
    """The shared fields came to core as an abstract model: the scheme's table, its codes and
    so its verification URLs stay as they were, and its first migration still finds the
    code's default where it names it."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    from civhub.awards.models import evaluation
    from civhub.core.models import CertificateBase

    assert issubclass(Certificate, CertificateBase) and Certificate._meta.db_table == (
        "awards_certificate"
    )
    assert evaluation.new_verification_code is new_verification_code
    state = MigrationLoader(connection).project_state().models["awards", "certificate"]
    code = state.fields["code"]
    assert code.default is new_verification_code and code.max_length == 43 and code.unique
    assert set(state.fields) == {"id", "code", "issued_at", "issued_by", "submission"}
