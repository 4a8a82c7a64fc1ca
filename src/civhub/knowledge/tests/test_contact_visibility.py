"""Contacts are as visible in every export, feed and API answer as on the page, for every role.

Each channel is read as the persona would read it (the page and exports with the persona's
session, the API with its token) and compared with the page field by field."""

import csv
import io
import json

import pytest
from django.test import Client

from civhub.accounts.services import create_token
from civhub.directory.models import Country, Person
from civhub.knowledge.choices import PracticeState
from civhub.knowledge.models import Practice, PracticeContact

pytestmark = pytest.mark.django_db
ALL = ["visitor", "member", "focal_point", "evaluator", "editor", "steering", "admin"]
EMAIL = "aida.contact@example.org"
EXPERT_EMAIL = "expert.contact@example.org"


@pytest.fixture
def practice(db):
    practice = Practice.objects.create(
        language="en",
        title_en="Open competitions",
        summary_en="Merit-based recruitment.",
        challenge_en="Patronage.",
        solution_en="Open competitions.",
        state=PracticeState.PUBLISHED,
    )
    practice.countries.add(Country.objects.get(code="KZ"))
    PracticeContact.objects.create(practice=practice, name="Aida", position="Director", email=EMAIL)
    return practice


@pytest.fixture
def expert(db):
    return Person.objects.create(
        slug="an-expert",
        name="An Expert",
        on_roster=True,
        email=EXPERT_EMAIL,
        contact_consent=True,
    )


def api(persona) -> Client:
    """A client for the API with the persona's token (none for a visitor)."""
    client = Client()
    if persona.user is not None:
        _token, secret = create_token(persona.user, "tests")
        client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


# The channels that carry a practice's contacts; the others must never show them.
CARRY_CONTACTS = {"page", "export.json", "export.csv", "export.txt", "api detail"}


def practice_channels(persona, practice) -> dict[str, bytes]:
    """Every place a practice's contacts can be read, as `persona` reads it."""
    token_client = api(persona)
    return {
        "page": persona.get(f"/en/practices/{practice.slug}/").content,
        "export.json": persona.get("/en/practices/export.json").content,
        "export.csv": persona.get("/en/practices/export.csv").content,
        "export.txt": persona.get("/en/practices/export.txt").content,
        "feed": persona.get("/en/practices/feed/").content,
        "api detail": token_client.get(f"/api/v1/practices/{practice.slug}").content,
        "api list": token_client.get("/api/v1/practices").content,
        "api csv": token_client.get("/api/v1/practices.csv").content,
    }


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_every_channel_shows_a_practices_contacts_as_the_page_does(persona, practice):
    channels = practice_channels(persona, practice)
    on_page = EMAIL.encode() in channels["page"]
    assert on_page == practice.contacts_visible_to(persona.user or _anonymous())
    for name, content in channels.items():
        if name in CARRY_CONTACTS:
            assert (EMAIL.encode() in content) == on_page, f"{name} differs from the page"
        else:  # lists and the feed carry no contacts at all
            assert EMAIL.encode() not in content, f"{name} shows what the page does not"


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_the_exports_give_each_contact_field_as_the_page_does(persona, practice):
    expected = practice.contacts_for(persona.user or _anonymous())
    (record,) = json.loads(persona.get("/en/practices/export.json").content)
    assert [
        {key: value or "" for key, value in contact.items()} for contact in record["contacts"]
    ] == expected
    detail = api(persona).get(f"/api/v1/practices/{practice.slug}").json()
    assert [
        {key: value or "" for key, value in contact.items()} for contact in detail["contacts"]
    ] == expected
    # The names stay public: only the e-mail address is withheld.
    assert expected[0]["name"] == "Aida" and expected[0]["position"] == "Director"


def test_the_command_line_export_keeps_the_whole_record(practice):
    from civhub.knowledge.services.imports import export_records

    (record,) = export_records(Practice.objects.filter(pk=practice.pk))
    assert record["contacts"] == [{"name": "Aida", "position": "Director", "email": EMAIL}]


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_every_channel_shows_an_experts_contact_as_the_page_does(persona, expert):
    token_client = api(persona)
    channels = {
        "page": persona.get(f"/en/people/{expert.slug}/").content,
        "experts page": persona.get("/en/experts/").content,
        "api list": token_client.get("/api/v1/experts").content,
        "api csv": token_client.get("/api/v1/experts.csv").content,
    }
    on_page = EXPERT_EMAIL.encode() in channels["page"]
    assert on_page == expert.contact_visible_to(persona.user or _anonymous())
    for name, content in channels.items():
        if name == "experts page" and not on_page:
            assert EXPERT_EMAIL.encode() not in content
            continue
        if name == "experts page":
            continue  # the roster page lists names; contacts are on each person's page
        assert (EXPERT_EMAIL.encode() in content) == on_page, f"{name} differs from the page"
    rows = list(csv.DictReader(io.StringIO(channels["api csv"].decode("utf-8-sig"))))
    assert rows and all((row.get("email") or "") in ("", EXPERT_EMAIL) for row in rows)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()
