"""Kinds, formats and states of capacity-building events and of their registrations, and the
event workflow's transitions, written once (EVENT_TRANSITIONS)."""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training course")
    CONFERENCE = "conference", _("Conference")
    WEBINAR = "webinar", _("Webinar")
    STUDY_VISIT = "study_visit", _("Study visit")
    EXPERT_MISSION = "expert_mission", _("Expert mission")
    STEERING_MEETING = "steering_meeting", _("Steering Committee meeting")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", pgettext_lazy("event format", "Online")
    HYBRID = "hybrid", _("Hybrid")


class EventState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", pgettext_lazy("event state", "Published")
    REGISTRATION_OPEN = "registration_open", _("Registration open")
    REGISTRATION_CLOSED = "registration_closed", _("Registration closed")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", pgettext_lazy("event state", "Cancelled")


E = EventState
#: states in which everyone may see the event
PUBLIC_STATES = (E.PUBLISHED, E.REGISTRATION_OPEN, E.REGISTRATION_CLOSED, E.HELD, E.CANCELLED)


class Actor(models.TextChoices):
    """Who may take a transition."""

    EDITOR = "editor", _("Secretariat editor")
    ORGANIZER = "organizer", _("The event's organizer (or an editor)")


@dataclass(frozen=True)
class Transition:
    name: str
    sources: tuple[str, ...]
    target: str
    actor: str
    label: str | Promise
    needs_message: bool = False


# The event workflow, written once:
# draft -> published -> registration open <-> registration closed -> held;
# any published state before "held" -> cancelled (with a reason).
EVENT_TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("publish", (E.DRAFT,), E.PUBLISHED, Actor.EDITOR, _("Publish")),
        Transition("unpublish", (E.PUBLISHED,), E.DRAFT, Actor.EDITOR, _("Back to draft")),
        Transition(
            "open_registration",
            (E.PUBLISHED, E.REGISTRATION_CLOSED),
            E.REGISTRATION_OPEN,
            Actor.ORGANIZER,
            _("Open registration"),
        ),
        Transition(
            "close_registration",
            (E.REGISTRATION_OPEN,),
            E.REGISTRATION_CLOSED,
            Actor.ORGANIZER,
            _("Close registration"),
        ),
        Transition(
            "mark_held",
            (E.PUBLISHED, E.REGISTRATION_OPEN, E.REGISTRATION_CLOSED),
            E.HELD,
            Actor.ORGANIZER,
            _("Mark as held"),
        ),
        Transition(
            "cancel",
            (E.PUBLISHED, E.REGISTRATION_OPEN, E.REGISTRATION_CLOSED),
            E.CANCELLED,
            Actor.EDITOR,
            _("Cancel the event"),
            needs_message=True,
        ),
    ]
}


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Place offered")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    DECLINED = "declined", pgettext_lazy("registration", "Declined")
    LAPSED = "lapsed", _("Offer lapsed")


R = RegistrationStatus
#: registrations that hold one of the event's places
HOLDS_PLACE = (R.CONFIRMED, R.OFFERED)
#: registrations still in play (a user with one of these may not register again)
LIVE = (R.PENDING, R.CONFIRMED, R.WAITING, R.OFFERED)
