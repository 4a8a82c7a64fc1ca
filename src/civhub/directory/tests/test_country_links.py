"""A country's page links to its profile, practices and laws, with counts that match the
filtered lists the links open."""

import datetime

import pytest

from civhub.knowledge.choices import PracticeState, PublicationState, ReviewStatus
from civhub.knowledge.models import LegalAct, Practice, ProfileAnswer, ProfileQuestion

pytestmark = pytest.mark.django_db


def _practice(country, state, title):
    practice = Practice.objects.create(
        title=title, summary="s", challenge="c", solution="s", state=state
    )
    practice.countries.add(country)
    return practice


@pytest.fixture
def records(kazakhstan, georgia):
    _practice(kazakhstan, PracticeState.PUBLISHED, "Published in Kazakhstan")
    _practice(kazakhstan, PracticeState.SUBMITTED, "Still in review")
    _practice(georgia, PracticeState.PUBLISHED, "Published in Georgia")
    LegalAct.objects.create(country=kazakhstan, kind="law", title="On the Civil Service")
    LegalAct.objects.create(
        country=kazakhstan, kind="law", title="Draft on ethics", state=PublicationState.DRAFT
    )
    question = ProfileQuestion.objects.filter(is_active=True, answer_type="yes_no").first()
    ProfileAnswer.objects.create(
        country=kazakhstan,
        question=question,
        as_of=datetime.date(2024, 1, 1),
        source="Law",
        status=ReviewStatus.APPROVED,
        **{ProfileAnswer.VALUE_FIELD[question.answer_type]: True},
    )


def test_a_visitor_sees_links_with_counts_matching_the_lists(visitor, records):
    page = visitor.get("/en/countries/kz/").content.decode()
    total = ProfileQuestion.objects.filter(is_active=True).count()
    assert 'href="/en/profiles/kz/"' in page and f"1 of {total} questions answered" in page
    assert 'href="/en/practices/?country=KZ">1 good practice<' in page
    assert 'href="/en/laws/?country=KZ">1 law or by-law<' in page
    # The lists behind the links hold exactly what was counted.
    practices = visitor.get("/en/practices/?country=KZ").context["object_list"]
    assert [p.title for p in practices] == ["Published in Kazakhstan"]
    laws = visitor.get("/en/laws/?country=KZ").context["object_list"]
    assert [law.title for law in laws] == ["On the Civil Service"]


def test_an_editor_counts_the_laws_it_may_see(editor, records):
    page = editor.get("/en/countries/kz/").content.decode()
    assert 'href="/en/laws/?country=KZ">2 laws and by-laws<' in page


def test_a_country_with_nothing_says_so(visitor, georgia):
    page = visitor.get("/ru/countries/ge/").content.decode()
    assert 'href="/ru/profiles/ge/"' in page
    assert "ответов пока нет" in page
    assert 'href="/ru/practices/?country=GE"' in page


def test_the_links_cost_the_same_queries_however_many_records(
    visitor, records, kazakhstan, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as first:
        visitor.get("/en/countries/kz/")
    for n in range(5):
        _practice(kazakhstan, PracticeState.PUBLISHED, f"More {n}")
        LegalAct.objects.create(country=kazakhstan, kind="law", title=f"Law {n}")
    with django_assert_num_queries(len(first)):
        visitor.get("/en/countries/kz/")
