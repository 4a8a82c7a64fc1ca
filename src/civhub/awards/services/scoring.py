"""Scores: recording them, who may see them (blind scoring), and the consolidation of a call
(the arithmetic is in awards/aggregation.py)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civhub.awards import aggregation
from civhub.awards.choices import (
    ACTIVE_ASSIGNMENT,
    IN_PROGRESS_STATES,
    SCORED_STATES,
    AssignmentStatus,
    SubmissionState,
    TieBreak,
)
from civhub.awards.models import Assignment, Call, Criterion, Score, Submission
from civhub.awards.models.submissions import oversees_scheme
from civhub.awards.services import submissions as submission_services
from civhub.core.services import Conflict, audit, stale_edit_message
from civhub.core.types import Viewer

S = SubmissionState
#: from these states on, the steering committee reads the scores
STEERING_READS = SCORED_STATES


def _could_score(assignment: Assignment) -> bool:
    """Whether the assignment, as the caller read it with its submission (the scoring
    page does), could be scored. Read without it, what the caller saw is not known."""
    return (
        assignment.status == AssignmentStatus.ASSIGNED
        and Assignment.submission.is_cached(assignment)
        and assignment.submission.state == S.SCORING
    )


def not_scorable_message(assignment: Assignment) -> str:
    """Why scores sent from a page opened while the submission could be scored are not
    saved: the scoring closed, or the assignment ended, since."""
    return _(
        "Your scores were not saved: since you opened the page, your assignment is "
        "“%(status)s” and the submission “%(state)s”."
    ) % {
        "status": assignment.get_status_display(),
        "state": assignment.submission.get_state_display(),
    }


@transaction.atomic
def record_scores(
    actor: Viewer,
    assignment: Assignment,
    scores: dict,
    *,
    final: bool = True,
    version: int | None = None,
) -> Assignment:
    """Save the evaluator's scores: {criterion (or its id): (value, comment)}. With
    `final`, every criterion must be scored, the assignment is complete, and when every
    evaluator of the submission is done it moves on to consolidation by itself.

    The submission's row is locked first, so two evaluators finishing at once are counted
    one after the other and the submission moves on exactly once. Every save makes the
    assignment one version higher: with `version` (what the scoring page was opened on),
    scores saved meanwhile from another page are not overwritten, the save is refused with
    Conflict; so are scores sent after the scoring closed or the assignment ended."""
    could_score = _could_score(assignment)
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=assignment.submission_id)
    )
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if not actor.is_authenticated or assignment.evaluator_id != actor.pk:
        raise PermissionDenied(_("Only the evaluator asked may score this submission."))
    if assignment.status != AssignmentStatus.ASSIGNED or submission.state != S.SCORING:
        if could_score:
            assignment.submission = submission
            raise Conflict(not_scorable_message(assignment))
        raise PermissionDenied(_("This submission can't be scored now."))
    if version is not None and assignment.version != version:
        raise Conflict(stale_edit_message())
    criteria = {c.pk: c for c in Criterion.objects.filter(call_id=submission.call_id)}
    errors = {}
    cleaned = {}
    for key, pair in scores.items():
        criterion_id = getattr(key, "pk", key)
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise ValidationError({"criterion": _("A criterion of another call was scored.")})
        value, comment = pair if isinstance(pair, tuple | list) else (pair, "")
        try:
            number = Decimal(str(value).strip())
            if isinstance(value, bool) or number != number.to_integral_value():
                raise ValueError(value)
            value = int(number)
        except (ArithmeticError, TypeError, ValueError):
            errors[criterion.slug] = _("%(criterion)s: give a whole number.") % {
                "criterion": criterion.title
            }
            continue
        if not criterion.scale_min <= value <= criterion.scale_max:
            errors[criterion.slug] = _("%(criterion)s: give a score from %(min)s to %(max)s.") % {
                "criterion": criterion.title,
                "min": criterion.scale_min,
                "max": criterion.scale_max,
            }
            continue
        cleaned[criterion.pk] = (value, (comment or "").strip())
    if errors:
        raise ValidationError(errors)
    stored = set(assignment.scores.values_list("criterion_id", flat=True))
    if final:
        missing = [c for pk, c in criteria.items() if pk not in cleaned and pk not in stored]
        if missing:
            raise ValidationError(
                {
                    "scores": _("Score every criterion before submitting: %(missing)s.")
                    % {"missing": ", ".join(str(c.title) for c in missing)}
                }
            )
    for criterion_id, (value, comment) in cleaned.items():
        Score.objects.update_or_create(
            assignment=assignment,
            criterion_id=criterion_id,
            defaults={"value": value, "comment": comment},
        )
    assignment.version += 1
    if not final:
        assignment.save(update_fields=["version"])
        audit(actor, "assignment.scores_saved", submission, summary=submission.title)
        return assignment
    assignment.status, assignment.completed_at = AssignmentStatus.COMPLETED, timezone.now()
    assignment.save(update_fields=["status", "completed_at", "version"])
    audit(actor, "assignment.completed", submission, summary=submission.title, evaluator=actor.pk)
    active = list(
        submission.assignments.filter(status__in=ACTIVE_ASSIGNMENT).values_list("status", flat=True)
    )
    if len(active) >= submission.call.evaluators_per_submission and all(
        status == AssignmentStatus.COMPLETED for status in active
    ):
        submission_services.transition(actor, submission, "close_scoring", system=True)
    return assignment


def visible_scores(submission: Submission, user: Viewer) -> QuerySet[Score]:
    """The scores `user` may read, blind where it must be:

    * an evaluator: its own; the other evaluators' only once its own are submitted;
    * the applicant: none until the call's results are published, then the submitted ones;
    * steering committee members: from consolidation on; editors: always;
    * anyone else: none.

    Only the scores of submitted assignments are shown to anyone but their author."""
    none = Score.objects.none()
    if not user.is_authenticated:
        return none
    done = Score.objects.filter(
        assignment__submission=submission, assignment__status=AssignmentStatus.COMPLETED
    ).select_related("criterion", "assignment")
    if user.is_editor:
        return Score.objects.filter(assignment__submission=submission).select_related(
            "criterion", "assignment"
        )
    mine = submission.assignments.filter(evaluator=user).first()
    if mine is not None:
        if mine.status == AssignmentStatus.COMPLETED:
            return done
        return Score.objects.filter(assignment=mine).select_related("criterion", "assignment")
    if user.is_steering and submission.state in STEERING_READS:
        return done
    if submission.applicant_id == user.pk:
        if submission.call.results_out() and submission.state not in IN_PROGRESS_STATES:
            return done
        return none
    return none


def can_consolidate(user: Viewer) -> bool:
    return oversees_scheme(user)


def consolidate(call: Call, actor: Viewer = None) -> aggregation.Consolidation:
    """The call's consolidated scores (see aggregation.py for every formula): per submission
    the weighted mean, the mean corrected for each evaluator's harshness, the rank under
    both, the spread and a flag; for the call Kendall's W and ICC(1). `result.submission`
    is the submission's id. Only submitted assignments count."""
    if actor is not None and not can_consolidate(actor):
        raise PermissionDenied(_("Only the secretariat and the steering committee see this."))
    criteria = {
        c.pk: aggregation.CriterionSpec(float(c.weight), c.scale_min, c.scale_max)
        for c in Criterion.objects.filter(call=call)
    }
    table: dict = {}
    for evaluator_id, submission_id, criterion_id, value in Score.objects.filter(
        assignment__submission__call=call,
        assignment__status=AssignmentStatus.COMPLETED,
    ).values_list("assignment__evaluator_id", "assignment__submission_id", "criterion_id", "value"):
        table.setdefault((evaluator_id, submission_id), {})[criterion_id] = value
    table = {key: values for key, values in table.items() if set(values) == set(criteria)}
    submitted = dict(Submission.objects.filter(call=call).values_list("pk", "submitted_at"))
    if call.tie_break == TieBreak.CRITERION and call.tie_break_criterion_id:
        on = call.tie_break_criterion_id
        sums: dict = {}
        for (_e, sid), values in table.items():
            sums.setdefault(sid, []).append(values[on])

        def tie_key(sid: int) -> tuple:  # higher mean on the criterion first
            values = sums.get(sid, [0])
            return (-sum(values) / len(values), submitted.get(sid) or timezone.now())

    else:

        def tie_key(sid: int) -> tuple:  # earlier submission first
            return (submitted.get(sid) or timezone.now(),)

    return aggregation.consolidate(
        table, criteria, threshold=float(call.disagreement_threshold), tie_key=tie_key
    )
