from typing import Any, cast

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from civhub.accounts import services
from civhub.accounts.models import ApiToken, MembershipRequest, RoleAssignment, User


def _actor(request: HttpRequest) -> User:
    """Who is at the admin site: a signed-in staff member (it lets no one else in)."""
    return cast(User, request.user)


class RoleAssignmentInline(admin.TabularInline):
    """Shown, not edited, here: roles change through the audited services (Role assignments)."""

    model = RoleAssignment
    fk_name = "user"
    extra = 0
    fields = readonly_fields = ("role", "country", "granted_by", "granted_at")
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "is_staff", "last_login"]
    list_filter = ["is_active", "is_staff", "role_assignments__role"]
    search_fields = ["email", "display_name", "first_name", "last_name"]
    inlines = [RoleAssignmentInline]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    """Granting and revoking here go through the same audited services as the roles page."""

    list_display = ["user", "role", "country", "granted_by", "granted_at"]
    list_filter = ["role", "country__region"]
    search_fields = ["user__email", "country__name"]
    autocomplete_fields = ["user", "country"]
    fields = ["user", "role", "country"]

    def has_change_permission(
        self, request: HttpRequest, obj: RoleAssignment | None = None
    ) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def get_form(
        self,
        request: HttpRequest,
        obj: RoleAssignment | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[ModelForm]:
        form = super().get_form(request, obj, change=change, **kwargs)
        actor = _actor(request)

        # The admin's form class, made at run time.
        class GrantForm(form):  # type: ignore[valid-type,misc]
            def clean(self) -> dict[str, Any]:
                data = super().clean()
                role = data.get("role")
                if role and not actor.can_grant(role):
                    raise ValidationError({"role": _("You may not grant this role.")})
                return data

        return GrantForm

    def save_model(
        self, request: HttpRequest, obj: RoleAssignment, form: Any, change: bool
    ) -> None:
        assignment = services.grant_role(_actor(request), obj.user, obj.role, obj.country)
        obj.pk = assignment.pk

    def delete_model(self, request: HttpRequest, obj: RoleAssignment) -> None:
        services.revoke_role(_actor(request), obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[RoleAssignment]) -> None:
        for assignment in queryset.select_related("user"):
            services.revoke_role(_actor(request), assignment)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made by their owners on the API tokens page (the secret is shown once);
    here they are shown, and revoked through the audited service."""

    list_display = [
        "name",
        "user",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["name", "prefix", "user__email"]
    list_select_related = ["user"]
    fields = readonly_fields = (
        "user",
        "name",
        "prefix",
        "key_hash",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        # The change page is a read-only view; nothing is edited here.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: ApiToken | None = None) -> bool:
        return False

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        revoked = 0
        for token in queryset.filter(revoked_at__isnull=True).select_related("user"):
            services.revoke_token(_actor(request), token)
            revoked += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", revoked)
            % {"count": revoked},
        )


# allauth's own admin shows and edits each authenticator's `data`, the TOTP secret itself.
admin.site.unregister(Authenticator)


@admin.register(Authenticator)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Secrets are never shown or edited after set-up. An administrator can only remove an
    authenticator (audited, through the service), which makes its owner set up a new one."""

    list_display = ["user", "type", "created_at", "last_used_at"]
    list_filter = ["type", "created_at", "last_used_at"]
    search_fields = ["user__email"]
    list_select_related = ["user"]
    fields = readonly_fields = ("user", "type", "created_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Authenticator | None = None) -> bool:
        # The change page is a read-only view, without the secret.
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Authenticator | None = None) -> bool:
        return _actor(request).is_site_admin and super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Authenticator) -> None:
        services.remove_authenticator(_actor(request), obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Authenticator]) -> None:
        for authenticator in queryset.select_related("user"):
            services.remove_authenticator(_actor(request), authenticator)


@admin.register(MembershipRequest)
class MembershipRequestAdmin(admin.ModelAdmin):
    """Shown here; decided on the membership requests page, through the audited service."""

    list_display = ["user", "country", "organization", "state", "created_at", "decided_by"]
    list_filter = ["state", "country__region"]
    search_fields = ["user__email", "organization"]
    list_select_related = ["user", "country", "decided_by"]
    fields = readonly_fields = (
        "user",
        "country",
        "organization",
        "position",
        "note",
        "state",
        "created_at",
        "decided_by",
        "decided_at",
        "reason",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: MembershipRequest | None = None
    ) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(
        self, request: HttpRequest, obj: MembershipRequest | None = None
    ) -> bool:
        return False
