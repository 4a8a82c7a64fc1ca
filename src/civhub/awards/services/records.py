"""Edits of the scheme's records by hand, in the admin: a call's texts, timeline and state, a
submission's texts, an assignment's evaluator. The workflow moves through its own services;
this one only makes sure an edit never undoes what changed since its form was opened."""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from civhub.core.services import audit, save_changes
from civhub.core.types import Viewer


@transaction.atomic
def save_record(
    actor: Viewer, record: Model, changed: Iterable[str], *, version: int | None = None
) -> Model:
    """Save the `changed` fields of `record` (a call, a submission or an assignment, as the
    admin's form built it) on its locked row, one version higher, and nothing else: a step
    of the workflow taken meanwhile is kept. With `version` (what the form was opened on), a
    record changed since is refused with Conflict. Returns the record as saved."""
    opts = record._meta
    if not (
        actor.is_authenticated and actor.has_perm(f"{opts.app_label}.change_{opts.model_name}")
    ):
        raise PermissionDenied(_("You may not change this record."))
    # any model of the app: Model declares no `objects`, each of them has one
    locked = type(record).objects.select_for_update().get(pk=record.pk)  # type: ignore[attr-defined]
    saved = save_changes(locked, record, changed, version=version)
    if saved:
        audit(actor, f"{opts.model_name}.edited", locked, summary=str(locked)[:500], fields=saved)
    return locked
