"""Who scores what: the automatic, balanced assignment that honours conflicts of interest,
the secretariat's overrides, and an evaluator declining or declaring a conflict.

The conflict-of-interest rules (`eligible`), which no assignment, automatic or by hand,
may break:

* never the applicant itself;
* never an evaluator whose country is unknown (no directory record with a country), since
  the next rule could not be checked;
* never an evaluator from the applicant's country, or from the applying organization (the
  evaluator's country and organization are those of its directory record, `Person.user`);
* never an evaluator who declared a conflict with the submission or with its organization;
* never an evaluator who already declined the submission or was taken off it.

Preferences (`match`): each topic of the submission in the evaluator's expertise
(`Person.topics`) counts 1, and the submission's language among the evaluator's languages
(`Person.languages`) counts 2. The balance of the loads comes first (see matching.py).
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from civhub.accounts.choices import Role
from civhub.accounts.models import User
from civhub.accounts.services import users_with_role
from civhub.awards import matching
from civhub.awards.choices import ACTIVE_ASSIGNMENT, AssignmentStatus, SubmissionState
from civhub.awards.models import Assignment, Call, ConflictDeclaration, Submission
from civhub.awards.services import submissions as submission_services
from civhub.awards.services.mail import notify, notify_editors
from civhub.core.services import Conflict, audit
from civhub.core.types import Viewer

S = SubmissionState


@dataclass
class EvaluatorInfo:
    user: User
    country_id: int | None = None
    organization_id: int | None = None
    topic_ids: set = field(default_factory=set)
    languages: set = field(default_factory=set)


def evaluator_pool() -> QuerySet[User]:
    """Every active user who holds the evaluator role, by id."""
    return users_with_role(Role.EVALUATOR)


def evaluator_info(users: Iterable[User]) -> dict[int, EvaluatorInfo]:
    infos: dict[int, EvaluatorInfo] = {}
    for user in (
        User.objects.filter(pk__in=[u.pk for u in users])
        .select_related("person")
        .prefetch_related("person__topics")
        .order_by("pk")
    ):
        person = getattr(user, "person", None)
        info = EvaluatorInfo(user=user)
        if person is not None:
            info.country_id = person.country_id
            info.organization_id = person.organization_id
            info.topic_ids = {t.pk for t in person.topics.all()}
            info.languages = set(person.languages or [])
        infos[user.pk] = info
    return infos


class Rules:
    """The conflict-of-interest rules and the match, read once for a set of submissions."""

    def __init__(self, submissions: Iterable[Submission], infos: dict[int, EvaluatorInfo]) -> None:
        ids = [s.pk for s in submissions]
        self.infos = infos
        self.topics: dict[int, set[int]] = {s.pk: set() for s in submissions}
        for sid, tid in Submission.topics.through.objects.filter(submission_id__in=ids).values_list(
            "submission_id", "topic_id"
        ):
            self.topics[sid].add(tid)
        self.taken = set(  # (evaluator, submission) that can't be assigned again
            Assignment.objects.filter(submission_id__in=ids).values_list(
                "evaluator_id", "submission_id"
            )
        )
        self.conflicts = set()
        self.org_conflicts = set()
        for evaluator_id, sid, org_id in ConflictDeclaration.objects.filter(
            evaluator_id__in=list(infos)
        ).values_list("evaluator_id", "submission_id", "organization_id"):
            if sid:
                self.conflicts.add((evaluator_id, sid))
            if org_id:
                self.org_conflicts.add((evaluator_id, org_id))

    def conflict(self, info: EvaluatorInfo, submission: Submission) -> str:
        """Why the evaluator may not score the submission ("" when it may)."""
        e = info.user.pk
        if e == submission.applicant_id:
            return _("the evaluator is the applicant")
        if not info.country_id:
            # The rule "never from the applicant's country" can't be checked without it.
            return _("the evaluator's country is not known (link a directory record)")
        if info.country_id and info.country_id == submission.country_id:
            return _("the evaluator is from the applicant's country")
        if info.organization_id and info.organization_id == submission.organization_id:
            return _("the evaluator is from the applying organization")
        if (e, submission.pk) in self.conflicts or (
            submission.organization_id and (e, submission.organization_id) in self.org_conflicts
        ):
            return _("the evaluator declared a conflict of interest")
        return ""

    def eligible(self, info: EvaluatorInfo, submission: Submission) -> bool:
        return (info.user.pk, submission.pk) not in self.taken and not self.conflict(
            info, submission
        )

    def match(self, submission: Submission, evaluator_id: int) -> int:
        info = self.infos[evaluator_id]
        score = len(self.topics.get(submission.pk, set()) & info.topic_ids)
        return score + (2 if submission.language in info.languages else 0)


def loads_in(call: Call, evaluator_ids: Iterable[int]) -> dict[int, int]:
    loads = dict.fromkeys(evaluator_ids, 0)
    for e in Assignment.objects.filter(
        submission__call=call, status__in=ACTIVE_ASSIGNMENT, evaluator_id__in=list(loads)
    ).values_list("evaluator_id", flat=True):
        loads[e] += 1
    return loads


def _require_editor(actor: Viewer) -> None:
    if not (actor.is_authenticated and actor.is_editor):
        raise PermissionDenied(_("Only the secretariat assigns evaluators."))


@transaction.atomic
def assign_evaluators(
    actor: Viewer, call: Call, *, evaluators: Iterable[User] | None = None
) -> dict[int, list[int]]:
    """Give every eligible submission of the call (and every submission being scored that
    lacks evaluators) the evaluators it needs, balanced, then send the eligible ones to
    scoring. Returns submission id -> the evaluator ids added. Refused as a whole, naming
    the submissions, when some can't get enough eligible evaluators."""
    _require_editor(actor)
    # Every submission of the call that may get evaluators is locked, in one order: a second
    # assignment at once waits, then finds them served (and adds nobody twice).
    submissions = list(
        Submission.objects.select_for_update()
        .filter(call=call, state__in=[S.ELIGIBLE, S.SCORING])
        .order_by("pk")
    )
    pool = list(evaluators) if evaluators is not None else list(evaluator_pool().order_by("pk"))
    pool = [u for u in pool if u.is_evaluator]
    infos = evaluator_info(pool)
    rules = Rules(submissions, infos)
    active = {s.pk: 0 for s in submissions}
    for sid in Assignment.objects.filter(
        submission__in=submissions, status__in=ACTIVE_ASSIGNMENT
    ).values_list("submission_id", flat=True):
        active[sid] += 1
    by_pk = {s.pk: s for s in submissions}
    need = {
        s.pk: call.evaluators_per_submission - active[s.pk]
        for s in submissions
        if active[s.pk] < call.evaluators_per_submission
    }
    eligible = {
        sid: [e for e in sorted(infos) if rules.eligible(infos[e], by_pk[sid])] for sid in need
    }
    try:
        plan = matching.plan(
            need, eligible, loads_in(call, infos), lambda sid, e: rules.match(by_pk[sid], e)
        )
    except matching.Infeasible as exc:
        names = "; ".join(
            _("“%(title)s” (%(count)s of %(need)s)")
            % {"title": by_pk[sid].title, "count": count, "need": need[sid]}
            for sid, count in sorted(exc.short.items())
        )
        raise ValidationError(
            {
                "evaluators": _("These submissions can't get enough eligible evaluators: %(list)s.")
                % {"list": names}
            }
        ) from exc
    rows = [
        Assignment(submission_id=sid, evaluator_id=e, is_demo=by_pk[sid].is_demo)
        for sid, es in sorted(plan.items())
        for e in es
    ]
    Assignment.objects.bulk_create(rows)
    for sid, es in sorted(plan.items()):
        audit(
            actor,
            "submission.evaluators_assigned",
            by_pk[sid],
            summary=by_pk[sid].title,
            evaluators=es,
        )
        for e in es:
            notify(infos[e].user, "assigned", submission_id=sid)
    for submission in submissions:
        if submission.state == S.ELIGIBLE:
            submission_services.transition(actor, submission, "start_scoring")
    return plan


def _replace(actor: Viewer, submission: Submission) -> Assignment | None:
    """Assign one more evaluator to a submission that lost one: the lightest-loaded eligible
    evaluator, then the best match. None (and the editors are told) when nobody is left."""
    call = submission.call
    pool = list(evaluator_pool().order_by("pk"))
    infos = evaluator_info(pool)
    rules = Rules([submission], infos)
    active = submission.assignments.filter(status__in=ACTIVE_ASSIGNMENT).count()
    if active >= call.evaluators_per_submission:
        return None
    candidates = [e for e in sorted(infos) if rules.eligible(infos[e], submission)]
    if not candidates:
        audit(actor, "submission.evaluator_missing", submission, summary=submission.title)
        notify_editors("unfilled", submission_id=submission.pk)
        return None
    loads = loads_in(call, candidates)
    best = min(candidates, key=lambda e: (loads[e], -rules.match(submission, e), e))
    assignment = Assignment.objects.create(
        submission=submission, evaluator_id=best, is_demo=submission.is_demo
    )
    audit(
        actor,
        "assignment.reassigned",
        submission,
        summary=submission.title,
        evaluator=best,
    )
    notify(infos[best].user, "assigned", submission_id=submission.pk)
    return assignment


def _lock(assignment: Assignment) -> tuple[Submission, Assignment]:
    """The submission's row first, then the assignment's, as every service locks them."""
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=assignment.submission_id)
    )
    return submission, Assignment.objects.select_for_update().get(pk=assignment.pk)


STEP_OUT_STATES = (S.ELIGIBLE, S.SCORING)


def _step_out(actor: Viewer, assignment: Assignment, status: str, reason: str) -> Assignment | None:
    read = assignment  # as the evaluator saw it
    could = (  # read with its submission, as the scoring page does
        read.status == AssignmentStatus.ASSIGNED
        and Assignment.submission.is_cached(read)
        and read.submission.state in STEP_OUT_STATES
    )
    submission, assignment = _lock(assignment)
    if not actor.is_authenticated or assignment.evaluator_id != actor.pk:
        raise PermissionDenied(_("Only the evaluator asked may do this."))
    if assignment.status != AssignmentStatus.ASSIGNED or submission.state not in STEP_OUT_STATES:
        if could:
            raise Conflict(
                _(
                    "Nothing was changed: since you opened the page, your assignment is "
                    "“%(status)s” and the submission “%(state)s”."
                )
                % {
                    "status": assignment.get_status_display(),
                    "state": submission.get_state_display(),
                }
            )
        raise PermissionDenied(_("This assignment can no longer be changed."))
    reason = (reason or "").strip()
    if status == AssignmentStatus.CONFLICT and not reason:
        raise ValidationError({"reason": _("Say what the conflict of interest is.")})
    assignment.status, assignment.status_reason = status, reason
    assignment.version += 1
    assignment.save(update_fields=["status", "status_reason", "version"])
    assignment.scores.all().delete()
    if status == AssignmentStatus.CONFLICT:
        ConflictDeclaration.objects.create(evaluator=actor, submission=submission, reason=reason)
    audit(
        actor,
        f"assignment.{status}",
        submission,
        summary=submission.title,
        evaluator=actor.pk,
        reason=reason,
    )
    return _replace(actor, submission)


@transaction.atomic
def decline(actor: Viewer, assignment: Assignment, reason: str = "") -> Assignment | None:
    """The evaluator declines; another eligible evaluator is assigned (returned)."""
    return _step_out(actor, assignment, AssignmentStatus.DECLINED, reason)


@transaction.atomic
def declare_conflict(actor: Viewer, assignment: Assignment, reason: str) -> Assignment | None:
    """The evaluator declares a conflict of interest: it is recorded, the evaluator is taken
    off the submission, and another eligible evaluator is assigned (returned)."""
    return _step_out(actor, assignment, AssignmentStatus.CONFLICT, reason)


@transaction.atomic
def override_assignment(
    actor: Viewer,
    submission: Submission,
    *,
    reason: str,
    add: User | None = None,
    remove: User | None = None,
) -> Assignment | None:
    """The secretariat takes an evaluator off a submission and/or puts one on, by hand, with a
    reason that is kept. The conflict-of-interest rules still hold."""
    _require_editor(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the override.")})
    if add is None and remove is None:
        raise ValidationError({"evaluator": _("Say which evaluator to add or remove.")})
    submission = (
        Submission.objects.select_for_update(of=("self",))
        .select_related("call")
        .get(pk=submission.pk)
    )
    if submission.state not in STEP_OUT_STATES:
        raise ValidationError({"state": _("Evaluators change only before and during scoring.")})
    if remove is not None:
        current = (
            Assignment.objects.select_for_update()
            .filter(submission=submission, evaluator=remove, status=AssignmentStatus.ASSIGNED)
            .first()
        )
        if current is None:
            raise ValidationError(
                {"evaluator": _("This evaluator has no unfinished assignment here.")}
            )
        current.status = AssignmentStatus.REMOVED
        current.status_reason = current.override_reason = reason
        current.version += 1
        current.save(update_fields=["status", "status_reason", "override_reason", "version"])
        current.scores.all().delete()
        audit(
            actor,
            "assignment.override_removed",
            submission,
            summary=submission.title,
            evaluator=remove.pk,
            reason=reason,
        )
        notify(remove, "unassigned", submission_id=submission.pk)
    created = None
    if add is not None:
        add.forget_roles()
        if not add.is_evaluator:
            raise ValidationError({"evaluator": _("This user is not an evaluator.")})
        info = evaluator_info([add])[add.pk]
        rules = Rules([submission], {add.pk: info})
        why = rules.conflict(info, submission)
        if why:
            raise ValidationError(
                {"evaluator": _("This evaluator may not score it: %(why)s.") % {"why": why}}
            )
        if (add.pk, submission.pk) in rules.taken:
            raise ValidationError(
                {"evaluator": _("This evaluator was already assigned this submission.")}
            )
        created = Assignment.objects.create(
            submission=submission,
            evaluator=add,
            assigned_by=actor,
            override_reason=reason,
            is_demo=submission.is_demo,
        )
        audit(
            actor,
            "assignment.override_added",
            submission,
            summary=submission.title,
            evaluator=add.pk,
            reason=reason,
        )
        notify(add, "assigned", submission_id=submission.pk)
    return created
