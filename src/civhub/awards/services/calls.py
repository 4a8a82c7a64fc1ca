"""A call's state: announced (everyone sees it) or back to a draft (editors only). This is
the only way the state changes; the admin shows it read-only, with actions that call this."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civhub.awards.choices import CALL_TRANSITIONS, CallState
from civhub.awards.models import Call
from civhub.core.services import audit
from civhub.core.types import Viewer


@transaction.atomic
def change_state(actor: Viewer, call: Call, step: str) -> Call:
    """Take the call's `step` (CALL_TRANSITIONS: "announce", "back_to_draft") on its locked
    row, one version higher, audited as "call.<step>". Returns the call as saved."""
    transition = CALL_TRANSITIONS.get(step)
    if transition is None:
        raise ValidationError({"state": _("Unknown: %(values)s.") % {"values": step}})
    if not call.can_edit(actor):
        raise PermissionDenied(_("You may not change this record."))
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.state not in transition.sources:
        raise ValidationError(
            _("“%(call)s” is already “%(state)s”.")
            % {"call": locked, "state": CallState(locked.state).label}
        )
    locked.state = transition.target
    locked.version += 1
    locked.save(update_fields=["state", "version", "updated_at"])
    audit(actor, f"call.{step}", locked, summary=str(locked)[:500], state=locked.state)
    return locked
