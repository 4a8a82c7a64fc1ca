"""The practice submission form's page: sections, folded translations, countries of the hub
first, SDG targets under their goals, errors beside the field and summed up at the top."""

import datetime
import re

import pytest

from civhub.directory.models import Country, Membership, SdgTarget, Topic
from civhub.knowledge.choices import PracticeState
from civhub.knowledge.models import Practice

pytestmark = pytest.mark.django_db

SUBMIT = "/en/practices/submit/"


def form_data(kazakhstan, **extra):
    data = {
        "language": "en",
        "title_en": "One-stop civil-service portal",
        "summary_en": "All vacancies in one place.",
        "countries": [kazakhstan.pk],
        "topics": [Topic.objects.get(slug="e-government").pk],
        "project_status": "ongoing",
    }
    data.update(extra)
    return data


def details(page: str, summary: str) -> str:
    """The opening tag of the <details> whose summary starts with `summary`."""
    match = re.search(r"(<details[^>]*>)\s*<summary>" + re.escape(summary), page)
    assert match, f"no <details> with the summary {summary!r}"
    return match.group(1)


def test_sections_original_language_first_translations_folded(member):
    response = member.get(SUBMIT)
    page = response.content.decode()
    legends = re.findall(r'<fieldset class="form-section">\s*<legend>([^<]+)</legend>', page)
    assert legends == [
        "Text in the original language",
        "Translations (optional)",
        "Countries and organizations",
        "Topics and SDG targets",
        "Status, period and source",
    ]
    # The interface language is the original one to start with; its title comes first, marked.
    assert page.index('name="title_en"') < page.index('name="title_ru"')
    assert re.search(
        r'<label for="id_title_en">Title \(in English\) <span aria-hidden="true">\*', page
    )
    assert " open" not in details(page, "Translation into Russian")
    assert " open" not in details(page, "Translation into Kazakh")
    assert " open" not in details(page, "Names not in these lists")
    # Every field of the form is on the page, once.
    for name in response.context["form"].fields:
        assert len(re.findall(rf'name="{name}"', page)) >= 1, name


def test_an_error_keeps_what_was_typed_and_is_shown_beside_the_field_and_on_top(member, kazakhstan):
    data = form_data(kazakhstan, title_en="", summary_ru="Все вакансии в одном месте.")
    response = member.post(SUBMIT, data)
    assert response.status_code == 200
    assert not Practice.objects.exists()
    page = response.content.decode()
    summary = page.index('class="error-summary"')
    assert summary < page.index('<form method="post" class="practice-form"')
    assert re.search(
        r'<a href="#id_title_en">Title \(in English\)</a>: The title in the original', page
    )
    assert 'id="id_title_en_error"' in page and 'aria-invalid="true"' in page
    # What was typed is still there; the translation holding text is open, the empty one not.
    assert "All vacancies in one place." in page and "Все вакансии в одном месте." in page
    assert " open" in details(page, "Translation into Russian")
    assert " open" not in details(page, "Translation into Kazakh")


def test_names_as_written_are_folded_unless_they_hold_text(member, kazakhstan):
    response = member.post(SUBMIT, form_data(kazakhstan, title_en="", countries_text="32 states"))
    assert " open" in details(response.content.decode(), "Names not in these lists")
    practice = Practice.objects.create(title="Portal", created_by=member.user)
    page = member.get(f"/en/practices/{practice.slug}/edit/").content.decode()
    assert " open" not in details(page, "Names not in these lists")
    practice.supported_by_text = ["The World Bank"]
    practice.save(update_fields=["supported_by_text"])
    page = member.get(f"/en/practices/{practice.slug}/edit/").content.decode()
    assert " open" in details(page, "Names not in these lists")
    assert "The World Bank" in page


def test_a_translation_with_an_error_is_open(member, kazakhstan):
    response = member.post(SUBMIT, form_data(kazakhstan, title_kk="x" * 301))
    page = response.content.decode()
    assert "title_kk" in response.context["form"].errors
    assert " open" in details(page, "Translation into Kazakh")
    assert '<a href="#id_title_kk">Title (in Kazakh)</a>' in page


def test_the_chosen_language_decides_which_texts_come_first(member, kazakhstan):
    response = member.post(SUBMIT, form_data(kazakhstan, language="ru"))
    page = response.content.decode()
    # The title now missing is the Russian one, shown first; the English text typed before is
    # kept under its translation, open.
    assert page.index('name="title_ru"') < page.index('name="title_en"')
    assert '<a href="#id_title_ru">Title (in Russian)</a>' in page
    assert " open" in details(page, "Translation into English")
    assert "One-stop civil-service portal" in page


def test_editing_a_russian_record_shows_russian_first(member, kazakhstan):
    practice = Practice.objects.create(
        title_ru="Единый портал", title_en="Single portal", language="ru", created_by=member.user
    )
    page = member.get(f"/en/practices/{practice.slug}/edit/").content.decode()
    assert page.index('name="title_ru"') < page.index('name="title_en"')
    assert " open" in details(page, "Translation into English")
    assert " open" not in details(page, "Translation into Kazakh")


def test_countries_of_the_hub_first_and_no_antarctica(member, kazakhstan, georgia):
    Membership.objects.create(
        country=kazakhstan, status="participating", joined_on=datetime.date(2013, 3, 1)
    )
    page = member.get(SUBMIT).content.decode()
    select = re.search(r'<select name="countries".*?</select>', page, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert [label for label, _options in groups] == [
        "Countries of the hub",
        "Other countries and territories",
    ]
    assert ">Kazakhstan<" in groups[0][1] and ">Georgia<" not in groups[0][1]
    assert ">Georgia<" in groups[1][1] and ">Greenland<" in groups[1][1]
    assert "Antarctica" not in select and "Bouvet" not in select


def test_antarctica_is_refused_naming_the_field(member, kazakhstan):
    antarctica = Country.objects.get(code="AQ")
    response = member.post(SUBMIT, form_data(kazakhstan, countries=[antarctica.pk]))
    assert response.status_code == 200
    assert "countries" in response.context["form"].errors
    assert '<a href="#id_countries">Countries involved</a>' in response.content.decode()
    assert not Practice.objects.exists()


def test_a_country_already_on_the_record_is_kept_on_edit(member, kazakhstan):
    antarctica = Country.objects.get(code="AQ")
    practice = Practice.objects.create(title="Polar", created_by=member.user)
    practice.countries.add(antarctica)
    url = f"/en/practices/{practice.slug}/edit/"
    page = member.get(url).content.decode()
    assert re.search(rf'<option value="{antarctica.pk}" selected>Antarctica</option>', page)
    data = form_data(kazakhstan, title_en="Polar", countries=[antarctica.pk, kazakhstan.pk])
    assert member.post(url, data).status_code == 302
    assert set(practice.countries.values_list("code", flat=True)) == {"AQ", "KZ"}


def test_sdg_targets_grouped_under_their_goals_with_their_words(member, kazakhstan):
    target = SdgTarget.objects.get(code="16.6")
    page = member.get(SUBMIT).content.decode()
    assert len(re.findall(r'<details class="choice-group">', page)) == 17
    goal = details(page, str(target.goal))
    assert " open" not in goal
    assert re.search(r"16\.6 Develop effective, accountable and transparent institutions", page)

    # A chosen target is saved, and its goal is open when the form comes back.
    response = member.post(SUBMIT, form_data(kazakhstan, title_en="", sdg_targets=[target.pk]))
    page = response.content.decode()
    assert " open" in details(page, str(target.goal))
    assert " open" not in details(page, "1. ")
    assert re.search(rf'value="{target.pk}"[^>]*checked', page)
    assert "chosen: 1" in page
    assert member.post(SUBMIT, form_data(kazakhstan, sdg_targets=[target.pk])).status_code == 302
    assert list(Practice.objects.get().sdg_targets.all()) == [target]


def test_an_unknown_sdg_target_is_refused_naming_the_field(member, kazakhstan):
    response = member.post(SUBMIT, form_data(kazakhstan, sdg_targets=["999999"]))
    assert response.status_code == 200
    assert "sdg_targets" in response.context["form"].errors
    assert not Practice.objects.exists()


def test_an_editor_edits_a_submitted_practice_through_the_same_form(editor, member, kazakhstan):
    practice = Practice.objects.create(
        title="Portal", created_by=member.user, state=PracticeState.SUBMITTED
    )
    url = f"/en/practices/{practice.slug}/edit/"
    assert editor.get(url).status_code == 200
    data = form_data(kazakhstan, title_en="Portal, edited", title_ru="Портал")
    assert editor.post(url, data).status_code == 302
    practice.refresh_from_db()
    assert (practice.title_en, practice.title_ru) == ("Portal, edited", "Портал")
    assert list(practice.countries.all()) == [kazakhstan]


@pytest.mark.parametrize(
    "language, expected",
    [
        ("ru", ["Текст на языке оригинала", "Перевод на английский", "Название (на русском)"]),
        ("kk", ["Түпнұсқа тіліндегі мәтін", "Ағылшын тіліне аударма", "Атауы (қазақша)"]),
    ],
)
def test_the_form_page_in_russian_and_kazakh(member, language, expected):
    page = member.get(f"/{language}/practices/submit/").content.decode()
    for text in expected:
        assert text in page, (language, text)


def test_the_api_refuses_antarctica_too_and_keeps_it_where_it_was(member, kazakhstan):
    """The API fills the same form, so it offers the same countries."""
    from civhub.accounts.services import create_token

    _token, secret = create_token(member.user, "tests")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    created = member.post(
        "/api/v1/practices",
        {"title": "Polar", "countries": ["AQ"]},
        content_type="application/json",
        **auth,
    )
    assert created.status_code == 400
    assert "countries" in created.json()["errors"]
    assert not Practice.objects.exists()

    practice = Practice.objects.create(title="Polar", created_by=member.user)
    practice.countries.add(Country.objects.get(code="AQ"))
    changed = member.patch(
        f"/api/v1/practices/{practice.slug}",
        {"summary": "Stations' staff."},
        content_type="application/json",
        **auth,
    )
    assert changed.status_code == 200, changed.content
    assert list(practice.countries.values_list("code", flat=True)) == ["AQ"]
