from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from civhub.core.services import cache_health, database_health
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
    database, cache = database_health(), cache_health()
    ok = database["ok"] and cache["ok"]
    body = {"status": "ok" if ok else "error", "database": database, "cache": cache}
    return JsonResponse(body, status=200 if ok else 503)


def error_page(template: str, status: int):
    def view(request, exception=None):
        return render(request, template, status=status)

    return view


bad_request = error_page("400.html", 400)
permission_denied = error_page("403.html", 403)
page_not_found = error_page("404.html", 404)


def server_error(request):
    # Rendered without context processors: the request may be what broke.
    return render(request, "500.html", status=500, using=None)


def download_attachment(request, pk):
    """Files are always served as downloads, with a safe name and their sniffed type."""
    from django.http import FileResponse, Http404
    from django.shortcuts import get_object_or_404

    from civhub.core.models import Attachment

    attachment = get_object_or_404(Attachment, pk=pk)
    target = attachment.target
    can_view = getattr(target, "can_view", None)
    if target is None or (can_view is not None and not can_view(request.user)):
        raise Http404
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.mime_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
