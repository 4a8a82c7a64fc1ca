""" "Related" on the pages of practices, laws and country profiles: the records nearest in
meaning that the reader may see."""

import datetime
import re

import pytest

from civhub.directory.models import Country
from civhub.knowledge.choices import LegalActKind
from civhub.knowledge.models import LegalAct, ProfileAnswer, ProfileQuestion
from civhub.search import indexing
from civhub.search.tests.factories import practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    records = {
        "appraisal": practice(
            "Performance appraisal of civil servants",
            "Every civil servant is appraised once a year against agreed goals.",
        ),
        "interviews": practice(
            "Annual appraisal interviews in ministries",
            "Managers assess the performance of each official in a yearly review.",
            countries=("GE",),
        ),
        "irrigation": practice(
            "Irrigation water councils",
            "Farmers share river water through basin councils.",
            countries=("AZ",),
        ),
        "draft": practice(
            "Appraisal of civil servants by their peers",
            "Colleagues rate each other's performance every year.",
            state="draft",
        ),
    }
    indexing.embed_documents()
    return records


def related_titles(response) -> list[str]:
    html = response.content.decode()
    section = re.search(r'<section class="related-records".*?</section>', html, re.S)
    if section is None:
        return []
    return re.findall(r'<a href="[^"]+" lang="\w+">([^<]+)</a>', section.group(0))


@pytest.mark.parametrize("persona", ["visitor", "member"], indirect=True)
def test_a_practice_page_lists_similar_records_and_never_a_draft(persona, corpus):
    response = persona.get(corpus["appraisal"].get_absolute_url())
    related = related_titles(response)
    assert related[0] == "Annual appraisal interviews in ministries"
    assert "Appraisal of civil servants by their peers" not in related
    assert "Performance appraisal of civil servants" not in related  # not itself
    html = response.content.decode()
    assert '<h2 id="related-heading">Related</h2>' in html
    assert '<span class="result-type">Good practice:</span>' in html


def test_an_editor_is_shown_drafts_too(editor, corpus):
    related = related_titles(editor.get(corpus["appraisal"].get_absolute_url()))
    assert set(related[:2]) == {
        "Annual appraisal interviews in ministries",
        "Appraisal of civil servants by their peers",
    }


def test_a_record_in_another_language_says_so(visitor, corpus):
    practice(
        "Аттестация государственных служащих",
        "Государственные служащие ежегодно проходят оценку эффективности.",
        language="ru",
    )
    indexing.embed_documents()
    html = visitor.get(corpus["appraisal"].get_absolute_url()).content.decode()
    assert re.search(
        r'<a href="/en/practices/[^"]+" lang="ru">Аттестация государственных служащих</a>\s*'
        r'<span class="lang-note">\(in Russian\)</span>',
        html,
    )


def test_nothing_is_rendered_when_nothing_is_related(visitor):
    lonely = practice("Performance appraisal of civil servants", "No vector is made.")
    html = visitor.get(lonely.get_absolute_url()).content.decode()
    assert "related-records" not in html
    assert '<h2 id="related-heading">' not in html


def test_a_law_page_lists_related_records(visitor, corpus):
    act = LegalAct.objects.create(
        country=Country.objects.get(code="KZ"),
        kind=LegalActKind.LAW,
        language="en",
        title_en="Rules for the appraisal of civil servants",
        summary_en="How and when the performance of civil servants is appraised.",
    )
    indexing.embed_documents()
    related = related_titles(visitor.get(act.get_absolute_url()))
    assert related[0] in {
        "Performance appraisal of civil servants",
        "Annual appraisal interviews in ministries",
    }
    assert "Appraisal of civil servants by their peers" not in related


def test_a_country_profile_page_lists_related_records(visitor, corpus):
    kazakhstan = Country.objects.get(code="KZ")
    question = ProfileQuestion.objects.get(slug="size-civil-servants")
    answer = ProfileAnswer(
        country=kazakhstan,
        question=question,
        as_of=datetime.date(2024, 1, 1),
        source="Statistics office",
        status="approved",
    )
    setattr(answer, ProfileAnswer.VALUE_FIELD[question.answer_type], 91500)
    answer.save()
    indexing.embed_documents()
    response = visitor.get("/en/profiles/kz/")
    assert response.status_code == 200
    related = related_titles(response)
    assert related and "Appraisal of civil servants by their peers" not in related
