"""One language version of a directory record, as a whole, chosen by one rule for its page,
its API answer (`?lang=`) and its search entry (core's VersionedTextMixin): the reader's
language when the record is written in it, else English, else the first language it is
written in; the page names the version when it is not the reader's language."""

import re

import pytest
from django.test import Client

from civhub.directory.choices import BodyKind, OrganizationKind
from civhub.directory.models import Country, GoverningBody, Organization, Person
from civhub.directory.search import expert_entry, organization_entry

pytestmark = pytest.mark.django_db

RU_NAME = "Агентство по делам государственной службы"
KK_NAME = "Мемлекеттік қызмет істері агенттігі"
KK_TEXT = "Агенттік мемлекеттік қызметшілерді іріктеуді басқарады."
RU_BIO = "Эксперт по оценке деятельности государственных служащих."
KK_POSITION = "Бөлім басшысы"


def h1(page: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)).strip()  # type: ignore[union-attr]  # every page has an h1


def notice(page: str):
    return re.search(r'<p class="lang-note" lang="(\w+)">(.*?)</p>', page, re.S)


@pytest.fixture
def agency(kazakhstan):
    """A Russian name over a Kazakh description: no language has both but Kazakh."""
    return Organization.objects.create(
        slug="agency",
        name_en="Civil Service Agency",
        name_ru=RU_NAME,
        name_kk=KK_NAME,
        description_kk=KK_TEXT,
        kind=OrganizationKind.CIVIL_SERVICE_AGENCY,
        country=kazakhstan,
    )


@pytest.fixture
def expert(kazakhstan):
    """A Russian biography and a Kazakh position: two half versions."""
    return Person.objects.create(
        slug="expert",
        name="Aigul Nurlanova",
        position_kk=KK_POSITION,
        bio_ru=RU_BIO,
        country=kazakhstan,
        on_roster=True,
    )


def test_the_rule_reads_one_version_as_a_whole(agency, expert):
    for language in ("en", "ru", "kk"):
        assert agency.reading_language(language) == "kk"
        assert agency.shown_text("name", language) == KK_NAME
        assert agency.shown_text("description", language) == KK_TEXT
    assert agency.available_languages == ["kk"]
    # The person's name is one in every language; a version is position or biography.
    assert expert.available_languages == ["ru", "kk"]
    assert expert.reading_language("en") == "ru"
    assert expert.shown_text("position", "en") == ""  # never the Kazakh position with it
    assert expert.shown_text("bio", "kk") == "" and expert.shown_text("position", "kk")


@pytest.mark.parametrize("language", ["en", "ru"])
def test_an_organization_page_shows_one_version_and_names_it(client, agency, language):
    page = client.get(f"/{language}/organizations/agency/").content.decode()
    assert h1(page) == KK_NAME
    assert RU_NAME not in page and "Civil Service Agency" not in page
    assert KK_TEXT in page and '<article lang="kk">' in page
    found = notice(page)
    assert found is not None and found.group(1) == language
    assert {"en": "Kazakh", "ru": "Казахский"}[language] in found.group(2)


def test_a_full_version_in_the_readers_language_has_no_notice(client, agency):
    agency.description_ru = "Агентство управляет отбором государственных служащих."
    agency.save()
    page = client.get("/ru/organizations/agency/").content.decode()
    assert h1(page) == RU_NAME and KK_TEXT not in page and notice(page) is None
    page = client.get("/kk/organizations/agency/").content.decode()
    assert h1(page) == KK_NAME and notice(page) is None


def test_a_person_page_never_mixes_position_and_biography(client, expert):
    page = client.get("/en/people/expert/").content.decode()
    assert RU_BIO in page and KK_POSITION not in page
    assert notice(page).group(1) == "en" and "Russian" in notice(page).group(2)
    page = client.get("/kk/people/expert/").content.decode()
    assert KK_POSITION in page and RU_BIO not in page and notice(page) is None


def test_a_country_summary_is_read_in_one_language_under_the_readers_name(client, kazakhstan):
    kazakhstan.summary_kk = KK_TEXT
    kazakhstan.save()
    page = client.get("/en/countries/kz/").content.decode()
    assert "Kazakhstan" in h1(page)  # the country's name in the reader's language
    assert KK_TEXT in page and "Kazakh" in notice(page).group(2)
    body = Client().get("/api/v1/countries/KZ", {"lang": "en"}).json()
    assert body["summary"] == KK_TEXT and body["reading_language"] == "kk"
    assert body["name"] == "Kazakhstan" and body["translations"] == ["kk"]


def test_governance_bodies_are_read_in_one_version(client):
    """A Russian name without a Russian description is no Russian version."""
    GoverningBody.objects.create(
        slug="board",
        name_en="Advisory Board",
        name_ru="Консультативный совет",
        description_en="Advises the Steering Committee.",
        kind=BodyKind.ADVISORY_BOARD,
    )
    page = client.get("/ru/governance/").content.decode()
    assert '<h2 id="body-board" lang="en">Advisory Board</h2>' in page
    assert "Консультативный совет" not in page and "Advises the Steering Committee." in page
    assert "Английский" in notice(page).group(2)


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_api_and_the_search_entry_choose_the_version_the_page_shows(
    client, agency, expert, language
):
    page = client.get(f"/{language}/organizations/agency/").content.decode()
    body = Client().get("/api/v1/organizations/agency", {"lang": language}).json()
    assert body["name"] == h1(page)
    assert body["description"] == KK_TEXT
    assert body["reading_language"] == "kk" and body["translations"] == ["kk"]
    listed = Client().get("/api/v1/organizations", {"lang": language, "q": "agency"}).json()
    assert [o["name"] for o in listed["items"] if o["slug"] == "agency"] == [h1(page)]
    versions = organization_entry(agency).versions
    assert [(v.language, v.title, v.body) for v in versions] == [("kk", KK_NAME, KK_TEXT)]

    page = client.get(f"/{language}/people/expert/").content.decode()
    person = Client().get("/api/v1/people/expert", {"lang": language}).json()
    reading = expert.reading_language(language)
    assert person["reading_language"] == reading
    assert (person["position"] or None) == (expert.shown_text("position", language) or None)
    assert person["bio"] == expert.shown_text("bio", language)
    assert (person["bio"] in page) and (KK_POSITION in page) == (reading == "kk")
    entry = {v.language: v for v in expert_entry(expert).versions}
    assert set(entry) == {"ru", "kk"}
    assert RU_BIO in entry["ru"].body and KK_POSITION not in entry["ru"].body
    assert KK_POSITION in entry["kk"].body and RU_BIO not in entry["kk"].body


def test_a_name_without_any_text_in_its_language_is_still_found_as_the_page_shows_it(
    kazakhstan,
):
    """English name, Russian name, Kazakh description: no language has a version, so the
    page reads English (the directory's first language) and the index holds just that."""
    academy = Organization.objects.create(
        slug="academy",
        name_en="Academy",
        name_ru="Академия",
        description_kk=KK_TEXT,
        kind=OrganizationKind.ACADEMY,
    )
    assert academy.available_languages == [] and academy.reading_language("ru") == "en"
    assert [(v.language, v.title, v.body) for v in organization_entry(academy).versions] == [
        ("en", "Academy", "")
    ]
    assert str(Country.objects.get(code="KZ")) == "Kazakhstan"


def test_the_expert_list_and_the_country_page_show_the_persons_version(client, expert):
    for path in ("/en/experts/", "/en/countries/kz/"):
        page = client.get(path).content.decode()
        assert KK_POSITION not in page, path  # the Russian version has no position
    page = client.get("/kk/experts/").content.decode()
    assert KK_POSITION in page


def test_a_person_with_no_text_is_indexed_once(kazakhstan):
    person = Person.objects.create(slug="plain", name="Plain Person", on_roster=True)
    assert person.available_languages == ["en", "ru", "kk"]
    assert [(v.language, v.title) for v in expert_entry(person).versions] == [
        ("en", "Plain Person")
    ]
