import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from civhub.accounts.choices import (
    STAFF_ROLES,
    InterfaceLanguage,
    MembershipRequestState,
    Role,
    TokenScope,
)
from civhub.core.models import VersionedModel
from civhub.core.types import StrOrPromise, Viewer

if TYPE_CHECKING:
    from civhub.directory.models import Country


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> "User":
        extra.update(is_staff=True, is_superuser=True)
        user = self._create_user(email, password, **extra)
        RoleAssignment.objects.get_or_create(user=user, role=Role.ADMIN, country=None)
        return user


class User(VersionedModel, AbstractUser):
    """A person who logs in, by e-mail. What they may do comes from their role assignments.

    `version` grows with every change of the profile (services.update_profile), so that a
    profile form opened before another change of it is refused rather than undoing it."""

    username = None  # type: ignore[assignment]  # the e-mail address is the login
    email = models.EmailField(_("e-mail address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    language = models.CharField(
        _("language for e-mails"),
        max_length=2,
        choices=InterfaceLanguage.choices,
        blank=True,
        help_text=_("The site's e-mails to you are written in this language."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []
    objects = UserManager()  # type: ignore[misc, assignment]  # ours has no username

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.email

    @cached_property
    def _roles(self) -> set[tuple[str, int | None]]:
        if not self.is_active or not self.pk:
            return set()
        return set(self.role_assignments.values_list("role", "country_id"))

    def has_role(self, role: str, country: "Country | int | None" = None) -> bool:
        """Whether the user holds `role`; with `country`, for that country (focal points)."""
        if country is None:
            return any(r == role for r, _c in self._roles)
        country_id = getattr(country, "pk", country)
        return (role, country_id) in self._roles

    @property
    def role_names(self) -> list[str]:
        return sorted({r for r, _c in self._roles})

    @property
    def is_site_admin(self) -> bool:
        return self.is_superuser or self.has_role(Role.ADMIN)

    @property
    def is_editor(self) -> bool:
        """Secretariat editors and administrators moderate, publish and manage membership."""
        return self.is_site_admin or self.has_role(Role.EDITOR)

    @property
    def is_evaluator(self) -> bool:
        """Advisory Board members and reviewers: they score the award scheme's submissions."""
        return self.has_role(Role.EVALUATOR)

    @property
    def is_steering(self) -> bool:
        """Steering committee members take the award scheme's final decisions."""
        return self.has_role(Role.STEERING)

    @property
    def is_member(self) -> bool:
        return self.is_editor or bool(self._roles)

    @property
    def focal_country_ids(self) -> set[int]:
        return {c for r, c in self._roles if r == Role.FOCAL_POINT and c is not None}

    def is_focal_point_for(self, country: "Country | int | None") -> bool:
        return self.has_role(Role.FOCAL_POINT, country)

    @property
    def needs_two_factor(self) -> bool:
        return self.is_superuser or any(r in STAFF_ROLES for r, _c in self._roles)

    @property
    def has_second_factor(self) -> bool:
        from allauth.mfa.models import Authenticator

        return Authenticator.objects.filter(user=self, type=Authenticator.Type.TOTP).exists()

    @property
    def role_fingerprint(self) -> list[str]:
        """The roles (with their countries) in a stable form: an API token records the
        fingerprint it was made under and stops working when it changes."""
        roles = [r if c is None else f"{r}:{c}" for r, c in self._roles]
        if self.is_superuser:
            roles.append("superuser")
        return sorted(roles)

    def can_grant(self, role: str) -> bool:
        from civhub.accounts.choices import ROLES_EDITORS_GRANT

        if self.is_site_admin:
            return True
        return self.has_role(Role.EDITOR) and role in ROLES_EDITORS_GRANT

    def forget_roles(self) -> None:
        self.__dict__.pop("_roles", None)


class RoleAssignment(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    country = models.ForeignKey(
        "directory.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="role_assignments",
        help_text=_("Only for country focal points: the one country whose records they keep."),
    )
    granted_by = models.ForeignKey(
        User,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        ordering = ["user__email", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "country"], name="unique_role_per_country"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(country__isnull=True),
                name="unique_role_without_country",
            ),
            # A focal point always speaks for exactly one country; other roles for none.
            models.CheckConstraint(
                condition=(Q(role=Role.FOCAL_POINT) & Q(country__isnull=False))
                | (~Q(role=Role.FOCAL_POINT) & Q(country__isnull=True)),
                name="focal_point_has_country",
            ),
        ]

    def __str__(self) -> str:
        if self.country_id:
            return f"{self.user} — {self.get_role_display()} ({self.country})"
        return f"{self.user} — {self.get_role_display()}"


class ApiTokenQuerySet(models.QuerySet["ApiToken"]):
    def active(self, now: datetime.datetime | None = None) -> Self:
        """Tokens that still open the API: not revoked and not expired."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )


class ApiToken(models.Model):
    """A personal token for the REST API. Only a hash of the secret is kept; the secret is
    shown once, when the token is made (accounts.services.create_token)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(
        _("name"), max_length=100, help_text=_("What the token is for, e.g. “reporting script”.")
    )
    prefix = models.CharField(
        _("prefix"), max_length=8, help_text=_("The first characters of the token, to tell it.")
    )
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    scope = models.CharField(
        _("scope"),
        max_length=10,
        choices=TokenScope.choices,
        default=TokenScope.READ,
        help_text=_("A read-only token can read what its owner reads, and change nothing."),
    )
    roles = models.JSONField(
        _("roles when made"),
        default=list,
        editable=False,
        help_text=_("The owner's roles when the token was made; a change of roles ends it."),
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not (self.is_revoked or self.is_expired)

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.READ_WRITE

    def refusal(self) -> StrOrPromise | None:
        """Why this (active) token opens nothing now, or None: its owner's roles changed since
        it was made, or a staff role's owner has no second factor (as the pages demand)."""
        user = self.user
        if self.roles != user.role_fingerprint:
            return _("Your roles have changed since this token was made: make a new token.")
        if user.needs_two_factor and not user.has_second_factor:
            return _(
                "Your role requires two-factor login: set up an authenticator app on the site "
                "before using an API token."
            )
        return None

    def can_revoke(self, user: Viewer) -> bool:
        """The owner revokes their tokens; site administrators may revoke anyone's."""
        if not user.is_authenticated:
            return False
        return self.user_id == user.pk or user.is_site_admin


class MembershipRequestQuerySet(models.QuerySet["MembershipRequest"]):
    def pending(self) -> Self:
        return self.filter(state=MembershipRequestState.PENDING)

    def decidable_by(self, user: Viewer) -> Self:
        """The requests `user` may decide: every one for editors, their country's for focal
        points, none for anyone else."""
        if not user.is_authenticated:
            return self.none()
        if user.is_editor:
            return self
        return self.filter(country_id__in=user.focal_country_ids)


class MembershipRequest(models.Model):
    """A registered user asks to be confirmed as a member (a civil servant, researcher or
    expert of a member country). The country's focal point or the secretariat decides."""

    user = models.ForeignKey(
        User,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="membership_requests",
    )
    country = models.ForeignKey(
        "directory.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="membership_requests",
        help_text=_("The country whose civil service, research or expertise you belong to."),
    )
    organization = models.CharField(
        _("organization"), max_length=300, help_text=_("Your agency, institute or employer.")
    )
    position = models.CharField(_("position"), max_length=300, blank=True)
    note = models.TextField(
        _("about your work"),
        blank=True,
        max_length=2000,
        help_text=_("What you work on and what you hope to find or share here."),
    )
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=MembershipRequestState.choices,
        default=MembershipRequestState.PENDING,
    )
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    decided_by = models.ForeignKey(
        User,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)

    objects = MembershipRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state="pending"),
                name="one_pending_membership_request_per_user",
            ),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(decided_at__isnull=False),
                name="decided_membership_request_has_a_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.country_id})"

    def can_decide(self, user: Viewer) -> bool:
        """The secretariat, or a focal point of the country asked for; never one's own."""
        if not user.is_authenticated or user.pk == self.user_id:
            return False
        return user.is_editor or user.is_focal_point_for(self.country_id)
