"""The demonstration data shows every stage and keeps the scheme's own rules."""

from io import StringIO

import pytest
from django.core.management import call_command

from civhub.awards.choices import ACTIVE_ASSIGNMENT, SubmissionState
from civhub.awards.models import Assignment, Call, Submission
from civhub.awards.services.scoring import consolidate

pytestmark = pytest.mark.django_db


def test_demo_shows_every_stage_and_loads_twice(demo_data):
    states = set(Submission.objects.values_list("state", flat=True))
    assert states >= set(SubmissionState.values) - {
        SubmissionState.WITHDRAWN,
        SubmissionState.AWARDED,
        SubmissionState.HONOURABLE_MENTION,
    }
    count = Submission.objects.count()
    assert count <= 40 and not Submission.objects.filter(is_demo=False).exists()
    call_command("demo", stdout=StringIO())
    assert Submission.objects.count() == count
    c2015, c2018 = Call.objects.get(slug="2015"), Call.objects.get(slug="2018")
    assert (c2015.applications_reported, c2015.countries_reported) == (21, 9)
    assert (c2018.applications_reported, c2018.countries_reported) == (46, 17)
    assert not c2015.is_demo and c2015.categories.count() == 2


def test_demo_assignments_keep_the_conflict_rules(demo_data):
    for a in Assignment.objects.filter(status__in=ACTIVE_ASSIGNMENT).select_related(
        "submission", "evaluator__person"
    ):
        person = getattr(a.evaluator, "person", None)
        if person is not None:
            assert person.country_id != a.submission.country_id
    for s in Submission.objects.exclude(
        state__in=[SubmissionState.DRAFT, SubmissionState.SUBMITTED]
    ):
        if s.assignments.exists():
            assert s.assignments.filter(status__in=ACTIVE_ASSIGNMENT).count() == 3


def test_demo_calls_consolidate(demo_data):
    result = consolidate(Call.objects.get(slug="2018"))
    assert len(result.results) == 5  # the scored ones; the ineligible one was never scored
    assert result.kendall_w is None or 0 <= result.kendall_w <= 1
    assert Submission.objects.public().count() == 5


def test_demo_calls_give_each_prize_no_more_often_than_it_is_offered(demo_data, visitor):
    from civhub.awards.models import Prize

    for prize in Prize.objects.all():
        assert prize.decisions.count() <= prize.count, prize
    # the 2015 call offers one winner and two honourable mentions, and its page shows that
    body = visitor.get("/en/awards/2015/").content.decode()
    winners = body.split("<h3>Winners</h3>")[1].split("</ul>")[0]
    mentions = body.split("<h3>Honourable mentions</h3>")[1].split("</ul>")[0]
    assert winners.count("<li>") == 1 and "Open admissions portal" in winners
    assert mentions.count("<li>") == 2
    assert "Promotion boards with external members" in mentions


def test_loading_again_mends_a_prize_the_old_demo_gave_twice(demo_data):
    from civhub.awards.models import Decision

    blind = Decision.objects.get(submission__title__startswith="Анонимное тестирование")
    assert blind.outcome == SubmissionState.HONOURABLE_MENTION
    winner = Decision.objects.get(submission__title="Open admissions portal for public schools")
    Decision.objects.filter(pk=blind.pk).update(outcome="awarded", prize=winner.prize)
    call_command("demo", stdout=StringIO())
    blind.refresh_from_db()
    assert blind.outcome == SubmissionState.HONOURABLE_MENTION
    assert blind.prize.kind == "honourable_mention"
