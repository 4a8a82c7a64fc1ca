"""The scheme's documents: the public verification page of a certificate and its PDF (for
anyone with the code), and the secretariat's exports of a call: every score as CSV (editors)
and the results report as PDF (editors and the steering committee). Each export is audited."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache

from civhub.awards import documents
from civhub.awards.models import Submission
from civhub.awards.services import scoring
from civhub.awards.services.decisions import verify_certificate
from civhub.awards.views.public import call_for
from civhub.core.services import audit

PDF = "application/pdf"


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response.headers["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def certificate_verify(request, code):
    """Anyone may check a certificate by its code: who holds it and for what, or a plain
    "no certificate has this code" (404)."""
    certificate = verify_certificate(code)
    if certificate is None:
        response = render(
            request, "awards/certificate_verify.html", {"certificate": None, "code": code}
        )
        response.status_code = 404
        return response
    facts = documents.certificate_facts(certificate)
    winner_page = (
        facts.submission.get_absolute_url()
        if Submission.objects.public().filter(pk=facts.submission.pk).exists()
        else None
    )
    return render(
        request,
        "awards/certificate_verify.html",
        {
            "certificate": certificate,
            "facts": facts,
            "winner_page": winner_page,
            "verification_url": documents.verification_url(
                certificate, request, request.LANGUAGE_CODE
            ),
        },
    )


def certificate_pdf(request, code):
    """The certificate as PDF, in the page's language, for anyone with its code."""
    certificate = verify_certificate(code)
    if certificate is None:
        return certificate_verify(request, code)
    pdf = documents.certificate_pdf(certificate, request, request.LANGUAGE_CODE)
    submission = certificate.submission
    filename = (
        f"certificate-{submission.call.year}-{submission.call.slug}-{submission.pk}"
        f"-{request.LANGUAGE_CODE}.pdf"
    )
    return _attachment(HttpResponse(pdf, content_type=PDF), filename)


@never_cache
@login_required
def scores_csv(request, slug):
    """Every score of the call, with its evaluator: for the secretariat only (the steering
    committee reads the consolidated scores, without the evaluators' names)."""
    call = call_for(request, slug)
    if not call.can_edit(request.user):
        raise PermissionDenied
    lines = documents.scores_csv(call)
    audit(
        request.user,
        "call.scores_exported",
        call,
        summary=str(call),
        format="csv",
        document="scores",
    )
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    return _attachment(response, f"{call.slug}-scores.csv")


@never_cache
@login_required
def results_report(request, slug):
    """The results report (PDF) for the steering committee and the secretariat."""
    call = call_for(request, slug)
    if not (call.can_edit(request.user) or scoring.can_consolidate(request.user)):
        raise PermissionDenied
    pdf = documents.results_report_pdf(call, request.user, request.LANGUAGE_CODE)
    audit(
        request.user,
        "call.scores_exported",
        call,
        summary=str(call),
        format="pdf",
        document="results_report",
    )
    return _attachment(
        HttpResponse(pdf, content_type=PDF),
        f"{call.slug}-results-{request.LANGUAGE_CODE}.pdf",
    )


urlpatterns = [
    path("certificates/<str:code>/", certificate_verify, name="certificate_verify"),
    path("certificates/<str:code>/pdf/", certificate_pdf, name="certificate_pdf"),
    path("<slug:slug>/manage/scores.csv", scores_csv, name="scores_csv"),
    path("<slug:slug>/manage/report.pdf", results_report, name="results_report"),
]
