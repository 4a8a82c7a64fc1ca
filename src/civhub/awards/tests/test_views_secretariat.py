"""The secretariat's pages: managing a call's submissions, assigning evaluators, and the
consolidated scores (editors and the steering committee)."""

import pytest
from django.urls import reverse

from civhub.awards.choices import AssignmentStatus, SubmissionState
from civhub.awards.models import Score, StageNote
from civhub.awards.tests.conftest import assign, make_evaluators, make_submission
from civhub.core.testing import make_user

S = SubmissionState


@pytest.fixture
def applicant(db):
    return make_user("applicant@test.example", "member")


@pytest.mark.parametrize(
    "persona", ["member", "evaluator", "steering", "focal_point"], indirect=True
)
def test_only_editors_manage(persona, call):
    assert persona.get(reverse("awards:manage", args=[call.slug])).status_code == 403
    assert persona.post(reverse("awards:assign", args=[call.slug])).status_code == 403


def test_visitor_is_sent_to_log_in(visitor, call):
    response = visitor.get(reverse("awards:manage", args=[call.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_editor_sees_every_submission_and_its_steps(editor, call, applicant):
    make_submission(call, applicant, S.SUBMITTED, title="Fresh one")
    make_submission(call, applicant, S.SCREENING, title="In screening")
    body = editor.get(reverse("awards:manage", args=[call.slug])).content.decode()
    assert "Fresh one" in body and "In screening" in body
    assert ">Screen</button>" in body
    # a step that needs a message has its labelled textarea
    assert "Ask for more information: reason, question or minutes" in body
    # the applicant's own steps are not offered
    assert ">Withdraw</button>" not in body


def test_editor_takes_a_step_and_one_needing_a_message(editor, call, applicant):
    submission = make_submission(call, applicant, S.SUBMITTED)
    url = reverse("awards:transition", args=[submission.pk, "start_screening"])
    response = editor.post(url, follow=True)
    assert "is now “In screening”" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == S.SCREENING
    url = reverse("awards:transition", args=[submission.pk, "request_information"])
    response = editor.post(url, {"message": ""}, follow=True)
    assert "Write the reason, the question or the minutes." in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == S.SCREENING and not StageNote.objects.exists()
    editor.post(url, {"message": "Which regions?"})
    submission.refresh_from_db()
    assert submission.state == S.INFO_REQUESTED
    assert submission.notes.get().text == "Which regions?"


def test_next_must_be_on_this_site(editor, call, applicant):
    submission = make_submission(call, applicant, S.SUBMITTED)
    url = reverse("awards:transition", args=[submission.pk, "start_screening"])
    response = editor.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == reverse("awards:manage", args=[call.slug])


def test_assign_evaluators_shows_the_services_message(editor, call, applicant):
    submission = make_submission(call, applicant, S.ELIGIBLE, title="Needs three")
    make_evaluators(1, prefix="only")
    response = editor.post(reverse("awards:assign", args=[call.slug]), follow=True)
    body = response.content.decode()
    assert "can&#x27;t get enough eligible evaluators" in body or "can't get enough" in body
    assert "Needs three" in body
    submission.refresh_from_db()
    assert submission.state == S.ELIGIBLE and not submission.assignments.exists()


def test_assign_evaluators_sends_to_scoring(editor, call, applicant):
    submission = make_submission(call, applicant, S.ELIGIBLE)
    make_evaluators(4, prefix="pool")
    response = editor.post(reverse("awards:assign", args=[call.slug]), follow=True)
    assert "Evaluators assigned to 1 submissions." in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == S.SCORING and submission.assignments.count() == 3


@pytest.fixture
def scored(call, applicant):
    evaluators = make_evaluators(3, prefix="cons")
    rows = []
    for title, values in (("Strong", [9, 9, 9]), ("Contested", [1, 10, 2]), ("Weak", [3, 2, 3])):
        submission = make_submission(call, applicant, S.CONSOLIDATION, title=title)
        for evaluator, value in zip(evaluators, values, strict=True):
            (a,) = assign(submission, [evaluator], AssignmentStatus.COMPLETED)
            for criterion in call.criteria.all():
                Score.objects.create(assignment=a, criterion=criterion, value=value)
        rows.append(submission)
    return rows, evaluators


@pytest.mark.parametrize("persona", ["editor", "steering"], indirect=True)
def test_consolidation_for_editors_and_steering(persona, call, scored):
    _rows, evaluators = scored
    body = persona.get(reverse("awards:consolidation", args=[call.slug])).content.decode()
    assert "Kendall" in body and "ICC" in body
    assert body.index("Strong") < body.index("Weak")
    # disagreement is said in words, not only by colour
    assert body.count("Evaluators disagree: discuss") == 1
    for evaluator in evaluators:
        assert evaluator.email not in body


@pytest.mark.parametrize("persona", ["visitor", "member", "evaluator"], indirect=True)
def test_consolidation_is_closed_to_others(persona, call, scored):
    response = persona.get(reverse("awards:consolidation", args=[call.slug]))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "login" in response["Location"]


def test_consolidation_without_scores(steering, call):
    body = steering.get(reverse("awards:consolidation", args=[call.slug])).content.decode()
    assert "No submitted scores yet." in body


def test_steering_records_a_decision(steering, call, applicant, client):
    submission = make_submission(call, applicant, S.DECISION)
    url = reverse("awards:transition", args=[submission.pk, "award"])
    steering.post(url, {"message": "Unanimous."})
    submission.refresh_from_db()
    assert submission.state == S.AWARDED
    assert submission.decision.minutes == "Unanimous."
    # the applicant still reads "awaiting the decision", and not the minutes
    client.force_login(applicant)
    body = client.get(reverse("awards:my_submission", args=[submission.pk])).content.decode()
    assert "Awaiting the decision" in body and "Unanimous." not in body
