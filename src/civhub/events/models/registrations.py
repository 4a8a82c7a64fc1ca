"""A person's registration for an event: confirmed, pending approval, on the waiting list
(in order) or offered a freed place for a while."""

from typing import TYPE_CHECKING, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from civhub.core.models import DemoMarkedModel, TimeStampedModel
from civhub.core.types import Viewer
from civhub.events.choices import LIVE, RegistrationStatus

if TYPE_CHECKING:
    from civhub.events.models.events import Event

R = RegistrationStatus


class RegistrationQuerySet(models.QuerySet["Registration"]):
    def live(self) -> Self:
        return self.filter(status__in=LIVE)

    def waiting_list(self) -> Self:
        return self.filter(status=R.WAITING).order_by("waiting_position")

    def public_list(self, event: "Event") -> Self:
        """The participants an event's page names: confirmed, and agreed to be listed."""
        return (
            self.filter(event=event, status=R.CONFIRMED, consent_public=True)
            .select_related("user", "country")
            .order_by("user__display_name")
        )


class Registration(DemoMarkedModel, TimeStampedModel):
    event = models.ForeignKey(
        "events.Event",
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="event_registrations",
    )
    person = models.ForeignKey(
        "directory.Person",
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_registrations",
    )
    country = models.ForeignKey(
        "directory.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_registrations",
        help_text=_("The country the participant represents; counted against its quota."),
    )
    status = models.CharField(_("status"), max_length=20, choices=RegistrationStatus.choices)
    waiting_position = models.PositiveIntegerField(
        _("place on the waiting list"), null=True, blank=True
    )
    offer_expires_at = models.DateTimeField(_("offer holds until"), null=True, blank=True)
    consent_public = models.BooleanField(
        _("appear on the public list of participants"), default=False
    )
    reason = models.TextField(_("reason"), blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["event", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                name="one_registration_per_user_per_event",
                violation_error_message=_("You are already registered for this event."),
            ),
            models.CheckConstraint(
                condition=(Q(status=R.WAITING) & Q(waiting_position__isnull=False))
                | (~Q(status=R.WAITING) & Q(waiting_position__isnull=True)),
                name="registration_waits_with_a_position",
                violation_error_message=_("Only a waiting registration has a place in line."),
            ),
            models.CheckConstraint(
                condition=(Q(status=R.OFFERED) & Q(offer_expires_at__isnull=False))
                | ~Q(status=R.OFFERED),
                name="registration_offer_has_an_expiry",
                violation_error_message=_("An offered place holds until a given time."),
            ),
            models.CheckConstraint(
                condition=Q(waiting_position__isnull=True) | Q(waiting_position__gte=1),
                name="registration_waiting_position_positive",
                violation_error_message=_("Places in line start at one."),
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "waiting_position"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.event}"

    @property
    def holds_place(self) -> bool:
        return self.status in (R.CONFIRMED, R.OFFERED)

    def can_view(self, user: Viewer) -> bool:
        return user.is_authenticated and (user.pk == self.user_id or self.event.can_manage(user))
