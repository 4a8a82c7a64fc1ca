"""Changes to directory records: permission-checked, validated, atomic and audited."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from civhub.core.services import audit
from civhub.directory.models import Membership, Seat


@transaction.atomic
def save_record(actor, record: Model, *, m2m_form=None) -> Model:
    """Validate and save a directory record the actor may edit; audit what changed.

    Creating a record is checked against the record as it would be saved (a focal point may
    only add an organization of its own country).
    """
    if not record.can_edit(actor):
        raise PermissionDenied(_("You may not edit this record."))
    creating = record.pk is None
    record.full_clean()
    record.save()
    if m2m_form is not None:
        m2m_form.save_m2m()
    label = record._meta.model_name
    audit(actor, f"{label}.{'created' if creating else 'updated'}", record, summary=str(record))
    return record


@transaction.atomic
def add_membership(actor, membership: Membership) -> Membership:
    if not membership.can_edit(actor):
        raise PermissionDenied(_("Only the secretariat manages membership."))
    membership.full_clean()
    membership.save()
    audit(actor, "membership.added", membership.country, summary=str(membership))
    return membership


@transaction.atomic
def end_membership(actor, membership: Membership, left_on) -> Membership:
    if not membership.can_edit(actor):
        raise PermissionDenied(_("Only the secretariat manages membership."))
    membership.left_on = left_on
    membership.full_clean()
    membership.save(update_fields=["left_on", "updated_at"])
    audit(actor, "membership.ended", membership.country, summary=str(membership))
    return membership


@transaction.atomic
def add_seat(actor, seat: Seat) -> Seat:
    if not (actor.is_authenticated and actor.is_editor):
        raise PermissionDenied(_("Only the secretariat manages governance bodies."))
    seat.full_clean()
    seat.save()
    audit(actor, "seat.added", seat.body, summary=str(seat))
    return seat


def membership_growth(years=None) -> list[dict]:
    """Participating member count at the end of each year the hub has existed."""
    import datetime

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
