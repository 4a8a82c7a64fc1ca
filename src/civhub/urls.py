from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

from civhub.api import api
from civhub.core import views as core_views
from civhub.core.i18n import set_language

# The admin logs in through allauth, so staff pass the second factor and the rate limits.
# (a method replaced on the instance: mypy flags assigning to a method)
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    # Our own switcher view: Django's alone keeps the page's language for most readers.
    path("i18n/setlang/", set_language, name="set_language"),
    # The REST API is versioned in its path and speaks every language (?lang=), so it sits
    # outside the language-prefixed pages.
    path("api/v1/", api.urls),
]

urlpatterns += i18n_patterns(
    path("", include("civhub.core.urls")),
    path("", include("civhub.directory.urls")),
    path("", include("civhub.knowledge.urls")),
    path("", include("civhub.search.urls")),
    path("awards/", include("civhub.awards.urls")),
    path("events/", include("civhub.events.urls")),
    path("accounts/", include("allauth.urls")),
    path("members/", include("civhub.accounts.urls")),
    path("admin/", admin.site.urls),
    prefix_default_language=True,
)

if settings.DEBUG:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler400 = "civhub.core.views.bad_request"
handler403 = "civhub.core.views.permission_denied"
handler404 = "civhub.core.views.page_not_found"
handler500 = "civhub.core.views.server_error"
