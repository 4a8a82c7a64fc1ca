"""Drafts, the completeness check, and the deadline (server clock, time-zone aware)."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civhub.awards.choices import SubmissionState
from civhub.awards.models import Submission
from civhub.awards.services import submissions as services
from civhub.awards.tests.conftest import make_call, make_submission
from civhub.core.models import AuditEntry
from civhub.directory.models import Country, Topic

pytestmark = pytest.mark.django_db
DEADLINE = datetime.datetime(2026, 3, 31, 18, 0, tzinfo=datetime.UTC)


@pytest.fixture
def deadline_call(db):
    return make_call(
        "deadline-call",
        opens_at=DEADLINE - datetime.timedelta(days=60),
        closes_at=DEADLINE,
    )


def test_a_member_saves_a_draft_and_finishes_it_later(call, member):
    draft = Submission(call=call, title="Half-written idea")
    services.save_draft(member.user, draft)
    assert draft.state == SubmissionState.DRAFT and draft.applicant == member.user
    assert AuditEntry.objects.filter(action="submission.created").count() == 1
    missing = services.completeness(draft)
    assert "the problem" in missing and "topics" in missing and "country" in missing
    assert "I declare that the information given is accurate" in missing
    draft.problem = "Opaque hiring."
    draft.country = Country.objects.get(code="GE")
    services.save_draft(member.user, draft, topics=[Topic.objects.first()])
    missing = services.completeness(draft)
    assert "the problem" not in missing and "topics" not in missing and "country" not in missing
    with pytest.raises(ValidationError) as error:
        services.submit(member.user, draft)
    assert "summary" in error.value.message_dict["state"][0]
    draft.refresh_from_db()
    assert draft.state == SubmissionState.DRAFT


@pytest.mark.parametrize("persona", ["visitor"], indirect=True)
def test_a_visitor_cannot_apply(persona, call):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        services.save_draft(AnonymousUser(), Submission(call=call, title="x"))


def test_only_the_applicant_edits_its_draft(call, member, editor, applicant_user):
    draft = make_submission(call, applicant_user)
    draft.title = "Hijacked"
    for other in (member.user, editor.user):
        with pytest.raises(PermissionDenied):
            services.save_draft(other, draft)
    assert Submission.objects.get(pk=draft.pk).title == "One-stop recruitment portal"


@pytest.fixture
def applicant_user(db):
    from civhub.testing import make_user

    return make_user("applicant@test.example", "member")


def test_choices_must_belong_to_the_call(call, applicant_user):
    other = make_call("other-call")
    draft = make_submission(call, applicant_user)
    draft.category = other.categories.first()
    with pytest.raises(ValidationError) as error:
        services.save_draft(applicant_user, draft)
    assert "category" in error.value.message_dict
    draft.category = call.categories.first()
    draft.applicant_kind = "individual"
    with pytest.raises(ValidationError) as error:
        services.save_draft(applicant_user, draft)
    assert "applicant_kind" in error.value.message_dict


def test_a_complete_draft_is_submitted_and_acknowledged(
    call, applicant_user, django_capture_on_commit_callbacks
):
    draft = make_submission(call, applicant_user)
    assert services.completeness(draft) == []
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(applicant_user, draft)
    draft.refresh_from_db()
    assert draft.state == SubmissionState.SUBMITTED and draft.submitted_at is not None
    assert mail.outbox[0].to == [applicant_user.email]
    assert "One-stop recruitment portal" in mail.outbox[0].subject


def test_too_young_a_solution_is_refused(call, applicant_user):
    draft = make_submission(call, applicant_user, running_since=timezone.localdate())
    with pytest.raises(ValidationError) as error:
        services.submit(applicant_user, draft)
    assert "running_since" in error.value.message_dict


def test_the_deadline_is_exact(deadline_call, applicant_user):
    just_before = make_submission(deadline_call, applicant_user, title="Just in time")
    services.submit(applicant_user, just_before, now=DEADLINE - datetime.timedelta(microseconds=1))
    just_before.refresh_from_db()
    assert just_before.state == SubmissionState.SUBMITTED

    at_deadline = make_submission(deadline_call, applicant_user, title="Too late")
    audits = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        services.submit(applicant_user, at_deadline, now=DEADLINE)
    assert "nothing is accepted" in error.value.message_dict["state"][0]
    at_deadline.refresh_from_db()
    assert at_deadline.state == SubmissionState.DRAFT and at_deadline.submitted_at is None
    assert AuditEntry.objects.count() == audits


def test_the_deadline_is_read_from_the_servers_clock_in_any_time_zone(
    deadline_call, applicant_user, settings
):
    """The same instant written in Almaty time (UTC+5) is past the deadline."""
    almaty = datetime.timezone(datetime.timedelta(hours=5))
    draft = make_submission(deadline_call, applicant_user)
    with (
        mock.patch(
            "django.utils.timezone.now",
            return_value=datetime.datetime(2026, 3, 31, 23, 0, tzinfo=almaty),
        ),
        pytest.raises(ValidationError),
    ):
        services.submit(applicant_user, draft)
    with mock.patch(
        "django.utils.timezone.now",
        return_value=datetime.datetime(2026, 3, 31, 22, 59, 59, tzinfo=almaty),
    ):
        services.submit(applicant_user, draft)
    draft.refresh_from_db()
    assert draft.state == SubmissionState.SUBMITTED


def test_a_draft_cannot_be_changed_or_created_after_the_deadline(deadline_call, applicant_user):
    draft = make_submission(deadline_call, applicant_user)
    draft.title = "Late edit"
    with pytest.raises(ValidationError):
        services.save_draft(applicant_user, draft, now=DEADLINE)
    with pytest.raises(ValidationError):
        services.save_draft(
            applicant_user, Submission(call=deadline_call, title="New"), now=DEADLINE
        )
    assert Submission.objects.filter(call=deadline_call).count() == 1


def test_the_applicant_withdraws(call, applicant_user, editor):
    submission = make_submission(call, applicant_user, SubmissionState.SCREENING)
    services.withdraw(applicant_user, submission)
    submission.refresh_from_db()
    assert submission.state == SubmissionState.WITHDRAWN


def test_a_call_not_yet_announced_takes_no_submissions(call, applicant_user):
    draft = make_submission(call, applicant_user)
    call.state = "draft"
    call.save()
    with pytest.raises(ValidationError):
        services.submit(applicant_user, draft)
    with pytest.raises(ValidationError):
        services.save_draft(applicant_user, Submission(call=call, title="New"))
