"""The directory in the API: the same records and filters as the pages, pagination, languages,
bad input, the contact-details rule, CSV export and query counts."""

import csv
import io

import pytest
from django.test import Client

from civhub.accounts.services import create_token
from civhub.directory.models import Country, Organization, Person

pytestmark = pytest.mark.django_db
API = "/api/v1"


def bearer(user) -> dict:
    _token, secret = create_token(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def get(path: str, user=None, **params):
    headers = bearer(user) if user is not None else {}
    return Client().get(f"{API}{path}", params, **headers)


# --- The same filters as the pages ----------------------------------------------------------


def page_and_api(page_path: str, api_path: str, query: str, key):
    """The ids on the page's first page and the API's answer for the same query string."""
    page = Client().get(f"/en/{page_path}/?{query}")
    assert page.status_code == 200
    on_page = [key(obj) for obj in page.context["object_list"]]
    answer = Client().get(f"{API}/{api_path}?limit=100&{query}")
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["count"] == page.context["paginator"].count
    return on_page, body["items"][: len(on_page)]


@pytest.mark.parametrize(
    "query",
    [
        "",
        "q=kaz",
        "q=KZ",
        "region=central-asia",
        "region=south-caucasus&status=participating",
        "status=former",
        "q=%D0%9A%D0%B0%D0%B7",
    ],
)
def test_countries_filter_like_the_page(demo_data, query):
    on_page, items = page_and_api("countries", "countries", query, lambda c: c.code)
    assert on_page == [c["code"] for c in items]


@pytest.mark.parametrize(
    "query",
    ["", "q=academy", "kind=agency", "country=KZ", "is_partner=true", "country=KZ&kind=academy"],
)
def test_organizations_filter_like_the_page(demo_data, query):
    on_page, items = page_and_api("organizations", "organizations", query, lambda o: o.slug)
    assert on_page == [o["slug"] for o in items]


@pytest.mark.parametrize("query", ["", "q=demo", "country=KZ", "topic=recruitment-selection"])
def test_experts_filter_like_the_page(demo_data, query):
    on_page, items = page_and_api("experts", "experts", query, lambda p: p.slug)
    assert on_page == [p["slug"] for p in items]


def test_a_boolean_filter_takes_the_usual_spellings(demo_data):
    partners = {o.slug for o in Organization.objects.partners()}
    for value in ("true", "1", "yes", "on"):
        items = get("/organizations", is_partner=value, limit=100).json()["items"]
        assert {o["slug"] for o in items} == partners
    assert get("/organizations", is_partner="false").json()["count"] == Organization.objects.count()


# --- Records --------------------------------------------------------------------------------


def test_a_country_with_its_membership_history(demo_data):
    response = get("/countries/kz")
    assert response.status_code == 200
    body = response.json()
    kz = Country.objects.get(code="KZ")
    assert body["code"] == "KZ" and body["alpha3"] == "KAZ" and body["name"] == "Kazakhstan"
    assert body["region"]["slug"] == "central-asia"
    assert body["status"] == kz.status_on()
    history = list(kz.memberships.order_by("joined_on"))
    assert [m["joined_on"] for m in body["memberships"]] == [
        m.joined_on.isoformat() for m in history
    ]
    assert body["html_url"] == "http://testserver/en/countries/kz/"


def test_an_organization(demo_data):
    body = get("/organizations/kz-civil-service-agency").json()
    assert body["country"] == "KZ" and body["kind"] == "agency"
    assert "description" in body


@pytest.mark.parametrize("path", ["/countries/zz", "/organizations/nowhere", "/no-such-list"])
def test_unknown_records_are_a_json_404(demo_data, path):
    response = get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_topics_and_sdg_targets(demo_data):
    topics = get("/topics", limit=100).json()
    assert topics["count"] > 0 and {"slug", "name", "description"} <= set(topics["items"][0])
    targets = get("/sdg-targets", limit=100).json()
    assert targets["count"] == 169
    first = targets["items"][0]
    assert first["code"] == "1.1" and first["goal"] == 1 and first["goal_name"]


# --- Languages ------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "name"), [("en", "Kazakhstan"), ("ru", "Казахстан")])
def test_translated_fields_come_in_the_language_asked(demo_data, lang, name):
    response = get("/countries/kz", lang=lang)
    assert response.json()["name"] == name
    assert response["Content-Language"] == lang
    assert response.json()["html_url"].endswith(f"/{lang}/countries/kz/")
    # Readable UTF-8, not \u escapes.
    assert name.encode() in response.content


def test_english_is_the_default_whatever_the_browser_says(demo_data):
    response = Client().get(f"{API}/countries/kz", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.json()["name"] == "Kazakhstan"


def test_an_unknown_language_is_422(demo_data):
    response = get("/countries/kz", lang="fr")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "lang"]


def test_error_messages_speak_the_language_asked(demo_data):
    response = get("/countries", status="bogus", lang="ru")
    assert response.status_code == 400
    assert "status" in response.json()["errors"]
    assert "Выберите" in response.json()["errors"]["status"][0]


# --- Pagination -----------------------------------------------------------------------------


def test_limit_offset_and_count(demo_data):
    everything = get("/countries", limit=100).json()
    assert everything["count"] == Country.objects.in_hub().count() == len(everything["items"])
    default = get("/countries").json()
    assert len(default["items"]) == 20
    page = get("/countries", limit=5, offset=5).json()
    assert page["count"] == everything["count"]
    assert page["items"] == everything["items"][5:10]
    assert get("/countries", offset=1000).json() == {"items": [], "count": everything["count"]}


@pytest.mark.parametrize(("limit", "offset"), [(101, 0), (0, 0), (10, -1), ("ten", 0)])
def test_a_limit_over_100_or_a_bad_number_is_refused(demo_data, limit, offset):
    response = get("/countries", limit=limit, offset=offset)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "query"


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/countries", {"status": "bogus"}, "status"),
        ("/countries", {"region": "atlantis"}, "region"),
        ("/organizations", {"country": "XX"}, "country"),
        ("/organizations", {"kind": "guild"}, "kind"),
        ("/experts", {"topic": "alchemy"}, "topic"),
    ],
)
def test_an_unknown_filter_value_is_400_naming_the_parameter(demo_data, path, params, field):
    response = get(path, **params)
    assert response.status_code == 400
    body = response.json()
    assert list(body["errors"]) == [field]
    assert field in body["detail"]


def test_a_wrong_type_is_422_naming_the_parameter(demo_data):
    response = get("/organizations", is_partner="maybe")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", "is_partner"]


# --- Contact details ------------------------------------------------------------------------


@pytest.fixture
def experts(demo_data, kazakhstan):
    consenting = Person.objects.create(
        name="Zarina Consenting",
        on_roster=True,
        country=kazakhstan,
        email="zarina@example.org",
        phone="+7 700 000 00 00",
        contact_consent=True,
    )
    private = Person.objects.create(
        name="Zhan Private",
        on_roster=True,
        country=kazakhstan,
        email="zhan@example.org",
        phone="+7 700 000 00 01",
        contact_consent=False,
    )
    return consenting, private


def _contacts(response) -> dict:
    return {p["slug"]: (p["email"], p["phone"]) for p in response.json()["items"]}


def test_contacts_need_consent_and_a_token(experts, member):
    consenting, private = experts
    anonymous = _contacts(get("/experts", q="Zha", limit=100))
    anonymous.update(_contacts(get("/experts", q="Zari", limit=100)))
    assert anonymous[consenting.slug] == (None, None)
    assert anonymous[private.slug] == (None, None)

    headers = bearer(member.user)
    with_token = {}
    for q in ("Zha", "Zari"):
        response = Client().get(f"{API}/experts", {"q": q}, **headers)
        with_token.update(_contacts(response))
    assert with_token[consenting.slug] == ("zarina@example.org", "+7 700 000 00 00")
    assert with_token[private.slug] == (None, None)

    # The same rule as the page, which asks the model.
    assert consenting.contact_visible_to(member.user)
    assert not private.contact_visible_to(member.user)


def test_the_export_follows_the_contact_rule_too(experts):
    rows = list(csv.DictReader(io.StringIO(get("/experts.csv").content.decode("utf-8-sig"))))
    assert rows and all(row["email"] == "" and row["phone"] == "" for row in rows)


# --- CSV export -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "model_count"),
    [
        ("/countries.csv?region=central-asia", None),
        ("/organizations.csv?country=KZ", None),
        ("/experts.csv", None),
    ],
)
def test_csv_exports_every_filtered_row(demo_data, path, model_count):
    response = Client().get(f"{API}{path}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    json_path, _sep, query = path.partition("?")
    listed = Client().get(f"{API}{json_path.removesuffix('.csv')}?limit=100&{query}").json()
    assert len(rows) - 1 == listed["count"]


def test_csv_columns_flatten_nested_fields_and_lists(demo_data):
    rows = list(
        csv.DictReader(io.StringIO(get("/countries.csv", lang="ru").content.decode("utf-8-sig")))
    )
    kz = next(row for row in rows if row["code"] == "KZ")
    assert kz["name"] == "Казахстан" and kz["region.slug"] == "central-asia"
    experts = list(csv.DictReader(io.StringIO(get("/experts.csv").content.decode("utf-8-sig"))))
    assert any("; " in row["languages"] for row in experts)


def test_csv_cells_that_look_like_formulas_are_quoted(demo_data):
    Organization.objects.create(name="=HYPERLINK(1)", kind="other", slug="formula")
    rows = list(csv.DictReader(io.StringIO(get("/organizations.csv").content.decode("utf-8-sig"))))
    assert next(r for r in rows if r["slug"] == "formula")["name"] == "'=HYPERLINK(1)"


def test_an_export_with_a_bad_filter_is_400(demo_data):
    response = get("/countries.csv", status="bogus")
    assert response.status_code == 400 and "status" in response.json()["errors"]


# --- Query counts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "most"),
    [
        ("/countries", 4),
        ("/organizations", 4),
        ("/experts", 5),
        ("/topics", 4),
        ("/sdg-targets", 4),
        ("/countries.csv", 4),
        ("/experts.csv", 4),
    ],
)
def test_lists_take_a_fixed_number_of_queries(demo_data, django_assert_max_num_queries, path, most):
    client = Client()
    for limit in (5, 100):
        with django_assert_max_num_queries(most):
            assert client.get(f"{API}{path}", {"limit": limit}).status_code == 200


def test_a_token_adds_at_most_two_queries(demo_data, member, django_assert_max_num_queries):
    headers = bearer(member.user)
    client = Client()
    client.get(f"{API}/experts", **headers)  # marks the token used
    with django_assert_max_num_queries(5 + 2):
        assert client.get(f"{API}/experts", {"limit": 100}, **headers).status_code == 200
