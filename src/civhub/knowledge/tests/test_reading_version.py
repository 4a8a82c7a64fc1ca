"""One language version of a record, as a whole, chosen by one rule for the page, the list
and the API: the reader's language when the record has a title and body in it, else the
original language; and the page names the version when it is not the reader's language."""

import re

import pytest
from django.test import Client

from civhub.knowledge.choices import LegalActKind
from civhub.knowledge.models import LegalAct, Practice

pytestmark = pytest.mark.django_db

KK_TITLE = "Мемлекеттік қызметшілерді нәтижеге бағдарлап бағалау"
RU_TITLE = "Оценка деятельности государственных служащих"
KK_BODY = "Қызметшілердің жұмысы нақты көрсеткіштер бойынша бағаланады."


@pytest.fixture
def appraisal(kazakhstan):
    """Like the demo record: a Kazakh original whose Russian translation has only a title."""
    practice = Practice.objects.create(
        slug="appraisal",
        language="kk",
        title_kk=KK_TITLE,
        title_ru=RU_TITLE,
        summary_kk=KK_BODY,
        challenge_kk="Бұрынғы аттестация ресми сипатта болды.",
        state="published",
    )
    practice.countries.add(kazakhstan)
    return practice


@pytest.fixture
def translated(kazakhstan):
    """An English original translated into Russian in full (title and body)."""
    practice = Practice.objects.create(
        slug="open-competitions",
        language="en",
        title_en="Open competitions",
        title_ru="Открытые конкурсы",
        summary_en="Merit-based recruitment.",
        summary_ru="Набор по заслугам.",
        challenge_en="Patronage.",
        state="published",
    )
    practice.countries.add(kazakhstan)
    return practice


def h1(page: str) -> str:
    return re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1).strip()  # type: ignore[union-attr]  # every page has an h1


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_rule_gives_the_original_when_a_translation_has_no_body(appraisal, language):
    assert appraisal.reading_language(language) == "kk"
    assert appraisal.shown_text("title", language) == KK_TITLE
    assert appraisal.shown_text("summary", language) == KK_BODY
    assert appraisal.available_languages == ["kk"]


def test_a_translation_with_title_and_body_is_read_as_a_whole(translated):
    assert translated.reading_language("ru") == "ru"
    assert translated.shown_text("summary", "ru") == "Набор по заслугам."
    # The Russian version has no challenge: it does not borrow the English one.
    assert translated.shown_text("challenge", "ru") == ""
    assert translated.reading_language("kk") == "en"
    assert translated.available_languages == ["en", "ru"]


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_page_shows_one_version_and_names_it(client, appraisal, language):
    page = client.get(f"/{language}/practices/appraisal/").content.decode()
    assert h1(page) == KK_TITLE
    assert RU_TITLE not in page
    assert KK_BODY in page
    assert '<article lang="kk">' in page
    assert f"<title>{KK_TITLE}" in page
    notice = re.search(r'<p class="lang-note" lang="(\w+)">(.*?)</p>', page, re.S)
    assert notice is not None and notice.group(1) == language
    kazakh = {"en": "Kazakh", "ru": "Казахский"}[language]
    assert kazakh in notice.group(2)


def test_the_page_in_the_original_language_has_no_notice(client, appraisal):
    page = client.get("/kk/practices/appraisal/").content.decode()
    assert h1(page) == KK_TITLE and 'class="lang-note"' not in page


def test_a_full_translation_is_shown_without_notice(client, translated):
    page = client.get("/ru/practices/open-competitions/").content.decode()
    assert h1(page) == "Открытые конкурсы" and '<article lang="ru">' in page
    assert "Набор по заслугам." in page
    assert "Patronage." not in page and "Merit-based" not in page
    assert 'class="lang-note"' not in page


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_api_chooses_the_version_the_page_shows(client, appraisal, translated, language):
    for practice in (appraisal, translated):
        page = client.get(f"/{language}/practices/{practice.slug}/").content.decode()
        body = Client().get(f"/api/v1/practices/{practice.slug}", {"lang": language}).json()
        assert body["title"] == h1(page)
        assert body["reading_language"] == re.search(r'<article lang="(\w+)"', page).group(1)
        assert body["summary"] == practice.shown_text("summary", language)
        assert body["challenge"] == practice.shown_text("challenge", language)
        assert body["translations"] == practice.available_languages


@pytest.mark.parametrize("language", ["en", "ru", "kk"])
def test_the_list_and_the_home_page_show_the_same_title(client, appraisal, language):
    for path in ("practices/", ""):
        page = client.get(f"/{language}/{path}").content.decode()
        assert KK_TITLE in page and RU_TITLE not in page, path


@pytest.fixture
def act(kazakhstan):
    """A Kazakh law whose Russian translation has only a title."""
    return LegalAct.objects.create(
        slug="law-on-service",
        country=kazakhstan,
        kind=LegalActKind.LAW,
        language="kk",
        title_kk="Мемлекеттік қызмет туралы заң",
        title_ru="Закон о государственной службе",
        summary_kk="Заң қызметшілердің мәртебесін белгілейді.",
        state="published",
    )


@pytest.mark.parametrize("language", ["en", "ru"])
def test_a_law_page_and_the_api_show_one_version(client, act, language):
    page = client.get(f"/{language}/laws/law-on-service/").content.decode()
    assert h1(page) == "Мемлекеттік қызмет туралы заң"
    assert "Закон о государственной службе" not in page
    assert "Заң қызметшілердің мәртебесін белгілейді." in page
    body = Client().get("/api/v1/laws/law-on-service", {"lang": language}).json()
    assert body["title"] == h1(page) and body["reading_language"] == "kk"
    assert body["translations"] == ["kk"]
    listing = client.get(f"/{language}/laws/").content.decode()
    assert "Мемлекеттік қызмет туралы заң" in listing


def test_a_transfer_is_read_in_one_language(client, kazakhstan, georgia):
    from civhub.knowledge.models import KnowledgeTransfer

    transfer = KnowledgeTransfer.objects.create(
        source_country=georgia,
        target_country=kazakhstan,
        subject_en="One-stop public service halls",
        subject_ru="Дома юстиции",
        outcome_en="Halls opened in three regions.",
        state="published",
    )
    page = client.get(f"/ru/transfers/{transfer.pk}/").content.decode()
    # The Russian subject has no Russian outcome: the English version is read as a whole.
    assert h1(page) == "One-stop public service halls" and "Дома юстиции" not in page
    assert '<h1 class="knowledge-title" lang="en">' in page
    listed = Client().get("/api/v1/transfers", {"lang": "ru"}).json()["items"]
    body = next(item for item in listed if item["id"] == transfer.pk)
    assert body["subject"] == h1(page) and body["outcome"] == "Halls opened in three regions."
