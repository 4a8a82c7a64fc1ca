"""One applicant, one open submission per call (unless the call accepts more): "Submit" on an
incomplete first draft carries on with that draft, a second one is refused with a clear
message, and the database itself refuses a second open submission in the same place."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from civhub.awards.choices import SubmissionState
from civhub.awards.models import Submission
from civhub.awards.services import submissions as services
from civhub.awards.tests.conftest import make_call, make_submission
from civhub.awards.tests.test_views_applicants import _full_data
from civhub.testing import make_user

pytestmark = pytest.mark.django_db
S = SubmissionState


@pytest.fixture
def applicant(db):
    return make_user("applicant@test.example", "member")


# --- the service ---------------------------------------------------------------------------


def test_a_second_draft_in_the_same_call_is_refused_and_nothing_is_written(call, applicant):
    first = services.save_draft(applicant, Submission(call=call, title="First"))
    assert first.slot == 1
    with pytest.raises(ValidationError) as refused:
        services.save_draft(applicant, Submission(call=call, title="Second"))
    assert "accepts only one from each applicant" in refused.value.message_dict[NON_FIELD_ERRORS][0]
    assert list(Submission.objects.values_list("title", flat=True)) == ["First"]


def test_a_submitted_one_counts_too_and_other_calls_and_applicants_are_free(call, applicant):
    make_submission(call, applicant, S.SCREENING)
    with pytest.raises(ValidationError):
        services.save_draft(applicant, Submission(call=call, title="Second"))
    other_call = make_call(slug="other-call")
    assert services.save_draft(applicant, Submission(call=other_call, title="Elsewhere")).pk
    someone = make_user("someone@test.example", "member")
    assert services.save_draft(someone, Submission(call=call, title="Someone's")).slot == 1


@pytest.mark.parametrize("closed", [S.WITHDRAWN, S.INELIGIBLE])
def test_a_withdrawn_or_ineligible_one_gives_its_place_back(call, applicant, closed):
    make_submission(call, applicant, closed, slot=1)
    again = services.save_draft(applicant, Submission(call=call, title="Another try"))
    assert again.slot == 1 and again.state == S.DRAFT


def test_a_call_that_accepts_more_takes_that_many_and_no_more(applicant):
    call = make_call(slug="three-call", submissions_per_applicant=3)
    slots = [
        services.save_draft(applicant, Submission(call=call, title=f"Idea {n}")).slot
        for n in range(3)
    ]
    assert slots == [1, 2, 3]
    with pytest.raises(ValidationError) as refused:
        services.save_draft(applicant, Submission(call=call, title="Idea 4"))
    assert "at most 3 open submissions" in refused.value.messages[0]
    assert Submission.objects.filter(call=call).count() == 3
    # the middle one withdrawn, its place is the next one's
    services.withdraw(applicant, Submission.objects.get(call=call, slot=2))
    assert services.save_draft(applicant, Submission(call=call, title="Idea 5")).slot == 2


def test_editing_a_draft_keeps_its_place(applicant):
    call = make_call(slug="two-call", submissions_per_applicant=2)
    services.save_draft(applicant, Submission(call=call, title="One"))
    second = services.save_draft(applicant, Submission(call=call, title="Two"))
    second.title, second.slot = "Two, edited", 1  # a form cannot move it; the service neither
    services.save_draft(applicant, second)
    second.refresh_from_db()
    assert (second.title, second.slot) == ("Two, edited", 2)


def test_the_database_refuses_a_second_open_submission_in_the_same_place(call, applicant):
    make_submission(call, applicant, S.SUBMITTED, slot=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Submission.objects.create(call=call, applicant=applicant, title="Around the service")
    # closed ones may share a place with an open one
    make_submission(call, applicant, S.WITHDRAWN, slot=1)
    assert Submission.objects.filter(call=call, applicant=applicant).count() == 2


def test_the_call_accepts_at_least_one_per_applicant(call):
    call.submissions_per_applicant = 0
    with pytest.raises(ValidationError) as refused:
        call.full_clean()
    assert "submissions_per_applicant" in refused.value.message_dict


# --- the pages -----------------------------------------------------------------------------


def test_submit_on_an_incomplete_first_draft_carries_on_with_that_draft(member, call):
    apply_url = reverse("awards:apply", args=[call.slug])
    response = member.post(
        apply_url, {"title": "Half-written idea", "language": "en", "submit": ""}
    )
    draft = Submission.objects.get(applicant=member.user)
    draft_url = reverse("awards:my_submission", args=[draft.pk])
    # the form is now the draft's own page, which lists what is missing
    assert response.status_code == 302
    assert response["Location"] == f"{draft_url}?check=missing#missing"
    page = member.get(response["Location"]).content.decode()
    assert "Fill in these before submitting" in page and "<li>the solution</li>" in page
    assert "Your draft is saved, but not submitted yet." in page
    # completing it on that page submits the same draft: one submission, not two
    response = member.post(f"{draft_url}?check=missing", _full_data(call, submit=""))
    assert response.status_code == 302 and response["Location"] == draft_url
    draft.refresh_from_db()
    assert draft.state == S.SUBMITTED
    assert Submission.objects.filter(applicant=member.user).count() == 1


def test_the_apply_page_sends_an_applicant_with_a_draft_back_to_it(member, call):
    draft = make_submission(call, member.user, title="My draft")
    response = member.get(reverse("awards:apply", args=[call.slug]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("awards:my_submission", args=[draft.pk])
    assert "You already have a draft for this call" in response.content.decode()


def test_the_apply_page_tells_an_applicant_who_has_submitted(member, call):
    make_submission(call, member.user, S.SUBMITTED)
    response = member.get(reverse("awards:apply", args=[call.slug]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("awards:my_submissions")
    assert "accepts only one from each applicant" in response.content.decode()


def test_a_second_first_draft_from_a_stale_page_is_refused_on_the_page(member, call):
    make_submission(call, member.user, S.SUBMITTED, title="Already in")
    response = member.post(
        reverse("awards:apply", args=[call.slug]), _full_data(call, title="Twice", submit="")
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert 'class="error-summary" role="alert"' in body
    assert "accepts only one from each applicant" in body
    assert list(Submission.objects.values_list("title", flat=True)) == ["Already in"]


def test_a_call_that_accepts_more_still_opens_a_new_form(member):
    call = make_call(slug="two-call", submissions_per_applicant=2)
    make_submission(call, member.user, title="First idea")
    page = member.get(reverse("awards:apply", args=[call.slug]))
    assert page.status_code == 200 and b"Save draft" in page.content
    body = member.get(call.get_absolute_url()).content.decode()
    assert "Each applicant may have up to 2 submissions in this call at a time" in body
