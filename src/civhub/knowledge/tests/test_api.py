"""The knowledge base in the API: who reads what, who writes what, the workflow, the same
filters as the pages, bad input, languages, exports and query counts."""

import csv
import datetime
import io

import pytest
from django.test import Client

from civhub.accounts.services import create_token
from civhub.core.models import AuditEntry
from civhub.directory.models import Country, SdgTarget, Topic
from civhub.knowledge import demo_legal
from civhub.knowledge.choices import PracticeState, PublicationState, TransferKind
from civhub.knowledge.models import KnowledgeTransfer, LegalAct, Practice, PracticeContact

pytestmark = pytest.mark.django_db
API = "/api/v1"
ALL = ["visitor", "member", "focal_point", "evaluator", "editor", "steering", "admin"]


def headers(user) -> dict:
    if user is None:
        return {}
    _token, secret = create_token(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


class Caller:
    """A client that calls the API with a persona's token (none for the visitor)."""

    def __init__(self, persona):
        self.user = persona.user
        self.headers = headers(persona.user)
        self.client = Client()

    def get(self, path, params=None):
        return self.client.get(f"{API}{path}", params or {}, **self.headers)

    def post(self, path, data=None):
        return self.client.post(
            f"{API}{path}", data or {}, content_type="application/json", **self.headers
        )

    def patch(self, path, data):
        return self.client.patch(
            f"{API}{path}", data, content_type="application/json", **self.headers
        )


@pytest.fixture
def call(request):
    """call(persona) -> Caller"""
    return Caller


def topic(slug):
    return Topic.objects.get(slug=slug)


def country(code):
    return Country.objects.get(code=code)


@pytest.fixture
def practices(db, member, focal_point):
    """Three published practices, a draft and a submitted practice of the member's."""
    author = member.user
    open_competitions = Practice.objects.create(
        language="en",
        title_en="Open competitions",
        title_ru="Открытые конкурсы",
        summary_en="Merit-based recruitment through open competitions.",
        challenge_en="Patronage.",
        state=PracticeState.PUBLISHED,
        project_status="completed",
        period_start=2012,
        period_end=2016,
        publication_date=datetime.date(2020, 3, 1),
        created_by=author,
    )
    open_competitions.countries.add(country("KZ"))
    open_competitions.topics.add(topic("recruitment-selection"))
    open_competitions.sdg_targets.add(SdgTarget.objects.get(code="16.6"))
    PracticeContact.objects.create(
        practice=open_competitions, name="Aida", position="Director", email="aida@example.org"
    )

    portal = Practice.objects.create(
        language="ru",
        title_ru="Электронный портал вакансий",
        summary_ru="Все вакансии в одном месте.",
        state=PracticeState.PUBLISHED,
        project_status="ongoing",
        period_start=2018,
        publication_date=datetime.date(2022, 5, 1),
    )
    portal.countries.add(country("KZ"), country("GE"))
    portal.topics.add(topic("e-government"))

    ethics = Practice.objects.create(
        language="en",
        title_en="Ethics commissioners",
        summary_en="An ethics commissioner in every agency.",
        state=PracticeState.PUBLISHED,
        project_status="completed",
        period_start=2005,
        period_end=2010,
        publication_date=datetime.date(2015, 1, 1),
    )
    ethics.countries.add(country("GE"))
    ethics.topics.add(topic("ethics-anti-corruption"))

    draft = Practice.objects.create(
        language="en", title_en="My draft", created_by=author, state=PracticeState.DRAFT
    )
    draft.countries.add(country("KZ"))
    submitted = Practice.objects.create(
        language="en",
        title_en="Awaiting review",
        summary_en="s",
        challenge_en="c",
        solution_en="s",
        created_by=author,
        state=PracticeState.SUBMITTED,
    )
    submitted.countries.add(country("KZ"))
    submitted.topics.add(topic("innovation"))
    return {
        "open": open_competitions,
        "portal": portal,
        "ethics": ethics,
        "draft": draft,
        "submitted": submitted,
    }


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {p["slug"] for p in response.json()["items"]}


# --- Reading: who sees what -----------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_who_sees_a_draft_and_a_submitted_practice(persona, practices, call):
    caller = call(persona)
    listed = slugs(caller.get("/practices", {"limit": 100}))
    published = {practices[k].slug for k in ("open", "portal", "ethics")}
    assert published <= listed
    role = persona.role
    # The draft: its author (the member) and editors; nobody else, not even as a 404 probe.
    sees_draft = role in {"member", "editor", "admin"}
    # Submitted: its author, editors, and the focal point of a country involved (Kazakhstan).
    sees_submitted = role in {"member", "focal_point", "editor", "admin"}
    for key, sees in (("draft", sees_draft), ("submitted", sees_submitted)):
        slug = practices[key].slug
        assert (slug in listed) is sees
        assert caller.get(f"/practices/{slug}").status_code == (200 if sees else 404)


def test_another_member_does_not_see_the_draft(practices):
    from civhub.testing import make_user

    other = make_user("other@test.example", "member")
    caller = Caller(type("P", (), {"user": other})())
    assert practices["draft"].slug not in slugs(caller.get("/practices"))
    assert caller.get(f"/practices/{practices['draft'].slug}").status_code == 404


def test_a_practice_in_full(practices, visitor, member, call):
    slug = practices["open"].slug
    body = call(visitor).get(f"/practices/{slug}").json()
    assert body["title"] == "Open competitions" and body["state"] == "published"
    assert body["countries"] == ["KZ"] and body["topics"] == ["recruitment-selection"]
    assert body["sdg_targets"] == ["16.6"]
    assert body["period_start"] == 2012 and body["period_end"] == 2016
    assert body["html_url"] == f"http://testserver/en/practices/{slug}/"
    # Names for everyone, e-mail addresses only with a token, as on the page.
    assert body["contacts"] == [{"name": "Aida", "position": "Director", "email": None}]
    assert body["can_edit"] is False and body["transitions"] == []
    with_token = call(member).get(f"/practices/{slug}").json()
    assert with_token["contacts"] == [
        {"name": "Aida", "position": "Director", "email": "aida@example.org"}
    ]


def test_translated_fields_original_language_and_translations(practices, visitor, call):
    caller = call(visitor)
    open_slug, portal_slug = practices["open"].slug, practices["portal"].slug
    ru = caller.get(f"/practices/{open_slug}", {"lang": "ru"}).json()
    # A Russian title over no Russian body is no Russian version: the record comes whole in
    # its original language, title included, as on its page.
    assert ru["title"] == "Open competitions"
    assert ru["language"] == "en" and ru["reading_language"] == "en"
    assert ru["translations"] == ["en"]
    assert ru["summary"].startswith("Merit-based")
    # A Russian original asked for in English comes in Russian, and says so.
    en = caller.get(f"/practices/{portal_slug}").json()
    assert en["title"] == "Электронный портал вакансий"
    assert en["language"] == "ru" and en["reading_language"] == "ru"
    assert en["translations"] == ["ru"]


# --- The same filters as the page -----------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "country=KZ",
        "country=GE&topic=ethics-anti-corruption",
        "region=central-asia",
        "topic=e-government",
        "sdg=16.6",
        "status=ongoing",
        "language=ru",
        "year_from=2011",
        "year_to=2011",
        "year_from=2013&year_to=2019",
        "q=competitions",
        "q=%D0%B2%D0%B0%D0%BA%D0%B0%D0%BD%D1%81%D0%B8%D0%B9",
        "sort=title",
        "sort=oldest",
        "sort=period",
    ],
)
def test_practices_filter_like_the_page(practices, query):
    page = Client().get(f"/en/practices/?{query}")
    assert page.status_code == 200
    on_page = [p.slug for p in page.context["object_list"]]
    response = Client().get(f"{API}/practices?limit=100&{query}")
    assert response.status_code == 200
    assert [p["slug"] for p in response.json()["items"]] == on_page
    assert response.json()["count"] == page.context["paginator"].count


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"country": "XX"}, "country"),
        ({"topic": "astrology"}, "topic"),
        ({"sdg": "99.9"}, "sdg"),
        ({"status": "abandoned"}, "status"),
        ({"language": "fr"}, "language"),
        ({"sort": "random"}, "sort"),
        ({"region": "atlantis"}, "region"),
    ],
)
def test_an_unknown_filter_value_is_400_naming_it(practices, params, field):
    response = Client().get(f"{API}/practices", params)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize("params", [{"year_from": "abc"}, {"year_to": "soon"}, {"limit": "x"}])
def test_a_wrong_type_is_422(practices, params):
    response = Client().get(f"{API}/practices", params)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["query", next(iter(params))]


def test_pagination(practices):
    everything = Client().get(f"{API}/practices?limit=100").json()
    assert everything["count"] == 3
    second = Client().get(f"{API}/practices?limit=1&offset=1").json()
    assert second == {"items": everything["items"][1:2], "count": 3}
    assert Client().get(f"{API}/practices?limit=101").status_code == 422


def test_practices_export_as_csv(practices, editor, call):
    response = call(editor).get("/practices.csv", {"country": "KZ"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    # Editors see every state; the export follows visible_to like the list.
    assert {r["slug"] for r in rows} == {
        practices[k].slug for k in ("open", "portal", "draft", "submitted")
    }
    portal = next(r for r in rows if r["slug"] == practices["portal"].slug)
    assert portal["countries"] == "KZ; GE" or portal["countries"] == "GE; KZ"
    assert portal["reading_language"] == "ru" and portal["translations"] == "ru"


@pytest.mark.parametrize("persona", ["visitor", "member", "editor"], indirect=True)
def test_the_list_takes_a_fixed_number_of_queries(
    practices, persona, call, django_assert_max_num_queries
):
    for i in range(10):
        extra = Practice.objects.create(title_en=f"Extra {i}", state=PracticeState.PUBLISHED)
        extra.countries.add(country("KZ"))
        extra.topics.add(topic("innovation"))
    caller = call(persona)
    caller.get("/practices")  # a token is marked as used once
    # count, page, three prefetches; a token adds its lookup and the caller's roles, and a
    # staff role's token its owner's second factor.
    most = 5 if persona.role == "visitor" else 7
    if persona.user is not None and persona.user.needs_two_factor:
        most += 1
    for limit in (2, 100):
        with django_assert_max_num_queries(most):
            assert caller.get("/practices", {"limit": limit}).status_code == 200


# --- Writing --------------------------------------------------------------------------------


NEW = {
    "title": "Competency framework",
    "summary": "One framework for all agencies.",
    "challenge": "Every agency used its own.",
    "solution": "A national framework.",
    "countries": ["kz", "GE"],
    "topics": ["career-development"],
    "sdg_targets": ["16.6"],
    "supported_by": ["undp"],
    "countries_text": ["Kazakhstan and Georgia"],
    "project_status": "ongoing",
    "period_start": 2019,
    "translations": {"ru": {"title": "Рамка компетенций", "summary": "Одна рамка для всех."}},
}


def test_a_visitor_cannot_write(practices, visitor, call):
    caller = call(visitor)
    assert caller.post("/practices", NEW).status_code == 401
    assert caller.patch(f"/practices/{practices['open'].slug}", {"title": "x"}).status_code == 401
    assert caller.post(f"/practices/{practices['open'].slug}/transitions/archive").status_code == (
        401
    )
    assert Practice.objects.count() == 5


def test_a_member_submits_a_draft(demo_data, member, visitor, call):
    response = call(member).post("/practices", NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    practice = Practice.objects.get(slug=body["slug"])
    assert practice.state == PracticeState.DRAFT and practice.created_by == member.user
    assert practice.title_en == "Competency framework" and practice.title_ru == "Рамка компетенций"
    assert set(practice.countries.values_list("code", flat=True)) == {"KZ", "GE"}
    assert list(practice.supported_by.values_list("slug", flat=True)) == ["undp"]
    assert practice.countries_text == ["Kazakhstan and Georgia"]
    assert body["state"] == "draft" and body["can_edit"] is True
    assert body["transitions"] == ["submit"]
    assert body["translations"] == ["en", "ru"]
    assert AuditEntry.objects.filter(action="practice.created", actor=member.user).exists()
    # It is the member's draft: nobody else sees it yet.
    assert call(visitor).get(f"/practices/{practice.slug}").status_code == 404


def test_the_original_language_is_where_the_texts_go(demo_data, member, call):
    response = call(member).post(
        "/practices", {"language": "kk", "title": "Құзыреттер", "summary": "Қысқаша"}
    )
    assert response.status_code == 201
    practice = Practice.objects.get(created_by=member.user)
    assert practice.language == "kk" and practice.title_kk == "Құзыреттер"
    assert practice.summary_kk == "Қысқаша" and not practice.title_en


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**NEW, "countries": ["KZ", "XX", "YY"]}, "countries"),
        ({**NEW, "topics": ["astrology"]}, "topics"),
        ({**NEW, "supported_by": ["nobody"]}, "supported_by"),
        ({**NEW, "period_start": 2020, "period_end": 2010}, "period_end"),
        ({**NEW, "period_start": 1200}, "period_start"),
        ({**NEW, "url": "not a url"}, "url"),
        ({**NEW, "title": ""}, "title"),
        ({**NEW, "translations": {"ru": {"title": "x" * 400}}}, "translations.ru.title"),
    ],
)
def test_bad_input_is_400_naming_the_field_and_saves_nothing(
    demo_data, member, call, payload, field
):
    response = call(member).post("/practices", payload)
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Practice.objects.filter(
        created_by__isnull=False
    ).exists()  # the demo's practices have no author
    assert not AuditEntry.objects.filter(action="practice.created").exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"summary": "no title"},
        {**NEW, "period_start": "soon"},
        {**NEW, "language": "fr"},
        {**NEW, "project_status": "abandoned"},
        {**NEW, "countries": "KZ"},
    ],
)
def test_a_wrong_shape_is_422(demo_data, member, call, payload):
    response = call(member).post("/practices", payload)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "body"
    assert not Practice.objects.filter(
        created_by__isnull=False
    ).exists()  # the demo's practices have no author


def test_the_author_edits_the_draft(practices, member, call):
    draft = practices["draft"]
    response = call(member).patch(
        f"/practices/{draft.slug}",
        {"summary": "Now with a summary.", "topics": ["innovation"], "translations": {"kk": {}}},
    )
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.summary_en == "Now with a summary." and draft.title_en == "My draft"
    assert list(draft.topics.values_list("slug", flat=True)) == ["innovation"]
    # Fields not sent are kept, relations included.
    assert list(draft.countries.values_list("code", flat=True)) == ["KZ"]
    assert AuditEntry.objects.filter(action="practice.updated", actor=member.user).exists()


def test_changing_the_original_language_needs_its_title(practices, member, call):
    draft = practices["draft"]
    response = call(member).patch(f"/practices/{draft.slug}", {"language": "ru"})
    assert response.status_code == 400
    assert "title" in response.json()["errors"]
    draft.refresh_from_db()
    assert draft.language == "en"


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_who_may_edit_a_published_practice(practices, persona, call):
    slug = practices["open"].slug
    response = call(persona).patch(f"/practices/{slug}", {"summary": "Changed."})
    if persona.role == "visitor":
        assert response.status_code == 401
    elif persona.role in {"editor", "admin"}:
        assert response.status_code == 200
    else:
        # Even its author (the member): once published, only editors change it.
        assert response.status_code == 403
        assert response.json()["detail"]
    practices["open"].refresh_from_db()
    changed = practices["open"].summary_en == "Changed."
    assert changed is (persona.role in {"editor", "admin"})


def test_a_draft_of_someone_else_is_a_404_not_a_403(practices, focal_point, evaluator, call):
    for persona in (focal_point, evaluator):
        response = call(persona).patch(f"/practices/{practices['draft'].slug}", {"title": "x"})
        assert response.status_code == 404


# --- The workflow ---------------------------------------------------------------------------


def test_the_whole_workflow_through_the_api(demo_data, member, editor, visitor, call):
    author, secretariat = call(member), call(editor)
    slug = author.post("/practices", NEW).json()["slug"]
    response = author.post(f"/practices/{slug}/transitions/submit")
    assert response.status_code == 200 and response.json()["state"] == "submitted"
    assert author.post(f"/practices/{slug}/transitions/publish").status_code == 403
    response = secretariat.post(f"/practices/{slug}/transitions/start_review")
    assert response.json()["state"] == "in_review"
    response = secretariat.post(f"/practices/{slug}/transitions/publish")
    assert response.status_code == 200 and response.json()["state"] == "published"
    assert call(visitor).get(f"/practices/{slug}").status_code == 200
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"practice.submit", "practice.start_review", "practice.publish"} <= actions


def test_submitting_an_incomplete_draft_is_409_and_changes_nothing(practices, member, call):
    draft = practices["draft"]
    response = call(member).post(f"/practices/{draft.slug}/transitions/submit")
    assert response.status_code == 409
    assert "Fill in before submitting" in response.json()["detail"]
    draft.refresh_from_db()
    assert draft.state == PracticeState.DRAFT and draft.submitted_at is None


def test_a_move_the_state_refuses_is_409_with_the_reason_and_changes_nothing(
    practices, editor, call
):
    published = practices["open"]
    caller = call(editor)
    before = AuditEntry.objects.count()
    response = caller.post(f"/practices/{published.slug}/transitions/publish")
    assert response.status_code == 409
    assert "Published" in response.json()["detail"]
    published.refresh_from_db()
    assert published.state == PracticeState.PUBLISHED
    assert AuditEntry.objects.count() == before


def test_asking_for_changes_needs_a_message(practices, editor, member, call):
    submitted = practices["submitted"]
    response = call(editor).post(f"/practices/{submitted.slug}/transitions/request_changes")
    assert response.status_code == 400 and "message" in response.json()["errors"]
    submitted.refresh_from_db()
    assert submitted.state == PracticeState.SUBMITTED
    response = call(editor).post(
        f"/practices/{submitted.slug}/transitions/request_changes",
        {"message": "Add the results, please."},
    )
    assert response.status_code == 200 and response.json()["state"] == "draft"
    author_view = call(member).get(f"/practices/{submitted.slug}").json()
    assert author_view["changes_requested"] == "Add the results, please."


@pytest.mark.parametrize(
    "persona", ["member", "focal_point", "evaluator", "steering"], indirect=True
)
def test_only_editors_publish(practices, persona, call):
    response = call(persona).post(f"/practices/{practices['submitted'].slug}/transitions/publish")
    assert response.status_code == (403 if persona.role in {"member", "focal_point"} else 404)
    practices["submitted"].refresh_from_db()
    assert practices["submitted"].state == PracticeState.SUBMITTED


def test_an_unknown_step_is_422(practices, editor, call):
    response = call(editor).post(f"/practices/{practices['open'].slug}/transitions/fly")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "name"]


# --- Laws and by-laws -----------------------------------------------------------------------


@pytest.fixture
def laws(demo_data):
    demo_legal.load(log=lambda *args: None)
    draft = LegalAct.objects.create(
        country=country("KZ"),
        kind="law",
        title_en="Draft law on the civil service",
        state=PublicationState.DRAFT,
    )
    return draft


@pytest.mark.parametrize(
    "query", ["", "country=KZ", "kind=law", "status=in_force", "q=civil", "year=2015"]
)
def test_laws_filter_like_the_page(laws, query):
    page = Client().get(f"/en/laws/?{query}")
    assert page.status_code == 200
    on_page = [a.slug for a in page.context["object_list"]]
    response = Client().get(f"{API}/laws?limit=100&{query}")
    assert response.status_code == 200
    assert [a["slug"] for a in response.json()["items"]][: len(on_page)] == on_page
    assert response.json()["count"] == page.context["paginator"].count


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_a_draft_law_is_seen_by_its_countrys_focal_point_and_editors(laws, persona, call):
    caller = call(persona)
    sees = persona.role in {"focal_point", "editor", "admin"}
    assert (laws.slug in slugs(caller.get("/laws", {"limit": 100}))) is sees
    assert caller.get(f"/laws/{laws.slug}").status_code == (200 if sees else 404)


def test_a_law_with_its_links(laws):
    linked = (
        LegalAct.objects.filter(amends__isnull=False).first()
        or LegalAct.objects.filter(drew_on__isnull=False).first()
    )
    assert linked is not None, "the demonstration data links acts"
    body = Client().get(f"{API}/laws/{linked.slug}").json()
    assert body["country"] == linked.country.code
    assert set(body["relations"]) == {
        "amends",
        "amended_by",
        "repeals",
        "repealed_by",
        "drew_on",
        "inspired",
    }
    assert any(body["relations"].values())
    assert body["html_url"].endswith(f"/en/laws/{linked.slug}/")


def test_an_unknown_law_filter_is_400(laws):
    response = Client().get(f"{API}/laws", {"kind": "edict"})
    assert response.status_code == 400 and list(response.json()["errors"]) == ["kind"]


# --- Knowledge transfers --------------------------------------------------------------------


@pytest.fixture
def transfers(demo_data):
    demo_legal.load(log=lambda *args: None)
    return KnowledgeTransfer.objects.create(
        source_country=country("GE"),
        target_country=country("KG"),
        subject_kind="other",
        subject_en="A draft transfer",
        kind=TransferKind.STUDY,
        state=PublicationState.DRAFT,
    )


@pytest.mark.parametrize("query", ["", "country=KZ", "kind=study", "stage=implemented"])
def test_transfers_filter_like_the_page(transfers, query):
    page = Client().get(f"/en/transfers/?{query}")
    assert page.status_code == 200
    on_page = [t.pk for t in page.context["network"].transfers]
    response = Client().get(f"{API}/transfers?limit=100&{query}")
    assert response.status_code == 200
    assert [t["id"] for t in response.json()["items"]] == on_page


@pytest.mark.parametrize("persona", ["visitor", "member", "focal_point", "editor"], indirect=True)
def test_a_draft_transfer_is_hidden_from_those_it_does_not_concern(transfers, persona, call):
    listed = {t["id"] for t in call(persona).get("/transfers", {"limit": 100}).json()["items"]}
    # Georgia to Kyrgyzstan: only editors (Kazakhstan's focal point is not involved).
    assert (transfers.pk in listed) is (persona.role == "editor")


def test_a_transfer_names_what_it_links(transfers):
    items = Client().get(f"{API}/transfers", {"limit": 100}).json()["items"]
    assert items and all(item["target_country"] for item in items)
    assert all(item["html_url"].startswith("http://testserver/en/transfers/") for item in items)
    assert Client().get(f"{API}/transfers", {"stage": "finished"}).status_code == 400


def test_laws_and_transfers_lists_take_a_fixed_number_of_queries(
    transfers, django_assert_max_num_queries
):
    client = Client()
    for path, most in (("/laws", 3), ("/transfers", 2)):
        for limit in (2, 100):
            with django_assert_max_num_queries(most + 2):
                assert client.get(f"{API}{path}", {"limit": limit}).status_code == 200
