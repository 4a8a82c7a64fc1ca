"""Evaluator assignment: balanced, deterministic, and never against a conflict of interest."""

import random
from collections import Counter

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from civhub.accounts.models import User
from civhub.awards import matching
from civhub.awards.choices import ACTIVE_ASSIGNMENT, AssignmentStatus, SubmissionState
from civhub.awards.models import Assignment, ConflictDeclaration, Submission
from civhub.awards.services import assignment as services
from civhub.awards.tests.conftest import assign, make_evaluators, make_submission
from civhub.core.models import AuditEntry
from civhub.directory.models import Country, Organization, Person, Topic
from civhub.testing import make_user

pytestmark = pytest.mark.django_db
CODES = ["KZ", "KG", "AZ", "BY", "AM", "UZ", "TJ", "MN", "GE", "MD", "UA", "TR"]


def check_rules(submission, evaluator_ids):
    """No evaluator of the applicant's country or organization, none with a conflict."""
    for person in Person.objects.filter(user_id__in=evaluator_ids):
        assert person.country_id != submission.country_id
        assert (
            person.organization_id is None or person.organization_id != submission.organization_id
        )
    declared = ConflictDeclaration.objects.filter(evaluator_id__in=evaluator_ids)
    assert not declared.filter(submission=submission).exists()
    if submission.organization_id:
        assert not declared.filter(organization_id=submission.organization_id).exists()


def test_200_submissions_25_evaluators_keep_every_rule_and_balance_the_load(call, editor):
    rng = random.Random(20180601)
    countries = {c.code: c for c in Country.objects.filter(code__in=CODES)}
    topics = list(Topic.objects.all())
    orgs = [
        Organization.objects.create(
            name=f"Agency {i}", kind="agency", country=countries[rng.choice(CODES)]
        )
        for i in range(15)
    ]
    evaluators = []
    for i in range(25):
        user = make_user(f"e{i}@test.example", "evaluator", totp=False)
        person = Person.objects.create(
            name=f"Evaluator {i}",
            country=countries[rng.choice(CODES)],
            organization=rng.choice(orgs + [None] * 5),
            languages=rng.sample(["en", "ru", "kk"], rng.randint(1, 2)),
            user=user,
        )
        person.topics.set(rng.sample(topics, 3))
        evaluators.append(user)
    applicant = make_user("many@test.example", "member", totp=False)
    call.submissions_per_applicant = 200  # one applicant stands for many here
    call.save(update_fields=["submissions_per_applicant"])
    submissions = []
    for i in range(200):
        org = rng.choice(orgs + [None] * 3)
        submissions.append(
            Submission(
                call=call,
                applicant=applicant,
                title=f"Solution {i}",
                country=org.country if org else countries[rng.choice(CODES)],
                organization=org,
                language=rng.choice(["en", "ru", "kk"]),
                state=SubmissionState.ELIGIBLE,
                submitted_at=call.opens_at,
                slot=i + 1,
            )
        )
    Submission.objects.bulk_create(submissions)
    submissions = list(Submission.objects.filter(call=call).order_by("pk"))
    for s in submissions:
        s.topics.set(rng.sample(topics, 2))
    for _ in range(40):  # declared conflicts, with submissions and with organizations
        e = rng.choice(evaluators)
        if rng.random() < 0.7:
            ConflictDeclaration.objects.create(
                evaluator=e, submission=rng.choice(submissions), reason="former colleague"
            )
        else:
            ConflictDeclaration.objects.create(
                evaluator=e, organization=rng.choice(orgs), reason="board member"
            )

    plan = services.assign_evaluators(editor.user, call)

    assert len(plan) == 200
    loads = Counter()
    for s in submissions:
        active = list(
            Assignment.objects.filter(submission=s, status__in=ACTIVE_ASSIGNMENT).values_list(
                "evaluator_id", flat=True
            )
        )
        assert len(active) == call.evaluators_per_submission == 3
        check_rules(s, active)
        loads.update(active)
    counts = [loads.get(e.pk, 0) for e in evaluators]
    assert max(counts) - min(counts) <= 1, counts
    assert sum(counts) == 600
    assert set(Submission.objects.filter(call=call).values_list("state", flat=True)) == {
        SubmissionState.SCORING
    }
    # Deterministic: the same input gives the same plan.
    again = matching.plan(
        {1: 2, 2: 2, 3: 2},
        {1: [10, 11, 12], 2: [10, 11, 12], 3: [10, 11, 12]},
        {10: 0, 11: 0, 12: 0},
    )
    assert again == matching.plan(
        {1: 2, 2: 2, 3: 2},
        {1: [10, 11, 12], 2: [10, 11, 12], 3: [10, 11, 12]},
        {10: 0, 11: 0, 12: 0},
    )


def test_matching_rebalances_along_a_path():
    """Greedy alone would overload evaluator 1; a chain of moves evens it out."""
    need = {"a": 1, "b": 1, "c": 1, "d": 1}
    eligible = {"a": [1], "b": [1, 2], "c": [2, 3], "d": [1, 2, 3]}
    plan = matching.plan(need, eligible, {1: 0, 2: 0, 3: 0}, match=lambda s, e: -e)
    loads = Counter(e for es in plan.values() for e in es)
    assert max(loads.values()) - min(loads.values()) <= 1
    for s, es in plan.items():
        assert set(es) <= set(eligible[s])


def test_topic_and_language_decide_between_equally_loaded_evaluators(call, editor):
    applicant = make_user("a@test.example", "member")
    s = make_submission(call, applicant, SubmissionState.ELIGIBLE, language="kk")
    evaluators = make_evaluators(4)
    kazakh = Person.objects.get(user=evaluators[3])
    kazakh.country = Country.objects.get(code="MN")
    kazakh.languages = ["kk"]
    kazakh.save()
    plan = services.assign_evaluators(editor.user, call)
    assert evaluators[3].pk in plan[s.pk]


def test_too_few_eligible_evaluators_is_refused_naming_the_submission(call, editor):
    applicant = make_user("a@test.example", "member")
    s = make_submission(call, applicant, SubmissionState.ELIGIBLE, title="Kazakh e-hiring")
    s.country = Country.objects.get(code="KZ")
    s.save()
    make_evaluators(4, country_codes=["KZ", "KZ", "GE", "AM"])  # two from Kazakhstan
    with pytest.raises(ValidationError) as error:
        services.assign_evaluators(editor.user, call)
    assert "Kazakh e-hiring" in error.value.message_dict["evaluators"][0]
    assert not Assignment.objects.exists()
    s.refresh_from_db()
    assert s.state == SubmissionState.ELIGIBLE


@pytest.mark.parametrize(
    "persona", ["visitor", "member", "focal_point", "evaluator", "steering"], indirect=True
)
def test_only_the_secretariat_assigns(persona, call):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.assign_evaluators(persona.user or AnonymousUser(), call)


def scoring_submission(call):
    applicant = make_user("a@test.example", "member")
    s = make_submission(call, applicant, SubmissionState.SCORING)
    evaluators = make_evaluators(5)
    assign(s, evaluators[:3])
    return s, evaluators


def test_a_declining_evaluator_is_replaced(call, django_capture_on_commit_callbacks):
    s, evaluators = scoring_submission(call)
    first = Assignment.objects.get(submission=s, evaluator=evaluators[0])
    with django_capture_on_commit_callbacks(execute=True):
        replacement = services.decline(evaluators[0], first, "Travelling.")
    first.refresh_from_db()
    assert first.status == AssignmentStatus.DECLINED
    assert replacement.evaluator in evaluators[3:]
    assert s.assignments.filter(status__in=ACTIVE_ASSIGNMENT).count() == 3
    assert mail.outbox[-1].to == [replacement.evaluator.email]
    assert AuditEntry.objects.filter(action="assignment.declined").exists()
    assert not s.can_view(evaluators[0])


def test_a_declared_conflict_is_recorded_and_the_submission_reassigned(call):
    s, evaluators = scoring_submission(call)
    first = Assignment.objects.get(submission=s, evaluator=evaluators[1])
    with pytest.raises(ValidationError):
        services.declare_conflict(evaluators[1], first, "")
    replacement = services.declare_conflict(evaluators[1], first, "I advised this agency.")
    assert ConflictDeclaration.objects.filter(evaluator=evaluators[1], submission=s).exists()
    assert replacement.evaluator not in evaluators[:3]
    # Another evaluator cannot decline for it.
    with pytest.raises(PermissionDenied):
        services.decline(evaluators[0], replacement)


def test_no_replacement_left_tells_the_secretariat(
    call, editor, django_capture_on_commit_callbacks
):
    applicant = make_user("a@test.example", "member")
    s = make_submission(call, applicant, SubmissionState.SCORING)
    evaluators = make_evaluators(3)
    assign(s, evaluators)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.decline(evaluators[0], s.assignments.first()) is None
    assert mail.outbox[-1].to == [editor.user.email]
    assert AuditEntry.objects.filter(action="submission.evaluator_missing").exists()


def test_an_override_needs_a_reason_is_logged_and_keeps_the_rules(call, editor, member):
    s, evaluators = scoring_submission(call)
    with pytest.raises(ValidationError) as error:
        services.override_assignment(editor.user, s, add=evaluators[3], reason=" ")
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.override_assignment(member.user, s, add=evaluators[3], reason="x")
    added = services.override_assignment(
        editor.user, s, add=evaluators[3], remove=evaluators[0], reason="Expert in e-hiring."
    )
    assert added.assigned_by == editor.user and added.override_reason == "Expert in e-hiring."
    removed = Assignment.objects.get(submission=s, evaluator=evaluators[0])
    assert removed.status == AssignmentStatus.REMOVED
    entries = AuditEntry.objects.filter(action__startswith="assignment.override")
    assert {e.data["reason"] for e in entries} == {"Expert in e-hiring."}
    # Never one from the applicant's country (Georgia), even by hand.
    georgian = make_evaluators(1, prefix="ge", country_codes=["GE"])[0]
    with pytest.raises(ValidationError) as error:
        services.override_assignment(editor.user, s, add=georgian, reason="Please.")
    assert "country" in error.value.message_dict["evaluator"][0]
    # Never one who declared a conflict with the organization.
    org = Organization.objects.create(name="Agency", kind="agency")
    s.organization = org
    s.save()
    ConflictDeclaration.objects.create(evaluator=evaluators[4], organization=org, reason="Staff")
    with pytest.raises(ValidationError):
        services.override_assignment(editor.user, s, add=evaluators[4], reason="Please.")
    non_evaluator = User.objects.get(pk=member.user.pk)
    with pytest.raises(ValidationError):
        services.override_assignment(editor.user, s, add=non_evaluator, reason="Please.")


def test_an_evaluator_of_unknown_country_is_never_assigned(call, editor, evaluator):
    """The persona evaluator has no directory record: "never from the applicant's country"
    can't be checked, so it is not eligible, automatically or by hand."""
    s, evaluators = scoring_submission(call)
    with pytest.raises(ValidationError) as error:
        services.override_assignment(editor.user, s, add=evaluator.user, reason="Please.")
    assert "country is not known" in error.value.message_dict["evaluator"][0]
    applicant = make_user("b@test.example", "member")
    make_submission(call, applicant, SubmissionState.ELIGIBLE, title="Fresh")
    plan = services.assign_evaluators(editor.user, call)
    assert all(evaluator.user.pk not in es for es in plan.values())


def test_withdrawing_releases_the_evaluators(call, editor):
    from civhub.awards.services import submissions

    applicant = make_user("b@test.example", "member")
    s = make_submission(call, applicant, SubmissionState.ELIGIBLE)
    assign(s, make_evaluators(3))
    submissions.withdraw(applicant, s)
    assert set(s.assignments.values_list("status", flat=True)) == {AssignmentStatus.REMOVED}
