"""Country profiles: the questionnaire loader, answering, review, current answers and history,
the comparison and its CSV, and the demo profiles."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from civhub.core.models import AuditEntry
from civhub.directory.models import Country, Organization
from civhub.knowledge import demo_profiles
from civhub.knowledge.choices import ReviewStatus
from civhub.knowledge.models import LegalAct, ProfileAnswer, ProfileQuestion, ProfileSection
from civhub.knowledge.questionnaire import load_questionnaire, read_questionnaire
from civhub.knowledge.services import profiles as services
from civhub.knowledge.tests.conftest import HUB

pytestmark = pytest.mark.django_db
D = datetime.date
AS_OF = D(2024, 1, 1)
ALL = ["visitor", "member", "focal_point", "evaluator", "editor", "steering", "admin"]


def question(slug: str) -> ProfileQuestion:
    return ProfileQuestion.objects.select_related("section").get(slug=slug)


def approved(country, slug, value, as_of=None, **extra) -> ProfileAnswer:
    """An approved answer made directly, for reading tests."""
    q = question(slug)
    answer = ProfileAnswer(
        country=country, question=q, as_of=as_of or AS_OF, source="Test", status="approved", **extra
    )
    setattr(answer, ProfileAnswer.VALUE_FIELD[q.answer_type], value)
    answer.full_clean()
    answer.save()
    return answer


def user_of(persona):
    return persona.user or AnonymousUser()


# --- The questionnaire ----------------------------------------------------------------------


def test_the_starting_questionnaire_is_loaded_after_migrate():
    shipped = read_questionnaire()
    assert ProfileSection.objects.count() == len(shipped) == 12
    assert ProfileQuestion.objects.count() == sum(len(s["questions"]) for s in shipped)
    assert 30 <= ProfileQuestion.objects.count() <= 40
    kinds = set(ProfileQuestion.objects.values_list("answer_type", flat=True))
    assert kinds == {"yes_no", "number", "choice", "text", "date", "legal_act", "organization"}
    model = question("model-type")
    assert model.section.slug == "service-model"
    assert {c["value"] for c in model.choices} == {"career", "position", "mixed"}
    assert model.text_ru == "Модель государственной службы"
    assert model.text_kk == "Мемлекеттік қызмет моделі"
    assert question("size-women-share").unit == "%"


def test_every_question_and_choice_has_all_three_languages():
    for q in ProfileQuestion.objects.all():
        assert q.text_en and q.text_ru and q.text_kk, q.slug
        assert q.help_text_en and q.help_text_ru and q.help_text_kk, q.slug
        q.full_clean()
        for choice in q.choices:
            assert choice["en"] and choice["ru"] and choice["kk"], (q.slug, choice)
    for s in ProfileSection.objects.all():
        assert s.title_en and s.title_ru and s.title_kk


def test_the_loader_runs_twice_without_duplicates_and_keeps_the_secretariats_edits():
    q = question("model-type")
    q.text_en = "Which civil-service model?"
    q.is_active = False
    q.save()
    sections, questions = ProfileSection.objects.count(), ProfileQuestion.objects.count()
    assert load_questionnaire() == {"sections": 0, "questions": 0}
    assert load_questionnaire() == {"sections": 0, "questions": 0}
    assert ProfileSection.objects.count() == sections
    assert ProfileQuestion.objects.count() == questions
    q.refresh_from_db()
    assert q.text_en == "Which civil-service model?" and not q.is_active


def test_the_loader_adds_what_is_missing():
    question("probation-length").delete()
    ProfileSection.objects.get(slug="hr-systems").delete()
    added = load_questionnaire()
    assert added == {"sections": 1, "questions": 5}
    assert ProfileQuestion.objects.filter(section__slug="hr-systems").count() == 4


# --- Who may answer -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_who_may_answer_for_which_country(persona, hub):
    kz, ge = hub["KZ"], hub["GE"]
    q = question("model-ranks")
    for country, allowed in (
        (kz, {"focal_point", "editor", "admin"}),
        (ge, {"editor", "admin"}),
    ):
        if persona.role in allowed:
            answer = services.submit_answer(
                user_of(persona), country, q, value=True, as_of=D(2024, 1, 1), source="Law"
            )
            assert answer.pk
        else:
            with pytest.raises(PermissionDenied):
                services.submit_answer(
                    user_of(persona), country, q, value=True, as_of=D(2024, 1, 1), source="Law"
                )
    expected = {"focal_point": 1, "editor": 2, "admin": 2}.get(persona.role, 0)
    assert ProfileAnswer.objects.count() == expected


def test_a_focal_points_answer_waits_for_review_and_an_editors_is_approved(
    focal_point, editor, hub
):
    q = question("model-type")
    mine = services.submit_answer(
        focal_point.user, hub["KZ"], q, value="mixed", as_of=D(2024, 1, 1), source="Law No. 416-V"
    )
    assert mine.status == ReviewStatus.PENDING and mine.submitted_by == focal_point.user
    assert mine.reviewed_by is None
    theirs = services.submit_answer(
        editor.user, hub["GE"], q, value="career", as_of=D(2024, 1, 1), source="Report"
    )
    assert theirs.status == ReviewStatus.APPROVED and theirs.reviewed_by == editor.user
    assert theirs.reviewed_at is not None
    entries = AuditEntry.objects.filter(action="profile_answer.submitted")
    assert entries.count() == 2
    assert entries.get(actor=focal_point.user).data["status"] == "pending"
    # Only the approved answer counts as the country's answer.
    current = services.current_answers([hub["KZ"], hub["GE"]], [q])
    assert list(current) == [(hub["GE"].pk, q.pk)]


def test_a_second_submission_on_the_same_date_replaces_the_pending_one(focal_point, hub):
    q = question("probation-length")
    first = services.submit_answer(
        focal_point.user, hub["KZ"], q, value=6, as_of=D(2024, 1, 1), source="Law"
    )
    second = services.submit_answer(
        focal_point.user, hub["KZ"], q, value="12", as_of=D(2024, 1, 1), source="Order No. 5"
    )
    assert second.pk == first.pk and ProfileAnswer.objects.count() == 1
    second.refresh_from_db()
    assert second.value_number == Decimal("12") and second.source == "Order No. 5"
    assert AuditEntry.objects.filter(action="profile_answer.revised").count() == 1


def test_an_approved_answer_on_the_same_date_is_not_replaced(focal_point, hub):
    approved(hub["KZ"], "probation-length", 6)
    with pytest.raises(ValidationError) as caught:
        services.submit_answer(
            focal_point.user,
            hub["KZ"],
            question("probation-length"),
            value=3,
            as_of=D(2024, 1, 1),
            source="Law",
        )
    assert "as_of" in caught.value.message_dict
    assert ProfileAnswer.objects.count() == 1


# --- Bad input: a clear error naming the field, nothing saved --------------------------------


def _refused(actor, country, slug, **kwargs) -> dict:
    kwargs.setdefault("as_of", D(2024, 1, 1))
    kwargs.setdefault("source", "Law")
    with pytest.raises(ValidationError) as caught:
        services.submit_answer(actor, country, question(slug), **kwargs)
    assert not ProfileAnswer.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="profile_answer").exists()
    return caught.value.message_dict


def test_a_choice_not_among_the_questions_choices_is_refused(editor, hub):
    errors = _refused(editor.user, hub["KZ"], "model-type", value="feudal")
    assert errors == {"value": ["Pick one of the question's choices."]}


def test_a_law_of_another_country_is_refused(editor, hub):
    georgian = LegalAct.objects.create(country=hub["GE"], kind="law", title="On Public Service")
    errors = _refused(editor.user, hub["KZ"], "legal-main-law", value=georgian)
    assert errors == {"value": ["The law must be one of this country's."]}
    errors = _refused(editor.user, hub["KZ"], "legal-main-law", value=georgian.pk)
    assert "value" in errors


def test_an_organization_of_another_country_is_refused_but_an_international_one_is_not(editor, hub):
    bureau = Organization.objects.create(
        name="Civil Service Bureau", kind="agency", country=hub["GE"]
    )
    errors = _refused(editor.user, hub["KZ"], "body-central-authority", value=bureau)
    assert list(errors) == ["value"]
    oecd = Organization.objects.create(name="OECD", kind="international")
    answer = services.submit_answer(
        editor.user,
        hub["KZ"],
        question("body-central-authority"),
        value=oecd,
        as_of=D(2024, 1, 1),
        source="x",
    )
    assert answer.organization == oecd


@pytest.mark.parametrize("source", ["", "   "])
def test_a_missing_source_is_refused(editor, hub, source):
    errors = _refused(editor.user, hub["KZ"], "model-ranks", value=True, source=source)
    assert list(errors) == ["source"]


def test_a_missing_value_a_bad_number_and_a_future_date_are_refused(editor, hub):
    assert list(_refused(editor.user, hub["KZ"], "model-ranks", value=None)) == ["value"]
    assert list(_refused(editor.user, hub["KZ"], "size-civil-servants", value="many")) == ["value"]
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    errors = _refused(editor.user, hub["KZ"], "model-ranks", value=True, as_of=tomorrow)
    assert list(errors) == ["as_of"]


def test_a_question_no_longer_asked_cannot_be_answered(editor, hub):
    q = question("model-ranks")
    q.is_active = False
    q.save()
    with pytest.raises(ValidationError):
        services.submit_answer(
            editor.user, hub["KZ"], q, value=True, as_of=D(2024, 1, 1), source="x"
        )


# --- Review ---------------------------------------------------------------------------------


@pytest.fixture
def pending(focal_point, hub):
    return services.submit_answer(
        focal_point.user,
        hub["KZ"],
        question("model-type"),
        value="mixed",
        as_of=D(2024, 1, 1),
        source="Law",
    )


def test_an_editor_approves_and_the_focal_point_is_told(
    editor, pending, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answer = services.review_answer(editor.user, pending, True)
    assert answer.status == ReviewStatus.APPROVED and answer.reviewed_by == editor.user
    assert AuditEntry.objects.filter(action="profile_answer.approved").count() == 1
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["focal_point@test.example"]
    assert "approved" in mailoutbox[0].subject


def test_rejecting_needs_a_note(editor, pending):
    with pytest.raises(ValidationError) as caught:
        services.review_answer(editor.user, pending, False)
    assert list(caught.value.message_dict) == ["note"]
    pending.refresh_from_db()
    assert pending.status == ReviewStatus.PENDING
    answer = services.review_answer(editor.user, pending, False, "Cite the law, please.")
    assert answer.status == ReviewStatus.REJECTED and answer.review_note == "Cite the law, please."
    assert AuditEntry.objects.filter(action="profile_answer.rejected").count() == 1
    with pytest.raises(ValidationError):
        services.review_answer(editor.user, answer, True)


@pytest.mark.parametrize(
    "persona", ["visitor", "member", "focal_point", "evaluator", "steering"], indirect=True
)
def test_only_editors_review(persona, pending):
    with pytest.raises(PermissionDenied):
        services.review_answer(user_of(persona), pending, True)


def test_a_rejected_answer_frees_its_date(editor, focal_point, pending, hub):
    services.review_answer(editor.user, pending, False, "Wrong")
    again = services.submit_answer(
        focal_point.user,
        hub["KZ"],
        question("model-type"),
        value="career",
        as_of=D(2024, 1, 1),
        source="Law",
    )
    assert again.pk != pending.pk and ProfileAnswer.objects.count() == 2


# --- Current answers and history ------------------------------------------------------------


def test_the_current_answer_is_the_latest_approved_by_as_of(hub, django_assert_num_queries):
    kz, ge = hub["KZ"], hub["GE"]
    q = question("size-civil-servants")
    approved(kz, "size-civil-servants", 91500, D(2019, 1, 1))
    newest = approved(kz, "size-civil-servants", 88400, D(2024, 1, 1))
    approved(kz, "size-civil-servants", 90000, D(2021, 1, 1))  # entered later, older date
    ProfileAnswer.objects.create(
        country=kz, question=q, as_of=D(2025, 1, 1), value_number=1, source="x", status="pending"
    )
    ProfileAnswer.objects.create(
        country=kz, question=q, as_of=D(2025, 6, 1), value_number=2, source="x", status="rejected"
    )
    georgian = approved(ge, "size-civil-servants", 38500)
    model = question("model-type")
    with django_assert_num_queries(1):
        current = services.current_answers([kz, ge], [q, model])
        assert current == {(kz.pk, q.pk): newest, (ge.pk, q.pk): georgian}
        assert current[(kz.pk, q.pk)].display() == "88,400"


def test_a_countrys_profile_keeps_its_history(hub, django_assert_num_queries):
    kz = hub["KZ"]
    old = approved(kz, "size-civil-servants", 91500, D(2019, 1, 1))
    new = approved(kz, "size-civil-servants", 88400, D(2024, 1, 1))
    approved(kz, "model-type", "mixed")
    waiting = ProfileAnswer.objects.create(
        country=kz,
        question=question("model-ranks"),
        as_of=D(2024, 1, 1),
        value_bool=True,
        source="x",
    )
    with django_assert_num_queries(2):
        blocks = services.country_profile(kz, language="en")
        items = {item.question.slug: item for block in blocks for item in block.items}
        assert items["size-civil-servants"].current == new
        assert items["size-civil-servants"].history == [old]
        assert items["size-civil-servants"].current.text == "88,400"
        assert items["model-type"].current.text == "Mixed"
        assert items["model-ranks"].current is None and items["model-ranks"].pending == []
    assert [b.section.slug for b in blocks][:2] == ["legal-framework", "authorized-body"]
    assert sum(b.answered for b in blocks) == 2
    editing = services.country_profile(kz, include_pending=True, language="ru")
    items = {item.question.slug: item for block in editing for item in block.items}
    assert items["model-ranks"].pending == [waiting]
    assert items["model-type"].current.text == "Смешанная"


def test_the_overview_counts_answered_questions(hub):
    approved(hub["KZ"], "model-type", "mixed")
    approved(hub["KZ"], "size-civil-servants", 1, D(2019, 1, 1))
    approved(hub["KZ"], "size-civil-servants", 2, D(2024, 5, 1))
    overview = services.profile_overview()
    assert overview["total"] == ProfileQuestion.objects.count()
    [kz] = overview["with_profile"]
    assert kz.code == "KZ" and kz.answered == 2 and kz.updated == D(2024, 5, 1)
    assert kz.percent == round(200 / overview["total"])
    assert {c.code for c in overview["without_profile"]} == set(HUB) - {"KZ"}


# --- The comparison -------------------------------------------------------------------------


@pytest.fixture
def three(hub):
    kz, ge, az = hub["KZ"], hub["GE"], hub["AZ"]
    for country in (kz, ge, az):
        approved(country, "model-ranks", True)  # all the same
    approved(kz, "model-type", "mixed")
    approved(ge, "model-type", "position")
    approved(az, "model-type", "mixed")
    approved(kz, "probation-length", 6)  # AZ and GE did not answer
    approved(kz, "size-women-share", "55.00")
    approved(ge, "size-women-share", 55)
    approved(az, "size-women-share", Decimal("55.0"))
    approved(kz, "recruitment-stages", "Test,  then interview")
    approved(ge, "recruitment-stages", "test, then INTERVIEW")
    approved(az, "recruitment-stages", "Test then interview")
    return [kz, ge, az]


def test_the_comparison_marks_differences_and_unanswered_cells(three):
    rows = {row.question.slug: row for row in services.compare(three, "en")}
    assert len(rows) == ProfileQuestion.objects.filter(is_active=True).count()
    assert rows["model-ranks"].differs is False
    assert [c.text for c in rows["model-ranks"].cells] == ["Yes", "Yes", "Yes"]
    assert rows["model-type"].differs is True
    assert [c.text for c in rows["model-type"].cells] == ["Mixed", "Position-based", "Mixed"]
    assert rows["probation-length"].differs is True  # answered by some, not by others
    assert [c.answer is None for c in rows["probation-length"].cells] == [False, True, True]
    assert rows["size-women-share"].differs is False  # 55 = 55.0 = 55.00
    assert rows["size-women-share"].cells[0].text == "55 %"
    assert rows["recruitment-stages"].differs is True
    assert rows["legal-main-law"].differs is False and rows["legal-main-law"].answered == 0
    assert [c.country for c in rows["model-type"].cells] == three
    # Rows come in section order.
    sections = [row.section.order for row in services.compare(three)]
    assert sections == sorted(sections)


def test_texts_that_differ_only_in_spacing_and_case_are_the_same(hub):
    approved(hub["KZ"], "recruitment-stages", "Test,  then interview")
    approved(hub["GE"], "recruitment-stages", "test, then INTERVIEW ")
    rows = {row.question.slug: row for row in services.compare([hub["KZ"], hub["GE"]])}
    assert rows["recruitment-stages"].differs is False


@pytest.mark.parametrize("count", [3, 6])
def test_the_comparison_takes_the_same_few_queries_for_3_and_6_countries(
    hub, count, django_assert_num_queries
):
    countries = list(hub.values())[:count]
    for country in countries:
        approved(country, "model-type", "mixed")
        approved(country, "size-civil-servants", 100, D(2019, 1, 1))
        approved(country, "size-civil-servants", 200)
    with django_assert_num_queries(2):
        rows = services.compare(countries, "en")
        services.comparison_csv(countries, "en", rows=rows)


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_the_comparison_as_csv(three):
    rows = _csv(services.comparison_csv(three, "en"))
    header = rows[0]
    assert header[:3] == ["Section", "Question", "Question code"]
    assert header[3:6] == ["Kazakhstan", "Kazakhstan: as of", "Kazakhstan: source"]
    assert header[-1] == "Answers differ"
    assert len(header) == 3 + 3 * 3 + 1
    by_code = {row[2]: row for row in rows[1:]}
    assert len(by_code) == ProfileQuestion.objects.filter(is_active=True).count()
    model = by_code["model-type"]
    assert model[0] == "Civil-service model" and model[1] == "Civil-service model"
    assert model[3:6] == ["Mixed", "2024-01-01", "Test"]
    assert model[6] == "Position-based" and model[-1] == "Yes"
    assert by_code["model-ranks"][-1] == "No"
    assert by_code["probation-length"][6:9] == ["Not answered", "", ""]


def test_the_csv_speaks_the_readers_language(three):
    rows = _csv(services.comparison_csv(three, "ru"))
    assert rows[0][3] == "Казахстан"
    by_code = {row[2]: row for row in rows[1:]}
    assert by_code["model-type"][3] == "Смешанная"
    assert by_code["model-type"][1] == "Модель государственной службы"


def test_the_csv_does_not_let_a_spreadsheet_run_an_answer_as_a_formula(hub):
    approved(hub["KZ"], "recruitment-stages", '=HYPERLINK("http://evil")')
    rows = _csv(services.comparison_csv([hub["KZ"], hub["GE"]], "en"))
    by_code = {row[2]: row for row in rows[1:]}
    assert by_code["recruitment-stages"][3].startswith("'=")


# --- Demo profiles --------------------------------------------------------------------------


def test_the_demo_profiles_load_twice_without_duplicates(demo_data):
    demo_profiles.load(log=lambda line: None)
    count = ProfileAnswer.objects.count()
    assert count > 150
    demo_profiles.load(log=lambda line: None)
    assert ProfileAnswer.objects.count() == count
    countries = set(ProfileAnswer.objects.values_list("country__code", flat=True))
    assert countries == {"KZ", "GE", "AZ", "KG", "BY", "MK"}
    # Invented answers say so; the few facts give their source.
    facts = ProfileAnswer.objects.filter(is_demo=False)
    assert facts.count() == 4
    assert all("Law" in answer.source for answer in facts)
    assert not ProfileAnswer.objects.filter(is_demo=True, source="").exists()
    # Kazakhstan's size has a history.
    kz = Country.objects.get(code="KZ")
    blocks = services.country_profile(kz)
    items = {item.question.slug: item for block in blocks for item in block.items}
    assert items["size-civil-servants"].current.value_number == 88400
    assert [a.value_number for a in items["size-civil-servants"].history] == [91500]
    # One answer awaits review, for the review page.
    assert ProfileAnswer.objects.filter(status="pending").count() == 1


def test_a_draft_law_cannot_be_an_answer(kazakhstan):
    from django.core.exceptions import ValidationError

    from civhub.knowledge.models import LegalAct, ProfileAnswer, ProfileQuestion

    question = ProfileQuestion.objects.filter(answer_type="legal_act").first()
    draft = LegalAct.objects.create(
        country=kazakhstan, kind="law", title="Draft law", state="draft"
    )
    answer = ProfileAnswer(
        country=kazakhstan, question=question, legal_act=draft, as_of="2020-01-01", source="x"
    )
    with pytest.raises(ValidationError) as error:
        answer.full_clean()
    assert "legal_act" in error.value.message_dict
