"""Laws and by-laws: who may add and edit them, what each persona sees, the links between
acts (amends, repeals, drew on), bad input, filters, and the demonstration data."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from civhub.core.models import AuditEntry
from civhub.directory.models import Country, Topic
from civhub.knowledge import demo_legal
from civhub.knowledge.choices import LegalActKind, LegalActStatus, PublicationState
from civhub.knowledge.models import LegalAct
from civhub.knowledge.services.legal import save_legal_act

pytestmark = pytest.mark.django_db
ALL = ["visitor", "member", "focal_point", "evaluator", "editor", "steering", "admin"]
ADDS = {"focal_point", "editor", "admin"}  # focal point: acts of Kazakhstan only
EDITS_KZ = {"focal_point", "editor", "admin"}
EDITS_GE = {"editor", "admin"}


@pytest.fixture
def legal_demo(demo_data):
    demo_legal.load(log=lambda *args: None)


def make_act(country, title="Law on Civil Service", **fields) -> LegalAct:
    fields = {"kind": LegalActKind.LAW, "language": "en", **fields}
    act = LegalAct(country=country, title_en=title, **fields)
    act.save()
    return act


def act_form(country, **overrides) -> dict:
    data = {
        "country": country.pk,
        "kind": LegalActKind.LAW,
        "language": "en",
        "title_en": "On Civil Service Ethics",
        "title_ru": "",
        "title_kk": "",
        "number": "12-VI",
        "adopted_on": "2020-05-01",
        "effective_on": "2020-07-01",
        "status": LegalActStatus.IN_FORCE,
        "official_url": "",
        "summary_en": "Rules of conduct.",
        "summary_ru": "",
        "summary_kk": "",
        "state": PublicationState.PUBLISHED,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# --- pages and permissions -------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_the_list_and_an_act_are_open_to_everyone(persona, legal_demo):
    for url in (
        "/en/laws/",
        "/ru/laws/",
        "/en/laws/kz-law-civil-service-2015/",
        "/kk/laws/az-civil-service-legislation-draft/",
    ):
        response = persona.get(url)
        assert response.status_code == 200, url
        assert response.content.count(b"<h1") == 1, url


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_who_may_add_an_act(persona, kazakhstan):
    response = persona.get("/en/laws/add/")
    if persona.role == "visitor":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif persona.role in ADDS:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("persona", ALL, indirect=True)
def test_who_may_edit_an_act(persona, kazakhstan, georgia):
    kz, ge = make_act(kazakhstan, "KZ law"), make_act(georgia, "GE law")
    for act, allowed in ((kz, EDITS_KZ), (ge, EDITS_GE)):
        response = persona.get(reverse("knowledge:legal_act_edit", kwargs={"slug": act.slug}))
        if persona.role == "visitor":
            assert response.status_code == 302
        else:
            assert response.status_code == (200 if persona.role in allowed else 403), act
        # The act's page offers "Edit" exactly to those who may.
        page = persona.get(act.get_absolute_url())
        assert (b"/edit/" in page.content) == (persona.role in allowed)


def test_a_focal_point_adds_a_law_of_its_country_and_it_is_audited(focal_point, kazakhstan):
    topic = Topic.objects.get(slug="legal-framework")
    response = focal_point.post("/en/laws/add/", act_form(kazakhstan, topics=[topic.pk]))
    assert response.status_code == 302
    act = LegalAct.objects.get(title_en="On Civil Service Ethics")
    assert act.country == kazakhstan and act.created_by == focal_point.user
    assert list(act.topics.all()) == [topic]
    assert response["Location"] == act.get_absolute_url()
    entry = AuditEntry.objects.get(action="legal_act.created")
    assert entry.actor == focal_point.user and entry.object_id == str(act.pk)


def test_the_focal_points_country_is_the_only_choice(focal_point, kazakhstan):
    form = focal_point.get("/en/laws/add/").context["form"]
    assert list(form.fields["country"].queryset) == [kazakhstan]


def test_a_focal_point_cannot_file_a_law_under_another_country(focal_point, georgia):
    response = focal_point.post("/en/laws/add/", act_form(georgia))
    assert response.status_code == 200
    assert "country" in response.context["form"].errors
    assert not LegalAct.objects.exists()


def test_a_focal_point_cannot_move_another_countrys_act_to_its_own(focal_point, georgia):
    act = make_act(georgia, "Georgian law")
    act.country = Country.objects.get(code="KZ")
    with pytest.raises(PermissionDenied):
        save_legal_act(focal_point.user, act)
    assert LegalAct.objects.get(pk=act.pk).country == georgia


def test_members_cannot_save_acts_through_the_service(member, kazakhstan):
    act = LegalAct(country=kazakhstan, kind=LegalActKind.LAW, title_en="X")
    with pytest.raises(PermissionDenied):
        save_legal_act(member.user, act)
    assert not LegalAct.objects.exists()


def test_an_editor_edits_an_act_and_sets_its_links(editor, kazakhstan, georgia):
    old = make_act(kazakhstan, "Old law")
    act = make_act(kazakhstan, "New law")
    model = make_act(georgia, "Georgian model")
    data = act_form(
        kazakhstan,
        title_en="New law",
        repeals=[old.pk],
        drew_on=[model.pk],
        status=LegalActStatus.IN_FORCE,
    )
    response = editor.post(reverse("knowledge:legal_act_edit", kwargs={"slug": act.slug}), data)
    assert response.status_code == 302
    assert list(act.repeals.all()) == [old] and list(act.drew_on.all()) == [model]
    assert AuditEntry.objects.filter(action="legal_act.updated", object_id=str(act.pk)).exists()


# --- bad input -------------------------------------------------------------------------------


def test_an_act_cannot_take_effect_before_it_is_adopted(focal_point, kazakhstan):
    response = focal_point.post(
        "/en/laws/add/", act_form(kazakhstan, adopted_on="2020-05-01", effective_on="2020-04-01")
    )
    assert response.status_code == 200  # the form shows the model's own validation
    errors = response.context["form"].errors
    assert "effective_on" in errors and "before it is adopted" in errors["effective_on"][0]
    assert not LegalAct.objects.exists()
    assert not AuditEntry.objects.filter(action="legal_act.created").exists()


def test_the_title_in_the_original_language_is_required(focal_point, kazakhstan):
    response = focal_point.post("/en/laws/add/", act_form(kazakhstan, language="ru"))
    assert "title_ru" in response.context["form"].errors
    assert not LegalAct.objects.exists()


def test_drew_on_links_to_other_countries_acts_only(editor, kazakhstan):
    own = make_act(kazakhstan, "Another Kazakh law")
    response = editor.post("/en/laws/add/", act_form(kazakhstan, drew_on=[own.pk]))
    assert response.status_code == 400
    errors = response.context["form"].errors["drew_on"]
    assert "Another Kazakh law" in errors[0] and "same country" in errors[0]
    assert LegalAct.objects.count() == 1  # nothing half-written


def test_an_act_amends_only_acts_of_its_own_country(editor, kazakhstan, georgia):
    foreign = make_act(georgia, "Georgian law")
    act = make_act(kazakhstan, "Kazakh law")
    with pytest.raises(ValidationError) as raised:
        save_legal_act(editor.user, act, amends=[foreign])
    assert "amends" in raised.value.message_dict
    assert not act.amends.exists()


def test_an_act_cannot_point_to_itself(editor, kazakhstan):
    act = make_act(kazakhstan)
    with pytest.raises(ValidationError) as raised:
        save_legal_act(editor.user, act, repeals=[act])
    assert "repeals" in raised.value.message_dict


# --- visibility ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("visitor", False),
        ("member", False),
        ("evaluator", False),
        ("steering", False),
        ("focal_point", True),
        ("editor", True),
        ("admin", True),
    ],
    indirect=["persona"],
)
def test_a_draft_is_seen_by_editors_and_the_countrys_focal_points(persona, sees, kazakhstan):
    act = make_act(kazakhstan, "Draft law on rotation", state=PublicationState.DRAFT)
    response = persona.get(act.get_absolute_url())
    assert response.status_code == (200 if sees else 404)
    listing = persona.get("/en/laws/")
    assert (b"Draft law on rotation" in listing.content) == sees


def test_a_draft_of_another_country_is_hidden_from_a_focal_point(focal_point, georgia):
    act = make_act(georgia, "Georgian draft", state=PublicationState.DRAFT)
    assert focal_point.get(act.get_absolute_url()).status_code == 404


# --- links between acts, and the demonstration data ------------------------------------------


def test_drew_on_links_across_countries_are_shown_both_ways(visitor, legal_demo):
    page = visitor.get("/en/laws/az-civil-service-legislation-draft/").content.decode()
    assert "Drew on" in page
    assert "On Public Service" in page and "Georgia" in page
    assert "On Civil Service of the Republic of Kazakhstan" in page and "Kazakhstan" in page

    source = visitor.get("/en/laws/kz-law-civil-service-2015/")
    inspired = source.context["relations"]["inspired"]
    assert {act.country.code for act in inspired} == {"AZ", "BY", "KG"}
    assert [a.slug for a in source.context["relations"]["repeals"]] == ["kz-law-civil-service-1999"]
    html = source.content.decode()
    assert "Inspired" in html and "Repeals" in html and "Azerbaijan" in html
    old = visitor.get("/en/laws/kz-law-civil-service-1999/").content.decode()
    assert "Repealed by" in old


def test_the_page_says_which_language_you_read(visitor, legal_demo):
    ru = visitor.get("/ru/laws/kz-law-civil-service-2015/")
    assert ru.context["reading_notice"] == ""
    en = visitor.get("/en/laws/kz-law-civil-service-2015/")
    assert "original is in Russian" in en.context["reading_notice"]
    act = LegalAct.objects.get(slug="kz-law-civil-service-2015")
    act.title_kk = act.summary_kk = ""
    act.save()
    kk = visitor.get("/kk/laws/kz-law-civil-service-2015/")
    assert kk.context["title_language"] == "ru"
    assert 'lang="ru"' in kk.content.decode()


def test_the_demo_acts_state_only_known_facts(legal_demo):
    kz = LegalAct.objects.get(slug="kz-law-civil-service-2015")
    assert (kz.number, kz.adopted_on, kz.is_demo) == ("416-V", datetime.date(2015, 11, 23), False)
    ge = LegalAct.objects.get(slug="ge-law-public-service-2015")
    assert (ge.number, ge.adopted_on) == ("", datetime.date(2015, 10, 27))
    for slug in demo_legal.DREW_ON:
        act = LegalAct.objects.get(slug=slug)
        assert act.is_demo, f"{slug}: the act-level link is not in the seed"
        assert {a.country.code for a in act.drew_on.all()} == {"GE", "KZ"}


def test_the_demo_loads_twice_without_duplicates(legal_demo):
    from civhub.knowledge.models import KnowledgeTransfer

    counts = (LegalAct.objects.count(), KnowledgeTransfer.objects.count())
    demo_legal.load(log=lambda *args: None)
    assert (LegalAct.objects.count(), KnowledgeTransfer.objects.count()) == counts


# --- filters and the list --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=KZ", {"kz-law-civil-service-1999", "kz-law-civil-service-2015"}),
        ("status=repealed", {"kz-law-civil-service-1999"}),
        ("year=2015", {"kz-law-civil-service-2015", "ge-law-public-service-2015"}),
        ("q=PUBLIC+SERVICE", {"ge-law-public-service-2015"}),
        ("q=ГОСУДАРСТВЕННОЙ+СЛУЖБЕ+РЕСПУБЛИКИ", {"kz-law-civil-service-2015"}),
        ("topic=legal-framework&country=GE", {"ge-law-public-service-2015"}),
        ("kind=decree", set()),
    ],
)
def test_the_list_filters(visitor, legal_demo, query, expected):
    response = visitor.get(f"/en/laws/?{query}")
    assert response.status_code == 200
    assert {act.slug for act in response.context["object_list"]} == expected
    if not expected:
        assert b'class="empty"' in response.content


def test_the_list_page_has_a_bounded_number_of_queries(
    visitor, editor, legal_demo, django_assert_max_num_queries
):
    country = Country.objects.get(code="KZ")
    for n in range(25):
        make_act(country, f"By-law {n}", kind=LegalActKind.ORDER)
    with django_assert_max_num_queries(8):
        assert visitor.get("/en/laws/?country=KZ").status_code == 200
    with django_assert_max_num_queries(14):
        assert editor.get("/en/laws/").status_code == 200
