"""Granting and revoking roles, and personal API tokens: the only way they change, always
audited."""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from civhub.accounts.choices import MembershipRequestState, Role, TokenScope
from civhub.accounts.models import ApiToken, MembershipRequest, RoleAssignment, User
from civhub.core.mail import mail_user, site_name
from civhub.core.services import audit, save_changes

if TYPE_CHECKING:
    from civhub.directory.models import Country

EDITORS_GROUP = "Secretariat editors"
# Editors work in the Django admin on these apps' records.
EDITOR_APPS = ("directory", "knowledge", "insights", "awards", "events")


def editors_group() -> Group:
    group, _created = Group.objects.get_or_create(name=EDITORS_GROUP)
    wanted = Permission.objects.filter(content_type__app_label__in=EDITOR_APPS)
    if group.permissions.count() != wanted.count():
        group.permissions.set(wanted)
    return group


def users_with_role(*roles: str) -> QuerySet[User]:
    """The active users who hold any of `roles`: who to ask or to tell, by role."""
    return User.objects.filter(is_active=True, role_assignments__role__in=roles).distinct()


def editors() -> QuerySet[User]:
    """The secretariat's editors and the administrators (who are editors too)."""
    return users_with_role(Role.EDITOR, Role.ADMIN)


def sync_staff_flags(user: User) -> None:
    """Make the user's access to the Django admin match the roles they hold: editors and
    administrators reach it, nobody else does. grant_role and revoke_role call it; so does
    code that writes role assignments itself (the demo, the tests' personas)."""
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
def grant_role(
    actor: User | None, user: User, role: str, country: Country | None = None
) -> RoleAssignment:
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
    sync_staff_flags(user)
    _end_tokens_after_role_change(actor, user)
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
    sync_staff_flags(user)
    _end_tokens_after_role_change(actor, user)
    audit(
        actor,
        "role.revoked",
        user,
        summary=summary,
        role=role,
        country=getattr(country, "code", None),
    )


def _end_tokens_after_role_change(actor: User | None, user: User) -> None:
    """A token keeps the rules of the roles it was made under: when they change, the user's
    active tokens end (revoked, audited), and the owner makes new ones under the new roles."""
    now = timezone.now()
    for token in ApiToken.objects.active(now).select_for_update().filter(user=user):
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit(
            actor,
            "api_token.ended_by_role_change",
            user,
            summary=str(token),
            token=token.pk,
        )


@transaction.atomic
def update_profile(
    actor: User, user: User, form: forms.ModelForm, version: int | None = None
) -> list[str]:
    """Save the fields of the profile form that the user changed (`form.changed_data`), on
    the user's row read again under a lock, and only those: a role granted meanwhile (which
    sets `is_staff`), a login (`last_login`) or a password change is never undone by a profile
    form opened before it. With `version` (the profile's version when the form was opened), a
    profile changed since is refused with Conflict. Returns the fields saved."""
    if not (actor.is_authenticated and actor.pk == user.pk):
        raise PermissionDenied(_("You may only edit your own profile."))
    locked = User.objects.select_for_update().get(pk=user.pk)
    saved = save_changes(locked, form.save(commit=False), form.changed_data, version=version)
    if saved:
        audit(actor, "profile.updated", locked, summary=str(locked), fields=sorted(saved))
    return saved


# Personal API tokens. The secret is shown once; only its SHA-256 is stored, so a leaked
# database does not leak working tokens. Secrets are long and random, so a plain (unsalted)
# hash is enough and lets a request find its token with one indexed lookup.
TOKEN_BYTES = 32
PREFIX_LENGTH = 8
# last_used_at is written at most this often, so reads do not each cost a write.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def create_token(
    user: User,
    name: str,
    expires_at: datetime.datetime | None = None,
    scope: str = TokenScope.READ_WRITE,
) -> tuple[ApiToken, str]:
    """Make a token for `user`, recording the roles it is made under. Returns the token and
    its secret, which is never stored. A staff role's owner needs a second factor first."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Only active users can have API tokens."))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if user.needs_two_factor and not user.has_second_factor:
        raise PermissionDenied(
            _("Your role requires two-factor login: set up an authenticator app first.")
        )
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Choose whether the token may write.")})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry date must be in the future.")})
    secret = secrets.token_urlsafe(TOKEN_BYTES)
    token = ApiToken(
        user=user,
        name=name,
        prefix=secret[:PREFIX_LENGTH],
        key_hash=hash_secret(secret),
        expires_at=expires_at,
        scope=scope,
        roles=user.role_fingerprint,
    )
    token.full_clean()
    token.save()
    audit(user, "api_token.created", user, summary=str(token), token=token.pk, scope=scope)
    return token, secret


@transaction.atomic
def revoke_token(actor: User, token: ApiToken) -> ApiToken:
    """Revoke a token; from then on it opens nothing. Revoking twice is refused."""
    if not token.can_revoke(actor):
        raise PermissionDenied(_("You may not revoke this token."))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit(actor, "api_token.revoked", token.user, summary=str(token), token=token.pk)
    return token


def authenticate_token(secret: str) -> ApiToken | None:
    """The active token with this secret, with its user, or None. Marks it as used."""
    if not secret or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=hash_secret(secret), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


@transaction.atomic
def remove_authenticator(actor: User, authenticator: Any) -> None:
    """Remove a user's authenticator (an administrator's step when a phone is lost). The
    secret is never shown; removing the TOTP authenticator removes its recovery codes too,
    and a staff owner is then made to set up a new one at the next page."""
    from allauth.mfa.models import Authenticator

    if not (actor.is_authenticated and actor.is_site_admin):
        raise PermissionDenied(_("Only administrators may remove an authenticator."))
    removed = Authenticator.objects.select_for_update().filter(pk=authenticator.pk)
    if authenticator.type == Authenticator.Type.TOTP:
        removed = Authenticator.objects.select_for_update().filter(
            user_id=authenticator.user_id,
            type__in=[Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES],
        )
    kinds = sorted(removed.values_list("type", flat=True))
    if not kinds:
        return  # already removed by someone else
    removed.delete()
    audit(
        actor,
        "authenticator.removed",
        authenticator.user,
        summary=", ".join(kinds),
        kinds=kinds,
    )


# --- Confirmed membership -------------------------------------------------------------------
# A new account is a registered user. It becomes a member (contacts, submitting, registering)
# when the focal point of its country or the secretariat approves its request.

logger = logging.getLogger(__name__)


def send_to(user: User, template: str, context: dict[str, Any]) -> None:
    """After the commit, e-mail `user` templates/accounts/email/<template>.txt (first line:
    the subject) in the user's language, named for the hub. A mail server's failure is
    logged, not raised: the change it reports is already committed."""

    def build() -> tuple[str, str]:
        text = render_to_string(
            f"accounts/email/{template}.txt", {**context, "user": user, "site_name": site_name()}
        ).strip()
        subject, _sep, body = text.partition("\n")
        return subject.strip(), body.strip()

    def send() -> None:
        try:
            mail_user(user, build, fail_silently=False)
        except Exception:
            logger.exception("membership e-mail %s to user %s not sent", template, user.pk)

    transaction.on_commit(send)


def deciders_of(country: Country) -> list[User]:
    """Who decides a request for `country`: its focal points, else the secretariat."""
    focal = list(
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.FOCAL_POINT,
            role_assignments__country=country,
        ).distinct()
    )
    if focal:
        return focal
    return list(
        User.objects.filter(
            is_active=True, role_assignments__role__in=[Role.EDITOR, Role.ADMIN]
        ).distinct()
    )


@transaction.atomic
def request_membership(
    user: User, country: Country, organization: str, position: str = "", note: str = ""
) -> MembershipRequest:
    """A registered user asks to be confirmed as a member; the deciders are e-mailed."""
    if not (user.is_authenticated and user.is_active):
        raise PermissionDenied(_("Log in to ask for membership."))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_role(Role.MEMBER):
        raise ValidationError(_("You are a member already."))
    if MembershipRequest.objects.pending().filter(user=user).exists():
        raise ValidationError(_("Your request is already waiting for a decision."))
    organization = (organization or "").strip()
    if not organization:
        raise ValidationError({"organization": _("Name the organization you work for.")})
    membership_request = MembershipRequest(
        user=user,
        country=country,
        organization=organization,
        position=(position or "").strip(),
        note=(note or "").strip(),
    )
    membership_request.full_clean()
    membership_request.save()
    audit(
        user,
        "membership.requested",
        user,
        summary=str(membership_request),
        request=membership_request.pk,
        country=country.code,
    )
    for decider in deciders_of(country):
        send_to(decider, "membership_requested", {"request": membership_request})
    return membership_request


@transaction.atomic
def decide_membership(
    actor: User, membership_request: MembershipRequest, approve: bool, reason: str = ""
) -> MembershipRequest:
    """Approve (the user becomes a member) or decline (with a reason) a pending request; the
    user is e-mailed either way. A request decided meanwhile by someone else is refused."""
    if not membership_request.can_decide(actor):
        raise PermissionDenied(_("You may not decide this request."))
    membership_request = (
        MembershipRequest.objects.select_for_update()
        .select_related("user", "country")
        .get(pk=membership_request.pk)
    )
    if membership_request.state != MembershipRequestState.PENDING:
        raise ValidationError(_("This request has been decided already."))
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Say why the request is declined.")})
    membership_request.state = (
        MembershipRequestState.APPROVED if approve else MembershipRequestState.DECLINED
    )
    membership_request.decided_by = actor
    membership_request.decided_at = timezone.now()
    membership_request.reason = reason
    membership_request.save(update_fields=["state", "decided_by", "decided_at", "reason"])
    user = membership_request.user
    if approve:
        RoleAssignment.objects.get_or_create(
            user=user, role=Role.MEMBER, country=None, defaults={"granted_by": actor}
        )
        user.forget_roles()
        _end_tokens_after_role_change(actor, user)
    audit(
        actor,
        "membership.approved" if approve else "membership.declined",
        user,
        summary=str(membership_request),
        request=membership_request.pk,
        reason=reason,
    )
    send_to(
        user,
        "membership_approved" if approve else "membership_declined",
        {"request": membership_request},
    )
    return membership_request
