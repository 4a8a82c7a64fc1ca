"""Scoring, blindness, who sees which submission, and consolidation from the database."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civhub.awards.choices import AssignmentStatus, SubmissionState, TieBreak
from civhub.awards.models import Assignment, Score, Submission
from civhub.awards.services import scoring as services
from civhub.awards.tests.conftest import assign, full_scores, make_evaluators, make_submission
from civhub.core.models import AuditEntry
from civhub.testing import make_user

pytestmark = pytest.mark.django_db
S = SubmissionState


@pytest.fixture
def applicant(db):
    return make_user("applicant@test.example", "member")


@pytest.fixture
def scored(call, applicant):
    submission = make_submission(call, applicant, S.SCORING)
    evaluators = make_evaluators(4)
    assign(submission, evaluators[:3])
    return submission, evaluators


def test_only_the_assigned_evaluator_scores(call, scored, evaluator, editor, applicant):
    submission, evaluators = scored
    mine = Assignment.objects.get(submission=submission, evaluator=evaluators[0])
    for other in (evaluators[1], evaluators[3], evaluator.user, editor.user, applicant):
        with pytest.raises(PermissionDenied):
            services.record_scores(other, mine, full_scores(call))
    assert not Score.objects.exists()
    assert submission.can_score(evaluators[0]) and not submission.can_score(evaluators[3])


def test_scores_only_in_the_scoring_stage(call, applicant):
    evaluators = make_evaluators(3)
    for state in (S.ELIGIBLE, S.CONSOLIDATION, S.DECISION):
        submission = make_submission(call, applicant, state)
        (mine, *_rest) = assign(submission, evaluators)
        with pytest.raises(PermissionDenied):
            services.record_scores(evaluators[0], mine, full_scores(call))
    assert not Score.objects.exists()


def test_values_outside_the_scale_and_incomplete_sets_are_refused(call, scored):
    submission, evaluators = scored
    mine = Assignment.objects.get(submission=submission, evaluator=evaluators[0])
    innovation, results, _replicability = call.criteria.all()
    with pytest.raises(ValidationError) as error:
        services.record_scores(evaluators[0], mine, {innovation: (11, ""), results: (5, "")})
    assert "innovation" in error.value.message_dict
    assert not Score.objects.exists()
    with pytest.raises(ValidationError) as error:
        services.record_scores(evaluators[0], mine, {innovation: (9, ""), results: (5, "")})
    assert "Replicability" in error.value.message_dict["scores"][0]
    assert not Score.objects.exists()
    # A partial set may be saved as work in progress, and finished later.
    services.record_scores(evaluators[0], mine, {innovation: (9, "bold")}, final=False)
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.ASSIGNED
    services.record_scores(evaluators[0], mine, {results: (5, ""), _replicability: (6, "")})
    mine.refresh_from_db()
    assert mine.status == AssignmentStatus.COMPLETED and mine.completed_at
    assert Score.objects.filter(assignment=mine).count() == 3


def test_the_submission_moves_on_when_every_evaluator_is_done(call, scored):
    submission, evaluators = scored
    for evaluator in evaluators[:3]:
        submission.refresh_from_db()
        assert submission.state == S.SCORING
        assignment = Assignment.objects.get(submission=submission, evaluator=evaluator)
        services.record_scores(evaluator, assignment, full_scores(call))
    submission.refresh_from_db()
    assert submission.state == S.CONSOLIDATION
    assert AuditEntry.objects.filter(action="submission.close_scoring").count() == 1


def test_an_evaluator_is_blind_to_others_scores_until_its_own_are_in(call, scored):
    submission, evaluators = scored
    first, second = (
        Assignment.objects.get(submission=submission, evaluator=e) for e in evaluators[:2]
    )
    services.record_scores(evaluators[0], first, full_scores(call, 8))
    assert set(services.visible_scores(submission, evaluators[1])) == set()
    services.record_scores(evaluators[1], second, full_scores(call, 3), final=False)
    assert {s.assignment_id for s in services.visible_scores(submission, evaluators[1])} == {
        second.pk
    }
    assert {s.assignment_id for s in services.visible_scores(submission, evaluators[0])} == {
        first.pk
    }  # the other's unfinished scores stay hidden
    services.record_scores(evaluators[1], second, full_scores(call, 3))
    assert {s.assignment_id for s in services.visible_scores(submission, evaluators[1])} == {
        first.pk,
        second.pk,
    }


@pytest.mark.parametrize(
    "persona", ["visitor", "member", "focal_point", "evaluator", "steering"], indirect=True
)
def test_others_see_no_scores_while_scoring(persona, call, scored):
    submission, evaluators = scored
    services.record_scores(
        evaluators[0],
        Assignment.objects.get(submission=submission, evaluator=evaluators[0]),
        full_scores(call),
    )
    user = persona.user or AnonymousUser()
    assert not services.visible_scores(submission, user).exists()


def test_the_applicant_sees_scores_only_once_results_are_out(call, applicant, steering):
    submission = make_submission(call, applicant, S.NOT_SELECTED)
    evaluators = make_evaluators(3)
    for a in assign(submission, evaluators, AssignmentStatus.COMPLETED):
        for c in call.criteria.all():
            Score.objects.create(assignment=a, criterion=c, value=4)
    assert not services.visible_scores(submission, applicant).exists()
    assert submission.state_shown_to(applicant) == S.DECISION
    assert services.visible_scores(submission, steering.user).count() == 9
    call.results_published_on = timezone.localdate() + datetime.timedelta(days=1)
    call.save()
    assert not services.visible_scores(submission, applicant).exists()  # tomorrow
    call.results_published_on = timezone.localdate()
    call.save()
    submission = Submission.objects.get(pk=submission.pk)
    assert services.visible_scores(submission, applicant).count() == 9
    assert submission.state_shown_to(applicant) == S.NOT_SELECTED


def test_evaluators_see_only_their_assigned_submissions(call, scored, applicant, evaluator):
    submission, evaluators = scored
    other = make_submission(call, applicant, S.SCORING, title="Another")
    assert list(Submission.objects.visible_to(evaluators[0])) == [submission]
    assert not Submission.objects.visible_to(evaluator.user).exists()
    assert not other.can_view(evaluators[0])
    # Blind call: the evaluator doesn't see who applied; the applicant and editors do.
    assert not submission.identity_visible_to(evaluators[0])
    assert submission.identity_visible_to(applicant)
    call.blind_identity = False
    call.save()
    submission = Submission.objects.get(pk=submission.pk)
    assert submission.identity_visible_to(evaluators[0])


@pytest.mark.parametrize(
    "persona",
    ["visitor", "member", "focal_point", "evaluator", "steering", "editor"],
    indirect=True,
)
def test_who_sees_which_submission(persona, call, applicant):
    states = [S.DRAFT, S.SUBMITTED, S.SCORING, S.DECISION, S.AWARDED, S.PUBLISHED]
    made = {state: make_submission(call, applicant, state, title=state) for state in states}
    user = persona.user or AnonymousUser()
    seen = set(Submission.objects.visible_to(user).values_list("state", flat=True))
    expected = {
        "visitor": set(),
        "member": set(),
        "focal_point": set(),
        "evaluator": set(),
        "steering": set(states) - {S.DRAFT},
        "editor": set(states),
    }[persona.role]
    assert seen == expected
    call.results_published_on = timezone.localdate()
    call.save()
    seen = set(Submission.objects.visible_to(user).values_list("state", flat=True))
    assert S.PUBLISHED in seen
    assert (S.DRAFT in seen) == (persona.role == "editor")
    assert made[S.PUBLISHED].can_view(AnonymousUser())
    assert list(Submission.objects.visible_to(applicant)) != []


def test_consolidation_reads_the_submitted_scores(call, applicant, steering, member):
    """Three evaluators, two submissions, every criterion on 0..10, weights 2, 1, 1:
    T = 100 * (2 a + b + c) / 40. s1 scored (8,8,8), (6,6,6), (7,7,7) -> 80, 60, 70, mean 70;
    s2 (5,5,5) by all -> 50. Kendall's W over 3 evaluators x 2 submissions = 1."""
    s1 = make_submission(call, applicant, S.CONSOLIDATION, title="s1")
    s2 = make_submission(call, applicant, S.CONSOLIDATION, title="s2")
    evaluators = make_evaluators(3)
    for submission, values in ((s1, (8, 6, 7)), (s2, (5, 5, 5))):
        for a, v in zip(
            assign(submission, evaluators, AssignmentStatus.COMPLETED), values, strict=False
        ):
            for c in call.criteria.all():
                Score.objects.create(assignment=a, criterion=c, value=v)
    with pytest.raises(PermissionDenied):
        services.consolidate(call, member.user)
    result = services.consolidate(call, steering.user)
    rows = result.by_submission()
    assert rows[s1.pk].mean == pytest.approx(70) and rows[s2.pk].mean == pytest.approx(50)
    assert rows[s1.pk].rank == 1 and rows[s1.pk].spread == pytest.approx(20)
    assert result.kendall_w == pytest.approx(1)


def test_ties_are_broken_by_the_calls_criterion(call, applicant):
    """Equal totals; s2 is better on the tie-break criterion "results"."""
    s1 = make_submission(call, applicant, S.CONSOLIDATION, title="s1")
    s2 = make_submission(call, applicant, S.CONSOLIDATION, title="s2")
    s1.submitted_at = call.opens_at  # s1 is earlier: under "earlier" it would win
    s1.save()
    evaluators = make_evaluators(3)
    innovation, results, replicability = call.criteria.all()
    rows = {
        s1: {innovation: 5, results: 4, replicability: 6},
        s2: {innovation: 5, results: 6, replicability: 4},
    }
    for submission, values in rows.items():
        for a in assign(submission, evaluators, AssignmentStatus.COMPLETED):
            for c, v in values.items():
                Score.objects.create(assignment=a, criterion=c, value=v)
    assert services.consolidate(call).results[0].submission == s1.pk
    call.tie_break, call.tie_break_criterion = TieBreak.CRITERION, results
    call.full_clean()
    call.save()
    assert services.consolidate(call).results[0].submission == s2.pk


def test_scores_are_whole_numbers(call, scored):
    submission, evaluators = scored
    mine = Assignment.objects.get(submission=submission, evaluator=evaluators[0])
    innovation = call.criteria.get(slug="innovation")
    for bad in (7.5, "seven", None, True):
        with pytest.raises(ValidationError) as error:
            services.record_scores(evaluators[0], mine, {innovation: (bad, "")}, final=False)
        assert "innovation" in error.value.message_dict
    services.record_scores(evaluators[0], mine, {innovation: ("7", "")}, final=False)
    assert Score.objects.get(assignment=mine).value == 7
