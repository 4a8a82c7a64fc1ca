"""`civhub backup` and `civhub restore`: a round trip loses nothing (every table row by row,
every file byte by byte), and a restore that cannot be whole changes nothing."""

import errno
import hashlib
import io
import json
import tarfile
import threading
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection, connections

from civhub.core import backup
from civhub.core.models import Attachment, AuditEntry
from civhub.testing import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489")

# What a restore itself changes: its own audit entry, and the index generation (a new one,
# so that every process drops its cached vectors).
CHANGED_BY_RESTORE = {AuditEntry._meta.db_table, "search_indexstate"}
# ...and the time every search document changed (each process then reads its vectors again).
TOUCHED_BY_RESTORE = {"search_searchdocument": {"updated_at"}}


def table_rows(exclude=()) -> dict[str, list[tuple]]:
    """Every row of every table Django manages, read with plain SQL (not through the code
    under test), in primary-key order."""
    rows = {}
    with connection.cursor() as cursor:
        for model in backup.saved_models():
            table = model._meta.db_table
            if table in exclude:
                continue
            quote = connection.ops.quote_name
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(model._meta.pk.column)}")
            ignored = TOUCHED_BY_RESTORE.get(table, set())
            keep = [i for i, col in enumerate(cursor.description) if col[0] not in ignored]
            rows[table] = [
                tuple(bytes(row[i]) if isinstance(row[i], memoryview) else row[i] for i in keep)
                for row in cursor.fetchall()
            ]
    return rows


def media_files(root) -> dict[str, bytes]:
    root = Path(root)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def attach_files(user):
    """Two attachments (one in a nested directory, as uploads are) and their files."""
    from civhub.directory.models import Country

    kazakhstan = Country.objects.get(code="KZ")
    kind = ContentType.objects.get_for_model(Country)
    for name, content in (("law.pdf", PDF), ("chart.png", PNG)):
        Attachment.objects.create(
            content_type=kind,
            object_id=kazakhstan.pk,
            file=ContentFile(content, name=name),
            filename=name,
            mime_type="application/pdf" if name.endswith("pdf") else "image/png",
            size=len(content),
            uploaded_by=user,
        )


def rewrite(archive: Path, target: Path, change) -> None:
    """Copy the archive, letting `change(name, data)` alter members; the manifest's checksums
    are made to match, so only the restore's own checks can find the fault."""
    members = {}
    with tarfile.open(archive) as tar:
        for member in tar:
            members[member.name] = tar.extractfile(member).read()  # type: ignore[union-attr]  # files only
    manifest = json.loads(members.pop(backup.MANIFEST))
    for name in list(members):
        members[name] = change(name, members[name])
        manifest["files"][name] = {
            "sha256": hashlib.sha256(members[name]).hexdigest(),
            "size": len(members[name]),
        }
    manifest = change(backup.MANIFEST, manifest)
    members[backup.MANIFEST] = json.dumps(manifest).encode()
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@pytest.fixture
def site(db, settings):
    """A small site: accounts, reference data, attachments and indexed records."""
    from civhub.directory.models import Country

    editor = make_user("editor@test.example", "editor")
    make_user("member@test.example", "member")
    attach_files(editor)
    Country.objects.filter(code="KZ").update(name_en="Kazakhstan (edited)")
    return Path(settings.MEDIA_ROOT)


@pytest.mark.django_db
def test_the_demo_round_trips_every_table_and_file(demo_data, settings, tmp_path):
    from civhub.accounts.models import User
    from civhub.search import indexing
    from civhub.search.models import SearchDocument

    attach_files(User.objects.get(email="editor@demo.civhub.example"))
    indexing.embed_documents()  # the worker's part, after the demo's commit
    before = table_rows()
    files = media_files(settings.MEDIA_ROOT)
    assert SearchDocument.objects.filter(vector__isnull=False).count() > 100
    assert len(files) == 2 and len(before["core_attachment"]) == 2

    archive = tmp_path / "site.tar.gz"
    out = run("backup", str(archive))
    assert "Backup written" in out and "2 uploaded files" in out
    assert archive.stat().st_mode & 0o077 == 0  # holds password hashes: the owner's only

    # The site moves on: records go, a file changes, another appears.
    SearchDocument.objects.filter(pk__in=SearchDocument.objects.values("pk")[:5]).delete()
    User.objects.update(display_name="someone else")
    AuditEntry.objects.filter(pk__in=AuditEntry.objects.values("pk")[:3]).delete()
    media = Path(settings.MEDIA_ROOT)
    first = sorted(files)[0]
    (media / first).write_bytes(b"changed")
    (media / "stray.txt").write_text("not in the backup")

    with pytest.raises(CommandError, match="holds data"):
        run("restore", str(archive))
    out = run("restore", "--force", str(archive))
    assert "Replaced:" in out and "Restored" in out and "0 vectors made" in out

    after = table_rows()
    for table, rows in before.items():
        if table not in CHANGED_BY_RESTORE:
            assert after[table] == rows, table
    assert set(after) == set(before)
    restored = AuditEntry.objects.filter(action="backup.restored")
    assert restored.count() == 1
    assert [row for row in after[AuditEntry._meta.db_table] if row[0] != restored.get().pk] == (
        before[AuditEntry._meta.db_table]
    )
    assert after["search_indexstate"] != before["search_indexstate"]
    assert media_files(settings.MEDIA_ROOT) == files
    # Search is complete at once: every document with its vector, found by a query.
    assert indexing.check() == []
    from django.contrib.auth.models import AnonymousUser

    from civhub.search.services import Params, search

    results = search(Params(q="civil service"), AnonymousUser())
    assert results.total > 0


def test_a_backup_is_refused_over_an_existing_file_unless_forced(site, tmp_path):
    archive = tmp_path / "site.tar.gz"
    archive.write_bytes(b"yesterday's")
    with pytest.raises(CommandError, match="already exists"):
        run("backup", str(archive))
    assert archive.read_bytes() == b"yesterday's"
    run("backup", "--force", str(archive))
    assert "is complete" in run("restore", "--check", str(archive))


def test_a_failed_backup_leaves_no_file_behind(site, tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup, "_add_media", full)
    with pytest.raises(CommandError, match="No space left"):
        run("backup", str(tmp_path / "site.tar.gz"))
    assert list(tmp_path.iterdir()) == [tmp_path / "media"]


def test_a_fresh_database_takes_the_backup_without_force(site, tmp_path, settings):
    archive = tmp_path / "site.tar.gz"
    run("backup", str(archive))
    before = table_rows(exclude=CHANGED_BY_RESTORE)
    files = media_files(settings.MEDIA_ROOT)
    from civhub.accounts.models import User

    # Empty as `civhub migrate` leaves it: reference data, no account, no audit entry.
    User.objects.all().delete()
    AuditEntry.objects.all().delete()
    Attachment.objects.all().delete()  # and their files (the signal)
    assert media_files(settings.MEDIA_ROOT) == {}
    assert "holds no data" in run("restore", "--check", str(archive))
    run("restore", str(archive))
    after = table_rows(exclude=CHANGED_BY_RESTORE)
    for table in before:
        a = [r for r in after[table] if r not in before[table]]
        b = [r for r in before[table] if r not in after[table]]
        assert (table, a) == (table, b)
    assert table_rows(exclude=CHANGED_BY_RESTORE) == before
    assert media_files(settings.MEDIA_ROOT) == files


def _untouched(settings):
    return table_rows(), media_files(settings.MEDIA_ROOT)


def test_a_truncated_archive_changes_nothing(site, tmp_path, settings):
    archive = tmp_path / "site.tar.gz"
    run("backup", str(archive))
    data = archive.read_bytes()
    state = _untouched(settings)
    for cut in (len(data) // 2, len(data) - 30, 100):
        archive.write_bytes(data[:cut])
        with pytest.raises(CommandError, match="not a complete civhub backup"):
            run("restore", "--force", str(archive))
        assert _untouched(settings) == state
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".civhub-restore-")]


def test_a_damaged_member_is_found_by_its_checksum(site, tmp_path, settings):
    archive = tmp_path / "site.tar.gz"
    run("backup", str(archive))
    members = {}
    with tarfile.open(archive) as tar:
        for member in tar:
            members[member.name] = tar.extractfile(member).read()
    name = "data/accounts.user.jsonl"
    members[name] = members[name].replace(b"member@test.example", b"intruder@evil.example")
    damaged = tmp_path / "damaged.tar.gz"
    with tarfile.open(damaged, "w:gz") as tar:
        for member_name, data in members.items():
            info = tarfile.TarInfo(member_name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    state = _untouched(settings)
    with pytest.raises(CommandError, match="accounts.user.jsonl does not match its checksum"):
        run("restore", "--force", str(damaged))
    with pytest.raises(CommandError, match="does not match its checksum"):
        run("restore", "--check", str(damaged))
    assert _untouched(settings) == state


def test_a_row_that_cannot_be_read_rolls_the_whole_restore_back(site, tmp_path, settings):
    """Checksums match (the archive was made so), but a row is bad: the tables already
    emptied and loaded are put back as they were, and the files are not touched."""
    archive = tmp_path / "site.tar.gz"
    run("backup", str(archive))

    def bad_date(name, data):
        if name == "data/core.attachment.jsonl":
            lines = data.decode().splitlines()
            row = json.loads(lines[-1])
            row[-1] = "not a date"
            lines[-1] = json.dumps(row)
            return ("\n".join(lines) + "\n").encode()
        return data

    broken = tmp_path / "broken.tar.gz"
    rewrite(archive, broken, bad_date)
    state = _untouched(settings)
    with pytest.raises(CommandError, match=r"Line 3 of data/core.attachment.jsonl cannot be read"):
        run("restore", "--force", str(broken))
    assert _untouched(settings) == state


def test_a_fault_at_the_end_of_the_restore_changes_nothing(site, tmp_path, settings, monkeypatch):
    archive = tmp_path / "site.tar.gz"
    run("backup", str(archive))
    settings.MEDIA_ROOT.joinpath("new.pdf").write_bytes(PDF)
    state = _untouched(settings)

    def disk_full(progress):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setitem(
        backup._contributors, "failing", backup.Contributor("failing", after_restore=disk_full)
    )
    with pytest.raises(CommandError, match="No space left.*nothing was changed"):
        run("restore", "--force", str(archive))
    assert _untouched(settings) == state


@pytest.mark.parametrize("which", ["newer", "older"])
def test_an_archive_of_other_migrations_is_refused(site, tmp_path, settings, which):
    archive = tmp_path / "site.tar.gz"
    run("backup", str(archive))

    def other_migrations(name, data):
        if name == backup.MANIFEST:
            if which == "newer":
                data["migrations"]["knowledge"].append("0099_from_the_future")
            else:
                data["migrations"]["knowledge"].pop()
        return data

    other = tmp_path / "other.tar.gz"
    rewrite(archive, other, other_migrations)
    state = _untouched(settings)
    expected = "0099_from_the_future" if which == "newer" else "older civhub"
    with pytest.raises(CommandError, match=rf"App knowledge: .*{expected}"):
        run("restore", "--force", str(other))
    with pytest.raises(CommandError, match="App knowledge"):
        run("restore", "--check", str(other))
    assert _untouched(settings) == state


def test_an_unmigrated_database_is_told_to_migrate_first(site, tmp_path, monkeypatch):
    archive = tmp_path / "site.tar.gz"
    run("backup", str(archive))
    from django.db.migrations.executor import MigrationExecutor

    real = MigrationExecutor.migration_plan

    def pending(self, targets, clean_start=False):
        plan = real(self, targets, clean_start)
        return plan or [(self.loader.graph.nodes[("knowledge", "0002_practice_version")], False)]

    monkeypatch.setattr(MigrationExecutor, "migration_plan", pending)
    with pytest.raises(CommandError, match="Run `civhub migrate` first"):
        run("restore", "--force", str(archive))


def test_what_is_not_an_archive_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("restore", str(tmp_path / "nothing.tar.gz"))
    text = tmp_path / "notes.tar.gz"
    text.write_text("hello")
    with pytest.raises(CommandError, match="not a complete civhub backup"):
        run("restore", str(text))
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("media/../../outside.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(CommandError, match="unexpected entry"):
        run("restore", str(evil))
    assert not (tmp_path.parent / "outside.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_a_backup_taken_while_people_write_is_one_moment(tmp_path, settings):
    """A write that commits while the backup runs is in none of its tables (PostgreSQL's
    REPEATABLE READ; SQLite's read transaction, on a database file)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("a second connection to an in-memory test database shares its cache")
    make_user("editor@test.example", "editor")
    written = {}

    def writer():
        try:
            user = make_user("late@test.example", "member")
            attach_files(user)
            written["user"] = user.pk
        finally:
            connections.close_all()

    def progress(total, unit, description):
        if not written:  # the snapshot is taken (the rows were counted): someone writes now
            thread = threading.Thread(target=writer)
            thread.start()
            thread.join()
        return None

    archive = tmp_path / "site.tar.gz"
    backup.backup(archive, progress=progress)
    assert written["user"]
    with tarfile.open(archive) as tar:
        users = tar.extractfile("data/accounts.user.jsonl").read().decode()
        attachments = tar.extractfile("data/core.attachment.jsonl").read().decode()
        manifest = json.loads(tar.extractfile(backup.MANIFEST).read())
    assert "editor@test.example" in users and "late@test.example" not in users
    assert attachments.count("\n") == 1  # the header: the late attachments are not there
    assert manifest["tables"]["accounts.user"]["rows"] == 1


KIND = "agency"


def test_vectors_the_archive_lacks_are_made_before_the_restore_says_done(site, tmp_path):
    from civhub.directory.models import Organization
    from civhub.search import indexing
    from civhub.search.models import SearchDocument

    Organization.objects.create(
        name="Agency for Civil Service Affairs", kind=KIND, description="Merit-based selection."
    )
    Organization.objects.create(name="Academy of Public Administration", kind=KIND)
    documents = SearchDocument.objects.filter(kind="organization")
    assert documents.count() == 2 and not documents.filter(vector__isnull=False).exists()
    archive = tmp_path / "site.tar.gz"
    run("backup", str(archive))
    with tarfile.open(archive) as tar:
        manifest = json.loads(tar.extractfile(backup.MANIFEST).read())
    described = manifest["contributors"]["search"]
    assert described["documents"] >= 2
    assert described["with_vectors"] == described["documents"] - 2
    generation = indexing.generation()

    out = run("restore", "--force", str(archive))
    assert "2 vectors made" in out
    assert not documents.filter(vector__isnull=True).exists()
    assert indexing.check() == []
    assert indexing.generation() != generation  # cached vectors everywhere are stale


def test_a_running_process_reads_the_restored_vectors(site, tmp_path):
    """A process that holds vectors from before the restore holds the archive's after its
    next refresh, though the restored rows are older than its copy."""
    import datetime

    import numpy as np
    from django.utils import timezone

    from civhub.directory.models import Organization
    from civhub.search import indexing, registry
    from civhub.search.models import SearchDocument
    from civhub.search.vectors import VectorIndex

    agency = Organization.objects.create(name="Agency for Civil Service Affairs", kind=KIND)
    academy = Organization.objects.create(name="Academy of Public Administration", kind=KIND)
    indexing.embed_documents()
    SearchDocument.objects.update(updated_at=timezone.now() - datetime.timedelta(days=1))
    archive = tmp_path / "site.tar.gz"
    run("backup", str(archive))
    organization = registry.get("organization")
    agency_doc = SearchDocument.objects.get(
        kind="organization", object_id=organization.object_id(agency)
    )
    academy_id = organization.object_id(academy)
    archived = np.frombuffer(bytes(agency_doc.vector), dtype=np.float32)

    # The site moves on, and a web process loads its vectors.
    agency.name = "Ministry of Digital Development"
    agency.save()
    academy.delete()
    indexing.embed_documents()
    index = VectorIndex()
    index.refresh()
    assert index.position.get(agency_doc.pk) is not None
    academy_doc = SearchDocument.objects.filter(kind="organization", object_id=academy_id)
    assert not academy_doc.exists()

    run("restore", "--force", str(archive))
    index.refresh()
    restored_academy = SearchDocument.objects.get(kind="organization", object_id=academy_id)
    assert restored_academy.pk in index.position
    held = index.matrix[index.position[agency_doc.pk]]
    expected = archived - index.means.get(agency_doc.language, 0)  # rows are held centred
    assert np.allclose(held, expected / np.linalg.norm(expected), atol=1e-5)


SNAPSHOT_SCRIPT = """
import sqlite3, sys, tarfile
from civhub.core import backup
from civhub.core.models import AuditEntry
from civhub.core.services import audit

audit(None, "early.write", summary="before the backup")

def progress(total, unit, description):
    if description == "Database":  # the rows were counted: the snapshot is taken
        writer = sqlite3.connect(sys.argv[1], timeout=5)
        writer.execute(
            "INSERT INTO core_auditentry (at, action, object_id, summary, data) "
            "VALUES ('2026-01-31 10:00:00', 'late.write', '', 'late', '{}')"
        )
        writer.commit()
        writer.close()

backup.backup(sys.argv[2], progress=progress)
rows = tarfile.open(sys.argv[2]).extractfile("data/core.auditentry.jsonl").read().decode()
print(AuditEntry.objects.count(), "early.write" in rows, "late.write" in rows)
"""


def test_a_sqlite_backup_taken_while_people_write_is_one_moment(db, tmp_path):
    """On a database file in WAL mode, as the site runs: a writer commits while the backup
    reads (it is not blocked), and its row is not in the archive."""
    import os
    import subprocess
    import sys

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's read transaction; PostgreSQL's snapshot is tested above")
    database = tmp_path / "civhub.sqlite3"
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{database}",
        "CIVHUB_VAR_DIR": str(tmp_path / "var"),
    }
    civhub = [sys.executable, "-m", "civhub"]
    subprocess.run([*civhub, "migrate", "-v", "0"], env=env, check=True, timeout=600)
    script = tmp_path / "snapshot.py"
    script.write_text(SNAPSHOT_SCRIPT)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django, runpy, sys; sys.argv = ['', {str(database)!r}, "
            f"{str(tmp_path / 'site.tar.gz')!r}]; import os; "
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'civhub.settings'); django.setup(); "
            f"runpy.run_path({str(script)!r})",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    assert result.stdout.split() == ["2", "True", "False"], result.stderr


SQLITE_SITE_SCRIPT = """
from civhub.testing import make_user
from civhub.directory.models import Organization
from civhub.search import indexing

make_user("editor@sqlite.example", "editor")
make_user("member@sqlite.example", "member")
Organization.objects.create(name="Agency for Civil Service Affairs", kind="agency")
indexing.embed_documents()
"""


def _sqlite_rows(path) -> dict[str, list[tuple]]:
    """Every row of a SQLite file, JSON text read as values (PostgreSQL's jsonb keeps no
    order of keys)."""
    import sqlite3

    def value(v):
        if isinstance(v, str) and v[:1] in "{[":
            try:
                return json.dumps(json.loads(v), sort_keys=True)
            except ValueError:
                return v
        return v

    database = sqlite3.connect(path)
    tables = [
        name
        for (name,) in database.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        if not name.startswith(("sqlite_", "search_fts")) and name != "django_migrations"
    ]
    rows = {}
    for table in tables:
        cursor = database.execute(f'SELECT * FROM "{table}" ORDER BY 1')
        ignored = TOUCHED_BY_RESTORE.get(table, set())
        keep = [i for i, col in enumerate(cursor.description) if col[0] not in ignored]
        rows[table] = [tuple(value(row[i]) for i in keep) for row in cursor]
    database.close()
    return rows


def test_a_sqlite_backup_restores_into_postgresql_and_back(db, tmp_path, settings):
    """SQLite -> archive -> PostgreSQL -> archive -> SQLite: every row as it was."""
    import os
    import shutil
    import subprocess
    import sys

    from civhub.accounts.models import User
    from civhub.search import indexing

    if connection.vendor != "postgresql":
        pytest.skip("needs both vendors: runs with DATABASE_URL naming PostgreSQL")
    first, empty, second = (tmp_path / f"{name}.sqlite3" for name in ("first", "empty", "second"))
    env = os.environ | {"DATABASE_URL": f"sqlite:///{first}", "CIVHUB_VAR_DIR": str(tmp_path)}
    civhub = [sys.executable, "-m", "civhub"]
    subprocess.run([*civhub, "migrate", "-v", "0"], env=env, check=True, timeout=600)
    shutil.copy(first, empty)
    subprocess.run([*civhub, "shell", "-c", SQLITE_SITE_SCRIPT], env=env, check=True, timeout=600)
    subprocess.run([*civhub, "backup", str(tmp_path / "a.tar.gz")], env=env, check=True)

    run("restore", str(tmp_path / "a.tar.gz"))  # into PostgreSQL (the test database)
    assert set(User.objects.values_list("email", flat=True)) == {
        "editor@sqlite.example",
        "member@sqlite.example",
    }
    assert indexing.check() == []
    run("backup", str(tmp_path / "b.tar.gz"))

    shutil.copy(empty, second)
    env["DATABASE_URL"] = f"sqlite:///{second}"
    subprocess.run([*civhub, "restore", str(tmp_path / "b.tar.gz")], env=env, check=True)
    before, after = _sqlite_rows(first), _sqlite_rows(second)
    assert set(before) == set(after)
    for table in before:
        if table not in CHANGED_BY_RESTORE:
            assert after[table] == before[table], table
    actions = [row[2] for row in after["core_auditentry"]]
    assert actions.count("backup.restored") == 2  # into PostgreSQL, then back
