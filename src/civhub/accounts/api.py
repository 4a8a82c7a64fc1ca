"""`/me`: the caller's account. Who is calling (personal tokens) is accounts/auth.py."""

from ninja import Query, Router, Schema

from civhub.accounts.auth import token_auth
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
def me(request, params: Query[LanguageQuery]):
    """The caller (needs a token): e-mail, roles, and what the roles allow."""
    user = request.user
    assignments = user.role_assignments.select_related("country").order_by("role")
    return {
        "email": user.email,
        "display_name": str(user),
        "roles": [
            {
                "role": a.role,
                "label": str(a.get_role_display()),
                "country": a.country.code if a.country_id else None,
            }
            for a in assignments
        ],
        "is_member": user.is_member,
        "is_editor": user.is_editor,
        "focal_countries": sorted(a.country.code for a in assignments if a.country_id),
        "token": request.api_token.prefix,
    }
