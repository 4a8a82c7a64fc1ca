"""The applicant's pages: apply, save a draft, come back, submit; what is refused."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from civhub.awards.choices import NoteKind, SubmissionState
from civhub.awards.models import StageNote, Submission
from civhub.awards.tests.conftest import make_call, make_submission
from civhub.directory.models import Country, Topic

S = SubmissionState


def _full_data(call, **overrides):
    data = {
        "category": call.categories.first().pk,
        "applicant_kind": "public_body",
        "organization_name": "Civil Service Agency",
        "country": Country.objects.get(code="GE").pk,
        "title": "One-stop recruitment portal",
        "summary": "All vacancies on one portal.",
        "problem": "Opaque hiring.",
        "solution": "Competitive online tests.",
        "running_since": "2016-01-01",
        "results": "Twice as many applicants.",
        "evidence": "Agency statistics.",
        "novelty": "First in the region.",
        "replication": "Open-source code.",
        "costs": "Two developers for a year.",
        "language": "en",
        "declares_accurate": "on",
        "agrees_to_publication": "on",
        "topics": [Topic.objects.order_by("order").first().pk],
    }
    data.update(overrides)
    return data


def test_visitor_is_sent_to_log_in(visitor, call):
    response = visitor.get(reverse("awards:apply", args=[call.slug]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert visitor.get(reverse("awards:my_submissions")).status_code == 302


def test_non_member_may_not_apply(call, db, client):
    from civhub.testing import make_user

    client.force_login(make_user("nobody@test.example"))
    assert client.get(reverse("awards:apply", args=[call.slug])).status_code == 403


def test_member_saves_a_partial_draft_returns_and_submits(member, call):
    url = reverse("awards:apply", args=[call.slug])
    page = member.get(url)
    assert page.status_code == 200 and b"Save draft" in page.content
    response = member.post(url, {"title": "Half-written idea", "language": "en", "save": ""})
    submission = Submission.objects.get(applicant=member.user)
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:my_submission", args=[submission.pk])
    assert submission.state == S.DRAFT and submission.summary == ""
    # it is listed, and comes back in the form
    mine = member.get(reverse("awards:my_submissions")).content.decode()
    assert "Half-written idea" in mine and "Draft" in mine
    page = member.get(response["Location"])
    assert b"Half-written idea" in page.content and b"Submit" in page.content
    # submitting an incomplete draft keeps it and lists what is missing
    page = member.post(
        response["Location"], {"title": "Half-written idea", "language": "en", "submit": ""}
    )
    assert page.status_code == 422
    body = page.content.decode()
    assert "Fill in these before submitting" in body
    for label in ("summary", "the solution", "country", "topics"):
        assert f"<li>{label}</li>" in body
    submission.refresh_from_db()
    assert submission.state == S.DRAFT
    # complete, it is submitted
    response = member.post(response["Location"], _full_data(call, submit=""))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == S.SUBMITTED and submission.submitted_at is not None
    page = member.get(response["Location"]).content.decode()
    assert "Submitted" in page and "Save draft" not in page


def test_submit_after_the_deadline_is_refused_with_the_services_message(member, db):
    call = make_call(closes_at=timezone.now() + datetime.timedelta(days=1))
    submission = make_submission(call, member.user)
    Submission.objects.filter(pk=submission.pk).update(title="Unchanged")
    call.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    call.save()
    response = member.post(
        reverse("awards:my_submission", args=[submission.pk]), {"submit": ""}, follow=True
    )
    assert "nothing is accepted after it" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == S.DRAFT and submission.submitted_at is None
    # and the closed call's apply page sends the member back
    response = member.get(reverse("awards:apply", args=[call.slug]), follow=True)
    assert "not open for submissions" in response.content.decode()


def test_bad_category_leaves_nothing_written(member, call, db):
    other = make_call(slug="other")
    url = reverse("awards:apply", args=[call.slug])
    data = _full_data(call, category=other.categories.first().pk, save="")
    response = member.post(url, data)
    assert response.status_code == 422
    assert not Submission.objects.exists()


def test_another_member_cannot_open_my_draft(member, focal_point, call):
    submission = make_submission(call, member.user)
    url = reverse("awards:my_submission", args=[submission.pk])
    assert focal_point.get(url).status_code == 404
    assert focal_point.post(url, _full_data(call, save="")).status_code == 404


def test_applicant_sees_state_and_notes_shown_to_it_and_answers(member, editor, call):
    submission = make_submission(call, member.user, S.INFO_REQUESTED)
    StageNote.objects.create(
        submission=submission, kind=NoteKind.REQUEST, text="Send the pilot figures."
    )
    StageNote.objects.create(
        submission=submission, kind=NoteKind.NOTE, text="Internal memo", visible_to_applicant=False
    )
    url = reverse("awards:my_submission", args=[submission.pk])
    body = member.get(url).content.decode()
    assert "Send the pilot figures." in body and "Internal memo" not in body
    assert "More information asked for" in body
    # an empty answer is refused, a real one is sent
    assert (
        member.post(reverse("awards:answer", args=[submission.pk]), {"message": ""}).status_code
        == 422
    )
    response = member.post(reverse("awards:answer", args=[submission.pk]), {"message": "Attached."})
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == S.SCREENING
    assert submission.notes.filter(kind=NoteKind.ANSWER, text="Attached.").exists()


def test_outcome_hidden_until_results(member, call):
    submission = make_submission(call, member.user, S.NOT_SELECTED)
    body = member.get(reverse("awards:my_submissions")).content.decode()
    assert "Awaiting the decision" in body and "Not selected" not in body
    assert (
        "Not selected"
        not in member.get(reverse("awards:my_submission", args=[submission.pk])).content.decode()
    )


def test_attach_a_file_to_a_draft(member, call):
    submission = make_submission(call, member.user)
    pdf = SimpleUploadedFile("figures.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")
    response = member.post(
        reverse("awards:attach", args=[submission.pk]),
        {"file": pdf, "title": "Figures", "kind": "evidence"},
        follow=True,
    )
    assert "File attached." in response.content.decode()
    assert submission.pk and "Figures" in response.content.decode()


def test_withdraw_a_submission(member, call):
    submission = make_submission(call, member.user, S.SUBMITTED)
    response = member.post(reverse("awards:transition", args=[submission.pk, "withdraw"]))
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.state == S.WITHDRAWN


def test_applicant_may_not_take_the_secretariats_steps(member, call):
    submission = make_submission(call, member.user, S.SUBMITTED)
    response = member.post(reverse("awards:transition", args=[submission.pk, "start_screening"]))
    assert response.status_code == 403
    submission.refresh_from_db()
    assert submission.state == S.SUBMITTED


@pytest.mark.parametrize("persona", ["visitor", "evaluator"], indirect=True)
def test_strangers_cannot_move_a_submission(persona, member, call):
    submission = make_submission(call, member.user, S.SUBMITTED)
    response = persona.post(reverse("awards:transition", args=[submission.pk, "withdraw"]))
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert "login" in response["Location"]
    submission.refresh_from_db()
    assert submission.state == S.SUBMITTED


def test_mail_is_sent_on_submit(member, call, mailoutbox, django_capture_on_commit_callbacks):
    submission = make_submission(call, member.user)
    with django_capture_on_commit_callbacks(execute=True):
        member.post(
            reverse("awards:my_submission", args=[submission.pk]), _full_data(call, submit="")
        )
    submission.refresh_from_db()
    assert submission.state == S.SUBMITTED
    assert [m.to for m in mailoutbox] == [[member.user.email]]
