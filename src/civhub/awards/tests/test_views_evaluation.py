"""The evaluator's pages: its assignments, scoring, declining, conflicts; blind scoring."""

import pytest
from django.urls import reverse

from civhub.awards.choices import AssignmentStatus, SubmissionState
from civhub.awards.models import Assignment, ConflictDeclaration, Score
from civhub.awards.tests.conftest import assign, make_evaluators, make_submission
from civhub.testing import make_user

S = SubmissionState


@pytest.fixture
def scoring(call, evaluator, db):
    """A submission being scored by the evaluator persona and two more evaluators, with a
    fourth evaluator free to replace one who steps out."""
    from civhub.directory.models import Country, Person

    Person.objects.create(
        name="Persona evaluator", country=Country.objects.get(code="KZ"), user=evaluator.user
    )
    applicant = make_user("applicant@test.example", "member")
    submission = make_submission(
        call, applicant, S.SCORING, organization_name="Hidden Agency", title="Blind portal"
    )
    others = make_evaluators(3, prefix="ev")
    mine, *_rest = assign(submission, [evaluator.user, *others[:2]])
    return submission, mine, others


def _post(call, **values):
    data = {}
    for criterion in call.criteria.all():
        data[criterion.slug] = values.get(criterion.slug, "7")
        data[f"{criterion.slug}__comment"] = "fine"
    return data


def test_evaluator_sees_only_its_assignments(evaluator, scoring, call):
    submission, mine, others = scoring
    other = make_submission(
        call, make_user("x@test.example", "member"), S.SCORING, title="Not mine"
    )
    assign(other, others)
    body = evaluator.get(reverse("awards:assignments")).content.decode()
    assert "Blind portal" in body and "Not mine" not in body


@pytest.mark.parametrize("persona", ["member", "editor"], indirect=True)
def test_no_assignments_page_without_the_role(persona, db):
    assert persona.get(reverse("awards:assignments")).status_code == 403


def test_visitor_is_sent_to_log_in(visitor, scoring):
    _s, mine, _o = scoring
    response = visitor.get(reverse("awards:score", args=[mine.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_blind_call_hides_the_applicant(evaluator, scoring):
    _s, mine, _o = scoring
    body = evaluator.get(reverse("awards:score", args=[mine.pk])).content.decode()
    assert "Blind portal" in body
    assert "Hidden Agency" not in body and "applicant@test.example" not in body
    assert "scored blind" in body


def test_another_evaluator_cannot_open_my_scoring_page(scoring, client):
    _s, mine, others = scoring
    client.force_login(others[0])
    assert client.get(reverse("awards:score", args=[mine.pk])).status_code == 404
    assert client.post(reverse("awards:score", args=[mine.pk]), {}).status_code == 404
    assert client.post(reverse("awards:decline", args=[mine.pk]), {}).status_code == 404


def test_save_then_submit_scores_and_see_the_others(evaluator, scoring, call):
    submission, mine, others = scoring
    url = reverse("awards:score", args=[mine.pk])
    # another evaluator has submitted: hidden until mine are submitted
    theirs = Assignment.objects.get(submission=submission, evaluator=others[0])
    for criterion in call.criteria.all():
        Score.objects.create(assignment=theirs, criterion=criterion, value=2, comment="THEIRS")
    Assignment.objects.filter(pk=theirs.pk).update(
        status=AssignmentStatus.COMPLETED, completed_at=mine.created_at
    )
    assert "THEIRS" not in evaluator.get(url).content.decode()
    # save part of the scores
    data = _post(call)
    data["results"] = ""
    data["save"] = ""
    assert evaluator.post(url, data).status_code == 302
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.ASSIGNED and mine.scores.count() == 2
    # submit all
    response = evaluator.post(url, {**_post(call), "submit": ""}, follow=True)
    assert "Your scores are submitted" in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.COMPLETED and mine.scores.count() == 3
    body = response.content.decode()
    assert "THEIRS" in body
    assert others[0].email not in body and str(others[0].person.name) not in body


def test_score_out_of_scale_names_the_criterion_and_writes_nothing(evaluator, scoring, call):
    _s, mine, _o = scoring
    url = reverse("awards:score", args=[mine.pk])
    response = evaluator.post(url, {**_post(call, innovation="11"), "submit": ""})
    assert response.status_code == 422
    assert "Innovation: give a score from 0 to 10." in response.content.decode()
    assert not mine.scores.exists()
    response = evaluator.post(url, {**_post(call, results="seven"), "save": ""})
    assert "Results: give a whole number." in response.content.decode()
    assert not mine.scores.exists()


def test_submit_with_a_criterion_missing_names_it(evaluator, scoring, call):
    _s, mine, _o = scoring
    data = _post(call)
    data["replicability"] = ""
    response = evaluator.post(reverse("awards:score", args=[mine.pk]), {**data, "submit": ""})
    assert response.status_code == 422
    assert "Score every criterion before submitting: Replicability." in response.content.decode()
    assert not mine.scores.exists()
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.ASSIGNED


def test_decline_assigns_someone_else(evaluator, scoring):
    submission, mine, others = scoring
    response = evaluator.post(reverse("awards:decline", args=[mine.pk]), {"reason": "Too busy"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.DECLINED
    assert submission.assignments.filter(evaluator=others[2]).exists()


def test_conflict_needs_a_reason_and_is_recorded(evaluator, scoring):
    submission, mine, _o = scoring
    url = reverse("awards:conflict", args=[mine.pk])
    response = evaluator.post(url, {"reason": ""}, follow=True)
    assert "Say what the conflict of interest is." in response.content.decode()
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.ASSIGNED
    evaluator.post(url, {"reason": "I advised them."})
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.CONFLICT
    assert ConflictDeclaration.objects.filter(
        evaluator=evaluator.user, submission=submission
    ).exists()
    # the page of a submission no longer assigned shows no form to score
    body = evaluator.get(reverse("awards:score", args=[mine.pk])).content.decode()
    assert "Submit scores" not in body


def test_scores_cannot_be_posted_once_submitted(evaluator, scoring, call):
    _s, mine, _o = scoring
    url = reverse("awards:score", args=[mine.pk])
    evaluator.post(url, {**_post(call), "submit": ""})
    assert evaluator.post(url, {**_post(call, innovation="1"), "save": ""}).status_code == 403
    assert mine.scores.get(criterion__slug="innovation").value == 7
