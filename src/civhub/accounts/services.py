"""Granting and revoking roles: the only way roles change, always audited."""

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civhub.accounts.choices import Role
from civhub.accounts.models import RoleAssignment, User
from civhub.core.services import audit

EDITORS_GROUP = "Secretariat editors"
# Editors work in the Django admin on these apps' records.
EDITOR_APPS = ("directory", "knowledge", "insights")


def editors_group() -> Group:
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    wanted = Permission.objects.filter(content_type__app_label__in=EDITOR_APPS)
    if group.permissions.count() != wanted.count():
        group.permissions.set(wanted)
    return group


def _sync_staff_flags(user: User) -> None:
    """Editors and administrators reach the Django admin; nobody else does."""
    user.forget_roles()
    is_admin = user.has_role(Role.ADMIN)
    is_staff = is_admin or user.has_role(Role.EDITOR)
    if user.is_staff != is_staff or (is_admin and not user.is_superuser):
        user.is_staff = is_staff
        user.is_superuser = user.is_superuser or is_admin
        user.save(update_fields=["is_staff", "is_superuser"])
    group = editors_group()
    if user.has_role(Role.EDITOR):
        user.groups.add(group)
    else:
        user.groups.remove(group)


@transaction.atomic
def grant_role(actor: User | None, user: User, role: str, country=None) -> RoleAssignment:
    """Give `user` the `role` (for `country` when the role is focal point)."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role.")})
    if actor is not None and not actor.can_grant(role):
        raise PermissionDenied(_("You may not grant this role."))
    if role == Role.FOCAL_POINT and country is None:
        raise ValidationError({"country": _("A country focal point needs a country.")})
    if role != Role.FOCAL_POINT and country is not None:
        raise ValidationError({"country": _("Only a country focal point has a country.")})
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user, role=role, country=country, defaults={"granted_by": actor}
    )
    if not created:
        raise ValidationError({"role": _("This user already has this role.")})
    _sync_staff_flags(user)
    audit(
        actor,
        "role.granted",
        user,
        summary=str(assignment),
        role=role,
        country=getattr(country, "code", None),
    )
    return assignment


@transaction.atomic
def revoke_role(actor: User | None, assignment: RoleAssignment) -> None:
    if actor is not None and not actor.can_grant(assignment.role):
        raise PermissionDenied(_("You may not revoke this role."))
    if actor is not None and assignment.user_id == actor.pk and assignment.role == Role.ADMIN:
        raise ValidationError(_("Administrators cannot revoke their own administrator role."))
    user = assignment.user
    summary = str(assignment)
    role, country = assignment.role, assignment.country
    assignment.delete()
    user.forget_roles()
    if role == Role.ADMIN and not user.has_role(Role.ADMIN):
        user.is_superuser = False
        user.save(update_fields=["is_superuser"])
    _sync_staff_flags(user)
    audit(
        actor,
        "role.revoked",
        user,
        summary=summary,
        role=role,
        country=getattr(country, "code", None),
    )
