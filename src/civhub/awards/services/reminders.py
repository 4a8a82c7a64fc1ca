"""Deadline reminders and the results e-mail, sent once each (ReminderSent records them).

Reminders go `AWARDS_REMINDER_DAYS` days before a deadline (default 7 and 1): to applicants
with an unsubmitted draft before the call closes, and to evaluators with unfinished
assignments before the scoring ends. A reminder belongs to the smallest of those days that
the deadline is within, so each is sent at most once however often the task runs."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from civhub.awards.choices import (
    OUTCOME_STATES,
    PUBLIC_STATES,
    AssignmentStatus,
    CallState,
    ReminderKind,
    SubmissionState,
)
from civhub.awards.models import Assignment, Call, ReminderSent, Submission
from civhub.awards.services.mail import notify
from civhub.core.types import Viewer


def reminder_days() -> list[int]:
    return sorted(getattr(settings, "AWARDS_REMINDER_DAYS", (7, 1)))


def _bucket(deadline: datetime, now: datetime) -> int | None:
    if deadline <= now:
        return None
    left = deadline - now
    for days in reminder_days():
        if left <= timedelta(days=days):
            return days
    return None


def _once(kind: str, call: Call, user: Viewer, days: int) -> bool:
    """Record the reminder; False when it was already sent."""
    try:
        with transaction.atomic():
            _record, created = ReminderSent.objects.get_or_create(
                kind=kind, call=call, user=user, days_before=days
            )
    except IntegrityError:  # a concurrent run recorded it first
        return False
    return created


@transaction.atomic
def send_due_reminders(now: datetime | None = None) -> int:
    now = now or timezone.now()
    sent = 0
    horizon = now + timedelta(days=max(reminder_days()))
    for call in Call.objects.filter(
        state=CallState.ANNOUNCED, closes_at__gt=now, closes_at__lte=horizon
    ):
        days = _bucket(call.closes_at, now)
        assert days is not None  # the query keeps the calls within the horizon
        drafts = Submission.objects.filter(call=call, state=SubmissionState.DRAFT).select_related(
            "applicant"
        )
        for draft in drafts.order_by("pk"):
            if _once(ReminderKind.DRAFT, call, draft.applicant, days):
                notify(
                    draft.applicant,
                    "reminder_draft",
                    language=draft.language,
                    submission_id=draft.pk,
                )
                sent += 1
    for call in Call.objects.filter(scoring_ends_at__gt=now, scoring_ends_at__lte=horizon):
        days = _bucket(call.scoring_ends_at, now)
        assert days is not None  # the query keeps the calls within the horizon
        pending: dict = {}
        for assignment in Assignment.objects.filter(
            submission__call=call,
            submission__state=SubmissionState.SCORING,
            status=AssignmentStatus.ASSIGNED,
        ).select_related("evaluator"):
            pending.setdefault(assignment.evaluator, []).append(assignment)
        for evaluator, assignments in sorted(pending.items(), key=lambda item: item[0].pk):
            if _once(ReminderKind.SCORING, call, evaluator, days):
                notify(evaluator, "reminder_scoring", call_id=call.pk, pending=len(assignments))
                sent += 1
    today = timezone.localdate(now)
    for call in Call.objects.filter(results_published_on=today):
        sent += send_results(call)
    return sent


@transaction.atomic
def send_results(call: Call) -> int:
    """Tell every applicant with a decision its outcome, once, when the results are out."""
    if not call.results_out():
        return 0
    sent = 0
    for submission in (
        Submission.objects.filter(call=call, state__in=[*OUTCOME_STATES, *PUBLIC_STATES])
        .select_related("applicant", "decision")
        .order_by("pk")
    ):
        decision = getattr(submission, "decision", None)
        outcome = decision.outcome if decision else submission.state
        if _once(ReminderKind.RESULTS, call, submission.applicant, 0):
            notify(
                submission.applicant,
                "results",
                language=submission.language,
                submission_id=submission.pk,
                state=outcome,
            )
            sent += 1
    return sent
