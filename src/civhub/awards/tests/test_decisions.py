"""Decisions, publication of results, certificates, the winner as a good practice, and its
replications as knowledge transfers; deadline reminders."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from civhub.awards.choices import SubmissionState
from civhub.awards.models import Certificate, ReminderSent, Submission
from civhub.awards.services import decisions as services
from civhub.awards.services import reminders
from civhub.awards.tests.conftest import assign, make_evaluators, make_submission
from civhub.core.attachments import attach
from civhub.core.models import AuditEntry
from civhub.directory.models import Country
from civhub.testing import make_user

pytestmark = pytest.mark.django_db
S = SubmissionState
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def applicant(db):
    return make_user("applicant@test.example", "member")


@pytest.mark.parametrize(
    "persona", ["member", "focal_point", "evaluator", "steering", "editor", "admin"], indirect=True
)
def test_who_records_a_decision(persona, call, applicant):
    submission = make_submission(call, applicant, S.DECISION)
    allowed = persona.role in {"steering", "editor", "admin"}
    if allowed:
        services.record_decision(
            persona.user, submission, S.AWARDED, "Panel of 12 May.", prize=call.prizes.first()
        )
        submission.refresh_from_db()
        assert submission.state == S.AWARDED and submission.decision.prize is not None
    else:
        with pytest.raises(PermissionDenied):
            services.record_decision(persona.user, submission, S.AWARDED, "x")
        assert not hasattr(Submission.objects.get(pk=submission.pk), "decision")


def test_a_decision_needs_minutes(call, applicant, steering):
    submission = make_submission(call, applicant, S.DECISION)
    with pytest.raises(ValidationError):
        services.record_decision(steering.user, submission, S.NOT_SELECTED, "")


@pytest.mark.parametrize(
    "outcome, prize_kind, error",
    [
        (S.AWARDED, None, "Choose the prize it is awarded."),
        (S.AWARDED, "honourable_mention", "Choose the prize it is awarded."),
        (S.AWARDED, "other_call", "Choose one of this call's prizes."),
        (S.HONOURABLE_MENTION, "prize", "Choose one of the call's honourable mentions, or none."),
        (S.NOT_SELECTED, "prize", "A submission not selected takes no prize."),
    ],
)
def test_a_decision_names_a_prize_that_fits_its_outcome(
    call, applicant, steering, outcome, prize_kind, error
):
    from civhub.awards.models import Prize
    from civhub.awards.tests.conftest import make_call

    Prize.objects.create(call=call, kind="honourable_mention", title_en="Mention")
    other = make_call(slug="other-call")
    prize = {
        None: None,
        "prize": call.prizes.get(kind="prize"),
        "honourable_mention": call.prizes.get(kind="honourable_mention"),
        "other_call": other.prizes.get(),
    }[prize_kind]
    submission = make_submission(call, applicant, S.DECISION)
    with pytest.raises(ValidationError) as refused:
        services.record_decision(steering.user, submission, outcome, "Minutes.", prize=prize)
    assert refused.value.message_dict["prize"] == [error]
    submission.refresh_from_db()
    assert submission.state == S.DECISION and not hasattr(submission, "decision")


def test_an_honourable_mention_with_or_without_its_prize(call, applicant, steering):
    from civhub.awards.models import Prize

    mention = Prize.objects.create(call=call, kind="honourable_mention", title_en="Mention")
    first = make_submission(call, applicant, S.DECISION, title="With")
    second = make_submission(call, applicant, S.DECISION, title="Without")
    services.record_decision(steering.user, first, S.HONOURABLE_MENTION, "M.", prize=mention)
    services.record_decision(steering.user, second, S.HONOURABLE_MENTION, "M.")
    assert first.decision.prize == mention and second.decision.prize is None


def test_results_are_published_once_everything_is_decided(
    call, applicant, editor, steering, django_capture_on_commit_callbacks
):
    winner = make_submission(call, applicant, S.DECISION, title="Winner")
    loser = make_submission(call, applicant, S.SCORING, title="Still scoring")
    services.record_decision(
        steering.user, winner, S.AWARDED, "Unanimous.", prize=call.prizes.first()
    )
    with pytest.raises(ValidationError) as error:
        services.publish_results(editor.user, call)
    assert "Still scoring" in error.value.message_dict["results_published_on"][0]
    loser.state = S.NOT_SELECTED
    loser.save()
    with pytest.raises(PermissionDenied):
        services.publish_results(steering.user, call)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_results(editor.user, call)
    winner.refresh_from_db()
    assert winner.state == S.PUBLISHED
    assert list(Submission.objects.public()) == [winner]
    # One results e-mail per applicant, once, however often it is asked for.
    assert len(mail.outbox) == 1 and "Results" in mail.outbox[0].subject
    call.refresh_from_db()
    assert reminders.send_results(call) == 0


def published_winner(call, applicant, steering, editor):
    submission = make_submission(call, applicant, S.DECISION)
    services.record_decision(
        steering.user, submission, S.AWARDED, "Unanimous.", prize=call.prizes.first()
    )
    services.publish_results(editor.user, call)
    submission.refresh_from_db()
    return submission


def test_certificates_have_unguessable_codes_anyone_can_verify(call, applicant, steering, editor):
    submission = published_winner(call, applicant, steering, editor)
    with pytest.raises(PermissionDenied):
        services.issue_certificate(steering.user, submission)
    certificate = services.issue_certificate(editor.user, submission)
    assert len(certificate.code) >= 22  # 128 bits, URL-safe
    assert services.verify_certificate(certificate.code) == certificate
    assert services.verify_certificate(certificate.code[:-1] + "x") is None
    assert services.verify_certificate("") is None
    with pytest.raises(ValidationError):
        services.issue_certificate(editor.user, submission)
    not_selected = make_submission(call, applicant, S.NOT_SELECTED, title="No")
    with pytest.raises(ValidationError):
        services.issue_certificate(editor.user, not_selected)
    assert Certificate.objects.count() == 1


def test_a_winner_becomes_a_practice_and_its_replications_transfers(
    call, applicant, steering, editor, focal_point
):
    from civhub.knowledge.choices import PracticeState
    from civhub.knowledge.models import KnowledgeTransfer

    submission = make_submission(call, applicant, S.DECISION, language="ru")
    services.record_decision(
        steering.user, submission, S.AWARDED, "Unanimous.", prize=call.prizes.first()
    )
    services.publish_results(editor.user, call)
    submission.refresh_from_db()
    attach(editor.user, submission, SimpleUploadedFile("case.pdf", PDF), kind="case_study")
    attach(editor.user, submission, SimpleUploadedFile("guide.pdf", PDF), kind="replication_guide")
    attach(editor.user, submission, SimpleUploadedFile("other.pdf", PDF), kind="evidence")
    with pytest.raises(PermissionDenied):
        services.publish_as_practice(steering.user, submission)
    practice = services.publish_as_practice(editor.user, submission)
    submission.refresh_from_db()
    assert submission.practice == practice and practice.award_submission == submission
    assert practice.state == PracticeState.PUBLISHED and practice.language == "ru"
    assert practice.title_ru == submission.title and practice.challenge_ru == submission.problem
    assert list(practice.countries.all()) == [submission.country]
    assert set(practice.topics.all()) == set(submission.topics.all())
    from django.contrib.contenttypes.models import ContentType

    from civhub.core.models import Attachment

    kinds = set(
        Attachment.objects.filter(
            content_type=ContentType.objects.get_for_model(practice), object_id=practice.pk
        ).values_list("kind", flat=True)
    )
    assert kinds == {"case_study", "replication_guide"}
    with pytest.raises(ValidationError):
        services.publish_as_practice(editor.user, submission)

    kazakhstan = Country.objects.get(code="KZ")
    transfer = services.record_replication(
        focal_point.user, submission, kazakhstan, started_on=datetime.date(2020, 1, 1)
    )
    assert isinstance(transfer, KnowledgeTransfer)
    assert transfer.practice == practice and transfer.source_country == submission.country
    assert transfer.target_country == kazakhstan and transfer.kind == "replication"
    submission.refresh_from_db()
    assert submission.state == S.FOLLOW_UP
    assert AuditEntry.objects.filter(action="submission.replicated").exists()
    # A focal point of an uninvolved country may not record it.
    other = make_user("fp.am@test.example", "focal_point", country="AM")
    with pytest.raises(PermissionDenied):
        services.record_replication(other, submission, Country.objects.get(code="MN"))


def test_reminders_are_sent_once_before_each_deadline(
    call, applicant, django_capture_on_commit_callbacks
):
    draft = make_submission(call, applicant)
    scoring = make_submission(call, applicant, S.SCORING, title="Being scored")
    evaluators = make_evaluators(3)
    assign(scoring, evaluators)
    far = call.closes_at - datetime.timedelta(days=20)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_due_reminders(now=far) == 0
    week = call.closes_at - datetime.timedelta(days=6)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_due_reminders(now=week) == 1
        assert reminders.send_due_reminders(now=week + datetime.timedelta(hours=1)) == 0
    assert mail.outbox[-1].to == [applicant.email] and draft.title in mail.outbox[-1].body
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_due_reminders(now=call.closes_at - datetime.timedelta(hours=5)) == 1
    scoring_eve = call.scoring_ends_at - datetime.timedelta(hours=12)
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.send_due_reminders(now=scoring_eve) == 3
        assert reminders.send_due_reminders(now=scoring_eve) == 0
    assert ReminderSent.objects.count() == 5
    assert "1 submission left" in mail.outbox[-1].body


@pytest.mark.parametrize("removed_from", ["practice", "submission"])
def test_the_practice_and_the_submission_keep_files_of_their_own(
    call, applicant, steering, editor, removed_from
):
    """Removing the practice's case study never deletes the submission's file, nor back."""
    from civhub.core import attachments
    from civhub.core.models import AuditEntry

    submission = make_submission(call, applicant, S.DECISION)
    services.record_decision(
        steering.user, submission, S.AWARDED, "Unanimous.", prize=call.prizes.first()
    )
    services.publish_results(editor.user, call)
    submission.refresh_from_db()
    original = attach(
        editor.user, submission, SimpleUploadedFile("case.pdf", PDF), kind="case_study"
    )
    practice = services.publish_as_practice(editor.user, submission)
    (copy,) = attachments.attachments_of(practice)
    assert copy.file.name != original.file.name
    assert copy.file.read() == PDF and copy.size == original.size
    assert AuditEntry.objects.filter(
        action="attachment.added", data__copied_from=original.pk
    ).exists()
    removed, kept = (copy, original) if removed_from == "practice" else (original, copy)
    storage, removed_name = removed.file.storage, removed.file.name
    attachments.remove(editor.user, removed)
    assert not storage.exists(removed_name)
    assert storage.exists(kept.file.name)
    kept.file.open("rb")
    assert kept.file.read() == PDF
    kept.file.close()


def test_a_prize_is_given_no_more_often_than_the_call_gives_it(call, applicant, steering):
    prize = call.prizes.get(kind="prize")  # given once
    first = make_submission(call, applicant, S.DECISION, title="First")
    second = make_submission(call, applicant, S.DECISION, title="Second")
    services.record_decision(steering.user, first, S.AWARDED, "Unanimous.", prize=prize)
    with pytest.raises(ValidationError) as refused:
        services.record_decision(steering.user, second, S.AWARDED, "Also.", prize=prize)
    assert refused.value.message_dict["prize"] == [
        "The call's “First prize” is given already, as many times as the call gives it (1)."
    ]
    second.refresh_from_db()
    assert second.state == S.DECISION and not hasattr(second, "decision")
    # a prize given twice takes a second winner
    prize.count = 2
    prize.save()
    services.record_decision(steering.user, second, S.AWARDED, "Also.", prize=prize)
    assert Submission.objects.get(pk=second.pk).state == S.AWARDED
