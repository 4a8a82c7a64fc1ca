"""No lost updates on laws and by-laws: an edit saves only what it changes, on the locked row;
a stale edit (an older version) is refused whole, on the page (409, what was typed kept) and
in the API (409 with `detail`); a change of the publication state is never undone by an edit
read before it."""

import pytest
from django.test import Client

from civhub.core.models import AuditEntry
from civhub.core.services import Conflict
from civhub.directory.models import Country, Topic
from civhub.knowledge.choices import LegalActKind, PublicationState
from civhub.knowledge.forms.legal import LegalActForm
from civhub.knowledge.models import LegalAct
from civhub.knowledge.services.legal import save_legal_act
from civhub.testing import bearer, make_user, parallel_writers, posted, run_in_threads


def make_act(code="KZ", title="Law on Civil Service", **fields) -> LegalAct:
    fields = {"kind": LegalActKind.LAW, "language": "en", "summary_en": "Merit.", **fields}
    return LegalAct.objects.create(country=Country.objects.get(code=code), title_en=title, **fields)


def form_data(act: LegalAct, user, **change) -> dict:
    """What the act's edit page posts: the act as the page shows it, with `change` typed."""
    return posted(LegalActForm(instance=act, user=user), **change)


def edit(user, act: LegalAct, version=None, **change) -> LegalAct:
    """Save `change` over `act` (the act as the editor read it) as its page's form would."""
    form = LegalActForm(data=form_data(act, user, **change), instance=act, user=user)
    assert form.is_valid(), form.errors
    return save_legal_act(
        user,
        form.save(commit=False),
        **form.relations(),
        changed=form.changed_data,
        version=version,
    )


def read(act: LegalAct) -> LegalAct:
    return LegalAct.objects.get(pk=act.pk)


@pytest.mark.django_db
class TestStaleReads:
    """The interleavings of the races, made one after the other (both databases)."""

    def test_an_edit_read_before_a_change_of_state_does_not_undo_it(self, editor):
        act = make_act()
        opened = read(act)  # one editor's form, opened first
        edit(editor.user, read(act), state=PublicationState.DRAFT)
        edit(editor.user, opened, summary_en="Merit and open competitions.")
        act.refresh_from_db()
        assert act.state == PublicationState.DRAFT
        assert act.summary_en == "Merit and open competitions."
        assert act.version == 3

    def test_with_the_version_read_the_same_edit_is_refused(self, editor):
        act = make_act()
        opened = read(act)
        edit(editor.user, read(act), version=1, state=PublicationState.DRAFT)
        with pytest.raises(Conflict):
            edit(editor.user, opened, version=1, summary_en="Changed after all.")
        act.refresh_from_db()
        assert (act.state, act.summary_en, act.version) == (PublicationState.DRAFT, "Merit.", 2)
        assert AuditEntry.objects.filter(action="legal_act.updated").count() == 1

    def test_edits_of_different_fields_from_one_reading_both_hold(self, focal_point):
        act = make_act()
        first, second = read(act), read(act)
        edit(focal_point.user, first, number="12-VI")
        edit(focal_point.user, second, summary_en="A new summary")
        act.refresh_from_db()
        assert (act.number, act.summary_en, act.version) == ("12-VI", "A new summary", 3)

    def test_saving_what_is_there_writes_nothing(self, editor):
        act = make_act()
        edit(editor.user, read(act), version=1)
        act.refresh_from_db()
        assert act.version == 1
        assert not AuditEntry.objects.filter(action="legal_act.updated").exists()

    def test_a_change_of_links_alone_is_a_new_version_and_names_its_fields(self, editor):
        act = make_act()
        topic = Topic.objects.first()
        edit(editor.user, read(act), version=1, topics=[topic.pk], number="5")
        act.refresh_from_db()
        assert list(act.topics.all()) == [topic] and act.version == 2
        edit(editor.user, read(act), version=2, topics=[])
        act.refresh_from_db()
        assert not act.topics.exists() and act.version == 3
        fields = [e.data["fields"] for e in AuditEntry.objects.filter(action="legal_act.updated")]
        assert sorted(fields) == [["number", "topics"], ["topics"]]

    def test_links_an_editor_did_not_touch_stay_as_a_parallel_edit_set_them(self, editor):
        act, other = make_act(), make_act(title="Law on Public Service (old)")
        opened = read(act)
        edit(editor.user, read(act), amends=[other.pk])
        edit(editor.user, opened, number="7")
        act.refresh_from_db()
        assert list(act.amends.all()) == [other] and act.number == "7"

    def test_the_api_reads_the_version_and_refuses_an_older_one_with_409(self, editor):
        act = make_act()
        client, auth = Client(), bearer(editor.user)
        url = f"/api/v1/laws/{act.slug}"
        assert client.get(url).json()["version"] == 1
        ok = client.patch(url, {"number": "1", "version": 1}, "application/json", **auth)
        assert ok.status_code == 200, ok.content
        assert ok.json()["version"] == 2 and ok.json()["number"] == "1"
        stale = client.patch(url, {"summary": "Two", "version": 1}, "application/json", **auth)
        assert stale.status_code == 409
        assert "changed this record" in stale.json()["detail"]
        act.refresh_from_db()
        assert (act.number, act.summary_en) == ("1", "Merit.")

    def test_the_api_changes_only_the_fields_sent(self, editor):
        act = make_act(number="12-VI")
        auth = bearer(editor.user)
        response = Client().patch(
            f"/api/v1/laws/{act.slug}",
            {"translations": {"ru": {"title": "Закон о государственной службе"}}, "state": "draft"},
            "application/json",
            **auth,
        )
        assert response.status_code == 200, response.content
        act.refresh_from_db()
        assert (act.title_ru, act.state, act.number) == (
            "Закон о государственной службе",
            "draft",
            "12-VI",
        )
        entry = AuditEntry.objects.get(action="legal_act.updated")
        assert entry.data["fields"] == ["state", "title_ru"]

    @pytest.mark.parametrize("persona", ["visitor", "member", "evaluator"], indirect=True)
    def test_the_api_lets_only_who_may_edit_patch(self, persona):
        act = make_act()
        auth = bearer(persona.user) if persona.user else {}
        response = Client().patch(
            f"/api/v1/laws/{act.slug}", {"number": "9"}, "application/json", **auth
        )
        assert response.status_code == (401 if persona.user is None else 403)
        act.refresh_from_db()
        assert act.number == "" and act.version == 1

    def test_the_api_names_the_field_of_a_bad_value(self, editor):
        act = make_act()
        response = Client().patch(
            f"/api/v1/laws/{act.slug}",
            {"adopted_on": "2020-05-01", "effective_on": "2019-01-01", "topics": ["nope"]},
            "application/json",
            **bearer(editor.user),
        )
        assert response.status_code == 400
        assert "topics" in response.json()["errors"]
        act.refresh_from_db()
        assert act.version == 1

    def test_the_page_refuses_a_stale_form_and_keeps_what_was_typed(self, focal_point):
        act = make_act()
        data = form_data(read(act), focal_point.user, summary_en="What I typed", version="1")
        edit(focal_point.user, read(act), number="Someone else's")
        response = focal_point.post(f"/en/laws/{act.slug}/edit/", data)
        assert response.status_code == 409
        page = response.content.decode()
        assert "What I typed" in page and "changed this record" in page
        assert 'name="version" value="1"' in page  # still refused until reopened
        act.refresh_from_db()
        assert (act.number, act.summary_en) == ("Someone else's", "Merit.")

    def test_the_page_carries_the_version_it_was_opened_on(self, focal_point):
        act = make_act()
        edit(focal_point.user, read(act), number="2")
        page = focal_point.get(f"/en/laws/{act.slug}/edit/").content.decode()
        assert 'name="version" value="2"' in page
        data = form_data(read(act), focal_point.user, summary_en="Mine", version="2")
        response = focal_point.post(f"/en/laws/{act.slug}/edit/", data)
        assert response.status_code == 302
        act.refresh_from_db()
        assert (act.summary_en, act.version) == ("Mine", 3)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("parallel_connections")
class TestRaces:
    """The races themselves, through the API, each request in its own connection. SQLite's
    test database lives in one process's memory, so real parallel writers need PostgreSQL."""

    @pytest.fixture
    def auth(self):
        return bearer(make_user("law-editor@test.example", "editor", "member"))

    def test_an_edit_racing_a_change_of_state_never_undoes_it(self, auth):
        for attempt in range(8):
            act = make_act(title=f"Attempt {attempt}")
            url = f"/api/v1/laws/{act.slug}"
            [edit_status], [state_status] = parallel_writers(
                url, auth, [[{"summary": "Edited"}], [{"state": "draft"}]]
            )
            act.refresh_from_db()
            assert (edit_status, state_status) == (200, 200)
            assert (act.state, act.summary_en, act.version) == ("draft", "Edited", 3), attempt

    def test_two_changes_of_state_from_one_version_one_wins(self, auth):
        act = make_act()
        url = f"/api/v1/laws/{act.slug}"
        statuses = parallel_writers(
            url,
            auth,
            [
                [{"state": "draft", "version": 1}],
                [{"state": "draft", "status": "repealed", "version": 1}],
            ],
        )
        assert sorted(s for [s] in statuses) == [200, 409]
        act.refresh_from_db()
        assert act.version == 2 and act.state == "draft"
        assert AuditEntry.objects.filter(action="legal_act.updated").count() == 1

    def test_parallel_edits_of_different_fields_lose_nothing(self, auth):
        act = make_act()
        url = f"/api/v1/laws/{act.slug}"
        fields = ["number", "summary", "official_url", "title"]
        values = {
            field: [
                f"https://example.org/{n}" if field == "official_url" else f"{field} {n}"
                for n in range(6)
            ]
            for field in fields
        }
        statuses = parallel_writers(
            url, auth, [[{field: value} for value in values[field]] for field in fields]
        )
        assert all(status == 200 for writer in statuses for status in writer), statuses
        act.refresh_from_db()
        columns = ["number", "summary_en", "official_url", "title_en"]
        assert [getattr(act, c) for c in columns] == [values[f][-1] for f in fields]
        assert act.version == 1 + 4 * 6

    def test_n_parallel_edits_of_the_same_field_are_each_saved(self, auth):
        act = make_act()
        url = f"/api/v1/laws/{act.slug}"
        statuses = parallel_writers(url, auth, [[{"number": f"N-{n}"}] for n in range(8)])
        assert [s for [s] in statuses] == [200] * 8
        act.refresh_from_db()
        assert act.version == 9 and act.number in {f"N-{n}" for n in range(8)}
        assert AuditEntry.objects.filter(action="legal_act.updated").count() == 8

    def test_n_parallel_edits_of_one_version_one_is_saved_the_others_refused(self, auth):
        act = make_act()
        url = f"/api/v1/laws/{act.slug}"
        bodies = [[{"number": f"N-{n}", "version": 1}] for n in range(6)]
        statuses = sorted(s for [s] in parallel_writers(url, auth, bodies))
        assert statuses == [200] + [409] * 5
        act.refresh_from_db()
        assert act.version == 2

    def test_two_pages_opened_on_one_version_one_is_saved_the_other_refused(self):
        """The page's own path (form, changed fields, hidden version) in two threads."""
        editor = make_user("law-page-editor@test.example", "editor", "member")
        act = make_act()
        opened = {
            "number": form_data(read(act), editor, version="1", number="From the page"),
            "summary": form_data(read(act), editor, version="1", summary_en="Also"),
        }

        def page_edit(data):
            client = Client()
            client.force_login(editor)
            return client.post(f"/en/laws/{act.slug}/edit/", data).status_code

        outcomes = run_in_threads(*(lambda data=data: page_edit(data) for data in opened.values()))
        assert sorted(outcomes) == [("ok", 302), ("ok", 409)]
        act.refresh_from_db()
        number_won = outcomes[0] == ("ok", 302)
        assert act.version == 2
        assert (act.number == "From the page") == number_won
        assert (act.summary_en == "Also") == (not number_won)
