"""The event workflow (EVENT_TRANSITIONS): `change_state` is the one function that moves an
event from one state to another; the named functions are that function with the step filled in."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from civhub.core.services import audit
from civhub.core.types import Viewer
from civhub.events.choices import EVENT_TRANSITIONS, HOLDS_PLACE
from civhub.events.models import Event
from civhub.events.services.mail import notify

#: what a change of the event bumps, so calendars replace the copy they hold
CALENDAR_FIELDS = ["sequence", "updated_at"]


@transaction.atomic
def change_state(actor: Viewer, event: Event, name: str, message: str = "") -> Event:
    event = Event.objects.select_for_update().get(pk=event.pk)
    step = EVENT_TRANSITIONS.get(name)
    if step is None:
        raise ValidationError(_("Unknown action."))
    if not event.can_transition(actor, name):
        raise PermissionDenied(_("You may not do this now."))
    message = (message or "").strip()
    if step.needs_message and not message:
        raise ValidationError({"message": _("Give a reason.")})
    previous = event.state
    event.state = step.target
    fields = ["state"]
    if name == "cancel":
        event.cancel_reason = message
        fields.append("cancel_reason")
    event.sequence = F("sequence") + 1
    event.save(update_fields=fields + CALENDAR_FIELDS)
    event.refresh_from_db(fields=["sequence"])
    audit(
        actor,
        f"event.{name}",
        event,
        summary=event.title,
        previous=previous,
        state=event.state,
        message=message,
    )
    if name == "cancel":
        for pk in event.registrations.filter(status__in=HOLDS_PLACE).values_list("pk", flat=True):
            notify(pk, "cancelled")
    return event


def publish(actor: Viewer, event: Event) -> Event:
    return change_state(actor, event, "publish")


def open_registration(actor: Viewer, event: Event) -> Event:
    return change_state(actor, event, "open_registration")


def close_registration(actor: Viewer, event: Event) -> Event:
    return change_state(actor, event, "close_registration")


def mark_held(actor: Viewer, event: Event) -> Event:
    return change_state(actor, event, "mark_held")


def cancel(actor: Viewer, event: Event, reason: str) -> Event:
    return change_state(actor, event, "cancel", reason)
