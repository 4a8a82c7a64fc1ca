"""An import never blocks the site: while a file of 1,000 records is imported, other people's
edits are saved at once (not after the import), on SQLite and PostgreSQL alike."""

import os
import threading

import pytest
from django.db import connection
from django.db.models.signals import post_save

from civhub.core.testing import make_user, run_in_threads
from civhub.knowledge.models import Practice
from civhub.knowledge.services import practices as services
from civhub.knowledge.services.imports import import_records
from civhub.search import indexing
from civhub.search.models import SearchDocument

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
        practice.summary_en = "Edited during the import."
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
import_records(None, records, file_name="killed.json", publish=True)
"""


@pytest.mark.django_db(transaction=True)
def test_an_import_killed_mid_file_leaves_nothing_on_postgresql():
    """PostgreSQL writes a file in one transaction: a process killed (SIGKILL) half-way
    through it leaves nothing of the file, as the server rolls its transaction back. (SQLite
    writes batches, so that other writers get in: see import_records.)"""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite imports in batches of their own; a killed import keeps them")
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
