"""Registration for an event, its waiting list and the offers of freed places.

Every function that may take or free a place locks the event's row first
(`select_for_update`), so registrations for one event are decided one after the other and
never overbook it, nor give anyone a waiting position twice. Places are held by confirmed
registrations and by offers not yet lapsed; a pending registration (moderated events) holds
none until it is approved.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from civhub.core.services import audit
from civhub.core.types import Viewer
from civhub.directory.models import Country, Person
from civhub.events.choices import HOLDS_PLACE, LIVE, RegistrationStatus
from civhub.events.models import Event, Registration
from civhub.events.services.mail import notify

R = RegistrationStatus


def _locked_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _locked(registration: Registration) -> tuple[Event, Registration]:
    """The event's row first, then the registration's: always in this order."""
    event = _locked_event(registration.event)
    return event, Registration.objects.select_for_update().get(pk=registration.pk)


def places_taken(event: Event, country_id: int | None = None) -> int:
    taken = event.registrations.filter(status__in=HOLDS_PLACE)
    if country_id is not None:
        taken = taken.filter(country_id=country_id)
    return taken.count()


def places_left(event: Event) -> int | None:
    """Places not yet taken; None when the event has no limit."""
    if event.capacity is None:
        return None
    return max(event.capacity - places_taken(event), 0)


def has_room(event: Event, country_id: int | None) -> bool:
    """A place is free, and the country's quota has one left."""
    if event.capacity is not None and places_taken(event) >= event.capacity:
        return False
    if event.country_quota is not None and country_id is not None:
        return places_taken(event, country_id) < event.country_quota
    return True


def _next_position(event: Event) -> int:
    top = event.registrations.filter(status=R.WAITING).aggregate(top=Max("waiting_position"))
    return (top["top"] or 0) + 1


def _leave_line(registration: Registration) -> None:
    """Close the gap a registration leaves in the waiting list."""
    position = registration.waiting_position
    registration.waiting_position = None
    if position is not None:
        Registration.objects.filter(
            event_id=registration.event_id, status=R.WAITING, waiting_position__gt=position
        ).order_by("waiting_position").update(waiting_position=F("waiting_position") - 1)


def _join_line(event: Event, registration: Registration) -> None:
    registration.status = R.WAITING
    registration.waiting_position = _next_position(event)


def _confirm(registration: Registration, now: datetime.datetime) -> None:
    registration.status = R.CONFIRMED
    registration.confirmed_at = now
    registration.offer_expires_at = None


@transaction.atomic
def register(
    user: Viewer,
    event: Event,
    *,
    country: Country | None = None,
    person: Person | None = None,
    consent_public: bool = False,
    now: datetime.datetime | None = None,
) -> Registration:
    """Register `user`: confirmed while places (and the country's quota) are left, pending
    when the organizer approves registrations, else on the waiting list, in order."""
    now = now or timezone.now()
    if not user.is_authenticated:
        raise PermissionDenied(_("Log in to register."))
    event = _locked_event(event)
    if not event.registration_is_open(now):
        raise ValidationError({"event": _("Registration for this event is not open.")})
    existing = Registration.objects.select_for_update().filter(event=event, user=user).first()
    if existing is not None and existing.status in LIVE:
        raise ValidationError({"event": _("You are already registered for this event.")})
    registration = existing or Registration(event=event, user=user)
    registration.country = country
    registration.person = person or getattr(user, "person", None)
    registration.consent_public = consent_public
    registration.reason = ""
    registration.offer_expires_at = None
    registration.waiting_position = None
    registration.confirmed_at = None
    country_id = country.pk if country is not None else None
    if event.moderated:
        registration.status = R.PENDING
    elif has_room(event, country_id):
        _confirm(registration, now)
    else:
        _join_line(event, registration)
    registration.full_clean(exclude=["event", "user"], validate_constraints=False)
    registration.save()
    audit(
        user,
        "registration.created",
        registration,
        summary=str(event),
        status=registration.status,
        position=registration.waiting_position,
    )
    notify(registration.pk, registration.status)
    return registration


def _check_manager(actor: Viewer, event: Event) -> None:
    if not event.can_manage(actor):
        raise PermissionDenied(_("Only the event's organizers may do this."))


@transaction.atomic
def approve(
    actor: Viewer, registration: Registration, now: datetime.datetime | None = None
) -> Registration:
    """A pending registration is confirmed if a place is left, else it joins the line."""
    now = now or timezone.now()
    event, registration = _locked(registration)
    _check_manager(actor, event)
    if registration.status != R.PENDING:
        raise ValidationError({"status": _("Only a pending registration can be approved.")})
    if has_room(event, registration.country_id):
        _confirm(registration, now)
    else:
        _join_line(event, registration)
    registration.save(
        update_fields=[
            "status",
            "confirmed_at",
            "waiting_position",
            "offer_expires_at",
            "updated_at",
        ]
    )
    audit(
        actor, "registration.approved", registration, summary=str(event), status=registration.status
    )
    notify(registration.pk, registration.status)
    return registration


@transaction.atomic
def decline(actor: Viewer, registration: Registration, reason: str) -> Registration:
    event, registration = _locked(registration)
    _check_manager(actor, event)
    if registration.status not in (R.PENDING, R.WAITING):
        raise ValidationError(
            {"status": _("Only a pending or waiting registration can be declined.")}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason.")})
    if registration.status == R.WAITING:
        _leave_line(registration)
    registration.status = R.DECLINED
    registration.reason = reason
    registration.save(update_fields=["status", "reason", "waiting_position", "updated_at"])
    audit(actor, "registration.declined", registration, summary=str(event), reason=reason)
    notify(registration.pk, "declined")
    return registration


@transaction.atomic
def withdraw(
    user: Viewer, registration: Registration, now: datetime.datetime | None = None
) -> Registration:
    """The registrant withdraws, until the event starts; a freed place is offered on."""
    now = now or timezone.now()
    event, registration = _locked(registration)
    if not user.is_authenticated or registration.user_id != user.pk:
        raise PermissionDenied(_("You may withdraw only your own registration."))
    if registration.status not in LIVE:
        raise ValidationError({"status": _("This registration is no longer active.")})
    if now >= event.starts_at:
        raise ValidationError({"status": _("The event has started; it is too late to withdraw.")})
    freed = registration.holds_place
    if registration.status == R.WAITING:
        _leave_line(registration)
    previous = registration.status
    registration.status = R.WITHDRAWN
    registration.offer_expires_at = None
    registration.save(
        update_fields=["status", "waiting_position", "offer_expires_at", "updated_at"]
    )
    audit(user, "registration.withdrawn", registration, summary=str(event), previous=previous)
    if freed:
        offer_next(event, now)
    return registration


def offer_next(event: Event, now: datetime.datetime | None = None) -> list[Registration]:
    """Offer every free place to the first in line whose country's quota allows it, each
    for the event's `offer_hours`. Call with the event's row locked."""
    now = now or timezone.now()
    offered: list[Registration] = []
    if now >= event.starts_at:
        return offered
    for candidate in event.registrations.waiting_list().select_for_update():
        if not has_room(event, candidate.country_id):
            if event.capacity is not None and places_taken(event) >= event.capacity:
                break
            continue  # over its country's quota: the next in line may still fit
        _leave_line(candidate)
        candidate.status = R.OFFERED
        candidate.offer_expires_at = now + datetime.timedelta(hours=event.offer_hours)
        candidate.save(
            update_fields=["status", "waiting_position", "offer_expires_at", "updated_at"]
        )
        audit(
            None,
            "registration.offered",
            candidate,
            summary=str(event),
            until=candidate.offer_expires_at.isoformat(),
        )
        notify(candidate.pk, "offered")
        offered.append(candidate)
    return offered


@transaction.atomic
def accept_offer(
    user: Viewer, registration: Registration, now: datetime.datetime | None = None
) -> Registration:
    now = now or timezone.now()
    event, registration = _locked(registration)
    if not user.is_authenticated or registration.user_id != user.pk:
        raise PermissionDenied(_("This offer is not yours."))
    if registration.status != R.OFFERED:
        raise ValidationError({"status": _("There is no offer to accept.")})
    expires = registration.offer_expires_at  # every offer is made with its time limit
    if expires is not None and expires <= now:
        raise ValidationError({"status": _("The offer has lapsed.")})
    _confirm(registration, now)
    registration.save(update_fields=["status", "confirmed_at", "offer_expires_at", "updated_at"])
    audit(user, "registration.accepted", registration, summary=str(event))
    notify(registration.pk, "confirmed")
    return registration


def expire_offers(now: datetime.datetime | None = None) -> int:
    """Lapse every offer past its time and offer the place to the next in line; one event at
    a time, each in its own transaction. The number of offers lapsed."""
    now = now or timezone.now()
    event_ids = (
        Registration.objects.filter(status=R.OFFERED, offer_expires_at__lte=now)
        .values_list("event_id", flat=True)
        .distinct()
    )
    count = 0
    for event_id in list(event_ids):
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_id)
            lapsed = list(
                event.registrations.select_for_update().filter(
                    status=R.OFFERED, offer_expires_at__lte=now
                )
            )
            for registration in lapsed:
                registration.status = R.LAPSED
                registration.offer_expires_at = None
                registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
                audit(None, "registration.lapsed", registration, summary=str(event))
                notify(registration.pk, "lapsed")
            count += len(lapsed)
            offer_next(event, now)
    return count


@transaction.atomic
def move_in_line(actor: Viewer, registration: Registration, position: int) -> Registration:
    """The organizer moves a waiting registration to `position` (1 is first in line)."""
    event, registration = _locked(registration)
    _check_manager(actor, event)
    if registration.status != R.WAITING:
        raise ValidationError({"position": _("Only a waiting registration has a place in line.")})
    length = event.registrations.filter(status=R.WAITING).count()
    if not isinstance(position, int) or not 1 <= position <= length:
        raise ValidationError(
            {"position": _("Give a place between 1 and %(last)s.") % {"last": length}}
        )
    previous = registration.waiting_position
    line = [
        r for r in event.registrations.waiting_list().select_for_update() if r.pk != registration.pk
    ]
    line.insert(position - 1, registration)
    # Two steps, so no two rows share a position in between.
    Registration.objects.filter(pk__in=[r.pk for r in line]).update(
        waiting_position=F("waiting_position") + length
    )
    for index, entry in enumerate(line, start=1):
        Registration.objects.filter(pk=entry.pk).update(waiting_position=index)
    registration.refresh_from_db()
    audit(
        actor,
        "registration.moved",
        registration,
        summary=str(event),
        previous=previous,
        position=position,
    )
    return registration


@transaction.atomic
def promote(
    actor: Viewer, registration: Registration, now: datetime.datetime | None = None
) -> Registration:
    """The organizer confirms a waiting or pending registration at once, ahead of the line,
    even beyond the places (the organizer makes room); never beyond a country's quota."""
    now = now or timezone.now()
    event, registration = _locked(registration)
    _check_manager(actor, event)
    if registration.status not in (R.WAITING, R.PENDING):
        raise ValidationError(
            {"status": _("Only a waiting or pending registration can be promoted.")}
        )
    quota = event.country_quota
    if (
        quota is not None
        and registration.country_id is not None
        and places_taken(event, registration.country_id) >= quota
    ):
        raise ValidationError({"country": _("This country's quota of places is used up.")})
    over = event.capacity is not None and places_taken(event) >= event.capacity
    previous = registration.waiting_position
    if registration.status == R.WAITING:
        _leave_line(registration)
    _confirm(registration, now)
    registration.save(
        update_fields=[
            "status",
            "confirmed_at",
            "waiting_position",
            "offer_expires_at",
            "updated_at",
        ]
    )
    audit(
        actor,
        "registration.promoted",
        registration,
        summary=str(event),
        previous_position=previous,
        over_capacity=over,
    )
    notify(registration.pk, "confirmed")
    return registration


def registration_of(user: Viewer, event: Event) -> Registration | None:
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(event=event, user=user).first()
