"""Every transition of SUBMISSION_TRANSITIONS, in every state, by every role: the allowed
ones succeed, the others are refused with nothing changed."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from civhub.awards.choices import SUBMISSION_TRANSITIONS, AssignmentStatus, SubmissionState
from civhub.awards.models import Decision, StageNote, Submission
from civhub.awards.services import submissions as services
from civhub.awards.tests.conftest import assign, make_evaluators, make_submission
from civhub.core.models import AuditEntry
from civhub.testing import make_user

pytestmark = pytest.mark.django_db
PERSONAS = ["applicant", "member", "focal_point", "evaluator", "editor", "steering", "admin"]


@pytest.fixture
def applicant(db):
    return make_user("applicant@test.example", "member")


@pytest.fixture
def users(applicant, role_users):
    return {"applicant": applicant, **role_users}


def expected_allowed(step, state, persona) -> bool:
    if state not in step.sources:
        return False
    if step.actor == "applicant":
        return persona == "applicant"
    if step.actor == "steering":
        return persona in {"steering", "editor", "admin"}
    return persona in {"editor", "admin"}


def prepared(call, applicant, state, scorers):
    submission = make_submission(call, applicant, state)
    if state == SubmissionState.ELIGIBLE:
        assign(submission, scorers)
    if state == SubmissionState.SCORING:
        assign(submission, scorers[:1], AssignmentStatus.COMPLETED)
        assign(submission, scorers[1:])
    return submission


def snapshot(submission):
    row = Submission.objects.filter(pk=submission.pk).values().get()
    return row, AuditEntry.objects.count(), StageNote.objects.count(), Decision.objects.count()


@pytest.mark.parametrize("name", list(SUBMISSION_TRANSITIONS))
def test_every_transition_in_every_state_by_every_role(name, users, applicant, call):
    call.results_published_on = datetime.date(2026, 1, 1)
    call.save()
    scorers = make_evaluators(3)
    step = SUBMISSION_TRANSITIONS[name]
    # an award names its prize (the only step that needs more than a message)
    extra = {"prize": call.prizes.get()} if step.target == SubmissionState.AWARDED else {}
    for persona in PERSONAS:
        actor = users[persona]
        for state in SubmissionState.values:
            submission = prepared(call, applicant, state, scorers)
            allowed = expected_allowed(step, state, persona)
            assert submission.can_transition(actor, name) is allowed, (name, state, persona)
            before = snapshot(submission)
            if allowed:
                moved = services.transition(actor, submission, name, message="Minutes.", **extra)
                assert moved.state == step.target
                assert AuditEntry.objects.filter(action=f"submission.{name}").exists()
                assert AuditEntry.objects.count() == before[1] + 1
            else:
                with pytest.raises(PermissionDenied):
                    services.transition(actor, submission, name, message="x")
                assert snapshot(submission) == before, (name, state, persona)  # unchanged
            Submission.objects.filter(pk=submission.pk).delete()


def test_a_message_is_required_where_the_step_needs_one(call, applicant, editor):
    submission = make_submission(call, applicant, SubmissionState.SCREENING)
    before = snapshot(submission)
    with pytest.raises(ValidationError) as error:
        services.mark_ineligible(editor.user, submission, "  ")
    assert "message" in error.value.message_dict
    assert snapshot(submission) == before


def test_unknown_step_is_refused(call, applicant, editor):
    submission = make_submission(call, applicant, SubmissionState.SCREENING)
    with pytest.raises(ValidationError):
        services.transition(editor.user, submission, "teleport")


def test_the_applicant_sees_the_reason_and_answers_the_question(
    call, applicant, editor, django_capture_on_commit_callbacks
):
    submission = make_submission(call, applicant, SubmissionState.SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        services.start_screening(editor.user, submission)
        services.request_information(editor.user, submission, "Send the 2017 figures.")
    assert [m.to for m in mail.outbox] == [[applicant.email], [applicant.email]]
    assert "Send the 2017 figures." in mail.outbox[-1].body
    submission.refresh_from_db()
    assert submission.can_edit(applicant)  # the applicant may add files while answering
    assert [n.text for n in submission.notes_for(applicant)] == ["Send the 2017 figures."]
    with django_capture_on_commit_callbacks(execute=True):
        services.answer(applicant, submission, "Attached: the 2017 figures.")
    assert mail.outbox[-1].to == [editor.user.email]
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SCREENING
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_ineligible(editor.user, submission, "Not in operation for a year.")
    submission.refresh_from_db()
    assert submission.state_shown_to(applicant) == SubmissionState.INELIGIBLE
    assert [n.text for n in submission.notes_for(applicant)][-1] == "Not in operation for a year."
    assert "Not in operation for a year." in mail.outbox[-1].body


def test_mail_goes_out_in_the_submissions_language(
    call, applicant, editor, django_capture_on_commit_callbacks
):
    submission = make_submission(call, applicant, SubmissionState.SUBMITTED, language="ru")
    with django_capture_on_commit_callbacks(execute=True):
        services.start_screening(editor.user, submission)
    assert len(mail.outbox) == 1
    from django.utils import translation

    with translation.override("ru"):
        label = str(SubmissionState.SCREENING.label)
    assert label in mail.outbox[0].body


def test_decision_minutes_stay_with_the_committee(call, applicant, steering):
    from civhub.awards.services.decisions import record_decision

    submission = make_submission(call, applicant, SubmissionState.DECISION)
    record_decision(
        steering.user,
        submission,
        SubmissionState.AWARDED,
        "Unanimous.",
        prize=submission.call.prizes.first(),
    )
    submission.refresh_from_db()
    assert submission.decision.minutes == "Unanimous."
    assert submission.decision.decided_by == steering.user
    assert not submission.notes_for(applicant).exists()
    # Until the results are out the applicant is told it awaits the decision.
    assert submission.state_shown_to(applicant) == SubmissionState.DECISION
    assert submission.state_shown_to(steering.user) == SubmissionState.AWARDED
