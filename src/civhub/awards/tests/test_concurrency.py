"""Two evaluators scoring at once, and a submission racing the deadline, on PostgreSQL (real
row locks between separate connections). SQLite takes one writer at a time, so the race
doesn't exist there: the tests are skipped on it."""

import datetime
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from civhub.awards.choices import SubmissionState
from civhub.awards.models import Assignment, Submission
from civhub.awards.services import scoring
from civhub.awards.services import submissions as services
from civhub.awards.tests.conftest import (
    assign,
    full_scores,
    make_call,
    make_evaluators,
    make_submission,
)
from civhub.core.models import AuditEntry
from civhub.core.testing import make_user, run_in_threads

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks between connections are tested on PostgreSQL")


def test_two_evaluators_finishing_at_once_move_the_submission_once():
    call = make_call()
    applicant = make_user("a@test.example", "member")
    for round_ in range(3):  # a few rounds, to give the race its chances
        submission = make_submission(call, applicant, SubmissionState.SCORING, title=f"r{round_}")
        evaluators = make_evaluators(3, prefix=f"r{round_}-")
        first, second, third = assign(submission, evaluators)
        scoring.record_scores(evaluators[0], first, full_scores(call, 6))
        outcomes = run_in_threads(
            lambda e=evaluators[1], a=second: scoring.record_scores(e, a, full_scores(call, 7)),
            lambda e=evaluators[2], a=third: scoring.record_scores(e, a, full_scores(call, 8)),
        )
        assert [o[0] for o in outcomes] == ["ok", "ok"], outcomes
        submission.refresh_from_db()
        assert submission.state == SubmissionState.CONSOLIDATION
        assert (
            AuditEntry.objects.filter(
                action="submission.close_scoring", object_id=str(submission.pk)
            ).count()
            == 1
        )
        assert Assignment.objects.filter(submission=submission, status="completed").count() == 3


def test_the_same_draft_submitted_twice_at_once_is_submitted_once():
    call = make_call()
    applicant = make_user("a@test.example", "member")
    draft = make_submission(call, applicant)
    outcomes = run_in_threads(
        lambda: services.submit(applicant, draft), lambda: services.submit(applicant, draft)
    )
    assert sorted(o[0] for o in outcomes) == ["error", "ok"]
    assert AuditEntry.objects.filter(action="submission.submit").count() == 1


def test_a_submission_waiting_for_a_lock_past_the_deadline_is_refused():
    """The clock is read after the row lock is taken: a submit that waits behind another
    transaction until the deadline has passed is refused, not slipped in."""
    deadline = datetime.datetime(2026, 3, 31, 18, 0, tzinfo=datetime.UTC)
    call = make_call("race", opens_at=deadline - datetime.timedelta(days=30), closes_at=deadline)
    applicant = make_user("a@test.example", "member")
    draft = make_submission(call, applicant)
    passed = threading.Event()
    locked = threading.Event()

    def clock():
        return (
            deadline + datetime.timedelta(seconds=1)
            if passed.is_set()
            else deadline - datetime.timedelta(seconds=1)
        )

    def holder():
        with transaction.atomic():
            Submission.objects.select_for_update().get(pk=draft.pk)
            locked.set()
            # Wait long enough for the other thread to queue on the lock, then let time pass.
            threading.Event().wait(1.0)
            passed.set()

    def submitter():
        locked.wait(10)
        return services.submit(applicant, draft)

    with mock.patch("django.utils.timezone.now", side_effect=clock):
        outcomes = run_in_threads(holder, submitter)
    assert outcomes[0][0] == "ok"
    assert outcomes[1][0] == "error" and isinstance(outcomes[1][1], ValidationError)
    draft.refresh_from_db()
    assert draft.state == SubmissionState.DRAFT


def test_two_first_drafts_at_once_make_one_submission():
    """Both requests find the applicant's one place free before either has written; the
    database's unique constraint lets one in, the other gets the rule's message."""
    call = make_call()
    applicant = make_user("a@test.example", "member")
    both_looked = threading.Barrier(2)
    free_slot = services.free_slot

    def looks_then_waits(user, call):
        slot = free_slot(user, call)
        both_looked.wait(10)
        return slot

    def first_draft(title):
        return lambda: services.save_draft(applicant, Submission(call=call, title=title))

    with mock.patch.object(services, "free_slot", side_effect=looks_then_waits):
        outcomes = run_in_threads(first_draft("One tab"), first_draft("Another tab"))
    assert sorted(o[0] for o in outcomes) == ["error", "ok"], outcomes
    error = next(o[1] for o in outcomes if o[0] == "error")
    assert isinstance(error, ValidationError)
    assert "accepts only one from each applicant" in error.messages[0]
    assert Submission.objects.filter(call=call, applicant=applicant).count() == 1
