"""Changes to laws and by-laws, and the reads the pages need.

`save_legal_act` is the one way an act is created or changed: it checks the permission on the
act as it is stored and as it would be saved (a focal point may not move another country's act
to its own, nor file an act under another country), validates the record and its links to
other acts, saves in one transaction and writes the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from civhub.core.services import audit, editable_fields, save_changes
from civhub.core.types import Viewer
from civhub.knowledge.models import LegalAct

if TYPE_CHECKING:
    from civhub.directory.models import Topic


def can_add_legal_acts(user: Viewer) -> bool:
    """Editors add acts of any country; focal points of their own."""
    return bool(user.is_authenticated and (user.is_editor or user.focal_country_ids))


def _check_links(act: LegalAct, links: dict[str, list[LegalAct] | None]) -> None:
    """An act amends and repeals acts of its own country and draws on other countries' acts;
    it never points at itself. Every problem is reported on its field, naming the act."""
    errors: dict[str, list[str]] = {}
    for field, acts in links.items():
        for other in acts or []:
            if act.pk is not None and other.pk == act.pk:
                errors.setdefault(field, []).append(_("An act cannot point to itself."))
            elif field == "drew_on" and other.country_id == act.country_id:
                errors.setdefault(field, []).append(
                    _(
                        "“%(title)s” is an act of the same country; “drew on” links to other countries' acts."
                    )
                    % {"title": other}
                )
            elif field in ("amends", "repeals") and other.country_id != act.country_id:
                errors.setdefault(field, []).append(
                    _(
                        "“%(title)s” is another country's act; an act amends or repeals only acts of its own country."
                    )
                    % {"title": other}
                )
    if errors:
        raise ValidationError(errors)


RELATIONS = ("topics", "amends", "repeals", "drew_on")


@transaction.atomic
def save_legal_act(
    actor: Viewer,
    act: LegalAct,
    *,
    topics: Iterable[Topic | int] | None = None,
    amends: Iterable[LegalAct] | None = None,
    repeals: Iterable[LegalAct] | None = None,
    drew_on: Iterable[LegalAct] | None = None,
    changed: Iterable[str] | None = None,
    version: int | None = None,
) -> LegalAct:
    """Create or update an act and, for each relation given (None leaves it as it is), set it.

    An update locks the stored row and saves only the fields in `changed` (a form's
    `changed_data`: what differs from the act as the editor read it; None: every field), so
    a parallel edit of other fields, or a change of its publication state, is never undone;
    relations not in `changed` are left as they are too. With `version` (the version the
    editor read), an edit of an act that changed meanwhile is refused with Conflict."""
    if not can_add_legal_acts(actor):
        raise PermissionDenied(_("Only editors and focal points may record laws and by-laws."))
    creating = act.pk is None
    links = {
        "amends": None if amends is None else list(amends),
        "repeals": None if repeals is None else list(repeals),
        "drew_on": None if drew_on is None else list(drew_on),
    }
    relations_given: dict[str, list[Any] | None] = {
        "topics": None if topics is None else list(topics),
        **links,
    }
    if not creating:
        locked = (
            LegalAct.objects.select_for_update(of=("self",))
            .select_related("country")
            .get(pk=act.pk)
        )
        if not locked.can_edit(actor):
            raise PermissionDenied(_("You may not edit this act."))
        if changed is not None:
            changed = list(changed)
            relations_given = {
                name: value for name, value in relations_given.items() if name in changed
            }
    if act.country_id is not None and not act.can_edit(actor):
        raise PermissionDenied(_("You may record acts of your own country only."))
    act.full_clean()
    _check_links(act, {name: relations_given.get(name) for name in links})
    given = {name: value for name, value in relations_given.items() if value is not None}
    if creating:
        act.created_by = actor
        act.save()
        for name, value in given.items():
            getattr(act, name).set(value)
        audit(actor, "legal_act.created", act, summary=str(act), country=act.country.code)
        return act
    fields = editable_fields(LegalAct) if changed is None else changed
    saved = save_changes(locked, act, fields, version=version, links=given)
    if not locked.can_edit(actor):  # merged with a parallel change of its country
        raise PermissionDenied(_("You may record acts of your own country only."))
    if saved:
        audit(
            actor,
            "legal_act.updated",
            locked,
            summary=str(locked),
            country=locked.country.code,
            fields=sorted(saved),
        )
    return locked
    if relations and not saved:
        # A change of links alone is a change of the record too.
        act.version += 1
        act.save(update_fields=["version", "updated_at"])
    if saved or relations:
        audit(
            actor,
            "legal_act.updated",
            act,
            summary=str(act),
            country=act.country.code,
            fields=sorted([*saved, *relations]),
        )
    return act


def relations(act: LegalAct, user: Viewer) -> dict[str, list[LegalAct]]:
    """The acts linked to `act` in both directions, as far as `user` may see them."""
    visible = LegalAct.objects.visible_to(user).select_related("country")
    return {
        "amends": list(visible.filter(amended_by=act)),
        "amended_by": list(visible.filter(amends=act)),
        "repeals": list(visible.filter(repealed_by=act)),
        "repealed_by": list(visible.filter(repeals=act)),
        "drew_on": list(visible.filter(inspired=act)),
        "inspired": list(visible.filter(drew_on=act)),
    }


def shown_text(act: LegalAct, field: str, language: str) -> tuple[str, str]:
    """The text of a translated field in the version the reader gets, and its language (the
    one rule of `VersionedTextMixin.reading_language`: title and summary never differ)."""
    shown = act.reading_language(language)
    return act.text_in(field, shown), shown
