import sys

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone, translation
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from civhub.core.models import Attachment
from civhub.core.permissions import visible_or_404
from civhub.core.services import cache_health, database_health, worker_health
from civhub.directory.models import Country, Membership, Organization, Person, member_count_on
from civhub.insights.models import Contribution
from civhub.knowledge.models import Practice


def home(request):
    today = timezone.localdate()
    context = {
        "member_count": member_count_on(today),
        "partner_count": Organization.objects.partners().count(),
        "expert_count": Person.objects.experts().count(),
        "latest_members": Membership.objects.select_related("country").order_by(
            "-joined_on", "-id"
        )[:5],
        "partners": Organization.objects.partners().order_by("name")[:8],
        "latest_practices": Practice.objects.published().order_by("-published_at", "-created_at")[
            :5
        ],
        "practice_count": Practice.objects.published().count(),
    }
    return render(request, "core/home.html", context)


def about(request):
    from civhub.directory.services import membership_growth

    context = {
        "growth": membership_growth(),
        "contributions": Contribution.objects.select_related("donor", "managed_by"),
        "country_count": Country.objects.in_hub().count(),
    }
    return render(request, "core/about.html", context)


@require_GET
def favicon(request):
    """/favicon.ico: browsers and crawlers ask for it at the root whatever the page links."""
    path = finders.find("civhub/favicon.ico")
    if not path:
        raise Http404
    response = FileResponse(open(path, "rb"), content_type="image/x-icon")  # noqa: SIM115 (FileResponse closes it)
    response["Cache-Control"] = "public, max-age=604800"
    return response


@require_GET
@never_cache
def healthz(request):
    """200 when this server can serve pages and the background worker lives; 503 names the
    part that fails. `?check=web` leaves out the worker, for a load balancer (a dead worker
    is no reason to stop sending readers to this server). The full check also says how many
    search documents wait for their vectors: a count, never a fault. See docs/operations.md."""
    body: dict = {"database": database_health(), "cache": cache_health()}
    if request.GET.get("check") != "web":
        body["worker"] = worker_health()
        body["search"] = _search_health()
    ok = all(part["ok"] for part in body.values())
    return JsonResponse({"status": "ok" if ok else "error", **body}, status=200 if ok else 503)


def _search_health() -> dict:
    from civhub.search.indexing import progress

    try:
        found = progress()
    except DatabaseError as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "documents": found.total, "waiting_for_vectors": found.waiting}


def error_page(template: str, status: int):
    def view(request, exception=None):
        return render(request, template, status=status)

    return view


bad_request = error_page("400.html", 400)
permission_denied = error_page("403.html", 403)
page_not_found = error_page("404.html", 404)

# The database is unreachable or refuses work for now (connection refused, locked too
# long): the reader may try again, so 503, not a server error.
UNAVAILABLE = (OperationalError, InterfaceError)


def server_error(request):
    """500, or 503 when the database cannot be reached; JSON with a `detail` under /api/ (as
    docs/api.md promises), else a page in the reader's language."""
    unavailable = isinstance(sys.exc_info()[1], UNAVAILABLE)
    status = 503 if unavailable else 500
    if request.path_info.startswith("/api/"):
        language = request.GET.get("lang", "")
    else:
        language = get_language_from_path(request.path_info) or ""
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    with translation.override(language):
        if request.path_info.startswith("/api/"):
            detail = (
                _("The service is unavailable for a moment. Please try again in a minute.")
                if unavailable
                else _("Server error. The administrators have been told.")
            )
            response = JsonResponse(
                {"detail": detail}, status=status, json_dumps_params={"ensure_ascii": False}
            )
        else:
            # No request, so no context processors: they may read the database that broke.
            html = loader.render_to_string("503.html" if unavailable else "500.html")
            response = HttpResponse(html, status=status)
        response.headers["Content-Language"] = language
    if unavailable:
        response.headers["Retry-After"] = "60"
    return response


def download_attachment(request, pk):
    """Files are always served as downloads, with a safe name and their sniffed type."""
    attachment = visible_or_404(Attachment, request.user, pk=pk)
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
