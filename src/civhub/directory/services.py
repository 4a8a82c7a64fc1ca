"""Changes to directory records: permission-checked, validated, atomic and audited.

No lost updates: an edit locks the stored row (select_for_update), saves only the fields the
editor changed (core.services.save_changes, with update_fields) and, given the version the
editor read, refuses an edit of a record that changed since (core.services.Conflict: 409 in the
API; on pages the message, with what was typed kept)."""

import datetime
from collections.abc import Iterable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from civhub.core.services import Conflict, audit, save_changes
from civhub.core.types import Viewer
from civhub.directory.models import Country, Membership, Organization, Person, Seat

# The records edited through save_record; it returns the one it was given, as saved.
EditableRecord = TypeVar("EditableRecord", Country, Organization, Person)


@transaction.atomic
def save_record(
    actor: Viewer,
    record: EditableRecord,
    *,
    m2m_form: forms.ModelForm | None = None,
    version: int | None = None,
) -> EditableRecord:
    """Create, or update, a directory record the actor may edit; audit what changed.

    Creating a record is checked against the record as it would be saved (a focal point may
    only add an organization of its own country). An update saves the form's `changed_data`
    (the fields that differ from the record as the editor read it; without a form, every
    editable field that differs from the stored row) onto the row read again under a lock, so
    a parallel edit of other fields is kept; with `version`, an edit of a record that changed
    meanwhile is refused whole with Conflict. Saving what is there writes nothing."""
    if not record.can_edit(actor):
        raise PermissionDenied(_("You may not edit this record."))
    label = record._meta.model_name
    if record.pk is None:
        record.full_clean()
        record.save()
        if m2m_form is not None:
            m2m_form.save_m2m()
        audit(actor, f"{label}.created", record, summary=str(record))
        return record
    model = type(record)
    locked = model.objects.select_for_update().get(pk=record.pk)
    if not locked.can_edit(actor):
        # E.g. a person moved to another country since a focal point opened the form.
        raise Conflict(_("You may no longer edit this record, so your changes were not saved."))
    if m2m_form is not None:
        changed = list(m2m_form.changed_data)
    else:
        changed = [f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key]
    many = {field.name for field in model._meta.many_to_many}
    links: dict[str, Any] = {}
    if m2m_form is not None:
        links = {name: m2m_form.cleaned_data[name] for name in changed if name in many}
    saved = save_changes(locked, record, changed, version=version, links=links)
    if saved:
        audit(
            actor,
            f"{label}.updated",
            locked,
            summary=str(locked),
            fields=sorted(saved),
        )
    return locked


@transaction.atomic
def add_membership(actor: Viewer, membership: Membership) -> Membership:
    if not membership.can_edit(actor):
        raise PermissionDenied(_("Only the secretariat manages membership."))
    membership.full_clean()
    membership.save()
    audit(actor, "membership.added", membership.country, summary=str(membership))
    return membership


@transaction.atomic
def end_membership(
    actor: Viewer, membership: Membership, left_on: datetime.date | None
) -> Membership:
    if not membership.can_edit(actor):
        raise PermissionDenied(_("Only the secretariat manages membership."))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.left_on is not None and membership.left_on != left_on:
        # Ended meanwhile by someone else, on another day: not silently moved.
        raise Conflict(
            _("This membership period has been ended already, on %(date)s.")
            % {"date": membership.left_on.isoformat()}
        )
    membership.left_on = left_on
    membership.full_clean()
    membership.save(update_fields=["left_on", "updated_at"])
    audit(actor, "membership.ended", membership.country, summary=str(membership))
    return membership


@transaction.atomic
def add_seat(actor: Viewer, seat: Seat) -> Seat:
    if not (actor.is_authenticated and actor.is_editor):
        raise PermissionDenied(_("Only the secretariat manages governance bodies."))
    seat.full_clean()
    seat.save()
    audit(actor, "seat.added", seat.body, summary=str(seat))
    return seat


def membership_growth(years: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """Participating member count at the end of each year the hub has existed."""
    from django.utils import timezone

    from civhub.directory.models import member_count_on

    first = Membership.objects.order_by("joined_on").values_list("joined_on", flat=True).first()
    if first is None:
        return []
    this_year = timezone.localdate().year
    years = years or range(first.year, this_year + 1)
    rows = []
    for year in years:
        on = min(datetime.date(year, 12, 31), timezone.localdate())
        rows.append({"year": year, "on": on, "count": member_count_on(on)})
    return rows
