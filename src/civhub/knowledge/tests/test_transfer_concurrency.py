"""No lost updates on knowledge transfers: an edit saves only what it changes, on the locked
row; a stale edit (an older version) is refused whole, on the page (409, what was typed kept)
and in the API (409 with `detail`); a move to another stage or publication state is never
undone by an edit read before it."""

import pytest
from django.test import Client

from civhub.core.models import AuditEntry
from civhub.core.services import Conflict
from civhub.directory.models import Country
from civhub.knowledge.choices import TransferKind, TransferStage, TransferSubject
from civhub.knowledge.forms.transfers import TransferForm
from civhub.knowledge.models import KnowledgeTransfer
from civhub.knowledge.services.transfers import save_transfer
from civhub.testing import bearer, make_user, parallel_writers, posted, run_in_threads


def make_transfer(**fields) -> KnowledgeTransfer:
    fields = {
        "source_country": Country.objects.get(code="GE"),
        "target_country": Country.objects.get(code="KZ"),
        "subject_kind": TransferSubject.OTHER,
        "subject_en": "Competitive examinations",
        "outcome_en": "",
        "kind": TransferKind.STUDY,
        **fields,
    }
    return KnowledgeTransfer.objects.create(**fields)


def read(record: KnowledgeTransfer) -> KnowledgeTransfer:
    return KnowledgeTransfer.objects.get(pk=record.pk)


def form_data(record: KnowledgeTransfer, user, **change) -> dict:
    """What the transfer's edit page posts: the record as shown, with `change` typed."""
    return posted(TransferForm(instance=record, user=user), **change)


def edit(user, record: KnowledgeTransfer, version=None, **change) -> KnowledgeTransfer:
    """Save `change` over `record` (as the editor read it) as its page's form would."""
    form = TransferForm(data=form_data(record, user, **change), instance=record, user=user)
    assert form.is_valid(), form.errors
    return save_transfer(user, form.save(commit=False), changed=form.changed_data, version=version)


@pytest.mark.django_db
class TestStaleReads:
    """The interleavings of the races, made one after the other (both databases)."""

    def test_an_edit_read_before_a_move_to_another_stage_does_not_undo_it(self, focal_point):
        record = make_transfer()
        opened = read(record)
        edit(focal_point.user, read(record), stage=TransferStage.IMPLEMENTED)
        edit(focal_point.user, opened, outcome_en="A law adopted in 2019.")
        record.refresh_from_db()
        assert record.stage == TransferStage.IMPLEMENTED
        assert record.outcome_en == "A law adopted in 2019."
        assert record.version == 3

    def test_with_the_version_read_the_same_edit_is_refused(self, editor):
        record = make_transfer()
        opened = read(record)
        edit(editor.user, read(record), version=1, state="draft")
        with pytest.raises(Conflict):
            edit(editor.user, opened, version=1, outcome_en="Changed after all.")
        record.refresh_from_db()
        assert (record.state, record.outcome_en, record.version) == ("draft", "", 2)
        assert AuditEntry.objects.filter(action="transfer.updated").count() == 1

    def test_saving_what_is_there_writes_nothing(self, editor):
        record = make_transfer(evidence_urls=["https://example.org/report"])
        edit(editor.user, read(record), version=1)
        record.refresh_from_db()
        assert record.version == 1
        assert not AuditEntry.objects.filter(action="transfer.updated").exists()

    def test_a_new_kind_of_subject_clears_the_links_of_the_old_one(self, editor):
        from civhub.directory.models import Organization

        academy = Organization.objects.create(name="Academy", slug="academy", kind="academy")
        record = make_transfer(subject_kind=TransferSubject.INSTITUTION, institution=academy)
        edit(editor.user, read(record), subject_kind=TransferSubject.OTHER)
        record.refresh_from_db()
        assert record.institution_id is None and record.version == 2
        entry = AuditEntry.objects.get(action="transfer.updated")
        assert entry.data["fields"] == ["institution", "subject_kind"]

    def test_the_api_reads_the_version_and_refuses_an_older_one_with_409(self, editor):
        record = make_transfer()
        client, auth = Client(), bearer(editor.user)
        url = f"/api/v1/transfers/{record.pk}"
        assert client.get(url).json()["version"] == 1
        ok = client.patch(url, {"stage": "adapting", "version": 1}, "application/json", **auth)
        assert ok.status_code == 200, ok.content
        assert ok.json()["version"] == 2 and ok.json()["stage"] == "adapting"
        stale = client.patch(url, {"outcome": "Two", "version": 1}, "application/json", **auth)
        assert stale.status_code == 409
        assert "changed this record" in stale.json()["detail"]
        record.refresh_from_db()
        assert (record.stage, record.outcome_en) == ("adapting", "")

    def test_the_api_changes_only_the_fields_sent(self, focal_point):
        record = make_transfer(stage=TransferStage.ADAPTING)
        response = Client().patch(
            f"/api/v1/transfers/{record.pk}",
            {
                "language": "ru",
                "subject": "Конкурсные экзамены",
                "evidence_urls": ["https://example.org/a"],
            },
            "application/json",
            **bearer(focal_point.user),
        )
        assert response.status_code == 200, response.content
        record.refresh_from_db()
        assert record.subject_ru == "Конкурсные экзамены"
        assert record.subject_en == "Competitive examinations"
        assert record.evidence_urls == ["https://example.org/a"]
        assert record.stage == TransferStage.ADAPTING
        entry = AuditEntry.objects.get(action="transfer.updated")
        assert entry.data["fields"] == ["evidence_urls", "subject_ru"]

    def test_the_api_names_the_line_of_a_bad_link_and_saves_nothing(self, editor):
        record = make_transfer()
        response = Client().patch(
            f"/api/v1/transfers/{record.pk}",
            {"evidence_urls": ["https://example.org/a", "not a link"], "stage": "adapting"},
            "application/json",
            **bearer(editor.user),
        )
        assert response.status_code == 400
        assert "Line 2" in " ".join(response.json()["errors"]["evidence_urls"])
        record.refresh_from_db()
        assert record.version == 1 and record.stage == TransferStage.EXPLORING

    @pytest.mark.parametrize("persona", ["visitor", "member", "evaluator"], indirect=True)
    def test_the_api_lets_only_who_may_edit_patch(self, persona):
        record = make_transfer()
        auth = bearer(persona.user) if persona.user else {}
        response = Client().patch(
            f"/api/v1/transfers/{record.pk}", {"stage": "evaluated"}, "application/json", **auth
        )
        assert response.status_code == (401 if persona.user is None else 403)
        record.refresh_from_db()
        assert record.version == 1

    def test_a_focal_point_of_neither_country_may_not_patch(self, focal_point):
        record = make_transfer(target_country=Country.objects.get(code="AZ"))
        response = Client().patch(
            f"/api/v1/transfers/{record.pk}",
            {"stage": "evaluated"},
            "application/json",
            **bearer(focal_point.user),
        )
        assert response.status_code == 403

    def test_the_page_refuses_a_stale_form_and_keeps_what_was_typed(self, focal_point):
        record = make_transfer()
        data = form_data(read(record), focal_point.user, outcome_en="What I typed", version="1")
        edit(focal_point.user, read(record), stage=TransferStage.EVALUATED)
        response = focal_point.post(f"/en/transfers/{record.pk}/edit/", data)
        assert response.status_code == 409
        page = response.content.decode()
        assert "What I typed" in page and "changed this record" in page
        assert 'name="version" value="1"' in page
        record.refresh_from_db()
        assert (record.stage, record.outcome_en) == (TransferStage.EVALUATED, "")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("parallel_connections")
class TestRaces:
    """The races themselves, through the API, each request in its own connection. SQLite's
    test database lives in one process's memory, so real parallel writers need PostgreSQL."""

    @pytest.fixture
    def auth(self):
        return bearer(make_user("transfer-editor@test.example", "editor", "member"))

    def test_an_edit_racing_a_move_to_another_stage_never_undoes_it(self, auth):
        for attempt in range(8):
            record = make_transfer(subject_en=f"Attempt {attempt}")
            statuses = parallel_writers(
                f"/api/v1/transfers/{record.pk}",
                auth,
                [[{"outcome": "Edited"}], [{"stage": "implemented"}]],
            )
            record.refresh_from_db()
            assert statuses == [[200], [200]]
            assert (record.stage, record.outcome_en, record.version) == (
                "implemented",
                "Edited",
                3,
            ), attempt

    def test_two_moves_from_one_version_one_wins(self, auth):
        record = make_transfer()
        statuses = parallel_writers(
            f"/api/v1/transfers/{record.pk}",
            auth,
            [[{"stage": "implemented", "version": 1}], [{"stage": "adapting", "version": 1}]],
        )
        assert sorted(s for [s] in statuses) == [200, 409]
        record.refresh_from_db()
        won = "implemented" if statuses[0] == [200] else "adapting"
        assert (record.stage, record.version) == (won, 2)

    def test_parallel_edits_of_different_fields_lose_nothing(self, auth):
        record = make_transfer()
        writers = {
            "outcome": [{"outcome": f"Outcome {n}"} for n in range(6)],
            "source_note": [{"source_note": f"Note {n}"} for n in range(6)],
            "stage": [{"stage": s} for s in ["adapting", "implemented"] * 3],
            "started_on": [{"started_on": f"201{n}-01-01"} for n in range(6)],
        }
        statuses = parallel_writers(f"/api/v1/transfers/{record.pk}", auth, list(writers.values()))
        assert all(status == 200 for writer in statuses for status in writer), statuses
        record.refresh_from_db()
        assert (record.outcome_en, record.source_note, record.stage) == (
            "Outcome 5",
            "Note 5",
            "implemented",
        )
        assert record.started_on.isoformat() == "2015-01-01"
        assert record.version == 1 + 4 * 6

    def test_n_parallel_edits_of_the_same_field_are_each_saved(self, auth):
        record = make_transfer()
        statuses = parallel_writers(
            f"/api/v1/transfers/{record.pk}",
            auth,
            [[{"source_note": f"Note {n}"}] for n in range(8)],
        )
        assert [s for [s] in statuses] == [200] * 8
        record.refresh_from_db()
        assert record.version == 9
        assert AuditEntry.objects.filter(action="transfer.updated").count() == 8

    def test_two_pages_opened_on_one_version_one_is_saved_the_other_refused(self):
        editor = make_user("transfer-page-editor@test.example", "editor", "member")
        record = make_transfer()
        pages = [
            form_data(read(record), editor, version="1", outcome_en="From one page"),
            form_data(read(record), editor, version="1", stage=TransferStage.EVALUATED),
        ]

        def page_edit(data):
            client = Client()
            client.force_login(editor)
            return client.post(f"/en/transfers/{record.pk}/edit/", data).status_code

        outcomes = run_in_threads(*(lambda data=data: page_edit(data) for data in pages))
        assert sorted(outcomes) == [("ok", 302), ("ok", 409)]
        record.refresh_from_db()
        first_won = outcomes[0] == ("ok", 302)
        assert record.version == 2
        assert (record.outcome_en == "From one page") == first_won
        assert (record.stage == TransferStage.EVALUATED) == (not first_won)
