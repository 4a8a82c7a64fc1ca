"""An import never blocks the site: while a file of 1,000 records is imported, other people's
edits are saved at once (not after the import), on SQLite and PostgreSQL alike. And an import
killed half-way leaves nothing: at once on PostgreSQL, after the recovery on SQLite."""

import os
import threading
from io import StringIO

import pytest
from django.db import connection
from django.db.models.signals import post_save

from civhub.knowledge.models import Practice
from civhub.knowledge.services import practices as services
from civhub.knowledge.services.imports import import_records
from civhub.search import indexing
from civhub.search.models import SearchDocument
from civhub.testing import make_user, run_in_threads

RECORDS = int(os.environ.get("CIVHUB_TEST_IMPORT_RECORDS", 1000))
WRITERS = 20


@pytest.fixture
def shared_database(transactional_db, tmp_path):
    """A database that parallel connections really share. PostgreSQL's test database is one;
    SQLite's lives in this process's memory (one shared cache: no WAL, no busy timeout), so
    the test works on a file copy of it, opened with the project's SQLite settings."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "shared.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(path)])
    settings_dict = connection.settings_dict
    in_memory, raw = settings_dict["NAME"], connection.connection
    settings_dict["NAME"] = str(path)  # every thread's connection opens the file
    connection.connection = None  # kept open: closing it would drop the in-memory database
    try:
        yield
    finally:
        if connection.connection is not None:
            connection.connection.close()
        settings_dict["NAME"], connection.connection = in_memory, raw


def record(n: int) -> dict:
    return {
        "title": f"Imported practice number {n}",
        "summary": f"Summary of imported practice {n}.",
        "challenge": "Recruitment was slow and opaque.",
        "solution": "Open competitions, published results and appeals to an independent body.",
        "countries": ["Kazakhstan", "Georgia"],
        "sdg_targets": ["16.6"],
        "status": "ongoing",
    }


@pytest.mark.django_db(transaction=True)
def test_twenty_writers_save_while_a_thousand_records_import(shared_database, monkeypatch):
    # The vectors are background work after each commit; here they are only counted (the
    # tests run background work in-process, and the model is not what this test is about).
    scheduled: list[int] = []
    monkeypatch.setattr(indexing, "schedule_vectors", scheduled.extend)
    editor = make_user("import-writer@test.example", "editor", "member")
    drafts = [
        Practice.objects.create(
            language="en", created_by=editor, title_en=f"Draft {n}", summary_en="Before."
        )
        for n in range(WRITERS)
    ]
    importing, imported = threading.Event(), threading.Event()
    importer = []

    def began(sender, instance, created, **kwargs):
        # the import's first record is saved: its transaction (if any) is open now
        if created and threading.get_ident() in importer:
            importing.set()

    def run_import():
        importer.append(threading.get_ident())
        try:
            return import_records(
                None, [record(n) for n in range(RECORDS)], file_name="bulk.json", publish=True
            )
        finally:
            imported.set()

    def writer(practice: Practice):
        assert importing.wait(300), "the import did not start"
        practice = Practice.objects.get(pk=practice.pk)
        practice.summary_en = "Edited during the import."  # type: ignore[attr-defined]  # modeltranslation
        services.save_practice(editor, practice)
        return imported.is_set()  # True: this write had to wait for the import's end

    post_save.connect(began, sender=Practice, weak=False, dispatch_uid="test.import.began")
    try:
        outcomes = run_in_threads(run_import, *(lambda p=p: writer(p) for p in drafts))
    finally:
        post_save.disconnect(sender=Practice, dispatch_uid="test.import.began")

    failures = [result for kind, result in outcomes if kind == "error"]
    assert not failures, failures
    (_, report), *writes = outcomes
    assert report.ok and report.created == RECORDS, report.errors[:3]
    assert Practice.objects.filter(source_file="bulk.json").count() == RECORDS
    assert Practice.objects.filter(summary_en="Edited during the import.").count() == WRITERS
    imported_docs = SearchDocument.objects.filter(kind="practice", title__startswith="Imported")
    assert imported_docs.count() == RECORDS
    assert set(imported_docs.values_list("pk", flat=True)) <= set(scheduled)
    waited = sum(1 for _kind, after_import in writes if after_import)
    assert waited == 0, f"{waited} of {WRITERS} writes waited for the import to end"


KILLED_IMPORT = """
import sys, django
django.setup()
from django.db.models.signals import post_save
from civhub.knowledge.models import Practice
from civhub.knowledge.services.imports import import_records
from civhub.search import indexing
indexing.schedule_vectors = lambda ids: None
saved = []
def half_way(sender, instance, created, **kwargs):
    saved.append(instance.pk)
    if len(saved) == 45:  # past two batches' worth of records: now kill me
        print("HALF", flush=True)
        import time; time.sleep(600)
post_save.connect(half_way, sender=Practice, weak=False)
records = [{"title": f"Killed import {n}", "summary": "S.", "challenge": "C.", "solution": "S.",
            "countries": ["Kazakhstan"], "status": "ongoing"} for n in range(90)]
import_records(None, records, file_name="killed.json", publish=True, update="--update" in sys.argv)
"""


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_mid_file_leaves_nothing_on_postgresql():
    """PostgreSQL writes a file in one transaction: a process killed (SIGKILL) half-way
    through it leaves nothing of the file, as the server rolls its transaction back. (SQLite
    writes batches, so that other writers get in: see import_records.)"""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite imports in batches of their own: see the test after this one")
    import subprocess
    import sys

    settings = connection.settings_dict
    url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "civhub.settings"}
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout.readline().strip() == "HALF", "the import did not get half-way"
        assert Practice.objects.filter(source_file="killed.json").count() == 0  # not committed
    finally:
        child.kill()
        child.wait(60)
    assert not Practice.objects.filter(source_file="killed.json").exists()
    assert not SearchDocument.objects.filter(title__startswith="Killed import").exists()


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_mid_file_on_sqlite_is_undone_by_the_recovery(shared_database, kazakhstan):
    """SQLite commits a batch at a time: a process killed (SIGKILL) in its third batch leaves
    the first two, and its run "running"; the recovery (here the command's) finds the process
    gone and undoes them from the journal: the practices created are deleted and the one
    updated is back as it was. While the process lives, its run is left alone."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL writes a file in one transaction: see the test before this one")
    import subprocess
    import sys

    from django.core.management import call_command

    from civhub.core.models import AuditEntry
    from civhub.directory.models import SdgTarget
    from civhub.knowledge.models import ImportRun, ImportRunState, PracticeContact
    from civhub.knowledge.services.imports import recover_abandoned_runs
    from civhub.knowledge.tests.test_import_recovery import state_of

    earlier = Practice.objects.create(
        language="en",
        title_en="Killed import 0",  # the first record: in the first batch, whatever its size
        summary_en="As it was before the import.",
        source_file="killed.json",
        state="published",
        project_status="completed",
        countries_text=["Kazakhstan (as written)"],
    )
    earlier.countries.add(kazakhstan)
    for code in ("17.17", "16.a", "16.5"):  # linked out of the targets' own order
        earlier.sdg_targets.add(SdgTarget.objects.get(code=code))
    PracticeContact.objects.create(practice=earlier, name="Ms. Before", email="b@example.org")
    before = state_of(earlier)

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
        "DJANGO_SETTINGS_MODULE": "civhub.settings",
    }
    child = subprocess.Popen(
        [sys.executable, "-c", KILLED_IMPORT, "--update"],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "HALF", "the import did not get half-way"
        # two batches committed, the third open: its run is running, in a live process
        run = ImportRun.objects.get(file_name="killed.json")
        assert (run.state, run.pid) == (ImportRunState.RUNNING, child.pid)
        # (a batch is 20 records, or fewer if it took half a second)
        written = Practice.objects.filter(source_file="killed.json").count()
        assert 1 < written < 45
        assert Practice.objects.get(pk=earlier.pk).summary_en == "S."
        assert recover_abandoned_runs() == []  # alive: not undone
    finally:
        child.kill()
        child.wait(60)

    assert ImportRun.objects.get(pk=run.pk).is_abandoned()
    out = StringIO()
    call_command("import-practices", "--recover", stdout=out)
    assert "Undid the unfinished import of killed.json" in out.getvalue()
    assert f"practices deleted: {written - 1}; put back as they were: 1." in out.getvalue()

    assert list(Practice.objects.filter(source_file="killed.json")) == [earlier]
    assert state_of(Practice.objects.get(pk=earlier.pk)) == before
    killed_docs = SearchDocument.objects.filter(title__startswith="Killed import")
    assert list(killed_docs.values_list("title", flat=True).distinct()) == ["Killed import 0"]
    assert SearchDocument.objects.filter(object_id=str(earlier.pk), kind="practice").exists()
    run.refresh_from_db()
    assert run.state == ImportRunState.UNDONE and not run.entries.exists()
    undone = AuditEntry.objects.get(action="import.undone")
    assert (undone.summary, undone.data["created"], undone.data["restored"]) == (
        "killed.json",
        written - 1,
        [earlier.pk],
    )
    # the next recovery has nothing left to do
    out = StringIO()
    call_command("import-practices", "--recover", stdout=out)
    assert out.getvalue().strip() == "No unfinished imports to undo."
