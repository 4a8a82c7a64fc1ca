"""Country-profile pages: who sees and answers what, the review queue, the comparison table and
its CSV export."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from civhub.core.models import AuditEntry
from civhub.directory.models import Organization
from civhub.knowledge.models import LegalAct, ProfileAnswer, ProfileQuestion
from civhub.knowledge.tests.conftest import HUB

pytestmark = pytest.mark.django_db
D = datetime.date
AS_OF = D(2024, 1, 1)
ALL = ["visitor", "member", "focal_point", "evaluator", "editor", "steering", "admin"]
ANSWERS_KZ = {"focal_point", "editor", "admin"}


def approved(country, slug, value, as_of=None, status="approved") -> ProfileAnswer:
    question = ProfileQuestion.objects.get(slug=slug)
    answer = ProfileAnswer(
        country=country,
        question=question,
        as_of=as_of or AS_OF,
        source="Statistics office",
        status=status,
    )
    setattr(answer, ProfileAnswer.VALUE_FIELD[question.answer_type], value)
    answer.save()
    return answer


@pytest.fixture
def three(hub):
    kz, ge, az = hub["KZ"], hub["GE"], hub["AZ"]
    for country, model in ((kz, "mixed"), (ge, "position"), (az, "mixed")):
        approved(country, "model-type", model)
        approved(country, "model-ranks", True)
    approved(kz, "size-civil-servants", 91500, D(2019, 1, 1))
    approved(kz, "size-civil-servants", 88400)
    return [kz, ge, az]


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Pages open to everyone -----------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL, indirect=True)
@pytest.mark.parametrize(
    "url",
    [
        "/en/profiles/",
        "/en/profiles/kz/",
        "/ru/profiles/ge/",
        "/en/profiles/compare/",
        "/kk/profiles/compare/?countries=KZ&countries=GE&countries=AZ",
    ],
)
def test_profile_pages_are_open_to_everyone(persona, url, three):
    response = persona.get(url)
    assert response.status_code == 200
    assert response.content.count(b"<h1") == 1


def test_the_list_shows_how_complete_each_profile_is(visitor, three):
    page = text(visitor.get("/en/profiles/"))
    total = ProfileQuestion.objects.count()
    assert f"3 of {total}" in page  # Kazakhstan: model, ranks, size
    assert f"2 of {total}" in page
    assert "Countries without a profile yet" in page and "Belarus" in page
    assert 'href="/en/profiles/compare/"' in page


def test_an_unknown_country_is_not_found(visitor, hub):
    assert visitor.get("/en/profiles/xx/").status_code == 404
    assert visitor.get("/en/profiles/kaz/").status_code == 404


def test_a_profile_shows_answers_sources_dates_and_history(visitor, three):
    page = text(visitor.get("/en/profiles/kz/"))
    assert "Civil-service profile of Kazakhstan" in page
    assert "88,400" in page and "As of 1 January 2024" in page
    assert "Statistics office" in page
    assert "History: 1 earlier answer" in page and "91,500" in page
    assert "Not answered" in page
    assert "/answer/" not in page  # visitors get no edit links


def test_the_focal_point_sees_pending_answers_and_edit_links_visitors_do_not(
    visitor, focal_point, three
):
    approved(three[0], "probation-length", 12, status="pending")
    mine = text(focal_point.get("/en/profiles/kz/"))
    assert "Awaiting review:" in mine and "12" in mine
    assert 'href="/en/profiles/kz/answer/probation-length/"' in mine
    theirs = text(visitor.get("/en/profiles/kz/"))
    assert "Awaiting review:" not in theirs
    assert "/answer/" not in text(focal_point.get("/en/profiles/ge/"))


@pytest.mark.parametrize("count", [0, 1])
def test_profile_pages_take_a_fixed_number_of_queries(
    visitor, three, count, django_assert_max_num_queries
):
    for country in list(three)[:count]:
        approved(country, "probation-length", 6, D(2010, 1, 1))
    # 4 for the profile, up to 10 for "Related": the profile's search documents, the index's
    # generation, and after the answers changed the index, reading the document table anew
    # (documents and their countries, topics and targets: search/table.py) and the vectors.
    # None of these grows with the number of answers or countries.
    with django_assert_max_num_queries(14):
        assert visitor.get("/en/profiles/kz/").status_code == 200
    with django_assert_max_num_queries(3):
        assert visitor.get("/en/profiles/").status_code == 200


# --- Answering ------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_who_may_open_the_answer_form(persona, hub):
    role = persona.role
    for code, allowed in (("kz", ANSWERS_KZ), ("ge", {"editor", "admin"})):
        response = persona.get(f"/en/profiles/{code}/answer/model-type/")
        if role == "visitor":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"]
        elif role in allowed:
            assert response.status_code == 200
        else:
            assert response.status_code == 403


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_who_may_post_an_answer(persona, hub):
    data = {"value": "career", "as_of": "2024-01-01", "source": "Law"}
    response = persona.post("/en/profiles/ge/answer/model-type/", data)
    if persona.role in {"editor", "admin"}:
        assert response.status_code == 302
        assert ProfileAnswer.objects.get().status == "approved"
    else:
        assert response.status_code in (302, 403)
        assert not ProfileAnswer.objects.exists()


@pytest.mark.parametrize(
    "slug,value,field",
    [
        ("model-ranks", "yes", "value_bool"),
        ("size-civil-servants", "88400", "value_number"),
        ("model-type", "career", "value_choice"),
        ("recruitment-stages", "Test, interview", "value_text"),
        ("legal-law-adopted", "2015-11-23", "value_date"),
    ],
)
def test_the_answer_form_for_each_answer_type(focal_point, hub, slug, value, field):
    url = f"/en/profiles/kz/answer/{slug}/"
    form_page = focal_point.get(url)
    assert form_page.status_code == 200
    assert b'name="value"' in form_page.content and b'name="as_of"' in form_page.content
    response = focal_point.post(url, {"value": value, "as_of": "2024-01-01", "source": "Law"})
    assert response.status_code == 302
    assert response["Location"] == f"/en/profiles/kz/#q-{slug}"
    answer = ProfileAnswer.objects.get()
    assert answer.status == "pending" and answer.submitted_by == focal_point.user
    assert getattr(answer, field) not in (None, "")


def test_the_as_of_date_defaults_to_today_and_the_form_starts_from_the_latest_answer(
    focal_point, three
):
    response = focal_point.get("/en/profiles/kz/answer/size-civil-servants/")
    form = response.context["form"]
    assert form["as_of"].value() == timezone.localdate()
    assert form["value"].value() == 88400 and form["source"].value() == "Statistics office"
    assert "Current answer:" in text(response)


def test_a_law_and_an_organization_are_chosen_from_the_countrys_own(editor, hub):
    kz, ge = hub["KZ"], hub["GE"]
    own = LegalAct.objects.create(country=kz, kind="law", title="On the Civil Service")
    foreign = LegalAct.objects.create(country=ge, kind="law", title="On Public Service")
    agency = Organization.objects.create(name="Civil Service Agency", kind="agency", country=kz)
    bureau = Organization.objects.create(name="Civil Service Bureau", kind="agency", country=ge)
    oecd = Organization.objects.create(name="OECD", kind="international")

    form = editor.get("/en/profiles/kz/answer/legal-main-law/").context["form"]
    assert list(form.fields["value"].queryset) == [own]
    form = editor.get("/en/profiles/kz/answer/body-central-authority/").context["form"]
    assert set(form.fields["value"].queryset) == {agency, oecd}
    assert bureau not in form.fields["value"].queryset

    response = editor.post(
        "/en/profiles/kz/answer/legal-main-law/",
        {"value": foreign.pk, "as_of": "2024-01-01", "source": "Law"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["value"] == [
        "Pick one of this country's laws and by-laws."
    ]
    assert not ProfileAnswer.objects.exists()
    response = editor.post(
        "/en/profiles/kz/answer/legal-main-law/",
        {"value": own.pk, "as_of": "2024-01-01", "source": "Law"},
    )
    assert response.status_code == 302
    assert ProfileAnswer.objects.get().legal_act == own


@pytest.mark.parametrize(
    "slug,data,field",
    [
        ("model-type", {"value": "feudal", "as_of": "2024-01-01", "source": "Law"}, "value"),
        ("model-ranks", {"value": "yes", "as_of": "2024-01-01", "source": ""}, "source"),
        ("model-ranks", {"value": "", "as_of": "2024-01-01", "source": "Law"}, "value"),
        ("size-civil-servants", {"value": "lots", "as_of": "2024-01-01", "source": "x"}, "value"),
        ("model-ranks", {"value": "yes", "as_of": "2099-01-01", "source": "Law"}, "as_of"),
        ("model-ranks", {"value": "yes", "as_of": "yesterday", "source": "Law"}, "as_of"),
        (
            "model-ranks",
            {"value": "yes", "as_of": "2024-01-01", "source": "Law", "source_url": "no url"},
            "source_url",
        ),
    ],
)
def test_bad_input_gets_an_error_on_its_field_and_saves_nothing(
    focal_point, hub, slug, data, field
):
    response = focal_point.post(f"/en/profiles/kz/answer/{slug}/", data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not ProfileAnswer.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="profile_answer").exists()


def test_a_second_answer_on_the_date_of_an_approved_one_is_an_error_on_as_of(focal_point, three):
    response = focal_point.post(
        "/en/profiles/kz/answer/model-type/",
        {"value": "career", "as_of": "2024-01-01", "source": "Law"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["as_of"] == [
        "This country already has an answer to this question as of this date."
    ]


def test_a_question_no_longer_asked_has_no_form(editor, hub):
    ProfileQuestion.objects.filter(slug="model-type").update(is_active=False)
    assert editor.get("/en/profiles/kz/answer/model-type/").status_code == 404
    assert editor.get("/en/profiles/kz/answer/no-such-question/").status_code == 404


# --- Review ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_only_editors_open_the_review_queue(persona, hub):
    response = persona.get("/en/profiles/review/")
    if persona.role == "visitor":
        assert response.status_code == 302
    elif persona.role in {"editor", "admin"}:
        assert response.status_code == 200
        assert "No answers are awaiting review." in text(response)
    else:
        assert response.status_code == 403


def test_an_editor_approves_from_the_queue(editor, focal_point, hub):
    focal_point.post(
        "/en/profiles/kz/answer/model-type/",
        {"value": "mixed", "as_of": "2024-01-01", "source": "Law No. 416-V"},
    )
    answer = ProfileAnswer.objects.get()
    page = text(editor.get("/en/profiles/review/"))
    assert "Kazakhstan: Civil-service model" in page and "Law No. 416-V" in page
    response = editor.post("/en/profiles/review/", {"answer": answer.pk, "decision": "approve"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.status == "approved" and answer.reviewed_by == editor.user
    assert "Mixed" in text(editor.get("/en/profiles/kz/"))


def test_rejecting_without_a_note_is_refused_with_a_message(editor, hub):
    answer = approved(hub["KZ"], "model-type", "mixed", status="pending")
    response = editor.post("/en/profiles/review/", {"answer": answer.pk, "decision": "reject"})
    assert response.status_code == 400
    assert "Tell the focal point why the answer is rejected." in text(response)
    answer.refresh_from_db()
    assert answer.status == "pending"
    response = editor.post(
        "/en/profiles/review/", {"answer": answer.pk, "decision": "reject", "note": "Cite it."}
    )
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.status == "rejected" and answer.review_note == "Cite it."


def test_the_review_queue_refuses_nonsense(editor, member, hub):
    answer = approved(hub["KZ"], "model-type", "mixed", status="pending")
    assert editor.post("/en/profiles/review/", {"answer": "x"}).status_code == 404
    response = editor.post("/en/profiles/review/", {"answer": answer.pk, "decision": "maybe"})
    assert response.status_code == 400
    assert member.post("/en/profiles/review/", {"answer": answer.pk}).status_code == 403
    answer.refresh_from_db()
    assert answer.status == "pending"


# --- The comparison -------------------------------------------------------------------------


def test_the_comparison_form_without_countries(visitor, hub):
    response = visitor.get("/en/profiles/compare/")
    page = text(response)
    assert response.context["rows"] is None
    assert 'name="countries"' in page and 'value="KZ"' in page
    assert 'value="FR"' not in page  # only countries of the hub
    assert "<table" not in page


def test_a_link_from_a_profile_ticks_its_country(visitor, hub):
    response = visitor.get("/en/profiles/compare/?with=KZ")
    assert response.status_code == 200
    assert re.search(r'value="KZ"[^>]*checked', response.content.decode())


def test_comparing_three_countries(visitor, three):
    response = visitor.get("/en/profiles/compare/?countries=KZ&countries=ge&countries=AZ")
    assert response.status_code == 200
    page = text(response)
    assert (
        "<caption" in page
        and "Civil-service profiles compared: Kazakhstan, Georgia, Azerbaijan" in page
    )
    headers = re.findall(r'<th scope="col">(?:<a [^>]*>)?([^<]+)', page)
    assert headers == ["Question", "Kazakhstan", "Georgia", "Azerbaijan", "Differences"]
    assert page.count('scope="rowgroup"') == 12
    rows = {row.question.slug: row for row in response.context["rows"]}
    assert rows["model-type"].differs and not rows["model-ranks"].differs
    assert rows["size-civil-servants"].differs  # only Kazakhstan answered
    assert '<tr class="differs">' in page and "Differs" in page and "Same" in page
    assert "Not answered" in page and "No answers" in page
    assert "88,400" in page and "91,500" not in page  # the current answer only
    assert 'href="/en/profiles/compare.csv?countries=KZ&amp;countries=GE&amp;countries=AZ"' in page


def test_showing_only_the_differences(visitor, three):
    response = visitor.get(
        "/en/profiles/compare/?countries=KZ&countries=GE&countries=AZ&only_differences=on"
    )
    slugs = [row.question.slug for row in response.context["rows"]]
    assert slugs == ["model-type", "size-civil-servants"]


@pytest.mark.parametrize(
    "query,message",
    [
        ("countries=KZ", "Pick at least two countries to compare."),
        ("countries=", "Pick at least two countries to compare."),
        (
            "countries=KZ&countries=GE&countries=AZ&countries=KG&countries=BY&countries=MK"
            "&countries=AM",
            "Pick at most six countries to compare; you picked 7.",
        ),
        ("countries=KZ&countries=FR", "FR is not a country of the hub."),
        ("countries=KZ&countries=ZZ", "ZZ is not a country of the hub."),
    ],
)
def test_too_few_too_many_or_unknown_countries_are_refused(visitor, hub, query, message):
    response = visitor.get(f"/en/profiles/compare/?{query}")
    assert response.status_code == 400
    assert message in text(response)
    assert "<table" not in text(response)
    csv_response = visitor.get(f"/en/profiles/compare.csv?{query}")
    assert csv_response.status_code == 400
    assert message in csv_response.content.decode()


def test_six_countries_are_allowed(visitor, hub):
    query = "&".join(f"countries={code}" for code in HUB[:6])
    response = visitor.get(f"/en/profiles/compare/?{query}")
    assert response.status_code == 200
    assert len(response.context["countries"]) == 6


@pytest.mark.parametrize("count", [3, 6])
def test_the_comparison_page_takes_the_same_queries_for_3_and_6_countries(
    member, hub, count, django_assert_max_num_queries
):
    codes = HUB[:count]
    for code in codes:
        approved(hub[code], "model-type", "mixed")
        approved(hub[code], "size-civil-servants", 100, D(2019, 1, 1))
        approved(hub[code], "size-civil-servants", 200)
        approved(
            hub[code],
            "body-central-authority",
            Organization.objects.create(name=f"Agency {code}", kind="agency", country=hub[code]),
        )
    query = "&".join(f"countries={code}" for code in codes)
    with django_assert_max_num_queries(7):
        assert member.get(f"/en/profiles/compare/?{query}").status_code == 200
    with django_assert_max_num_queries(7):
        assert member.get(f"/en/profiles/compare.csv?{query}").status_code == 200


def test_the_comparison_as_csv(visitor, three):
    response = visitor.get("/ru/profiles/compare.csv?countries=KZ&countries=GE&countries=AZ")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="civhub-profiles-KZ-GE-AZ.csv"'
    )
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][3::3][:3] == ["Казахстан", "Грузия", "Азербайджан"]
    assert len(rows) == 1 + ProfileQuestion.objects.count()
    by_code = {row[2]: row for row in rows[1:]}
    assert by_code["model-type"][1] == "Модель государственной службы"
    assert by_code["model-type"][3:6] == ["Смешанная", "2024-01-01", "Statistics office"]
    assert by_code["model-type"][6] == "Позиционная"
    assert by_code["size-civil-servants"][7] == "" and by_code["size-civil-servants"][8] == ""


def test_compare_view_url_names():
    translation.activate("en")
    assert reverse("knowledge:profile_compare") == "/en/profiles/compare/"
    assert reverse("knowledge:profile_compare_csv") == "/en/profiles/compare.csv"
    assert reverse("knowledge:profile", kwargs={"code": "kz"}) == "/en/profiles/kz/"


# --- Answered rows only, and an empty profile said once ------------------------------------


def test_readers_see_the_answered_questions_and_the_open_ones_once(visitor, three):
    page = text(visitor.get("/en/profiles/kz/"))
    total = ProfileQuestion.objects.filter(is_active=True).count()
    assert page.count('class="profile-item"') == 3  # model, ranks, size
    assert ">Not answered<" not in page
    assert f"{total - 3} questions are not answered yet." in page
    assert "The focal point of Kazakhstan or the hub's secretariat can answer them." in page
    # The open questions are listed, once, under their own heading.
    probation = ProfileQuestion.objects.get(slug="probation-length").text
    assert page.count(probation) == 1
    assert page.count("<h1") == 1


def test_an_empty_profile_says_so_once_and_who_fills_it_in(visitor, member, hub):
    for persona in (visitor, member):
        page = text(persona.get("/en/profiles/by/"))
        assert page.count("This profile has no answers yet.") == 1
        assert "filled in by the focal point of Belarus or by the hub's secretariat" in page
        assert 'class="profile-item"' not in page and "Not answered" not in page
        assert "0 of" not in page and "/answer/" not in page


def test_an_empty_profile_in_russian_and_kazakh(visitor, hub):
    assert "Этот профиль пока не заполнен." in text(visitor.get("/ru/profiles/by/"))
    assert "Бұл профиль әлі толтырылмаған." in text(visitor.get("/kk/profiles/by/"))


@pytest.mark.parametrize("persona", ["focal_point", "editor"], indirect=True)
def test_who_may_answer_gets_the_link_to_start_an_empty_profile(persona, hub):
    page = text(persona.get("/en/profiles/kz/"))
    questions = ProfileQuestion.objects.filter(is_active=True)
    assert "This profile has no answers yet." in page
    start = re.search(r'<a class="button" href="(/en/profiles/kz/answer/[^/]+/)">Start', page)
    assert start is not None
    assert persona.get(start.group(1)).status_code == 200
    # Every question keeps its own answer link for them.
    assert page.count("/en/profiles/kz/answer/") == questions.count() + 1


def test_another_countrys_focal_point_reads_it_like_a_visitor(focal_point, hub):
    page = text(focal_point.get("/en/profiles/ge/"))
    assert "filled in by the focal point of Georgia" in page and "/answer/" not in page


def test_the_list_says_where_a_profile_is_started(visitor, hub):
    page = text(visitor.get("/en/profiles/"))
    assert "from the country's page" not in page
    assert "can start a profile from its page, linked below." in page
    assert 'href="/en/profiles/by/"' in page
