"""No lost updates in the directory: an edit saves only what it changes, on the locked row; a
stale edit (an older version than the stored one) is refused whole, on the page (409, with what
was typed kept) and in the API (409 with a JSON `detail`)."""

import pytest
from django.test import Client

from civhub.accounts.services import create_token
from civhub.core.models import AuditEntry
from civhub.core.services import Conflict
from civhub.directory import services
from civhub.directory.choices import OrganizationKind
from civhub.directory.forms import CountryForm, OrganizationForm, PersonForm
from civhub.directory.models import Country, Organization, Person, Topic
from civhub.testing import make_user, run_in_threads

API = "/api/v1"


def make_agency(country=None) -> Organization:
    return Organization.objects.create(
        slug="agency",
        name_en="Civil Service Agency",
        description_en="Runs recruitment.",
        kind=OrganizationKind.CIVIL_SERVICE_AGENCY,
        country=country,
    )


def form_data(form_class, record, user=None, **change) -> dict:
    kwargs = {} if form_class is CountryForm else {"user": user}
    stored = form_class(instance=record, **kwargs)
    data = {name: stored[name].value() for name in stored.fields}
    data = {k: ("" if v is None else v) for k, v in data.items()}
    data = {k: v for k, v in data.items() if v is not False}  # an unticked box is not sent
    data.update(change)
    return data


def edit(user, record, form_class=OrganizationForm, version=None, **change):
    """Save `change` over `record` as its page's form would (with what else it holds)."""
    kwargs = {} if form_class is CountryForm else {"user": user}
    form = form_class(data=form_data(form_class, record, user, **change), instance=record, **kwargs)
    assert form.is_valid(), form.errors
    return services.save_record(user, form.save(commit=False), m2m_form=form, version=version)


def bearer(user) -> dict:
    _token, secret = create_token(user, "tests")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.django_db
class TestStaleReads:
    """The interleavings of the races, one after the other (both databases)."""

    def test_edits_of_different_fields_from_one_reading_both_hold(self, editor):
        agency = make_agency()
        first, second = (Organization.objects.get(pk=agency.pk) for _ in range(2))
        edit(editor.user, first, name_en="National Agency")
        edit(editor.user, second, description_en="Runs open competitions.")
        agency.refresh_from_db()
        assert (agency.name_en, agency.description_en) == (
            "National Agency",
            "Runs open competitions.",
        )
        assert agency.version == 3

    def test_an_edit_of_an_older_version_is_refused(self, editor):
        agency = make_agency()
        first, second = (Organization.objects.get(pk=agency.pk) for _ in range(2))
        edit(editor.user, first, version=1, name_en="First")
        with pytest.raises(Conflict):
            edit(editor.user, second, version=1, name_en="Second")
        agency.refresh_from_db()
        assert agency.name_en == "First" and agency.version == 2
        assert AuditEntry.objects.filter(action="organization.updated").count() == 1

    def test_saving_what_is_there_writes_nothing(self, editor):
        agency = make_agency()
        edit(editor.user, Organization.objects.get(pk=agency.pk), version=1)
        agency.refresh_from_db()
        assert agency.version == 1
        assert not AuditEntry.objects.filter(action="organization.updated").exists()

    def test_the_audit_names_the_fields_changed_links_included(self, editor, kazakhstan):
        person = Person.objects.create(slug="expert", name="Aigul", country=kazakhstan)
        topic = Topic.objects.first()
        edit(editor.user, person, PersonForm, bio_ru="Эксперт.", topics=[topic.pk])
        entry = AuditEntry.objects.get(action="person.updated")
        assert entry.data["fields"] == ["bio_ru", "topics"]
        person.refresh_from_db()
        assert list(person.topics.all()) == [topic] and person.version == 2

    def test_a_country_summary_edited_twice_keeps_both_languages(self, focal_point, kazakhstan):
        first, second = (Country.objects.get(pk=kazakhstan.pk) for _ in range(2))
        edit(focal_point.user, first, CountryForm, summary_ru="Обзор.")
        edit(focal_point.user, second, CountryForm, summary_kk="Шолу.")
        kazakhstan.refresh_from_db()
        assert (kazakhstan.summary_ru, kazakhstan.summary_kk) == ("Обзор.", "Шолу.")

    def test_a_focal_point_who_lost_the_record_meanwhile_is_refused(self, focal_point, georgia):
        """A person moved to another country after the focal point opened the form."""
        person = Person.objects.create(
            slug="expert", name="Aigul", country=Country.objects.get(code="KZ")
        )
        opened = Person.objects.get(pk=person.pk)
        Person.objects.filter(pk=person.pk).update(country=georgia)
        with pytest.raises(Conflict):
            edit(focal_point.user, opened, PersonForm, bio_en="Changed.")
        person.refresh_from_db()
        assert not person.bio_en and person.country == georgia

    def test_the_page_refuses_a_stale_form_and_keeps_what_was_typed(self, editor):
        agency = make_agency()
        edit(editor.user, Organization.objects.get(pk=agency.pk), name_en="Someone else's")
        data = form_data(
            OrganizationForm,
            Organization.objects.get(pk=agency.pk),
            editor.user,
            description_en="What I typed",
            version="1",
        )
        response = editor.post("/en/organizations/agency/edit/", data)
        assert response.status_code == 409
        page = response.content.decode()
        assert "What I typed" in page and "changed this record" in page
        assert 'name="version" value="1"' in page  # still refused until reopened
        agency.refresh_from_db()
        assert agency.name_en == "Someone else's" and agency.description_en == "Runs recruitment."

    def test_the_page_saves_a_form_of_the_current_version(self, focal_point, kazakhstan):
        page = focal_point.get("/en/countries/kz/edit/").content.decode()
        assert 'name="version" value="1"' in page
        response = focal_point.post(
            "/en/countries/kz/edit/", {"summary_en": "A new summary.", "version": "1"}
        )
        assert response.status_code == 302
        kazakhstan.refresh_from_db()
        assert kazakhstan.summary_en == "A new summary." and kazakhstan.version == 2

    def test_the_api_refuses_an_older_version_with_409(self, editor):
        agency = make_agency()
        client, auth = Client(), bearer(editor.user)
        url = f"{API}/organizations/agency"
        assert client.get(url).json()["version"] == 1
        ok = client.patch(url, {"acronym": "CSA", "version": 1}, "application/json", **auth)
        assert ok.status_code == 200, ok.content
        assert ok.json()["version"] == 2 and ok.json()["acronym"] == "CSA"
        stale = client.patch(
            url,
            {"translations": {"ru": {"name": "Агентство"}}, "version": 1},
            "application/json",
            **auth,
        )
        assert stale.status_code == 409
        assert "changed this record" in stale.json()["detail"]
        agency.refresh_from_db()
        assert agency.name_ru in ("", None) and agency.acronym == "CSA"

    def test_the_api_edits_by_role(self, member, focal_point, kazakhstan, georgia):
        """Who may edit a record on its page may PATCH it; others get 403; bad input a 400
        that names the field."""
        own, other = (
            make_agency(kazakhstan),
            Organization.objects.create(
                slug="other", name_en="Other", kind=OrganizationKind.OTHER, country=georgia
            ),
        )
        change = {"description": "x"}
        for user, organization, status in [
            (member.user, own, 403),
            (focal_point.user, other, 403),
            (focal_point.user, own, 200),
        ]:
            response = Client().patch(
                f"{API}/organizations/{organization.slug}",
                {"translations": {"en": change}},
                "application/json",
                **bearer(user),
            )
            assert response.status_code == status, (user, organization, response.content)
        bad = Client().patch(
            f"{API}/organizations/agency",
            {"translations": {"en": {"name": ""}}, "country": "XX"},
            "application/json",
            **bearer(focal_point.user),
        )
        assert bad.status_code == 400 and set(bad.json()["errors"]) == {"country"}
        bad = Client().patch(
            f"{API}/organizations/agency",
            {"translations": {"en": {"name": ""}}},
            "application/json",
            **bearer(focal_point.user),
        )
        assert bad.status_code == 400 and "translations.en.name" in bad.json()["errors"]

    def test_a_person_edits_their_own_record_through_the_api(self, member):
        person = Person.objects.create(slug="me", name="Me", user=member.user)
        response = Client().patch(
            f"{API}/people/me",
            {"translations": {"kk": {"bio": "Өмірбаян."}}, "languages": ["kk", "ru"]},
            "application/json",
            **bearer(member.user),
        )
        assert response.status_code == 200, response.content
        person.refresh_from_db()
        assert person.bio_kk == "Өмірбаян." and person.languages == ["kk", "ru"]
        assert response.json()["version"] == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("parallel_connections")
class TestRaces:
    """The races themselves, through the API, each request in its own connection. SQLite's
    test database lives in one process's memory, so real parallel writers need PostgreSQL."""

    def test_parallel_edits_of_different_fields_lose_nothing(self):
        editor = make_user("parallel-editor@test.example", "editor", "member")
        auth = bearer(editor)
        make_agency()
        url = f"{API}/organizations/agency"
        fields = [("en", "description"), ("ru", "name"), ("ru", "description"), ("kk", "name")]

        def writer(code, field):
            statuses = []
            for n in range(10):
                change = {"translations": {code: {field: f"{code} {field} {n}"}}}
                response = Client().patch(url, change, "application/json", **auth)
                statuses.append(response.status_code)
            return statuses

        outcomes = run_in_threads(*(lambda c=c, f=f: writer(c, f) for c, f in fields))
        assert [kind for kind, _result in outcomes] == ["ok"] * len(fields), outcomes
        assert all(status == 200 for _kind, statuses in outcomes for status in statuses)
        agency = Organization.objects.get(slug="agency")
        assert [getattr(agency, f"{f}_{c}") for c, f in fields] == [f"{c} {f} 9" for c, f in fields]
        assert agency.version == 1 + len(fields) * 10
        assert AuditEntry.objects.filter(action="organization.updated").count() == 40

    def test_parallel_edits_of_one_version_keep_exactly_one(self):
        """N editors who read version 1 save at once: one is saved, the others are told."""
        editor = make_user("parallel-editor@test.example", "editor", "member")
        auth = bearer(editor)
        make_agency()
        url = f"{API}/organizations/agency"

        def writer(n):
            change = {"acronym": f"A{n}", "version": 1}
            return Client().patch(url, change, "application/json", **auth).status_code

        outcomes = run_in_threads(*(lambda n=n: writer(n) for n in range(8)))
        statuses = [status for _kind, status in outcomes]
        assert sorted(statuses) == [200] + [409] * 7, outcomes
        agency = Organization.objects.get(slug="agency")
        assert agency.acronym == f"A{statuses.index(200)}" and agency.version == 2
        assert AuditEntry.objects.filter(action="organization.updated").count() == 1

    def test_parallel_profile_saves_never_undo_a_role_granted_meanwhile(self):
        """A profile form saved while an editor role is granted keeps the role's staff flag."""
        from civhub.accounts.forms import ProfileForm
        from civhub.accounts.models import User
        from civhub.accounts.services import grant_role, update_profile

        admin = make_user("admin@test.example", "admin", "member")
        for attempt in range(10):
            user = make_user(f"user{attempt}@test.example", "member")

            def save_profile(user=user, attempt=attempt):
                opened = User.objects.get(pk=user.pk)
                form = ProfileForm(
                    data={"display_name": f"Name {attempt}", "language": "ru"}, instance=opened
                )
                assert form.is_valid(), form.errors
                return update_profile(opened, opened, form)

            (kind, saved), (grant, _assignment) = run_in_threads(
                save_profile, lambda user=user: grant_role(admin, user, "editor")
            )
            assert (kind, grant) == ("ok", "ok"), (saved, _assignment)
            user.refresh_from_db()
            assert user.is_staff and user.display_name == f"Name {attempt}"
