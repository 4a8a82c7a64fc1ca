"""A capacity-building event (a workshop, a training, a conference, a study visit …) and its
agenda's sessions."""

import datetime
import uuid
import zoneinfo
from functools import cache
from typing import Any, Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from civhub.core.models import DemoMarkedModel, TimeStampedModel
from civhub.core.types import Viewer
from civhub.events.choices import (
    EVENT_TRANSITIONS,
    PUBLIC_STATES,
    Actor,
    EventFormat,
    EventKind,
    EventState,
    RegistrationStatus,
    Transition,
)


@cache
def _zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _zones():
        raise ValidationError(
            _("Unknown time zone: %(zone)s. Give an IANA name such as Asia/Almaty."),
            params={"zone": value},
            code="invalid",
        )


class EventQuerySet(models.QuerySet["Event"]):
    def public(self) -> Self:
        return self.filter(state__in=PUBLIC_STATES)

    def visible_to(self, user: Viewer) -> Self:
        """Editors see every event; an event's organizers see it as a draft too; everyone
        else sees it once published."""
        if user.is_authenticated and user.is_editor:
            return self
        if user.is_authenticated:
            managed = Event.managers.through.objects.filter(event=OuterRef("pk"), user=user)
            return self.filter(Q(state__in=PUBLIC_STATES) | Exists(managed))
        return self.public()

    def upcoming(self, now: datetime.datetime | None = None) -> Self:
        return self.filter(ends_at__gte=now or timezone.now())

    def past(self, now: datetime.datetime | None = None) -> Self:
        return self.filter(ends_at__lt=now or timezone.now())


class Event(DemoMarkedModel, TimeStampedModel):
    uid = models.UUIDField(
        _("calendar identifier"),
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text=_("Stays the same across edits, so calendars update the event."),
    )
    slug = models.SlugField(_("slug"), unique=True, max_length=100)
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    format = models.CharField(_("format"), max_length=20, choices=EventFormat.choices)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Asia/Almaty",
        validators=[validate_time_zone],
        help_text=_("The IANA name of the zone the event's times are given in."),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.ForeignKey(
        "directory.Country",
        verbose_name=_("country"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
    )
    online_link = models.URLField(
        _("online link"), blank=True, help_text=_("Shown only to confirmed participants.")
    )
    organizers = models.ManyToManyField(
        "directory.Organization",
        verbose_name=_("organizers"),
        blank=True,
        related_name="events_organized",
    )
    partners: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        "directory.Organization",
        verbose_name=_("partners"),
        blank=True,
        related_name="events_partnered",
    )
    topics: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        "directory.Topic", verbose_name=_("topics"), blank=True, related_name="events"
    )
    sdg_targets: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        "directory.SdgTarget", verbose_name=_("SDG targets"), blank=True, related_name="events"
    )
    contact = models.ForeignKey(
        "directory.Person",
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    managers: "models.ManyToManyField[Any, Any]" = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("organizers with an account"),
        blank=True,
        related_name="managed_events",
        help_text=_("People who run this event only: its registrations and waiting list."),
    )
    state = models.CharField(
        _("state"), max_length=30, choices=EventState.choices, default=EventState.DRAFT
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    capacity = models.PositiveIntegerField(
        _("places"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    country_quota = models.PositiveSmallIntegerField(
        _("places per country"),
        null=True,
        blank=True,
        help_text=_("At most this many participants from one country; empty for no limit."),
    )
    moderated = models.BooleanField(
        _("organizer approves registrations"),
        default=False,
        help_text=_("Otherwise a registration is confirmed at once while places are left."),
    )
    offer_hours = models.PositiveSmallIntegerField(_("hours an offered place is held"), default=48)
    sequence = models.PositiveIntegerField(
        _("revision"), default=0, editable=False, help_text=_("Grows with every change.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="event_ends_after_it_starts",
                violation_error_message=_("An event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="event_capacity_not_negative",
                violation_error_message=_("The number of places cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(country_quota__isnull=True) | Q(country_quota__gte=1),
                name="event_country_quota_positive",
                violation_error_message=_("A country quota allows at least one place."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_period_ordered",
                violation_error_message=_("Registration must close after it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event", kwargs={"slug": self.slug})

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("An event cannot end before it starts.")})
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            raise ValidationError(
                {"registration_closes_at": _("Registration must close after it opens.")}
            )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.starts_at, self.zone)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.ends_at, self.zone)

    @property
    def is_cancelled(self) -> bool:
        return self.state == EventState.CANCELLED

    def registration_is_open(self, now: datetime.datetime | None = None) -> bool:
        """Registration open: the state says so, the dates (server clock) allow it, and the
        event has not started."""
        now = now or timezone.now()
        if self.state != EventState.REGISTRATION_OPEN or now >= self.starts_at:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)

    # Permissions, asked by the pages and the API alike.
    def can_view(self, user: Viewer) -> bool:
        return Event.objects.visible_to(user).filter(pk=self.pk).exists()

    def can_manage(self, user: Viewer) -> bool:
        """Editors run every event; the organizers it names run this one."""
        if not user.is_authenticated:
            return False
        return user.is_editor or self.managers.filter(pk=user.pk).exists()

    can_edit = can_manage  # attachments and other shared code ask `can_edit`

    def shows_online_link_to(self, user: Viewer) -> bool:
        """The online link is for confirmed participants and the event's managers only."""
        if not self.online_link or not user.is_authenticated:
            return False
        return (
            self.can_manage(user)
            or self.registrations.filter(user=user, status=RegistrationStatus.CONFIRMED).exists()
        )

    def can_register(self, user: Viewer) -> bool:
        return bool(user.is_authenticated and self.registration_is_open())

    def can_transition(self, user: Viewer, name: str) -> bool:
        step = EVENT_TRANSITIONS.get(name)
        if step is None or not user.is_authenticated or self.state not in step.sources:
            return False
        if step.actor == Actor.EDITOR:
            return user.is_editor
        return self.can_manage(user)

    def allowed_transitions(self, user: Viewer) -> list[Transition]:
        return [t for t in EVENT_TRANSITIONS.values() if self.can_transition(user, t.name)]


class Session(TimeStampedModel):
    """One item of an event's agenda."""

    event = models.ForeignKey(
        Event, verbose_name=_("event"), on_delete=models.CASCADE, related_name="sessions"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    room = models.CharField(_("room or link"), max_length=300, blank=True)
    chair = models.ForeignKey(
        "directory.Person",
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions_chaired",
    )
    speakers = models.ManyToManyField(
        "directory.Person", verbose_name=_("speakers"), blank=True, related_name="sessions"
    )

    class Meta:
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        ordering = ["event", "starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="session_ends_after_it_starts",
                violation_error_message=_("A session cannot end before it starts."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("A session cannot end before it starts.")})
        event = self.event if self.event_id else None
        outside = (
            event
            and self.starts_at
            and self.ends_at
            and (self.starts_at < event.starts_at or self.ends_at > event.ends_at)
        )
        if outside:
            raise ValidationError(
                {"starts_at": _("A session must take place within its event's dates.")}
            )

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.starts_at, self.event.zone)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.ends_at, self.event.zone)

    def can_view(self, user: Viewer) -> bool:
        return self.event.can_view(user)

    def can_edit(self, user: Viewer) -> bool:
        return self.event.can_manage(user)
