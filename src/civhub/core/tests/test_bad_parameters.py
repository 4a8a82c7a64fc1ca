"""Out-of-range numbers in a list's query string get a 4xx or the form's message, never a 500.

Every list of the API is taken from its OpenAPI schema, and every list page from the URL
patterns, so a new list is checked without being added here. (Search is tested by its app.)
"""

import pytest
from django.urls import LocalePrefixPattern, URLResolver, get_resolver
from django.views.generic import ListView

from civhub.accounts.services import create_token
from civhub.api import api
from civhub.core.api import without_live_values
from civhub.testing import make_user

# Past the years a date holds, past a 64-bit integer, not finite, not whole, not a number.
BAD_NUMBERS = ["0", "-1", "10000", "1e5", "9223372036854775808", "1e400", "nan", "2.5", "x"]


def _api_lists():
    with without_live_values():  # collected before any database exists
        schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        operation = operations.get("get")
        if operation is None or "{" in path or path.startswith("/api/v1/search"):
            continue
        numbers = [
            p["name"]
            for p in operation.get("parameters", [])
            if p["in"] == "query"
            and {"integer", "number"}
            & {s.get("type") for s in p["schema"].get("anyOf", [p["schema"]])}
        ]
        if numbers:
            yield path, numbers


API_LISTS = list(_api_lists())


@pytest.fixture
def editor_headers(db):
    # An editor sees every list, including those read with a token only.
    user = make_user("lists-editor@test.example", "editor", "member")
    _token, secret = create_token(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_every_paginated_list_is_checked():
    paths = [path for path, _numbers in API_LISTS]
    assert {"/api/v1/laws", "/api/v1/practices", "/api/v1/countries"} <= set(paths)
    assert all("offset" in numbers for path, numbers in API_LISTS if not path.endswith(".csv"))


@pytest.mark.parametrize(("path", "numbers"), API_LISTS, ids=[p for p, _n in API_LISTS])
def test_api_list_refuses_bad_numbers_with_json(client, editor_headers, path, numbers):
    for name in numbers:
        for value in BAD_NUMBERS:
            response = client.get(path, {name: value}, **editor_headers)
            assert response.status_code in (200, 400, 422), (name, value, response.status_code)
            if response.status_code != 200:
                assert "detail" in response.json(), (name, value)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["10000", "0", "-1", "99999999999999999999"])
def test_law_year_out_of_range_is_400_naming_year(client, value):
    for path in ("/api/v1/laws", "/api/v1/laws.csv"):
        response = client.get(path, {"year": value})
        assert response.status_code == 400, (path, response.content[:200])
        assert list(response.json()["errors"]) == ["year"]


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["2.5", "1e5", "1e400"])
def test_a_year_that_is_no_whole_number_is_422_naming_year(client, value):
    # The schema says `integer`, 1 to 9999: a number that is no integer is of the wrong type.
    for path in ("/api/v1/laws", "/api/v1/laws.csv"):
        response = client.get(path, {"year": value})
        assert response.status_code == 422, (path, response.content[:200])
        assert response.json()["detail"][0]["loc"] == ["query", "year"]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["year_from", "year_to"])
def test_practice_years_out_of_range_are_400(client, name):
    response = client.get("/api/v1/practices", {name: "99999999999999999999"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]


@pytest.mark.django_db
def test_law_year_in_range_still_filters(client):
    assert client.get("/api/v1/laws", {"year": "2015"}).status_code == 200
    assert client.get("/api/v1/laws", {"year": "9999"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("offset", ["9223372036854775808", "1000000001"])
def test_huge_offset_is_422_naming_offset(client, offset):
    response = client.get("/api/v1/countries", {"offset": offset})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "offset"]


@pytest.mark.django_db
def test_largest_offset_gives_an_empty_page(client):
    response = client.get("/api/v1/countries", {"offset": "1000000000"})
    assert response.status_code == 200
    assert response.json()["items"] == []


# --- Pages ----------------------------------------------------------------------------------

# The number filters of each list page (besides `page`).
PAGE_NUMBERS = {
    "countries/": [],
    "organizations/": [],
    "experts/": [],
    "practices/": ["year_from", "year_to"],
    "laws/": ["year"],
    "transfers/": [],
    "events/": [],
}


def _list_pages(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            # The language prefix is added by the test's URL; an app's own prefix is kept.
            own = "" if isinstance(pattern.pattern, LocalePrefixPattern) else str(pattern.pattern)
            yield from _list_pages(pattern.url_patterns, prefix + own)
            continue
        view_class = getattr(pattern.callback, "view_class", None)
        route = str(pattern.pattern)
        if view_class and issubclass(view_class, ListView) and "<" not in route:
            yield prefix + route


def test_every_list_page_is_checked():
    assert set(_list_pages()) <= set(PAGE_NUMBERS)


@pytest.mark.django_db
@pytest.mark.parametrize("route", list(PAGE_NUMBERS))
def test_list_page_answers_bad_numbers_without_500(client, route):
    for name in ["page", *PAGE_NUMBERS[route]]:
        for value in BAD_NUMBERS:
            response = client.get(f"/en/{route}", {name: value})
            assert response.status_code in (200, 404), (name, value, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "10000", "1e5"])
def test_laws_page_names_the_bad_year(client, value):
    response = client.get("/en/laws/", {"year": value})
    assert response.status_code == 200
    error = "less than or equal to 9999" if value != "0" else "greater than or equal to 1"
    assert error in response.content.decode()


@pytest.mark.django_db
def test_laws_page_bad_year_in_russian(client):
    response = client.get("/ru/laws/", {"year": "0"})
    assert response.status_code == 200
    assert "больше либо равно 1" in response.content.decode()
