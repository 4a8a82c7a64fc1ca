import sys
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import InterfaceError, OperationalError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.translation import get_language_from_path
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from civhub.core import registry
from civhub.core.models import Attachment
from civhub.core.permissions import visible_or_404
from civhub.core.services import cache_health, database_health, worker_health


def home(request: HttpRequest) -> HttpResponse:
    """The home page: the figures and sections the apps registered (core.registry)."""
    context: dict[str, Any] = {
        "figures": [
            {"label": figure.label, "value": figure.value(), "url": figure.url()}
            for figure in registry.figures()
        ],
    }
    return render(request, "core/home.html", _with_sections(request, "home", context))


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "core/about.html", _with_sections(request, "about", {}))


def _with_sections(request: HttpRequest, page: str, context: dict[str, Any]) -> dict[str, Any]:
    sections = registry.sections(page)
    for section in sections:
        context.update(section.context(request))
    context["sections"] = sections
    return context


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
        for part in registry.health_checks():
            body[part.name] = part.check()
    ok = all(part["ok"] for part in body.values())
    return JsonResponse({"status": "ok" if ok else "error", **body}, status=200 if ok else 503)


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
