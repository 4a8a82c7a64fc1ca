"""The API as a whole: its OpenAPI schema, its reference page under the site's CSP, and what
every operation shares (JSON errors, languages)."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client

from civhub.core.api import LANGUAGE_CODES, Language
from civhub.directory.filters import CountryFilter, ExpertFilter, OrganizationFilter
from civhub.events.filters import EventFilter
from civhub.knowledge.filters.legal import LegalActFilter
from civhub.knowledge.filters.practices import PracticeFilter
from civhub.knowledge.filters.transfers import TransferFilter

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "/api/v1/": {"get"},
    "/api/v1/awards/calls": {"get"},
    "/api/v1/awards/calls/{slug}": {"get"},
    "/api/v1/awards/calls/{slug}/results": {"get"},
    "/api/v1/awards/calls/{slug}/consolidation": {"get"},
    "/api/v1/awards/submissions": {"get"},
    "/api/v1/awards/submissions/{id}": {"get"},
    "/api/v1/awards/submissions/{id}/scores": {"get"},
    "/api/v1/awards/assignments": {"get"},
    "/api/v1/me": {"get"},
    "/api/v1/countries": {"get"},
    "/api/v1/countries.csv": {"get"},
    "/api/v1/countries/{code}": {"get", "patch"},
    "/api/v1/organizations": {"get"},
    "/api/v1/organizations.csv": {"get"},
    "/api/v1/organizations/{slug}": {"get", "patch"},
    "/api/v1/experts": {"get"},
    "/api/v1/experts.csv": {"get"},
    "/api/v1/people/{slug}": {"get", "patch"},
    "/api/v1/topics": {"get"},
    "/api/v1/sdg-targets": {"get"},
    "/api/v1/practices": {"get", "post"},
    "/api/v1/practices.csv": {"get"},
    "/api/v1/practices/{slug}": {"get", "patch"},
    "/api/v1/practices/{slug}/transitions/{name}": {"post"},
    "/api/v1/laws": {"get"},
    "/api/v1/laws.csv": {"get"},
    "/api/v1/laws/{slug}": {"get", "patch"},
    "/api/v1/transfers": {"get"},
    "/api/v1/transfers.csv": {"get"},
    "/api/v1/transfers/{id}": {"get", "patch"},
    "/api/v1/search": {"get"},
    "/api/v1/events": {"get"},
    "/api/v1/events.csv": {"get"},
    "/api/v1/events/{slug}": {"get"},
    "/api/v1/events/{slug}/sessions": {"get"},
}
# Each list and the filter class of its page: the API takes exactly the page's parameters.
LISTS = {
    "/api/v1/countries": CountryFilter,
    "/api/v1/organizations": OrganizationFilter,
    "/api/v1/experts": ExpertFilter,
    "/api/v1/practices": PracticeFilter,
    "/api/v1/laws": LegalActFilter,
    "/api/v1/transfers": TransferFilter,
    "/api/v1/events": EventFilter,
}
WRITES = {
    # not writes, but read by role: they need a token too
    ("/api/v1/awards/submissions", "get"),
    ("/api/v1/awards/submissions/{id}", "get"),
    ("/api/v1/awards/submissions/{id}/scores", "get"),
    ("/api/v1/awards/assignments", "get"),
    ("/api/v1/awards/calls/{slug}/consolidation", "get"),
    ("/api/v1/countries/{code}", "patch"),
    ("/api/v1/organizations/{slug}", "patch"),
    ("/api/v1/people/{slug}", "patch"),
    ("/api/v1/practices", "post"),
    ("/api/v1/practices/{slug}", "patch"),
    ("/api/v1/practices/{slug}/transitions/{name}", "post"),
    ("/api/v1/laws/{slug}", "patch"),
    ("/api/v1/transfers/{id}", "patch"),
    ("/api/v1/me", "get"),
}


@pytest.fixture
def schema():
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_the_schema_is_openapi_3_and_names_the_api(schema):
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "civhub API" and schema["info"]["version"] == "1"
    assert "Bearer" in schema["info"]["description"]


def test_every_endpoint_is_in_the_schema(schema):
    paths = {path: set(ops) for path, ops in schema["paths"].items()}
    assert paths == ENDPOINTS
    operation_ids = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]
    assert len(operation_ids) == len(set(operation_ids))


@pytest.mark.parametrize("path", sorted(LISTS))
def test_lists_take_their_pages_filters_pagination_and_language(schema, path):
    parameters = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
    assert parameters == set(LISTS[path].base_filters) | {"limit", "offset", "lang"}
    export = {p["name"] for p in schema["paths"][f"{path}.csv"]["get"]["parameters"]}
    assert export == set(LISTS[path].base_filters) | {"lang"}
    response = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    ref = response["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][ref]["properties"]) == {"items", "count"}


def test_limit_is_capped_at_100_in_the_schema(schema):
    limit = next(
        p for p in schema["paths"]["/api/v1/practices"]["get"]["parameters"] if p["name"] == "limit"
    )
    assert limit["schema"]["maximum"] == 100 and limit["schema"]["default"] == 20


def test_the_token_is_required_on_writes_and_optional_on_reads(schema):
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"] == {
        "type": "http",
        "scheme": "bearer",
    }
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            if (path, method) in WRITES:
                assert op["security"] == [{"ApiTokenAuth": []}], (path, method)
            else:
                assert {} in op["security"], (path, method)


def test_languages_match_the_settings():
    assert set(LANGUAGE_CODES) == {code for code, _name in settings.LANGUAGES}
    assert set(Language.__args__) == set(LANGUAGE_CODES)


def test_the_index_points_to_the_schema_and_the_reference():
    body = Client().get("/api/v1/").json()
    assert body["openapi"] == "http://testserver/api/v1/openapi.json"
    assert body["docs"] == "http://testserver/api/v1/docs"


class TestReferencePage:
    """Swagger UI from django-ninja's own static files: no CDN and no inline script, so it
    runs under the site's Content-Security-Policy (checked in Chromium when it was built:
    every operation renders and the console reports no CSP violation)."""

    @pytest.fixture
    def page(self):
        response = Client().get("/api/v1/docs")
        assert response.status_code == 200
        return response

    def test_it_is_served_with_the_sites_csp(self, page):
        policy = page["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "style-src 'self'" in policy
        assert "default-src 'self'" in policy

    def test_it_loads_only_local_assets(self, page):
        html = page.content.decode()
        urls = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert urls and all(url.startswith("/static/ninja/") for url in urls)
        assert "cdn." not in html and "https://" not in html

    def test_it_has_no_inline_script_or_style(self, page):
        html = page.content.decode()
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
        for attributes, body in scripts:
            # Either a file, or a JSON data block that the browser does not run.
            assert 'src="' in attributes or 'type="application/json"' in attributes
            if 'type="application/json"' in attributes:
                settings_block = json.loads(body)
                assert settings_block["url"] == "/api/v1/openapi.json"
                assert settings_block["validatorUrl"] is None
            else:
                assert not body.strip()
        assert "<style" not in html and "style=" not in html

    def test_its_static_files_exist(self):
        from django.contrib.staticfiles import finders

        for name in ("swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js"):
            assert finders.find(f"ninja/{name}"), name


class TestErrors:
    def test_an_unknown_path_is_a_json_404(self):
        response = Client().get("/api/v1/nothing/here")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}

    def test_a_write_without_a_token_is_401_json(self):
        response = Client().post("/api/v1/practices", {}, content_type="application/json")
        assert response.status_code == 401
        assert response["Content-Type"].startswith("application/json")
        assert "Authorization: Bearer" in response.json()["detail"]

    def test_a_message_in_the_language_asked(self):
        response = Client().get("/api/v1/nothing", {"lang": "ru"})
        assert response.status_code == 404
        assert response["Content-Language"] == "ru"


def test_every_operation_documents_what_every_operation_can_answer(schema):
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            statuses = set(op["responses"])
            assert {"401", "422", "500", "503"} <= statuses, (path, method)
            if "{" in path:
                assert "404" in statuses, (path, method)
            if method != "get" or {} not in op["security"]:
                assert "403" in statuses, (path, method)
    validation = schema["paths"]["/api/v1/countries"]["get"]["responses"]["422"]
    ref = validation["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert schema["components"]["schemas"][ref]["required"] == ["detail"]


@pytest.mark.parametrize("path", sorted(LISTS))
def test_csv_exports_document_their_content_type(schema, path):
    answer = schema["paths"][f"{path}.csv"]["get"]["responses"]["200"]
    assert list(answer["content"]) == ["text/csv"]


def _parameter(schema, path, name):
    operation = schema["paths"][path]["get"]
    return next(p["schema"] for p in operation["parameters"] if p["name"] == name)


def test_filters_list_their_values_and_ranges(demo_data, schema):
    # A choice: `/laws?status=participating` is refused, and the schema says so.
    assert _parameter(schema, "/api/v1/laws", "status")["enum"] == [
        "",
        "in_force",
        "amended",
        "repealed",
    ]
    # Codes and slugs of records: those the database holds when the schema is asked for.
    topics = _parameter(schema, "/api/v1/practices", "topic")["enum"]
    assert "" in topics and "legal-framework" in topics and "astrology" not in topics
    assert "KZ" in _parameter(schema, "/api/v1/laws", "country")["enum"]
    year = _parameter(schema, "/api/v1/laws", "year")
    assert (year["minimum"], year["maximum"]) == (1, 9999)
    assert {"type": "integer"} in year["anyOf"]
    search_topics = _parameter(schema, "/api/v1/search", "topic")["items"]["enum"]
    assert "legal-framework" in search_topics
