"""Drafts, the completeness check, and the submission workflow (SUBMISSION_TRANSITIONS).

`transition(actor, submission, name, message)` is the one function that moves a submission
from one state to another. It locks the row, checks the step and the actor, runs the step's
own checks (`GUARDS`: the deadline and completeness for "submit", enough evaluators for
"start_scoring", …), makes the change and its side effects (`EFFECTS`: the submission time,
the decision with its minutes), keeps a note the applicant may read, writes the audit entry
and e-mails the applicant after the commit. The named functions below (`submit`, `answer`,
`screen`, …) are that function with the step filled in.

No lost updates: every change locks the submission's row first and saves only the columns it
changes, one version higher (`Submission.version`). A draft edited from a form opened on an
older version, or a step asked for from a state the submission has left meanwhile, is refused
whole with `Conflict` (the page keeps what was typed), so neither undoes the other.
"""

import copy
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civhub.awards.choices import (
    ACTIVE_ASSIGNMENT,
    CLOSED_STATES,
    SUBMISSION_TRANSITIONS,
    AssignmentStatus,
    CallState,
    NoteKind,
    PrizeKind,
    SubmissionState,
)
from civhub.awards.models import Call, Decision, Prize, StageNote, Submission
from civhub.awards.services.mail import notify
from civhub.core.services import Conflict, audit, save_changes
from civhub.core.types import StrOrPromise, Viewer
from civhub.directory.models import SdgTarget, Topic

S = SubmissionState
#: what the applicant may change in a draft (the rest is the workflow's)
DRAFT_FIELDS = [
    "category",
    "applicant_kind",
    "organization",
    "organization_name",
    "country",
    "title",
    "summary",
    "problem",
    "solution",
    "running_since",
    "results",
    "evidence",
    "novelty",
    "replication",
    "costs",
    "partners",
    "language",
    "declares_accurate",
    "agrees_to_publication",
]
REQUIRED_TEXT = [
    "title",
    "summary",
    "problem",
    "solution",
    "results",
    "evidence",
    "novelty",
    "replication",
    "costs",
]
NOTE_KINDS = {
    "request_information": NoteKind.REQUEST,
    "answer": NoteKind.ANSWER,
    "mark_ineligible": NoteKind.REASON,
    "award": NoteKind.MINUTES,
    "honourable_mention": NoteKind.MINUTES,
    "not_select": NoteKind.MINUTES,
}


def _label(field: str) -> str:
    return str(Submission._meta.get_field(field).verbose_name)  # type: ignore[union-attr]  # a concrete field


def months_between(start: date, end: date) -> int:
    """Whole months from `start` to `end` (a month counts once its day is reached)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def can_apply(user: Viewer, call: Call, now: datetime | None = None) -> bool:
    return bool(user.is_authenticated and user.is_member and call.is_open(now))


def completeness(submission: Submission) -> list[str]:
    """What is missing before the submission can be submitted, by field label (empty when
    nothing is)."""
    missing = [_label(f) for f in REQUIRED_TEXT if not (getattr(submission, f) or "").strip()]
    for field in ("category", "country", "running_since"):
        if getattr(submission, f"{field}_id" if field != "running_since" else field) is None:
            missing.append(_label(field))
    if not submission.applicant_kind:
        missing.append(_label("applicant_kind"))
    if not submission.organization_id and not submission.organization_name.strip():
        missing.append(_label("organization"))
    if submission.pk is None or not submission.topics.exists():
        missing.append(_label("topics"))
    for declaration in ("declares_accurate", "agrees_to_publication"):
        if not getattr(submission, declaration):
            missing.append(_label(declaration))
    return missing


def _check_fits_call(submission: Submission) -> None:
    """The draft's choices must belong to its call (checked on every save)."""
    call = submission.call
    errors = {}
    # the category is set when its id is
    if submission.category_id and submission.category.call_id != call.pk:  # type: ignore[union-attr]
        errors["category"] = _("Choose one of this call's categories.")
    if submission.applicant_kind and submission.applicant_kind not in call.eligible_kinds:
        errors["applicant_kind"] = _("This call does not accept this kind of applicant.")
    if errors:
        raise ValidationError(errors)


def open_submissions(user: Viewer, call: Call) -> QuerySet[Submission]:
    """The user's submissions to the call that count towards its limit (not withdrawn, not
    ineligible)."""
    return Submission.objects.filter(call=call, applicant=user).exclude(state__in=CLOSED_STATES)


def limit_reached(call: Call) -> ValidationError:
    """The error that stops an applicant's submission beyond the call's limit."""
    count = call.submissions_per_applicant
    if count == 1:
        message = _(
            "You already have an open submission to this call, and it accepts only one from "
            "each applicant. Carry on with it from “My submissions”, or withdraw it to start "
            "another."
        )
    else:
        message = _(
            "This call accepts at most %(count)s open submissions from each applicant, and you "
            "have that many already. Carry on with one of them from “My submissions”, or "
            "withdraw one to start another."
        ) % {"count": count}
    return ValidationError({NON_FIELD_ERRORS: message})


def free_slot(user: Viewer, call: Call) -> int | None:
    """The lowest place the user's next submission to the call may take, or None when the
    user has as many open submissions as the call accepts."""
    taken = set(open_submissions(user, call).values_list("slot", flat=True))
    return next((n for n in range(1, call.submissions_per_applicant + 1) if n not in taken), None)


@transaction.atomic
def save_draft(
    actor: Viewer,
    submission: Submission,
    *,
    topics: Iterable[Topic | int] | None = None,
    sdg_targets: Iterable[SdgTarget | int] | None = None,
    now: datetime | None = None,
    version: int | None = None,
    changed: Iterable[str] | None = None,
) -> Submission:
    """Create or update a draft: any member, while the call is open; saved as often as the
    applicant likes, and finished later.

    An update locks the stored row and saves only the fields in `changed` (a form's
    `changed_data`: what the applicant changed from the draft as it read it; every draft
    field when None), so an edit from another tab of other fields is kept. With `version`
    (what the form was opened on), a draft that changed since is refused with Conflict; so
    is an edit of a draft that is no longer a draft (submitted or withdrawn meanwhile)."""
    now = now or timezone.now()
    if submission.pk is None:
        return _create_draft(actor, submission, topics=topics, sdg_targets=sdg_targets, now=now)
    stored = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=submission.pk)
    )
    if stored.applicant_id != actor.pk:
        raise PermissionDenied(_("Only the applicant may change its draft."))
    if stored.state != S.DRAFT:
        raise Conflict(
            _(
                "This submission is “%(state)s” now and its draft can no longer be changed, so "
                "your changes were not saved."
            )
            % {"state": SubmissionState(stored.state_shown_to(actor)).label}
        )
    if not stored.call.is_open(now):
        raise ValidationError({"call": _("The call is closed: the draft can't be changed.")})
    fields = list(DRAFT_FIELDS if changed is None else changed)
    submission.call = stored.call
    _check_fits_call(submission)
    links = {
        name: chosen
        for name, chosen in (("topics", topics), ("sdg_targets", sdg_targets))
        if chosen is not None and (changed is None or name in changed)
    }
    saved = save_changes(
        stored, submission, [f for f in fields if f in DRAFT_FIELDS], version=version, links=links
    )
    if saved:
        audit(
            actor,
            "submission.updated",
            stored,
            summary=stored.title,
            fields=sorted(saved),
        )
    return stored


def _create_draft(
    actor: Viewer,
    submission: Submission,
    *,
    topics: Iterable[Topic | int] | None,
    sdg_targets: Iterable[SdgTarget | int] | None,
    now: datetime | None,
) -> Submission:
    if not can_apply(actor, submission.call, now):
        if not submission.call.is_open(now):
            raise ValidationError({"call": _("This call is not open for submissions.")})
        raise PermissionDenied(_("Only members can apply."))
    submission.applicant = actor
    submission.state = S.DRAFT
    slot = free_slot(actor, submission.call)
    if slot is None:
        raise limit_reached(submission.call)
    submission.slot = slot
    _check_fits_call(submission)
    submission.full_clean()
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:
        # Two first drafts racing for the same place both pass the checks above; the
        # database's unique constraint lets only one of them in.
        if open_submissions(actor, submission.call).filter(slot=submission.slot).exists():
            raise limit_reached(submission.call) from None
        raise
    if topics is not None:
        submission.topics.set(topics)
    if sdg_targets is not None:
        submission.sdg_targets.set(sdg_targets)
    audit(actor, "submission.created", submission, summary=submission.title)
    return submission


# The checks of each step, beyond who and from where.
def _guard_submit(submission: Submission, now: datetime, data: dict[str, Any]) -> None:
    call = submission.call
    if call.state != CallState.ANNOUNCED or now < call.opens_at:
        raise ValidationError({"state": _("The call is not open yet.")})
    if now >= call.closes_at:
        raise ValidationError(
            {
                "state": _("The call closed on %(deadline)s: nothing is accepted after it.")
                % {"deadline": timezone.localtime(call.closes_at).strftime("%Y-%m-%d %H:%M %Z")}
            }
        )
    missing = completeness(submission)
    if missing:
        raise ValidationError(
            {"state": _("Fill in before submitting: %(fields)s.") % {"fields": ", ".join(missing)}}
        )
    _check_fits_call(submission)
    needed = call.min_months_in_operation
    # running_since is one of the fields checked as filled in above
    if needed and months_between(submission.running_since, call.closes_at.date()) < needed:  # type: ignore[arg-type]
        raise ValidationError(
            {
                "running_since": _(
                    "The call asks for a solution in operation for at least %(months)s months "
                    "when it closes."
                )
                % {"months": needed}
            }
        )


def _guard_start_scoring(submission: Submission, now: datetime, data: dict[str, Any]) -> None:
    active = submission.assignments.filter(status__in=ACTIVE_ASSIGNMENT).count()
    if active < submission.call.evaluators_per_submission:
        raise ValidationError(
            {
                "state": _("The submission has %(count)s evaluators; the call asks for %(need)s.")
                % {"count": active, "need": submission.call.evaluators_per_submission}
            }
        )


def _guard_close_scoring(submission: Submission, now: datetime, data: dict[str, Any]) -> None:
    if not submission.assignments.filter(status=AssignmentStatus.COMPLETED).exists():
        raise ValidationError({"state": _("No evaluator has submitted scores yet.")})


def _guard_publish(submission: Submission, now: datetime, data: dict[str, Any]) -> None:
    if submission.call.results_published_on is None:
        raise ValidationError({"state": _("Set the date the call's results are published.")})


def _guard_decision(outcome: str) -> Callable[[Submission, datetime, dict[str, Any]], None]:
    """An award names one of the call's prizes; an honourable mention may name one of its
    mentions; a submission not selected gets neither."""
    return lambda submission, now, data: _check_prize(submission, outcome, data.get("prize"))


def _check_prize(submission: Submission, outcome: str, prize: Prize | None) -> None:
    if prize is not None and prize.call_id != submission.call_id:
        raise ValidationError({"prize": _("Choose one of this call's prizes.")})
    if outcome == S.AWARDED and (prize is None or prize.kind != PrizeKind.PRIZE):
        raise ValidationError({"prize": _("Choose the prize it is awarded.")})
    if (
        outcome == S.HONOURABLE_MENTION
        and prize is not None
        and (prize.kind != PrizeKind.HONOURABLE_MENTION)
    ):
        raise ValidationError(
            {"prize": _("Choose one of the call's honourable mentions, or none.")}
        )
    if outcome == S.NOT_SELECTED and prize is not None:
        raise ValidationError({"prize": _("A submission not selected takes no prize.")})
    if prize is not None and outcome != S.NOT_SELECTED:
        # the prize row is locked, so two decisions at once cannot both take its last one
        prize = Prize.objects.select_for_update().get(pk=prize.pk)
        if prize.decisions.count() >= prize.count:
            raise ValidationError(
                {
                    "prize": _(
                        "The call's “%(prize)s” is given already, as many times as the call "
                        "gives it (%(count)s)."
                    )
                    % {"prize": prize.title, "count": prize.count}
                }
            )


GUARDS = {
    "submit": _guard_submit,
    "start_scoring": _guard_start_scoring,
    "close_scoring": _guard_close_scoring,
    "publish": _guard_publish,
    "award": _guard_decision(S.AWARDED),
    "honourable_mention": _guard_decision(S.HONOURABLE_MENTION),
    "not_select": _guard_decision(S.NOT_SELECTED),
}


def _effect_submit(
    actor: Viewer, submission: Submission, message: str, now: datetime, data: dict[str, Any]
) -> list[str]:
    submission.submitted_at = now
    return ["submitted_at"]


def _effect_decision(
    actor: Viewer, submission: Submission, message: str, now: datetime, data: dict[str, Any]
) -> list[str]:
    Decision.objects.create(
        submission=submission,
        outcome=submission.state,
        prize=data.get("prize") if submission.state != S.NOT_SELECTED else None,
        minutes=message,
        decided_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    return []


def _effect_withdraw(
    actor: Viewer, submission: Submission, message: str, now: datetime, data: dict[str, Any]
) -> list[str]:
    """Evaluators already asked are released: the assignment no longer counts."""
    submission.assignments.filter(status=AssignmentStatus.ASSIGNED).update(
        status=AssignmentStatus.REMOVED,
        status_reason=_("The applicant withdrew."),
        version=F("version") + 1,
    )
    return []


EFFECTS = {
    "submit": _effect_submit,
    "withdraw": _effect_withdraw,
    "award": _effect_decision,
    "honourable_mention": _effect_decision,
    "not_select": _effect_decision,
}


@transaction.atomic
def transition(
    actor: Viewer,
    submission: Submission,
    name: str,
    message: str = "",
    *,
    now: datetime | None = None,
    system: bool = False,
    **data: Any,
) -> Submission:
    """Move a submission along its workflow (see SUBMISSION_TRANSITIONS). `system=True` is for
    moves the services make themselves (the end of scoring), on behalf of `actor`.

    The step is checked against the locked row: a step the actor could take from the state
    it read, but which another step has made impossible meanwhile (two editors, or an editor
    and the applicant, at once), is refused with Conflict and never undoes the other."""
    read = copy.copy(submission)  # the submission as the caller saw it
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=submission.pk)
    )
    now = now or timezone.now()  # read after the lock: a wait for it is not time granted
    step = SUBMISSION_TRANSITIONS.get(name)
    if step is None:
        raise ValidationError(_("Unknown action."))
    if system:
        if submission.state not in step.sources:
            raise ValidationError({"state": _("This step can't be taken now.")})
    elif not submission.can_transition(actor, name):
        if read.state != submission.state and read.can_transition(actor, name):
            raise Conflict(moved_on_message(actor, submission, step.label))
        raise PermissionDenied(_("You may not do this now."))
    message = (message or "").strip()
    if step.needs_message and not message:
        raise ValidationError({"message": _("Write the reason, the question or the minutes.")})
    guard = GUARDS.get(name)
    if guard:
        guard(submission, now, data)
    previous = submission.state
    submission.state = step.target
    submission.version += 1
    fields = ["state", "version", "updated_at"]
    effect = EFFECTS.get(name)
    if effect:
        fields += effect(actor, submission, message, now, data)
    submission.save(update_fields=fields)
    if message:
        StageNote.objects.create(
            submission=submission,
            kind=NOTE_KINDS.get(name, NoteKind.NOTE),
            transition=name,
            text=message,
            visible_to_applicant=step.message_for_applicant,
            author=actor if getattr(actor, "is_authenticated", False) else None,
        )
    audit(
        actor,
        f"submission.{name}",
        submission,
        summary=submission.title,
        previous=previous,
        state=submission.state,
        system=system,
    )
    applicant = submission.applicant
    if name == "submit":
        notify(applicant, "received", language=submission.language, submission_id=submission.pk)
    elif name == "answer":
        from civhub.awards.services.mail import notify_editors

        notify_editors("answer", submission_id=submission.pk, message=message)
    elif step.notifies_applicant and actor != applicant:
        notify(
            applicant,
            "status",
            language=submission.language,
            submission_id=submission.pk,
            state=submission.state,
            message=message if step.message_for_applicant else "",
        )
    return submission


def moved_on_message(actor: Viewer, submission: Submission, step: StrOrPromise) -> str:
    """Why a step asked for from a state the submission has left is not taken."""
    return _(
        "Someone changed “%(title)s” since you opened it: it is “%(state)s” now, so "
        "“%(step)s” was not done."
    ) % {
        "title": submission.title,
        "state": SubmissionState(submission.state_shown_to(actor)).label,
        "step": step,
    }


def submit(actor: Viewer, submission: Submission, *, now: datetime | None = None) -> Submission:
    """Submit a complete draft before the call closes (server time; refused from closes_at)."""
    return transition(actor, submission, "submit", now=now)


def withdraw(actor: Viewer, submission: Submission, reason: str = "") -> Submission:
    return transition(actor, submission, "withdraw", reason)


def start_screening(actor: Viewer, submission: Submission) -> Submission:
    return transition(actor, submission, "start_screening")


def request_information(actor: Viewer, submission: Submission, question: str) -> Submission:
    return transition(actor, submission, "request_information", question)


def answer(actor: Viewer, submission: Submission, text: str) -> Submission:
    return transition(actor, submission, "answer", text)


def mark_eligible(actor: Viewer, submission: Submission) -> Submission:
    return transition(actor, submission, "mark_eligible")


def mark_ineligible(actor: Viewer, submission: Submission, reason: str) -> Submission:
    return transition(actor, submission, "mark_ineligible", reason)


def close_scoring(actor: Viewer, submission: Submission) -> Submission:
    return transition(actor, submission, "close_scoring")


def forward(actor: Viewer, submission: Submission) -> Submission:
    return transition(actor, submission, "forward")


def start_follow_up(actor: Viewer, submission: Submission) -> Submission:
    return transition(actor, submission, "follow_up")
