"""Changes to knowledge records. Each change is one function: permission-checked, atomic,
audited, and notifying after the commit."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from civhub.core.mail import mail_user
from civhub.core.services import Conflict, audit, save_changes
from civhub.core.types import Viewer
from civhub.knowledge.choices import PRACTICE_TRANSITIONS, PracticeState
from civhub.knowledge.models import Endorsement, Practice

if TYPE_CHECKING:
    from civhub.core.models import Attachment, AuditEntry
    from civhub.directory.models import Country, Organization, SdgTarget, Topic


def _notify_author(practice: Practice, build: Callable[[], tuple[str, str]]) -> None:
    """`build` returns (subject, body); it runs after the commit in the author's language."""
    author = practice.created_by
    if author and author.email:
        transaction.on_commit(lambda: mail_user(author, build))


@transaction.atomic
def save_practice(
    actor: Viewer,
    practice: Practice,
    *,
    m2m_form: forms.ModelForm | None = None,
    version: int | None = None,
) -> Practice:
    """Create or update a practice. Members create drafts; authors edit their drafts.

    An update locks the stored row and saves only what the editor changed (the form's
    `changed_data`: the fields that differ from the record as the editor read it), so a
    parallel edit of other fields or a step of the workflow is never undone. With `version`
    (the version the editor read), an edit of a record that changed meanwhile is refused
    with Conflict; so is an edit the stored record no longer allows (e.g. submitted since)."""
    creating = practice.pk is None
    if creating:
        if not (actor.is_authenticated and actor.is_member):
            raise PermissionDenied(_("Only members can submit practices."))
        practice.created_by = actor
        practice.state = PracticeState.DRAFT
        practice.full_clean()
        practice.save()
        if m2m_form is not None:
            m2m_form.save_m2m()
        audit(actor, "practice.created", practice, summary=practice.title)
        return practice
    if not practice.can_edit(actor):
        raise PermissionDenied(_("You may not edit this practice."))
    locked = Practice.objects.select_for_update().get(pk=practice.pk)
    if not locked.can_edit(actor):
        raise Conflict(
            _(
                "This practice is “%(state)s” now and can no longer be edited by you, so your "
                "changes were not saved."
            )
            % {"state": PracticeState(locked.state).label}
        )
    changed = list(m2m_form.changed_data) if m2m_form is not None else _all_fields(practice)
    many = {field.name for field in Practice._meta.many_to_many}
    links = {}
    if m2m_form is not None:
        links = {name: m2m_form.cleaned_data[name] for name in changed if name in many}
    saved = save_changes(locked, practice, changed, version=version, links=links)
    if saved:
        audit(
            actor,
            "practice.updated",
            locked,
            summary=locked.title,
            fields=sorted(saved),
        )
    return locked


def _all_fields(practice: Practice) -> list[str]:
    return [f.name for f in practice._meta.concrete_fields if f.editable and not f.primary_key]


@transaction.atomic
def create_published_practice(
    actor: Viewer,
    fields: dict[str, Any],
    *,
    countries: Iterable[Country | int] = (),
    implementing_entities: Iterable[Organization | int] = (),
    topics: Iterable[Topic | int] = (),
    sdg_targets: Iterable[SdgTarget | int] = (),
    attachments: Iterable[Attachment] = (),
) -> Practice:
    """A practice published at once by the secretariat, from a record of another app (an
    awarded solution): its fields, links, and copies of its files (each with a stored file of
    its own, through core's attachment service)."""
    from civhub.core import attachments as attachment_service

    if not (actor.is_authenticated and actor.is_editor):
        raise PermissionDenied(_("Only the secretariat publishes good practices."))
    practice = Practice(
        **fields,
        state=PracticeState.PUBLISHED,
        published_at=timezone.now(),
    )
    practice.full_clean()
    practice.save()
    practice.countries.set(countries)
    practice.implementing_entities.set(implementing_entities)
    practice.topics.set(topics)
    practice.sdg_targets.set(sdg_targets)
    audit(actor, "practice.created", practice, summary=practice.title)
    for attachment in attachments:
        attachment_service.copy_to(actor, attachment, practice)
    return practice


@transaction.atomic
def transition(actor: Viewer, practice: Practice, name: str, message: str = "") -> Practice:
    """Move a practice along its workflow (see PRACTICE_TRANSITIONS)."""
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    step = PRACTICE_TRANSITIONS.get(name)
    if step is None:
        raise ValidationError(_("Unknown action."))
    if not practice.can_transition(actor, name):
        raise PermissionDenied(_("You may not do this now."))
    message = message.strip()
    if step.needs_message and not message:
        raise ValidationError({"message": _("Tell the author what to change.")})
    if name == "submit":
        missing = missing_for_submission(practice)
        if missing:
            raise ValidationError(
                {
                    "state": _("Fill in before submitting: %(fields)s.")
                    % {"fields": ", ".join(missing)}
                }
            )
    previous = practice.state
    practice.state = step.target
    practice.version += 1
    fields = ["state", "version", "updated_at"]
    now = timezone.now()
    if name == "submit":
        practice.submitted_at, practice.changes_requested = now, ""
        fields += ["submitted_at", "changes_requested"]
    elif name == "request_changes":
        practice.changes_requested = message
        fields.append("changes_requested")
    elif step.target == PracticeState.PUBLISHED and not practice.published_at:
        practice.published_at = now
        fields.append("published_at")
    practice.save(update_fields=fields)
    audit(
        actor,
        f"practice.{name}",
        practice,
        summary=practice.title,
        previous=previous,
        state=practice.state,
        message=message,
    )
    if step.actor != "author":
        _notify_author(
            practice,
            lambda: (
                _("Your practice “%(title)s”: %(state)s")
                % {"title": practice.title, "state": practice.get_state_display()},
                message
                or _("The state of your practice changed to: %(state)s.")
                % {"state": practice.get_state_display()},
            ),
        )
    return practice


def _label(name: str) -> str:
    field = cast("Field[Any, Any]", Practice._meta.get_field(name))  # a column or a link
    return str(field.verbose_name)


def missing_for_submission(practice: Practice) -> list[str]:
    """What a practice needs before editors can review it, by field label."""
    required = ["title", "summary", "challenge", "solution"]
    missing = [_label(f) for f in required if not getattr(practice, f)]
    if not practice.countries.exists() and not practice.countries_text:
        missing.append(_label("countries"))
    if not practice.topics.exists():
        missing.append(str(Practice._meta.get_field("topics").verbose_name))
    return missing


@transaction.atomic
def endorse(actor: Viewer, practice: Practice, country: Country, comment: str = "") -> Endorsement:
    if not practice.can_endorse(actor) or country.pk not in actor.focal_country_ids:
        raise PermissionDenied(_("Only a focal point of a country involved may endorse."))
    if not practice.countries.filter(pk=country.pk).exists():
        raise ValidationError({"country": _("This country is not involved in the practice.")})
    endorsement, created = Endorsement.objects.get_or_create(
        practice=practice,
        country=country,
        defaults={"endorsed_by": actor, "comment": comment[:500]},
    )
    if not created:
        raise ValidationError({"country": _("This country has already endorsed the practice.")})
    audit(actor, "practice.endorsed", practice, summary=practice.title, country=country.code)
    return endorsement


HISTORY_LABELS = {
    "practice.created": _lazy("Created"),
    "practice.updated": _lazy("Edited"),
    "practice.imported": _lazy("Imported"),
    "practice.reimported": _lazy("Updated by an import"),
    "practice.endorsed": _lazy("Endorsed"),
    "attachment.added": _lazy("File attached"),
    "attachment.removed": _lazy("File removed"),
    **{f"practice.{name}": step.label for name, step in PRACTICE_TRANSITIONS.items()},
}


def history(practice: Practice) -> list[AuditEntry]:
    """Every audited change of the practice, newest first, with readable labels, for editors."""
    from django.contrib.contenttypes.models import ContentType

    from civhub.core.models import AuditEntry

    states = dict(PracticeState.choices)
    entries = list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Practice), object_id=str(practice.pk)
        ).select_related("actor")
    )
    for entry in entries:
        # Read by the history template only: set on the entries, not fields of the model.
        entry.label = HISTORY_LABELS.get(entry.action, entry.action)  # type: ignore[attr-defined]
        entry.previous_label = states.get(entry.data.get("previous"), "")  # type: ignore[attr-defined]
        entry.state_label = states.get(entry.data.get("state"), "")  # type: ignore[attr-defined]
    return entries
