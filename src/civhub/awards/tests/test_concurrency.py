"""The races themselves, each side in its own thread and database connection, on PostgreSQL
(row locks) and SQLite (one writer at a time; see conftest.race): an edit against a step of
the workflow, two steps at once, two evaluators at once, a score against the end of the
scoring, two assignments and two decisions at once, parallel edits of one draft. Nothing is
lost, nothing is done twice, and a step is never undone. The interleavings, one after the
other, are in test_concurrent_edits.py."""

import datetime
import threading
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from civhub.awards.choices import AssignmentStatus, SubmissionState
from civhub.awards.models import Assignment, Call, Decision, Score, Submission
from civhub.awards.services import assignment as assignment_services
from civhub.awards.services import decisions, scoring
from civhub.awards.services import submissions as services
from civhub.awards.services.records import save_record
from civhub.awards.tests.conftest import (
    assign,
    full_scores,
    in_turn,
    make_call,
    make_evaluators,
    make_submission,
    race,
)
from civhub.core.models import AuditEntry
from civhub.core.services import Conflict
from civhub.testing import make_user, run_in_threads

pytestmark = pytest.mark.django_db(transaction=True)
S = SubmissionState
ROUNDS = 5  # each race a few times, to give each order its chances


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("a lock held across threads in one test is tested on PostgreSQL")


def opened(record):
    return type(record).objects.get(pk=record.pk)


def test_two_evaluators_finishing_at_once_move_the_submission_once():
    call = make_call()
    applicant = make_user("a@test.example", "member")
    for round_ in range(3):  # a few rounds, to give the race its chances
        submission = make_submission(call, applicant, SubmissionState.SCORING, title=f"r{round_}")
        evaluators = make_evaluators(3, prefix=f"r{round_}-")
        first, second, third = assign(submission, evaluators)
        scoring.record_scores(evaluators[0], first, full_scores(call, 6))
        outcomes = race(
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
    outcomes = race(
        lambda: services.submit(applicant, draft), lambda: services.submit(applicant, draft)
    )
    assert sorted(o[0] for o in outcomes) == ["error", "ok"]
    assert isinstance(next(o[1] for o in outcomes if o[0] == "error"), Conflict)
    assert AuditEntry.objects.filter(action="submission.submit").count() == 1


def test_a_submission_waiting_for_a_lock_past_the_deadline_is_refused():
    """The clock is read after the row lock is taken: a submit that waits behind another
    transaction until the deadline has passed is refused, not slipped in."""
    postgresql_only()
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
    postgresql_only()
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


def test_a_draft_edit_racing_its_submission_never_undoes_it():
    call = make_call()
    applicant = make_user("a@test.example", "member")
    for attempt in range(ROUNDS):
        draft = make_submission(call, applicant, title=f"Attempt {attempt}")
        tab = opened(draft)  # the form, opened before either
        tab.summary = "Edited"
        (edit_kind, edit), (submit_kind, submit) = race(
            lambda tab=tab: services.save_draft(applicant, tab, version=1, changed=["summary"]),
            lambda draft=draft: services.submit(applicant, draft),
        )
        assert submit_kind == "ok", submit
        assert edit_kind == "ok" or isinstance(edit, Conflict), edit
        draft.refresh_from_db()
        assert draft.state == S.SUBMITTED, attempt
        assert (draft.summary == "Edited") == (edit_kind == "ok")
        assert draft.version == (3 if edit_kind == "ok" else 2)
        # the edit, when it got in, came before the submission in the log
        assert actions(draft)[-1] == "submission.submit"
        services.withdraw(applicant, draft)  # its place is free for the next attempt


def test_parallel_edits_of_one_draft_lose_nothing():
    call = make_call()
    applicant = make_user("a@test.example", "member")
    draft = make_submission(call, applicant)
    fields = ["summary", "problem", "solution", "results"]

    def save(field, n):
        tab = opened(draft)
        setattr(tab, field, f"{field} {n}")
        services.save_draft(applicant, tab, changed=[field])

    def writer(field):
        for n in range(5):
            in_turn(lambda n=n: save(field, n))  # each save, not the five, waits its turn

    outcomes = race(*(lambda f=f: writer(f) for f in fields))
    assert [kind for kind, _result in outcomes] == ["ok"] * len(fields), outcomes
    draft.refresh_from_db()
    assert [getattr(draft, f) for f in fields] == [f"{f} 4" for f in fields]
    assert draft.version == 1 + len(fields) * 5
    assert AuditEntry.objects.filter(action="submission.updated").count() == len(fields) * 5


def test_two_steps_at_once_take_one():
    call = make_call()
    applicant = make_user("a@test.example", "member")
    editors = [make_user(f"editor{n}@test.example", "editor") for n in range(2)]
    for attempt in range(ROUNDS):
        submission = make_submission(call, applicant, S.SCREENING, title=f"Attempt {attempt}")
        outcomes = race(
            lambda s=submission: services.mark_eligible(editors[0], s),
            lambda s=submission: services.mark_ineligible(editors[1], s, "Too recent."),
        )
        kinds = [kind for kind, _result in outcomes]
        assert sorted(kinds) == ["error", "ok"], outcomes
        assert isinstance(next(r for k, r in outcomes if k == "error"), Conflict)
        submission.refresh_from_db()
        taken = "mark_eligible" if kinds[0] == "ok" else "mark_ineligible"
        assert submission.state == (S.ELIGIBLE if taken == "mark_eligible" else S.INELIGIBLE)
        assert actions(submission) == [f"submission.{taken}"]
        assert submission.version == 2


def test_a_withdrawal_racing_the_start_of_scoring_is_one_or_the_other():
    call = make_call()
    editor = make_user("editor@test.example", "editor")
    for attempt in range(ROUNDS):
        applicant = make_user(f"a{attempt}@test.example", "member")
        submission = make_submission(call, applicant, S.ELIGIBLE, title=f"Attempt {attempt}")
        assign(submission, make_evaluators(3, prefix=f"w{attempt}-"))
        (w_kind, withdrawn), (s_kind, started) = race(
            lambda s=submission, a=applicant: services.withdraw(a, s),
            lambda s=submission: services.transition(editor, s, "start_scoring"),
        )
        assert sorted([w_kind, s_kind]) == ["error", "ok"], (withdrawn, started)
        submission.refresh_from_db()
        active = submission.assignments.filter(status=AssignmentStatus.ASSIGNED).count()
        if w_kind == "ok":
            assert submission.state == S.WITHDRAWN and active == 0
            assert isinstance(started, Conflict)
        else:
            assert submission.state == S.SCORING and active == 3
            assert isinstance(withdrawn, Conflict)


def test_a_score_racing_the_end_of_the_scoring_is_kept_or_refused_whole():
    call = make_call()
    applicant = make_user("a@test.example", "member")
    editor = make_user("editor@test.example", "editor")
    for attempt in range(ROUNDS):
        submission = make_submission(call, applicant, S.SCORING, title=f"r{attempt}")
        evaluators = make_evaluators(3, prefix=f"r{attempt}-")
        first, second, _third = assign(submission, evaluators)
        scoring.record_scores(evaluators[0], first, full_scores(call, 6))
        page = Assignment.objects.select_related("submission").get(pk=second.pk)
        (score_kind, scored), (close_kind, closed) = race(
            lambda a=page, e=evaluators[1]: scoring.record_scores(e, a, full_scores(call, 8)),
            lambda s=submission: services.close_scoring(editor, s),
        )
        assert close_kind == "ok", closed
        submission.refresh_from_db()
        assert submission.state == S.CONSOLIDATION
        second.refresh_from_db()
        stored = Score.objects.filter(assignment=second).count()
        if score_kind == "ok":
            assert second.status == AssignmentStatus.COMPLETED and stored == 3
        else:
            assert isinstance(scored, Conflict), scored
            assert second.status == AssignmentStatus.ASSIGNED and stored == 0
        closes = AuditEntry.objects.filter(
            action="submission.close_scoring", object_id=str(submission.pk)
        )
        assert closes.count() == 1


def test_two_assignments_at_once_give_each_submission_its_evaluators_once():
    call = make_call()
    editors = [make_user(f"editor{n}@test.example", "editor") for n in range(2)]
    submissions = [
        make_submission(call, make_user(f"a{n}@test.example", "member"), S.ELIGIBLE, title=f"{n}")
        for n in range(3)
    ]
    make_evaluators(6)
    outcomes = race(*(lambda e=e: assignment_services.assign_evaluators(e, call) for e in editors))
    assert [kind for kind, _result in outcomes] == ["ok", "ok"], outcomes
    plans = [result for _kind, result in outcomes]
    assert sorted(len(plan) for plan in plans) == [0, 3]  # the second found them served
    for submission in submissions:
        submission.refresh_from_db()
        assert submission.state == S.SCORING
        assert submission.assignments.count() == call.evaluators_per_submission
        assert actions(submission).count("submission.start_scoring") == 1


def test_two_decisions_at_once_record_one():
    call = make_call()
    applicant = make_user("a@test.example", "member")
    members = [make_user(f"steering{n}@test.example", "steering") for n in range(2)]
    prize = call.prizes.get()
    for attempt in range(ROUNDS):
        submission = make_submission(call, applicant, S.DECISION, title=f"r{attempt}")
        outcomes = race(
            lambda s=submission: decisions.record_decision(
                members[0], s, S.AWARDED, "Unanimous.", prize=prize
            ),
            lambda s=submission: decisions.record_decision(
                members[1], s, S.NOT_SELECTED, "Not this year."
            ),
        )
        assert sorted(kind for kind, _result in outcomes) == ["error", "ok"], outcomes
        assert isinstance(next(r for k, r in outcomes if k == "error"), Conflict)
        decision = Decision.objects.get(submission=submission)
        submission.refresh_from_db()
        assert submission.state == decision.outcome
        if decision.outcome == S.AWARDED:
            decision.delete()  # the prize is free again for the next attempt
            Submission.objects.filter(pk=submission.pk).update(state=S.NOT_SELECTED)


def test_a_call_edit_racing_the_publication_of_its_results_never_undoes_it():
    call = make_call()
    editor = make_user("editor@test.example", "editor", "admin")
    for attempt in range(ROUNDS):
        Call.objects.filter(pk=call.pk).update(results_published_on=None)
        page = opened(call)
        page.title_en = f"Renamed {attempt}"
        (edit_kind, edit), (publish_kind, published) = race(
            lambda p=page: save_record(editor, p, ["title_en"], version=p.version),
            lambda: decisions.publish_results(editor, call),
        )
        assert publish_kind == "ok", published
        assert edit_kind == "ok" or isinstance(edit, Conflict), edit
        call.refresh_from_db()
        assert call.results_published_on is not None, attempt
        assert (call.title_en == f"Renamed {attempt}") == (edit_kind == "ok")


def actions(submission) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_id=str(submission.pk), action__startswith="submission.")
        .order_by("pk")
        .values_list("action", flat=True)
    )
