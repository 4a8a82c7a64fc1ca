"""The runs of imports and their undo journal: what a recovery undoes, and what it leaves.

The import killed for real (SIGKILL) is in test_import_concurrency.py; here the runs of dead
processes are written as such a kill leaves them."""

import datetime
import subprocess
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone

from civhub.core.models import AuditEntry
from civhub.directory.models import SdgTarget
from civhub.knowledge import importers
from civhub.knowledge.models import (
    ImportRun,
    ImportRunEntry,
    ImportRunState,
    Practice,
    PracticeContact,
)
from civhub.knowledge.models.imports import STALE_AFTER, process_alive
from civhub.knowledge.services import imports
from civhub.knowledge.services.imports import (
    import_records,
    recover_abandoned_runs,
    snapshot,
    undo_run,
)
from civhub.knowledge.tasks import recover_abandoned_imports
from civhub.testing import make_user

pytestmark = pytest.mark.django_db


def state_of(practice: Practice) -> dict:
    """Everything an undo must put back: the columns, the links (SDG targets in their order)
    and the contacts."""
    practice = Practice.objects.get(pk=practice.pk)
    links = Practice.sdg_targets.through.objects.filter(practice=practice).order_by("pk")
    return {
        **{f.attname: getattr(practice, f.attname) for f in Practice._meta.concrete_fields},
        "countries": sorted(practice.countries.values_list("pk", flat=True)),
        "topics": sorted(practice.topics.values_list("pk", flat=True)),
        "sdg_targets": list(links.values_list("sdgtarget__code", flat=True)),
        "contacts": [model_to_dict(c) for c in practice.contacts.all()],
    }


def dead_pid() -> int:
    """The id of a process of this host that has ended."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def record(n: int, **fields) -> dict:
    return importers.empty_record(title=f"Record {n}", challenge="C.", **fields)


@pytest.fixture
def practice(db, kazakhstan):
    practice = Practice.objects.create(
        language="en",
        title_en="Record 0",
        summary_en="As it was.",
        source_file="file.json",
        state="published",
        published_at=timezone.now(),
    )
    practice.countries.add(kazakhstan)
    for code in ("17.17", "16.a"):
        practice.sdg_targets.add(SdgTarget.objects.get(code=code))
    PracticeContact.objects.create(practice=practice, name="Ms. Before", email="b@example.org")
    return practice


def killed_run(practice: Practice, **run_fields) -> tuple[ImportRun, Practice]:
    """A run as an import killed after one batch leaves it: it created one practice and
    updated `practice`."""
    run = ImportRun.objects.create(file_name="file.json", **run_fields)
    ImportRunEntry.objects.create(
        run=run, practice_id=practice.pk, before=snapshot(practice), version=practice.version + 1
    )
    created = Practice.objects.create(language="en", title_en="Record 1", source_file="file.json")
    ImportRunEntry.objects.create(run=run, practice_id=created.pk, created=True)
    Practice.objects.filter(pk=practice.pk).update(summary_en="Imported.", version=2)
    practice.contacts.all().delete()
    practice.sdg_targets.clear()
    return run, created


def test_a_run_whose_process_ended_is_undone(practice):
    before = state_of(practice)
    run, created = killed_run(practice, pid=dead_pid())
    assert run.is_abandoned()
    [recovery] = recover_abandoned_runs()
    assert (recovery.deleted, recovery.restored, recovery.problems) == (1, [practice.pk], [])
    assert not Practice.objects.filter(pk=created.pk).exists()
    assert state_of(practice) == before
    run.refresh_from_db()
    assert run.state == ImportRunState.UNDONE and run.finished_at is not None
    assert not ImportRunEntry.objects.exists()
    entry = AuditEntry.objects.get(action="import.undone")
    assert entry.data == {
        "created": 1,
        "restored": [practice.pk],
        "run": run.pk,
        "host": run.host,
        "pid": run.pid,
    }
    assert recover_abandoned_runs() == []


def test_a_run_of_a_live_process_is_not_undone(practice):
    run, created = killed_run(practice)  # this process, with a fresh heartbeat
    assert process_alive(run.pid) and not run.is_abandoned()
    assert recover_abandoned_runs() == []
    assert Practice.objects.filter(pk=created.pk).exists()
    assert ImportRun.objects.get(pk=run.pk).state == ImportRunState.RUNNING
    assert not AuditEntry.objects.filter(action="import.undone").exists()


def test_another_host_s_run_is_undone_only_when_its_heartbeat_is_stale(practice):
    run, created = killed_run(practice, host="another-host", pid=dead_pid())
    assert recover_abandoned_runs() == []  # its pid means nothing here
    ImportRun.objects.filter(pk=run.pk).update(
        heartbeat_at=timezone.now() - STALE_AFTER - datetime.timedelta(seconds=1)
    )
    [recovery] = recover_abandoned_runs()
    assert recovery.run.pk == run.pk and not Practice.objects.filter(pk=created.pk).exists()


def test_a_live_pid_with_a_stale_heartbeat_is_undone(practice):
    """The pid may have been given to another process since; or the import is stuck."""
    old = timezone.now() - STALE_AFTER - datetime.timedelta(seconds=1)
    killed_run(practice, heartbeat_at=old)
    assert len(recover_abandoned_runs()) == 1


def test_finished_runs_are_never_undone(practice):
    for state in (ImportRunState.DONE, ImportRunState.UNDONE):
        run, created = killed_run(practice, pid=dead_pid(), state=state)
        assert not run.is_abandoned()
        assert recover_abandoned_runs() == []
        assert undo_run(run) is None
        assert Practice.objects.filter(pk=created.pk).exists()


def test_bad_journal_entries_are_named_and_the_rest_is_undone(practice, editor):
    other = Practice.objects.create(language="en", title_en="Other", source_file="x.json")
    run, created = killed_run(practice, pid=dead_pid())
    gone = make_user("gone@test.example", "editor")
    by_gone = Practice.objects.create(language="en", title_en="By gone", created_by=gone)
    bad = [
        ImportRunEntry(run=run, practice_id=other.pk, before="not a snapshot"),
        ImportRunEntry(run=run, practice_id=other.pk, before={"objects": [{"model": "x"}]}),
        ImportRunEntry(run=run, practice_id=other.pk, before=snapshot(practice)),
        ImportRunEntry(run=run, practice_id=by_gone.pk, before=snapshot(by_gone)),
        ImportRunEntry(run=run, practice_id=987654, before=snapshot(other)),
    ]
    incomplete = snapshot(other)
    del incomplete["objects"][0]["fields"]["title_en"]
    bad.append(ImportRunEntry(run=run, practice_id=other.pk, before=incomplete))
    garbled = snapshot(other)
    garbled["objects"][0]["fields"]["publication_date"] = "not a date"
    bad.append(ImportRunEntry(run=run, practice_id=other.pk, before=garbled))
    ImportRunEntry.objects.bulk_create(bad)
    gone_pk = gone.pk
    gone.delete()
    Practice.objects.filter(pk=other.pk).update(title_en="Other, as the import left it")

    out = StringIO()
    call_command("import-practices", "--recover", stdout=out)
    printed = out.getvalue()

    # the good entries are undone
    assert not Practice.objects.filter(pk=created.pk).exists()
    assert Practice.objects.get(pk=practice.pk).summary_en == "As it was."
    # each bad one is named, with why, and changed nothing
    assert Practice.objects.get(pk=other.pk).title_en == "Other, as the import left it"
    run.refresh_from_db()
    assert run.state == ImportRunState.UNDONE
    prefix = f"file.json (import run {run.pk}): practice"
    problems = AuditEntry.objects.get(action="import.undone").data["problems"]
    assert problems == [
        f"{prefix} {other.pk} was not put back: the journal entry holds no snapshot.",
        f"{prefix} {other.pk} was not put back: the snapshot is not a list of records.",
        f"{prefix} {other.pk} was not put back: the snapshot is not of this practice.",
        f"{prefix} {by_gone.pk} was not put back: it refers to users {gone_pk}, which no "
        "longer exist.",
        f"{prefix} 987654 was not put back: the practice has been deleted since.",
        f"{prefix} {other.pk} was not put back: the snapshot of the practice is incomplete.",
        f"{prefix} {other.pk} was not put back: “not a date” value has an invalid date "
        "format. It must be in YYYY-MM-DD format.",
    ]
    for problem in problems:
        assert problem in printed


def test_a_run_that_cannot_be_undone_stays_and_the_command_fails(practice, monkeypatch):
    run, created = killed_run(practice, pid=dead_pid())

    def locked(*args, **kwargs):
        raise DatabaseError("database is locked")

    monkeypatch.setattr(imports, "undo_run", locked)
    out = StringIO()
    with pytest.raises(CommandError, match="1 unfinished import could not be undone"):
        call_command("import-practices", "--recover", stdout=out)
    assert "could not be undone: database is locked. The next recovery tries again." in (
        out.getvalue()
    )
    assert ImportRun.objects.get(pk=run.pk).state == ImportRunState.RUNNING
    monkeypatch.undo()
    assert len(recover_abandoned_runs()) == 1


def test_the_command_needs_files_or_recover(db):
    with pytest.raises(CommandError, match="Give the files to import, or --recover"):
        call_command("import-practices")


def test_an_import_recovers_first(practice, tmp_path):
    run, created = killed_run(practice, pid=dead_pid())
    path = tmp_path / "new.json"
    path.write_text('[{"title": "New", "challenge": "C."}]')
    out = StringIO()
    call_command("import-practices", str(path), stdout=out)
    assert "Undid the unfinished import of file.json" in out.getvalue()
    assert not Practice.objects.filter(pk=created.pk).exists()
    assert Practice.objects.filter(title_en="New").exists()


def test_a_dry_run_undoes_nothing(practice, tmp_path):
    run, _created = killed_run(practice, pid=dead_pid())
    path = tmp_path / "new.json"
    path.write_text('[{"title": "New", "challenge": "C."}]')
    call_command("import-practices", "--dry-run", str(path), stdout=StringIO())
    assert ImportRun.objects.get(pk=run.pk).state == ImportRunState.RUNNING


def test_the_upload_page_recovers_first_and_says_so(practice, editor):
    run, created = killed_run(practice, pid=dead_pid())
    upload = SimpleUploadedFile("new.json", b'[{"title": "New", "challenge": "C."}]')
    response = editor.post(reverse("knowledge:practice_import"), {"format": "json", "file": upload})
    assert response.status_code == 200
    assert "Undid the unfinished import of file.json" in response.content.decode()
    assert not Practice.objects.filter(pk=created.pk).exists()
    entry = AuditEntry.objects.get(action="import.undone")
    assert entry.actor == editor.user


def test_the_periodic_task_recovers(practice):
    run, created = killed_run(practice, pid=dead_pid())
    assert recover_abandoned_imports.call_local() == 1
    assert not Practice.objects.filter(pk=created.pk).exists()
    assert recover_abandoned_imports.call_local() == 0


def test_a_finished_import_leaves_its_run_done_without_a_journal(editor):
    report = import_records(editor.user, [record(n) for n in range(45)], file_name="f.json")
    assert report.ok and report.created == 45
    run = ImportRun.objects.get()
    assert (run.file_name, run.actor, run.state) == ("f.json", editor.user, ImportRunState.DONE)
    assert run.finished_at is not None
    assert not ImportRunEntry.objects.exists()


def test_a_failing_batch_is_undone_from_the_journal(practice, editor, monkeypatch):
    """SQLite: the batches written before a batch fails are undone, the practice the file
    updated put back as it was."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL rolls its one transaction back")
    before = state_of(practice)
    real = imports._import_one
    calls = []

    def full_disk(actor, record, *args, **kwargs):
        calls.append(record["title"])
        if len(calls) > 45 + 30:  # the check phase's 45, then 30 written
            raise DatabaseError("database or disk is full")
        return real(actor, record, *args, **kwargs)

    monkeypatch.setattr(imports, "_import_one", full_disk)
    monkeypatch.setattr(imports, "SQLITE_PAUSE", 0)
    records = [record(n, sdg_targets=["16.6"], contacts=[{"name": "New"}]) for n in range(45)]
    report = import_records(editor.user, records, file_name="file.json", update=True)
    assert not report.ok and report.failed == 45
    assert report.errors == ["file.json, record 31 “Record 30”: database or disk is full"]
    assert list(Practice.objects.all()) == [practice]
    assert state_of(practice) == before
    assert ImportRun.objects.get().state == ImportRunState.UNDONE


def test_an_import_undone_under_it_stops(editor, monkeypatch):
    """A process taken for dead that was only stopped (SIGSTOP) and goes on: it finds its run
    undone and writes nothing more."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL imports in one transaction: no run is seen running")

    def recovery_in_between(seconds):  # the pause between two batches
        undo_run(ImportRun.objects.get())

    monkeypatch.setattr(imports.time, "sleep", recovery_in_between)
    report = import_records(editor.user, [record(n) for n in range(45)], file_name="f.json")
    assert not report.ok
    [error] = report.errors
    assert error.startswith("f.json: the import was stopped after record ")
    assert error.endswith(
        ", and what it had saved was undone, because it gave no sign of life for too long. "
        "Import the file again."
    )
    assert not Practice.objects.exists()
    assert ImportRun.objects.get().state == ImportRunState.UNDONE
