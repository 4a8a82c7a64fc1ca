import re
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

# Paths a staff user without a second factor may still reach: to set it up, or to leave.
_ALLOWED_PREFIXES = ("/static/", "/media/", "/healthz", "/i18n/", "/favicon.ico")
# allauth's own pages (login, logout, re-authentication, TOTP set-up), in any language.
_ACCOUNT_PAGES = re.compile(r"^/[a-z]{2}/accounts/")
# Where a staff user was going when sent to set up TOTP: the recovery-codes page links on to it.
ONWARD_SESSION_KEY = "civhub_onward"


class RequireStaffTwoFactorMiddleware:
    """Staff roles (editors, steering committee, administrators) must set up TOTP first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and self._must_set_up(request, user):
            if request.method == "GET" and not request.path_info.startswith("/api/"):
                request.session[ONWARD_SESSION_KEY] = request.get_full_path()
            messages.warning(
                request,
                _("Your role requires two-factor login. Set up an authenticator app to continue."),
            )
            return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _must_set_up(request: HttpRequest, user: Any) -> bool:
        path = request.path_info
        if path.startswith(_ALLOWED_PREFIXES) or _ACCOUNT_PAGES.match(path):
            return False
        if not user.needs_two_factor:
            return False
        from allauth.mfa.models import Authenticator

        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
