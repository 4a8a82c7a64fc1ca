"""The scheme's documents: the public verification page of a certificate and its PDF (for
anyone with the code; core/certificates.py serves them), and the secretariat's exports of a
call: every score as CSV (editors) and the results report as PDF (editors and the steering
committee). Each export is audited."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache

from civhub.awards import documents
from civhub.awards.services import scoring
from civhub.awards.views.public import call_for
from civhub.core.certificates import PDF
from civhub.core.services import audit


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    # never None for an attachment (as_attachment=True)
    response.headers["Content-Disposition"] = content_disposition_header(True, filename)  # type: ignore[assignment]
    return response


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
    # The public verification page and PDF are core's, for the scheme's certificates.
    *documents.CERTIFICATES.urls(),
    path("<slug:slug>/manage/scores.csv", scores_csv, name="scores_csv"),
    path("<slug:slug>/manage/report.pdf", results_report, name="results_report"),
]
