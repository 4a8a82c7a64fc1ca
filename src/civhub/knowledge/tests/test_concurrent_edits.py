"""No lost updates: an edit saves only what it changes, on the locked row; a stale edit (an
older version, or a record whose new state forbids the edit) is refused whole."""

import pytest
from django.test import Client

from civhub.core.models import AuditEntry
from civhub.core.services import Conflict
from civhub.directory.models import Country, Topic
from civhub.knowledge.choices import PracticeState
from civhub.knowledge.forms.practices import PracticeForm
from civhub.knowledge.models import Practice
from civhub.knowledge.services import practices as services
from civhub.testing import bearer, parallel_writers, run_in_threads


def make_draft(author, **texts) -> Practice:
    fields = {
        "title_en": "Open competitions",
        "summary_en": "Merit.",
        "challenge_en": "Patronage.",
        "solution_en": "Open competitions.",
        **texts,
    }
    practice = Practice.objects.create(language="en", created_by=author, **fields)
    practice.countries.add(Country.objects.get(code="KZ"))
    practice.topics.add(Topic.objects.first())  # type: ignore[arg-type]  # there are topics
    return practice


def edit(user, practice: Practice, version=None, **change) -> Practice:
    """Save `change` over `practice` as its page's form would (with what else it holds)."""
    stored = PracticeForm(instance=practice)
    data = {name: stored[name].value() for name in stored.fields}
    data.update(change)
    form = PracticeForm(data=data, instance=practice)
    assert form.is_valid(), form.errors
    return services.save_practice(user, form.save(commit=False), m2m_form=form, version=version)


@pytest.mark.django_db
class TestStaleReads:
    """The interleavings of the races, made one after the other (both databases)."""

    def test_an_edit_read_before_a_submission_does_not_undo_it(self, member):
        practice = make_draft(member.user)
        opened = Practice.objects.get(pk=practice.pk)  # the author's form, opened first
        services.transition(member.user, practice, "submit")
        with pytest.raises(Conflict):
            edit(member.user, opened, summary_en="Changed after all.")
        practice.refresh_from_db()
        assert practice.state == PracticeState.SUBMITTED
        assert practice.summary_en == "Merit."
        assert not AuditEntry.objects.filter(action="practice.updated").exists()

    def test_edits_of_different_fields_from_one_reading_both_hold(self, editor):
        practice = make_draft(editor.user)
        first, second = (Practice.objects.get(pk=practice.pk) for _ in range(2))
        edit(editor.user, first, title_en="A new title")
        edit(editor.user, second, summary_en="A new summary")
        practice.refresh_from_db()
        assert (practice.title_en, practice.summary_en) == ("A new title", "A new summary")
        assert practice.version == 3

    def test_an_edit_of_an_older_version_is_refused(self, editor):
        practice = make_draft(editor.user)
        first, second = (Practice.objects.get(pk=practice.pk) for _ in range(2))
        edit(editor.user, first, version=1, title_en="First")
        with pytest.raises(Conflict):
            edit(editor.user, second, version=1, title_en="Second")
        practice.refresh_from_db()
        assert practice.title_en == "First" and practice.version == 2

    def test_saving_what_is_there_writes_nothing(self, editor):
        practice = make_draft(editor.user)
        edit(editor.user, Practice.objects.get(pk=practice.pk))
        practice.refresh_from_db()
        assert practice.version == 1
        assert not AuditEntry.objects.filter(action="practice.updated").exists()

    def test_the_audit_names_the_fields_changed(self, editor):
        practice = make_draft(editor.user)
        edit(editor.user, practice, summary_en="New", countries=[Country.objects.get(code="GE").pk])
        entry = AuditEntry.objects.get(action="practice.updated")
        assert entry.data["fields"] == ["countries", "summary_en"]

    def test_the_api_refuses_an_older_version_with_409(self, editor):
        practice = make_draft(editor.user)
        client, auth = Client(), bearer(editor.user)
        url = f"/api/v1/practices/{practice.slug}"
        body = client.get(url, **auth).json()
        assert body["version"] == 1
        ok = client.patch(url, {"title": "One", "version": 1}, "application/json", **auth)
        assert ok.status_code == 200 and ok.json()["version"] == 2
        stale = client.patch(url, {"title": "Two", "version": 1}, "application/json", **auth)
        assert stale.status_code == 409
        assert "changed this record" in stale.json()["detail"]
        practice.refresh_from_db()
        assert practice.title_en == "One"

    def test_the_page_refuses_a_stale_form_and_keeps_what_was_typed(self, editor):
        practice = make_draft(editor.user)
        edit(editor.user, Practice.objects.get(pk=practice.pk), title_en="Someone else's")
        stored = PracticeForm(instance=Practice.objects.get(pk=practice.pk))
        data = {name: stored[name].value() for name in stored.fields}
        data = {k: ("" if v is None else v) for k, v in data.items()}
        data.update(summary_en="What I typed", version="1", title_en="Open competitions")
        response = editor.post(f"/en/practices/{practice.slug}/edit/", data)
        assert response.status_code == 409
        page = response.content.decode()
        assert "What I typed" in page and "changed this record" in page
        assert 'name="version" value="1"' in page  # still refused until reopened
        practice.refresh_from_db()
        assert practice.title_en == "Someone else's" and practice.summary_en == "Merit."


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("parallel_connections")
class TestRaces:
    """The races themselves, through the API, each request in its own connection. SQLite's
    test database lives in one process's memory, so real parallel writers need PostgreSQL."""

    def test_a_patch_racing_a_submission_never_undoes_it(self):
        from civhub.testing import make_user

        author = make_user("author@test.example", "member")
        auth = bearer(author)
        for attempt in range(15):
            practice = make_draft(author, title_en=f"Attempt {attempt}")
            url = f"/api/v1/practices/{practice.slug}"
            (_, patch), (_, submit) = run_in_threads(
                lambda url=url: (
                    Client()
                    .patch(url, {"summary": "Edited"}, "application/json", **auth)
                    .status_code
                ),
                lambda url=url: Client().post(
                    f"{url}/transitions/submit", {}, "application/json", **auth
                ),
            )
            practice.refresh_from_db()
            assert submit.status_code == 200, submit.content
            assert practice.state == PracticeState.SUBMITTED, attempt
            assert patch in (200, 409)
            assert (practice.summary_en == "Edited") == (patch == 200)

    def test_parallel_edits_of_different_fields_lose_nothing(self):
        from civhub.testing import make_user

        editor = make_user("parallel-editor@test.example", "editor", "member")
        auth = bearer(editor)
        practice = make_draft(editor)
        url = f"/api/v1/practices/{practice.slug}"
        fields = ["title", "summary", "challenge", "solution"]
        statuses = parallel_writers(
            url, auth, [[{field: f"{field} {n}"} for n in range(10)] for field in fields]
        )
        assert all(status == 200 for writer in statuses for status in writer), statuses
        practice.refresh_from_db()
        assert [getattr(practice, f"{f}_en") for f in fields] == [f"{f} 9" for f in fields]
        assert practice.version == 1 + 4 * 10
