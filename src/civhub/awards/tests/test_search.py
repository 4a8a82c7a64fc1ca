"""The scheme in the search index: calls, and winners once their results are out."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from civhub.awards.choices import CallState, SubmissionState
from civhub.awards.models import Call
from civhub.awards.services import decisions
from civhub.awards.tasks import index_results_out_today
from civhub.awards.tests.conftest import make_call, make_submission
from civhub.search.models import Audience, SearchDocument
from civhub.search.services import Params, search
from civhub.testing import make_user

pytestmark = pytest.mark.django_db
S = SubmissionState


def documents(kind):
    return SearchDocument.objects.filter(kind=kind)


@pytest.fixture
def applicant(db):
    return make_user("applicant@test.example", "member")


def decided_winner(call, applicant, steering, **fields):
    submission = make_submission(call, applicant, S.DECISION, language="en", **fields)
    decisions.record_decision(
        steering.user, submission, S.AWARDED, "Unanimous.", prize=call.prizes.first()
    )
    return submission


def test_an_announced_call_is_found_by_anyone_with_its_themes(call):
    call.categories.update(title_ru="Цифровое правительство")
    call.title_ru = "Тестовый конкурс"
    call.save()
    document = documents("call").get(object_id=str(call.pk), language="en")
    assert document.audience == Audience.PUBLIC and document.year == 2026
    assert document.path == f"/awards/{call.slug}/"
    assert "Digital government" in document.body
    russian = documents("call").get(object_id=str(call.pk), language="ru")
    assert "Цифровое правительство" in russian.body
    found = search(Params(q="Test call", kinds=["call"], mode="lexical"), AnonymousUser())
    assert [r.url for r in found.results] == [f"/en/awards/{call.slug}/"]


def test_a_call_in_preparation_is_for_editors_only(db):
    call = make_call(slug="draft-call")
    call.state = CallState.DRAFT
    call.save()
    assert documents("call").get(object_id=str(call.pk), language="en").audience == (
        Audience.EDITORS
    )


def test_renaming_a_theme_reindexes_its_call(call):
    category = call.categories.get()
    category.title_en = "Merit-based promotion"
    category.save()
    body = documents("call").get(object_id=str(call.pk), language="en").body
    assert "Merit-based promotion" in body and "Digital government" not in body


def test_a_winner_is_found_once_results_are_out_and_not_before(call, applicant, editor, steering):
    winner = decided_winner(call, applicant, steering, title="Exam results in one day")
    loser = make_submission(call, applicant, S.NOT_SELECTED, title="Paper forms kept")
    assert not documents("award").exists()
    decisions.publish_results(editor.user, call)
    award = documents("award").get()
    assert award.object_id == str(winner.pk) and award.language == "en"
    assert award.path == f"/awards/{call.slug}/winners/{winner.pk}/"
    assert "First prize" in award.body and "Test call" in award.body
    assert list(award.countries.values_list("code", flat=True)) == ["GE"]
    assert str(loser.pk) not in documents("award").values_list("object_id", flat=True)


def test_results_set_for_a_later_day_enter_the_index_on_that_day(call, applicant, editor, steering):
    decided_winner(call, applicant, steering)
    later = timezone.localdate() + datetime.timedelta(days=3)
    decisions.publish_results(editor.user, call, on=later)
    assert not documents("award").exists()
    assert index_results_out_today.call_local() == 0
    # the day comes (moved here rather than the clock: the task reads today's date)
    Call.objects.filter(pk=call.pk).update(results_published_on=timezone.localdate())
    assert index_results_out_today.call_local() == 1
    assert documents("award").count() == 1


def test_a_winner_published_as_a_practice_is_found_as_that_practice(
    call, applicant, editor, steering
):
    winner = decided_winner(call, applicant, steering)
    decisions.publish_results(editor.user, call)
    assert documents("award").count() == 1
    practice = decisions.publish_as_practice(editor.user, winner)
    assert not documents("award").exists()
    assert documents("practice").filter(object_id=str(practice.pk)).exists()
