"""Who is calling the API: personal tokens (`Authorization: Bearer <token>`).

Reads are open: a request without a token is anonymous and sees what a visitor sees. With a
token the caller is its user, with that user's roles (a focal point's token shows its drafts).
Writes need a read-and-write token. A token that is wrong, revoked or expired is refused with
401, never quietly treated as anonymous; so is a token whose owner's roles changed since it was
made, and a staff role's token while its owner has no second factor. A read-only token that
tries to write gets 403. The API does not use the browser session.

Every app's router takes `token_auth`, `OPTIONAL_TOKEN` and `PUBLIC` from here; the API of
accounts itself (`/me`) is accounts/api.py.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBearer

from civhub.accounts import services

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class ApiTokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; sets `request.user` to the token's user."""

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if not header:
            return None
        scheme, _sep, secret = header.partition(" ")
        if scheme.lower() != self.openapi_scheme or not secret.strip():
            raise AuthenticationError(
                message=_("Send the token as “Authorization: Bearer <token>”.")
            )
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        api_token = services.authenticate_token(token)
        if api_token is None:
            raise AuthenticationError(message=_("This token is not valid, revoked or expired."))
        refusal = api_token.refusal()
        if refusal:
            raise AuthenticationError(message=str(refusal))
        if request.method not in SAFE_METHODS and not api_token.can_write:
            raise HttpError(403, _("This token is read-only: make a read-and-write token."))
        request.user = api_token.user
        request.api_token = api_token  # type: ignore[attr-defined]  # the API reads it
        return api_token.user


def anonymous(request: HttpRequest) -> AnonymousUser:
    """No token: the caller is a visitor (the session cookie is not used by the API)."""
    request.user = AnonymousUser()
    request.api_token = None  # type: ignore[attr-defined]
    return request.user


token_auth = ApiTokenAuth()
#: reads: a token when given, else anonymous
OPTIONAL_TOKEN: list[Callable[..., Any]] = [token_auth, anonymous]
#: OpenAPI: the token is optional on reads
PUBLIC: dict[str, Any] = {"security": [{"ApiTokenAuth": []}, {}]}
