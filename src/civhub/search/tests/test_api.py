"""`GET /api/v1/search`: the page's parameters and results as JSON, as the caller may see them.

As in test_views.py, most tests search by words alone (mode=lexical), so counts are exact.
"""

import pytest
from django.test import Client

from civhub.accounts.services import create_token
from civhub.search.models import LoggedQuery
from civhub.search.tests.factories import practice
from civhub.search.tests.samples import NASTY_QUERIES, appraisal_records

pytestmark = pytest.mark.django_db
URL = "/api/v1/search"


@pytest.fixture
def records():
    return appraisal_records()


def call(params=None, user=None, **headers):
    if user is not None:
        _token, secret = create_token(user, "tests")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return Client().get(URL, {"mode": "lexical", **(params or {})}, **headers)


def titles(response) -> list[str]:
    return [r["title"] for r in response.json()["results"]]


def test_the_answer_has_the_documented_shape(records):
    response = call({"q": "indicators"})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    body = response.json()
    assert {"total", "results", "facets"} <= set(body)
    assert body["total"] == 1
    [result] = body["results"]
    slug = records["kz_ratings"].slug
    assert {key: result[key] for key in ("type", "id", "title", "url", "snippet", "language")} == {
        "type": "practice",
        "id": str(records["kz_ratings"].pk),
        "title": "Performance appraisal of civil servants",
        "url": f"/en/practices/{slug}/",
        "snippet": "Annual appraisal against key <mark>indicators</mark>, linked to pay",
        "language": "en",
    }
    assert isinstance(result["score"], float) and result["score"] > 0
    assert body["facets"]["country"] == [{"value": "KZ", "label": "Kazakhstan", "count": 1}]
    assert set(body["facets"]) == {"type", "country", "region", "topic", "year", "language"}


def test_facets_count_and_filters_narrow_as_on_the_page(records):
    body = call({"q": "appraisal"}).json()
    assert body["total"] == 3
    assert {v["value"]: v["count"] for v in body["facets"]["country"]} == {"KZ": 2, "GE": 1}
    assert titles(call({"q": "appraisal", "country": "GE"})) == ["Appraisal appeals commission"]
    both = call({"q": "appraisal", "country": ["GE", "KZ"]}).json()
    assert both["total"] == 3
    assert call({"q": "appraisal", "year_from": 2020}).json()["total"] == 1
    assert call({"q": "appraisal", "type": "law"}).json()["total"] == 0


def test_limit_and_offset_page_through_the_results(records):
    first = call({"q": "appraisal", "limit": 2})
    rest = call({"q": "appraisal", "limit": 2, "offset": 2})
    assert (first.json()["total"], len(titles(first)), len(titles(rest))) == (3, 2, 1)
    assert set(titles(first)).isdisjoint(titles(rest))


@pytest.mark.parametrize("limit", [0, 101, 500])
def test_a_limit_out_of_range_is_refused(records, limit):
    response = call({"q": "appraisal", "limit": limit})
    assert response.status_code == 400
    assert response.json() == {"detail": "limit: from 1 to 100 results."}


def test_lang_filters_the_content_and_sets_the_answer_language(records):
    practice(
        "Аттестация государственных служащих",
        "Аттестация проводится раз в три года.",
        language="ru",
        countries=("KZ",),
    )
    body = call({"q": "аттестация", "lang": "ru"}).json()
    assert [r["language"] for r in body["results"]] == ["ru"]
    assert body["results"][0]["url"].startswith("/ru/practices/")
    assert body["facets"]["country"][0]["label"] == "Казахстан"
    assert call({"q": "аттестация", "lang": "en"}).json()["total"] == 0
    # Without lang: every language, answered in English.
    assert call({"q": "аттестация"}).json()["results"][0]["url"].startswith("/en/practices/")


# -- who finds what ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["visitor", "member", "focal_point"], indirect=True)
def test_a_draft_is_never_found_by_those_who_may_not_review_it(persona, records):
    response = call({"q": "appraisal"}, user=persona.user)
    assert response.status_code == 200
    assert "Appraisal by algorithm" not in titles(response)


def test_an_editors_token_finds_drafts(editor, records):
    assert "Appraisal by algorithm" in titles(call({"q": "appraisal"}, user=editor.user))


def test_the_browser_session_is_not_the_callers_identity(editor, records):
    response = editor.get(URL, {"q": "appraisal", "mode": "lexical"})
    assert "Appraisal by algorithm" not in titles(response)


def test_a_bad_token_is_refused_not_taken_for_a_visitor(records):
    response = call({"q": "appraisal"}, HTTP_AUTHORIZATION="Bearer nope")
    assert response.status_code == 401


# -- bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["hybrid", "lexical"])
@pytest.mark.parametrize("q", NASTY_QUERIES.values(), ids=NASTY_QUERIES.keys())
def test_no_query_breaks_the_api(records, q, mode):
    response = call({"q": q, "mode": mode})
    assert response.status_code == 200
    body = response.json()
    assert isinstance(body["results"], list)
    assert body["error"] is None or body["results"] == []


def test_a_query_that_cannot_be_searched_says_why(records):
    assert call({"q": "x" * 10_000}).json()["error"] == (
        "The query is too long: at most 500 characters."
    )
    assert call({"q": "?!"}).json()["error"] == "Type at least one word to search for."


@pytest.mark.parametrize(
    "params, detail",
    [
        ({"country": "XX"}, "Unknown country: XX."),
        ({"type": "poem"}, "Unknown type: poem."),
        ({"topic": "astrology"}, "Unknown topic: astrology."),
        ({"sdg": "99.9"}, "Unknown SDG target: 99.9."),
        ({"lang": "fr"}, "Unknown language: fr."),
        ({"mode": "magic"}, "Unknown mode: magic."),
        # past the database's integers: was a 500
        ({"year_from": "99999999999999999999"}, "year_from: a year from 1 to 9999."),
        ({"year_to": "-99999999999999999999"}, "year_to: a year from 1 to 9999."),
        ({"year_to": "0"}, "year_to: a year from 1 to 9999."),
    ],
)
def test_a_filter_naming_nothing_is_a_400_naming_it(records, params, detail):
    response = call({"q": "appraisal", **params})
    assert response.status_code == 400
    assert response.json() == {"detail": detail}


def test_a_year_that_is_no_number_is_a_422_like_everywhere_in_the_api(records):
    assert call({"q": "appraisal", "year_from": "soon"}).status_code == 422


def test_api_searches_are_not_logged(records):
    call({"q": "appraisal"})
    assert not LoggedQuery.objects.exists()


def test_the_schema_documents_the_endpoint():
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/search"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert names == {
        "q",
        "type",
        "country",
        "region",
        "topic",
        "sdg",
        "lang",
        "year_from",
        "year_to",
        "mode",
        "limit",
        "offset",
    }
    # 401, 422, 500 and 503: what every operation may answer (core.api.document_answers)
    assert set(operation["responses"]) == {"200", "400", "401", "422", "500", "503"}
