"""The Good practices page and the API's /practices list the same records to the same person
for the same filters: both start from Practice.objects.visible_to(reader)."""

import pytest
from django.test import Client

from civhub.directory.models import Country
from civhub.knowledge.choices import PracticeState
from civhub.knowledge.models import Practice
from civhub.testing import bearer, make_user

pytestmark = pytest.mark.django_db
ROLES = ["visitor", "member", "focal_point", "evaluator", "editor", "steering"]
FILTERS = [{}, {"country": "KZ"}, {"q": "portal"}, {"sort": "title"}, {"country": "GE"}]


def _practice(slug, state, country, **fields) -> Practice:
    practice = Practice.objects.create(slug=slug, title=f"{slug} portal", state=state, **fields)
    practice.countries.add(Country.objects.get(code=country))
    return practice


@pytest.fixture
def practices(member):
    author = make_user("author@test.example", "member")
    _practice("published-kz", PracticeState.PUBLISHED, "KZ")
    _practice("published-ge", PracticeState.PUBLISHED, "GE")
    _practice("members-draft", PracticeState.DRAFT, "KZ", created_by=member.user)
    _practice("others-draft", PracticeState.DRAFT, "KZ", created_by=author)
    _practice("submitted-kz", PracticeState.SUBMITTED, "KZ", created_by=author)
    _practice("in-review-ge", PracticeState.IN_REVIEW, "GE", created_by=author)
    _practice("archived-kz", PracticeState.ARCHIVED, "KZ", created_by=author)


@pytest.mark.parametrize("persona", ROLES, indirect=True)
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f) or "none")
def test_the_page_and_the_api_list_the_same_practices(persona, practices, filters):
    page = persona.get("/en/practices/", filters)
    assert page.status_code == 200
    shown = sorted(p.slug for p in page.context["object_list"])
    headers = bearer(persona.user) if persona.user else {}
    answer = Client().get("/api/v1/practices", {**filters, "limit": 100}, **headers)
    assert answer.status_code == 200
    assert shown == sorted(item["slug"] for item in answer.json()["items"])
    assert ("published-kz" in shown) == (filters.get("country") != "GE")
    if persona.role == "editor":
        assert "others-draft" in shown or filters.get("country") == "GE"
    elif persona.role != "member":
        assert "members-draft" not in shown and "others-draft" not in shown


def test_a_record_not_yet_published_says_its_state_on_the_list(editor, practices):
    page = editor.get("/en/practices/", {"sort": "title"}).content.decode()
    card = page[page.index("others-draft portal") :].split("</li>")[0]
    assert "State: Draft" in card
    published = page[page.index("published-kz portal") :].split("</li>")[0]
    assert "State:" not in published
