"""The public pages: the calls, a call with its results and figures, a winner's page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from civhub.awards.choices import AssignmentStatus, CallState, SubmissionState
from civhub.awards.models import Call, Decision, Score, Submission
from civhub.awards.tests.conftest import assign, make_call, make_evaluators, make_submission
from civhub.directory.models import Country
from civhub.testing import make_user

S = SubmissionState


@pytest.fixture
def decided(db):
    """A call whose results are out: one published winner, one not selected, with scores."""
    call = make_call(
        slug="2019",
        opens_at=timezone.now() - datetime.timedelta(days=300),
        closes_at=timezone.now() - datetime.timedelta(days=200),
        results_published_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    winner = make_submission(
        call,
        make_user("winner@test.example", "member"),
        S.PUBLISHED,
        title="Winning portal",
        organization_name="Winning Agency",
    )
    loser = make_submission(
        call,
        make_user("loser@test.example", "member"),
        S.NOT_SELECTED,
        title="Secret loser",
        organization_name="Losing Agency",
    )
    Decision.objects.create(
        submission=winner, outcome=S.AWARDED, prize=call.prizes.first(), minutes="Yes"
    )
    Decision.objects.create(submission=loser, outcome=S.NOT_SELECTED, minutes="No")
    evaluators = make_evaluators(3, prefix="pub")
    for submission, value in ((winner, 9), (loser, 3)):
        for a in assign(submission, evaluators, AssignmentStatus.COMPLETED):
            for criterion in call.criteria.all():
                Score.objects.create(assignment=a, criterion=criterion, value=value)
    return call, winner, loser, evaluators


@pytest.mark.parametrize("persona", ["visitor", "member", "evaluator"], indirect=True)
def test_everyone_sees_the_calls_and_a_published_winner(persona, decided):
    call, winner, loser, _e = decided
    page = persona.get(reverse("awards:calls"))
    assert page.status_code == 200
    assert call.title in page.content.decode()
    page = persona.get(call.get_absolute_url())
    body = page.content.decode()
    assert page.status_code == 200
    assert "Winning portal" in body and winner.get_absolute_url() in body
    assert persona.get(winner.get_absolute_url()).status_code == 200
    # a submission that did not win has no public page
    url = reverse("awards:winner", kwargs={"slug": call.slug, "pk": loser.pk})
    assert persona.get(url).status_code == 404


def test_call_page_shows_criteria_timeline_and_evaluators(visitor, call):
    body = visitor.get(call.get_absolute_url()).content.decode()
    assert "Innovation" in body and "0 to 10" in body
    assert "3 independent evaluators" in body
    assert "Public body" in body
    assert "Apply" not in body or "Log in to apply" in body


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_submissions_by_country_name_the_country_in_the_readers_language(
    visitor, decided, language
):
    call = decided[0]
    with translation.override(language):
        url = call.get_absolute_url()
        georgia = Country.objects.get(code="GE").name
    body = visitor.get(url).content.decode()
    assert georgia != "Georgia"
    assert f'<th scope="row">{georgia}</th>' in body
    assert "Georgia" not in body


def test_transparency_block_is_anonymous(visitor, decided):
    call, winner, loser, evaluators = decided
    body = visitor.get(call.get_absolute_url()).content.decode()
    assert "The call in figures" in body
    assert "Submissions by country" in body and "Georgia" in body
    assert "How the scores were spread" in body
    for evaluator in evaluators:
        assert evaluator.email not in body and str(evaluator) not in body
        assert evaluator.person.name not in body
    # the identity of a submission that did not win is never shown
    assert "Secret loser" not in body and "Losing Agency" not in body
    assert "loser@test.example" not in body


def test_no_figures_before_the_results(visitor, call):
    body = visitor.get(call.get_absolute_url()).content.decode()
    assert "The call in figures" not in body


def test_winner_page_of_unpublished_results_is_404(visitor, decided):
    call, winner, _l, _e = decided
    call.results_published_on = timezone.localdate() + datetime.timedelta(days=5)
    call.save()
    assert visitor.get(winner.get_absolute_url()).status_code == 404


def test_draft_call_is_hidden_but_editors_see_it(visitor, member, editor, db):
    call = make_call(slug="hidden")
    Call.objects.filter(pk=call.pk).update(state=CallState.DRAFT)
    assert visitor.get(call.get_absolute_url()).status_code == 404
    assert member.get(call.get_absolute_url()).status_code == 404
    assert editor.get(call.get_absolute_url()).status_code == 200
    assert call.get_absolute_url() not in visitor.get(reverse("awards:calls")).content.decode()


def test_nav_links(visitor, member, evaluator):
    assert reverse("awards:calls") in visitor.get("/en/").content.decode()
    body = member.get("/en/").content.decode()
    assert reverse("awards:my_submissions") in body
    assert reverse("awards:assignments") not in body
    assert reverse("awards:assignments") in evaluator.get("/en/").content.decode()


def test_demo_pages_render(demo_data, visitor, steering):
    for call in Call.objects.all():
        assert visitor.get(call.get_absolute_url()).status_code == 200
        assert steering.get(reverse("awards:consolidation", args=[call.slug])).status_code == 200
    for submission in Submission.objects.public():
        assert visitor.get(submission.get_absolute_url()).status_code == 200


def test_the_year_is_not_said_twice_in_a_calls_title(visitor, call):
    call.title_en = "Innovative Solutions Scheme 2026: digital government"
    call.save()
    body = visitor.get(call.get_absolute_url()).content.decode()
    assert "<h1>Innovative Solutions Scheme 2026: digital government</h1>" in body
    assert "(2026)" not in body
    call.title_en = "Digital government"
    assert call.full_title == "Digital government (2026)"


def _stage_statuses(call, now):
    return [(stage.key, stage.status) for stage in call.stages(now)]


def test_the_stages_of_a_call_and_the_current_one(call):
    day = datetime.timedelta(days=1)
    before = call.opens_at - day
    assert {s for _k, s in _stage_statuses(call, before)} == {"upcoming"}
    assert _stage_statuses(call, call.opens_at) == [
        ("submissions", "current"),
        ("screening", "upcoming"),
        ("scoring", "upcoming"),
        ("decision", "upcoming"),
        ("results", "upcoming"),
    ]
    # the deadline itself belongs to screening: nothing is accepted from that moment on
    assert _stage_statuses(call, call.closes_at)[:2] == [
        ("submissions", "done"),
        ("screening", "current"),
    ]
    assert [s for _k, s in _stage_statuses(call, call.scoring_ends_at + day)] == [
        "done",
        "done",
        "done",
        "current",
        "upcoming",
    ]
    # after the decision the results are awaited, then published
    after = call.decision_at + day
    assert _stage_statuses(call, after)[-1] == ("results", "current")
    call.results_published_on = after.date()
    stages = call.stages(after)
    assert [s.status for s in stages] == ["done"] * 4 + ["current"]
    assert stages[-1].starts == after.date()
    assert sum(stage.is_current for stage in stages) == 1
    # a draft call is not under way, whatever its dates say
    call.state = CallState.DRAFT
    call.results_published_on = None
    assert {s for _k, s in _stage_statuses(call, after)} == {"upcoming"}


def test_the_timeline_is_an_ordered_list_marking_the_current_stage(visitor, call):
    body = visitor.get(call.get_absolute_url()).content.decode()
    timeline = body.split('<ol class="call-timeline">')[1].split("</ol>")[0]
    assert timeline.count("<li ") == 5
    assert timeline.count('aria-current="step"') == 1
    current = timeline.split('aria-current="step"')[1].split("</li>")[0]
    assert "Submissions" in current and "current stage" in current
    assert "(the deadline)" in current
    assert "Date to be announced" in timeline


def test_the_figures_say_which_count_is_the_calls_and_which_the_platforms(visitor, decided):
    call, _winner, _loser, _e = decided
    body = visitor.get(call.get_absolute_url()).content.decode()
    assert "2 submissions were received." in body  # nothing reported: one figure, plainly
    call.applications_reported, call.countries_reported = 46, 17
    call.save()
    body = visitor.get(call.get_absolute_url()).content.decode()
    assert "<dt>Applications the call received in all</dt><dd>46</dd>" in body
    assert "<dt>Countries they came from</dt><dd>17</dd>" in body
    assert "<dt>Submissions made on this platform</dt><dd>2</dd>" in body
    assert "submissions were received" not in body
