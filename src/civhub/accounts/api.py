"""`/me`: the caller's account. Who is calling (personal tokens) is accounts/auth.py."""

from typing import Any, cast

from django.http import HttpRequest
from ninja import Query, Router, Schema

from civhub.accounts.auth import token_auth
from civhub.accounts.models import ApiToken, User
from civhub.core.api import ERRORS_WRITE, LanguageQuery


class RoleOut(Schema):
    role: str
    label: str
    country: str | None = None


class MeOut(Schema):
    email: str
    display_name: str
    roles: list[RoleOut]
    is_member: bool
    is_editor: bool
    focal_countries: list[str]
    token: str


router = Router(tags=["accounts"])


@router.get("/me", response={200: MeOut, **ERRORS_WRITE}, auth=token_auth, url_name="me")
def me(request: HttpRequest, params: Query[LanguageQuery]) -> dict[str, Any]:
    """The caller (needs a token): e-mail, roles, and what the roles allow."""
    user = cast(User, request.user)  # token_auth signed the token's user in
    token: ApiToken = request.api_token  # type: ignore[attr-defined]  # set by token_auth
    assignments = user.role_assignments.select_related("country").order_by("role")
    return {
        "email": user.email,
        "display_name": str(user),
        "roles": [
            {
                "role": a.role,
                "label": str(a.get_role_display()),
                "country": a.country.code if a.country is not None else None,
            }
            for a in assignments
        ],
        "is_member": user.is_member,
        "is_editor": user.is_editor,
        "focal_countries": sorted(a.country.code for a in assignments if a.country is not None),
        "token": token.prefix,
    }
