"""Backup and restore of a whole site: its database, its uploaded files and its search index,
in one archive that restores on SQLite or PostgreSQL (docs/operations.md, section 10).

The archive is a gzip-compressed tar file:

- `data/<app>.<model>.jsonl`: one file per table (auto-created many-to-many tables too), in
  dependency order. The first line names the model, its table and its columns; every other
  line is one row, a JSON array of the column values in that order, in primary-key order.
  Values are written as Django reads them from the database and converted back by the
  model's fields on restore, so the same archive loads into either vendor.
- `media/<path>`: every file under MEDIA_ROOT, byte for byte.
- `manifest.json` (last): the format, civhub's version, the database vendor, when, the
  applied migrations of every app, the rows of every table, the SHA-256 and size of every
  other member, and what the registered contributors say (the search index's documents and
  vectors).

Why not the vendors' own dumps (`pg_dump`, SQLite's `.backup`): they restore only into the
same vendor, need its client programs, and know nothing of the uploaded files or of the
migrations the code expects. Streaming the rows through the models costs time on very large
sites, and is the only way to move a site between SQLite and PostgreSQL.

Search vectors are rows of the documents table and travel with it, so a restored site
searches completely at once. The lexical index is derived by the database itself (SQLite's
FTS5 triggers, PostgreSQL's generated columns) as the rows are inserted. Apps that keep state
beside their rows register a `Contributor` (search does, in its AppConfig.ready): it adds a
summary to the manifest and does its part after the rows are back (vectors the archive
lacks, the index generation that tells every process its cached vectors are stale).
"""

from __future__ import annotations

import base64
import datetime
import decimal
import errno
import gzip
import hashlib
import json
import os
import shutil
import tarfile
import tempfile
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import FileField, Model, QuerySet
from django.utils import timezone
from django.utils.duration import duration_iso_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

import civhub
from civhub.core.models import AuditEntry
from civhub.core.services import audit

FORMAT = "civhub-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_DIR = "data"
MEDIA_DIR = "media"
INSERT_BATCH = 500
READ_CHUNK = 2000
COPY_BLOCK = 1024 * 1024
MANIFEST_LIMIT = 64 * 1024 * 1024  # a manifest larger than this is not one of ours

Progress = Callable[..., Any]


class BackupError(Exception):
    """A backup or restore refused or failed whole; the message says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- contributors ----------------------------------------------------------------------------


@dataclass
class Contributor:
    """An app's part in a backup: `describe()` returns a JSON-able summary for the manifest;
    `after_restore(progress)` runs inside the restoring transaction once every row is back,
    and returns a summary of what it did."""

    name: str
    describe: Callable[[], dict] | None = None
    after_restore: Callable[[Progress | None], dict] | None = None


_contributors: dict[str, Contributor] = {}


def register(
    name: str,
    *,
    describe: Callable[[], dict] | None = None,
    after_restore: Callable[[Progress | None], dict] | None = None,
) -> None:
    _contributors[name] = Contributor(name, describe, after_restore)


# -- what is saved -----------------------------------------------------------------------------


def saved_models(using: str = DEFAULT_DB_ALIAS) -> list[type[Model]]:
    """Every table Django manages in this database, parents before the tables that point to
    them (the constraints are checked at the end of the restore anyway; the order keeps
    each file readable on its own)."""
    models = [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed
        and not model._meta.proxy
        and not model._meta.swapped
        and router.allow_migrate_model(using, model)
    ]
    models.sort(key=lambda m: m._meta.label_lower)
    by_label = {m._meta.label_lower: m for m in models}
    ordered: list[type[Model]] = []
    state: dict[str, int] = {}  # 1: being visited, 2: done

    def visit(model: type[Model]) -> None:
        label = model._meta.label_lower
        if state.get(label):
            return  # done, or a cycle (deferred constraints allow it)
        state[label] = 1
        for f in model._meta.local_concrete_fields:
            related = f.related_model if f.is_relation else None
            # Resolved by now: a model class ("self" is only for the field's declaration).
            if isinstance(related, type) and related is not model:
                target = related._meta.concrete_model
                if target is not None and target._meta.label_lower in by_label:
                    visit(by_label[target._meta.label_lower])
        state[label] = 2
        ordered.append(model)

    for model in models:
        visit(model)
    return ordered


def columns(model: type[Model]) -> list:
    return [f for f in model._meta.local_concrete_fields if not getattr(f, "generated", False)]


def plain_rows(model: type[Model], using: str) -> QuerySet:
    """The table as stored: a plain QuerySet, not the model's manager, which may rewrite
    columns (modeltranslation reads `name` as the active language's `name_en`)."""
    return QuerySet(model=model, using=using)


def data_member(model: type[Model]) -> str:
    return f"{DATA_DIR}/{model._meta.label_lower}.jsonl"


def _encode(value: Any) -> Any:
    """A column's value as JSON, losing nothing (unlike DjangoJSONEncoder, which cuts
    datetimes to milliseconds); the field's to_python() reads it back."""
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, datetime.date | datetime.time):  # datetimes are dates too
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def migration_state(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    state: dict[str, list[str]] = {}
    for app_label, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        state.setdefault(app_label, []).append(name)
    return state


# -- backup ------------------------------------------------------------------------------------


@dataclass
class BackupReport:
    path: Path
    tables: int = 0
    rows: int = 0
    files: int = 0
    file_bytes: int = 0
    size: int = 0
    missing_files: list[str] = field(default_factory=list)


@contextmanager
def snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """One read transaction for the whole dump, so that rows written meanwhile are either
    all in the archive or none: REPEATABLE READ on PostgreSQL; on SQLite a deferred (read)
    transaction, which in WAL mode sees the database as it was at its first read and lets
    writers go on (the site's IMMEDIATE transactions would take the write lock)."""
    connection = connections[using]
    if connection.in_atomic_block:
        yield  # the caller's transaction is the snapshot (the tests' one, for instance)
        return
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor != "sqlite":
        raise BackupError(
            _("civhub backs up SQLite and PostgreSQL databases, not %(vendor)s.")
            % {"vendor": connection.vendor}
        )
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        try:
            cursor.execute("SELECT count(*) FROM sqlite_master")  # the snapshot starts here
            cursor.fetchone()
            yield
        finally:
            cursor.execute("ROLLBACK")  # read only: nothing to keep


class _Hashing:
    """A file object that hashes what is read through it."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        chunk = self.raw.read(n)
        self.sha256.update(chunk)
        self.size += len(chunk)
        return chunk


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(COPY_BLOCK), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files(root: Path) -> list[tuple[str, Path]]:
    """Every regular file under MEDIA_ROOT, by its name relative to it (symbolic links are
    not followed: what they point to is not the site's)."""
    if not root.is_dir():
        return []
    found = []
    for directory, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file():
                continue
            found.append((path.relative_to(root).as_posix(), path))
    return found


def backup(
    path: str | os.PathLike,
    *,
    force: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[..., Any] | None = None,
) -> BackupReport:
    """Write the archive to `path`: built beside it under a temporary name, then renamed, so
    that `path` is either the previous file or the whole new archive. `progress(total,
    unit, description)` returns a tqdm-like bar (update(n), close()) or None."""
    target = Path(path)
    if target.exists() and not force:
        raise BackupError(
            _("%(path)s already exists: choose another name, or pass --force to replace it.")
            % {"path": target}
        )
    if target.is_dir():
        raise BackupError(_("%(path)s is a directory; name a file.") % {"path": target})
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise BackupError(_("The directory %(path)s does not exist.") % {"path": directory})
    report = BackupReport(path=target)
    connection = connections[using]
    # The archive holds password hashes and second-factor secrets: only its owner reads it
    # (mkstemp makes files 0600).
    handle, partial = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=directory)
    try:
        with tempfile.TemporaryDirectory(prefix=".civhub-backup-", dir=directory) as staging:
            stage = Path(staging)
            with os.fdopen(handle, "wb") as raw:
                with tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
                    manifest = _dump(tar, stage, connection, using, report, progress)
                    _add_media(tar, manifest, report, progress)
                    body = json.dumps(manifest, indent=1, sort_keys=True).encode()
                    info = tarfile.TarInfo(MANIFEST)
                    info.size = len(body)
                    info.mtime = int(timezone.now().timestamp())
                    info.mode = 0o600
                    tar.addfile(info, _BytesReader(body))
                raw.flush()
                os.fsync(raw.fileno())
        report.size = os.path.getsize(partial)
        if force:
            os.replace(partial, target)
        else:
            try:
                os.link(partial, target)  # fails if someone made `path` meanwhile
            except FileExistsError:
                raise BackupError(
                    _(
                        "%(path)s already exists: choose another name, or pass --force to replace it."
                    )
                    % {"path": target}
                ) from None
            os.unlink(partial)
        _fsync_directory(directory)
    except BaseException as exc:
        if os.path.exists(partial):
            os.unlink(partial)
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            raise BackupError(
                _("No space left on the device for %(path)s; nothing was written.")
                % {"path": target}
            ) from exc
        raise
    return report


class _BytesReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def read(self, n: int = -1) -> bytes:
        end = len(self.data) if n is None or n < 0 else self.at + n
        chunk = self.data[self.at : end]
        self.at += len(chunk)
        return chunk


def _fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _dump(
    tar: tarfile.TarFile,
    stage: Path,
    connection: BaseDatabaseWrapper,
    using: str,
    report: BackupReport,
    progress: Progress | None,
) -> dict:
    models = saved_models(using)
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "civhub_version": civhub.__version__,
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor},
        "tables": {},
        "files": {},
        "contributors": {},
    }
    referenced: set[str] = set()
    with snapshot(using):
        manifest["database"]["version"] = (
            # attributes of the backend's own wrapper, not of BaseDatabaseWrapper
            str(connection.pg_version)  # type: ignore[attr-defined]
            if connection.vendor == "postgresql"
            else connection.Database.sqlite_version  # type: ignore[attr-defined]
        )
        manifest["migrations"] = migration_state(using)
        counts = {m: plain_rows(m, using).count() for m in models}
        bar = progress(sum(counts.values()), "rows", _("Database")) if progress else None
        for model in models:
            fields = columns(model)
            file_columns = [i for i, f in enumerate(fields) if isinstance(f, FileField)]
            member = data_member(model)
            staged = stage / member
            staged.parent.mkdir(parents=True, exist_ok=True)
            rows = 0
            with open(staged, "w", encoding="utf-8") as out:
                header = {
                    "model": model._meta.label_lower,
                    "table": model._meta.db_table,
                    "columns": [f.attname for f in fields],
                }
                out.write(json.dumps(header, ensure_ascii=False) + "\n")
                queryset = (
                    plain_rows(model, using)
                    .order_by("pk")
                    .values_list(*[f.attname for f in fields])
                )
                for row in queryset.iterator(chunk_size=READ_CHUNK):
                    values = [_encode(value) for value in row]
                    for index in file_columns:
                        if values[index]:
                            referenced.add(values[index])
                    out.write(json.dumps(values, ensure_ascii=False) + "\n")
                    rows += 1
                    if bar is not None and rows % 500 == 0:
                        bar.update(500)
            if bar is not None:
                bar.update(rows % 500)
            manifest["tables"][model._meta.label_lower] = {
                "table": model._meta.db_table,
                "rows": rows,
                "file": member,
            }
            report.tables += 1
            report.rows += rows
            with open(staged, "rb") as f:
                hashing = _Hashing(f)
                info = tar.gettarinfo(str(staged), arcname=member)
                info.mode = 0o600
                tar.addfile(info, hashing)
            manifest["files"][member] = {"sha256": hashing.sha256.hexdigest(), "size": hashing.size}
            staged.unlink()
        for contributor in _contributors.values():
            if contributor.describe:
                manifest["contributors"][contributor.name] = contributor.describe()
        if bar is not None:
            bar.close()
    manifest["referenced_files"] = sorted(referenced)
    return manifest


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:  # deleted since the listing
        return 0


def _add_media(
    tar: tarfile.TarFile, manifest: dict, report: BackupReport, progress: Progress | None
) -> None:
    root = Path(settings.MEDIA_ROOT)
    files = _media_files(root)
    total = sum(_size(p) for _name, p in files)
    bar = progress(total, "B", _("Files")) if progress and files else None
    stored = set()
    for name, path in files:
        member = f"{MEDIA_DIR}/{name}"
        try:
            info = tar.gettarinfo(str(path), arcname=member)
            with open(path, "rb") as f:
                hashing = _Hashing(f)
                tar.addfile(info, hashing)
        except FileNotFoundError:
            continue  # deleted since the listing: its row is gone too, or will be reported
        except (tarfile.TarError, OSError) as exc:  # it shrank while it was read
            if isinstance(exc, OSError) and exc.errno is not None:
                raise  # a fault of the disk (ENOSPC), not of the file
            raise BackupError(
                _("%(file)s changed while it was being saved (%(error)s); run the backup again.")
                % {"file": path, "error": exc}
            ) from exc
        manifest["files"][member] = {"sha256": hashing.sha256.hexdigest(), "size": hashing.size}
        stored.add(name)
        report.files += 1
        report.file_bytes += hashing.size
        if bar is not None:
            bar.update(hashing.size)
    if bar is not None:
        bar.close()
    # Rows that name a file MEDIA_ROOT does not hold: said in the manifest and the report
    # (they were missing before the backup, or deleted while it ran).
    report.missing_files = [n for n in manifest.pop("referenced_files") if n not in stored]
    manifest["media"] = {
        "files": report.files,
        "bytes": report.file_bytes,
        "missing": report.missing_files,
    }


# -- reading an archive ------------------------------------------------------------------------


@dataclass
class Archive:
    """An archive unpacked into a staging directory and checked against its manifest."""

    path: Path
    staging: Path
    manifest: dict

    @property
    def media(self) -> Path:
        return self.staging / MEDIA_DIR

    def cleanup(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


def _safe_member(name: str) -> bool:
    pure = PurePosixPath(name)
    if pure.is_absolute() or ".." in pure.parts or "\\" in name or not pure.parts:
        return False
    if name == MANIFEST:
        return True
    if pure.parts[0] == DATA_DIR:
        return len(pure.parts) == 2 and pure.name.endswith(".jsonl")
    return pure.parts[0] == MEDIA_DIR and len(pure.parts) >= 2


def damaged(path: Path, detail: Any) -> BackupError:
    return BackupError(
        _(
            "%(path)s is not a complete civhub backup (%(detail)s). It may be truncated or "
            "damaged: nothing was changed. Use another copy of the backup."
        )
        % {"path": path, "detail": detail}
    )


def open_archive(path: str | os.PathLike, *, staging_dir: Path | None = None) -> Archive:
    """Unpack the archive beside MEDIA_ROOT (so that its files can be moved into place
    without copying) and verify every member's checksum and size against the manifest. Any
    fault raises BackupError before anything of the site is touched."""
    source = Path(path)
    if not source.is_file():
        raise BackupError(_("%(path)s does not exist or is not a file.") % {"path": source})
    if staging_dir is None:
        staging_dir = Path(settings.MEDIA_ROOT).parent
    staging_dir.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".civhub-restore-", dir=staging_dir))
    found: dict[str, dict] = {}
    manifest_bytes = None
    try:
        with tarfile.open(source, "r:*") as tar:
            for member in tar:
                name = member.name
                if not _safe_member(name) or name in found or (name == MANIFEST and manifest_bytes):
                    raise damaged(source, _("unexpected entry %(name)s") % {"name": name})
                if member.isdir():
                    continue
                if not member.isfile():
                    raise damaged(source, _("unexpected entry %(name)s") % {"name": name})
                extracted = tar.extractfile(member)
                assert extracted is not None  # a regular file, as checked above
                if name == MANIFEST:
                    if member.size > MANIFEST_LIMIT:
                        raise damaged(source, _("the manifest is too large"))
                    manifest_bytes = extracted.read()
                    continue
                target = staging / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with open(target, "wb") as out:
                    while block := extracted.read(COPY_BLOCK):
                        digest.update(block)
                        size += len(block)
                        out.write(block)
                found[name] = {"sha256": digest.hexdigest(), "size": size}
            # The members end before the compressed stream does: read it to its end, so that
            # an archive cut in its last bytes (the gzip trailer with its checksum) is refused.
            stream = tar.fileobj
            assert stream is not None  # the archive was opened from its path
            while stream.read(COPY_BLOCK):
                pass
    except BackupError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise damaged(source, exc) from exc
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if exc.errno == errno.ENOSPC:
            raise BackupError(
                _(
                    "No space left to unpack the backup into %(path)s (it needs about the "
                    "size of the uploaded files and of the data): nothing was changed."
                )
                % {"path": staging_dir}
            ) from exc
        raise
    try:
        manifest = _check_manifest(source, manifest_bytes, found)
    except BackupError:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    (staging / MEDIA_DIR).mkdir(exist_ok=True)
    return Archive(path=source, staging=staging, manifest=manifest)


def _check_manifest(source: Path, manifest_bytes: bytes | None, found: dict) -> dict:
    if manifest_bytes is None:
        raise damaged(source, _("it has no manifest"))
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise damaged(source, _("its manifest is not valid JSON")) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise damaged(source, _("its manifest is not a civhub backup's"))
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _(
                "%(path)s is in backup format %(found)s; this civhub reads format %(known)s. "
                "Restore it with the civhub version that made it (%(version)s)."
            )
            % {
                "path": source,
                "found": manifest.get("format_version"),
                "known": FORMAT_VERSION,
                "version": manifest.get("civhub_version", "?"),
            }
        )
    listed = manifest.get("files", {})
    for name, expected in sorted(listed.items()):
        got = found.get(name)
        if got is None:
            raise damaged(source, _("%(name)s is missing") % {"name": name})
        if got["size"] != expected.get("size") or got["sha256"] != expected.get("sha256"):
            raise damaged(source, _("%(name)s does not match its checksum") % {"name": name})
    extra = sorted(set(found) - set(listed))
    if extra:
        raise damaged(source, _("%(name)s is not in the manifest") % {"name": extra[0]})
    for label, table in manifest.get("tables", {}).items():
        if table.get("file") not in listed:
            raise damaged(source, _("the rows of %(table)s are missing") % {"table": label})
    return manifest


# -- restore -----------------------------------------------------------------------------------


def migration_problems(manifest: dict, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Why the archive's rows cannot go into this database as the code expects them: the
    database is not migrated to the code, or the archive was made at other migrations."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        pending = sorted({migration.app_label for migration, _backwards in plan})
        return [
            _(
                "This database is not migrated to this version of civhub (apps with "
                "migrations to apply: %(apps)s). Run `civhub migrate` first, then restore."
            )
            % {"apps": ", ".join(pending)}
        ]
    archive = {app: set(names) for app, names in manifest.get("migrations", {}).items()}
    here = {app: set(names) for app, names in migration_state(using).items()}
    version = manifest.get("civhub_version", "?")
    problems = []
    for app in sorted(set(archive) | set(here)):
        newer = sorted(archive.get(app, set()) - here.get(app, set()))
        older = sorted(here.get(app, set()) - archive.get(app, set()))
        if newer:
            problems.append(
                _(
                    "App %(app)s: the backup was made with migrations this code does not have "
                    "(%(migrations)s), by a newer civhub (%(version)s). Restore it with that "
                    "version."
                )
                % {"app": app, "migrations": ", ".join(newer), "version": version}
            )
        elif older:
            problems.append(
                _(
                    "App %(app)s: the backup was made before migrations %(migrations)s, by an "
                    "older civhub (%(version)s). Restore it with that version, then upgrade "
                    "and run `civhub migrate`."
                )
                % {"app": app, "migrations": ", ".join(older), "version": version}
            )
    return problems


def held_data(using: str = DEFAULT_DB_ALIAS) -> tuple[bool, list[tuple[str, int]]]:
    """Whether the database holds the site's data, and the rows of each table that has any.
    A freshly migrated database has reference data (countries, SDG targets, permissions),
    but no account and no audit entry: every change that matters is audited."""
    counts = []
    for model in saved_models(using):
        rows = plain_rows(model, using).count()
        if rows:
            counts.append((model._meta.label_lower, rows))
    counts.sort(key=lambda item: (-item[1], item[0]))
    holds = (
        get_user_model()._base_manager.using(using).exists()
        or AuditEntry._base_manager.using(using).exists()
    )
    return holds, counts


def describe_counts(counts: list[tuple[str, int]], limit: int = 8) -> str:
    shown = ", ".join(f"{label} ({rows})" for label, rows in counts[:limit])
    rest = len(counts) - limit
    if rest > 0:
        shown += " " + ngettext("and %(count)d more table", "and %(count)d more tables", rest) % {
            "count": rest
        }
    return shown


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    replaced: list[tuple[str, int]] = field(default_factory=list)
    contributors: dict[str, dict] = field(default_factory=dict)


def restore(
    archive: Archive,
    *,
    force: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[..., Any] | None = None,
) -> RestoreReport:
    """Replace the database's rows and MEDIA_ROOT with the archive's, in one transaction:
    any fault (a bad row, a full disk, a failed constraint) leaves both as they were."""
    manifest = archive.manifest
    problems = migration_problems(manifest, using)
    if problems:
        raise BackupError(" ".join(problems))
    holds, counts = held_data(using)
    if holds and not force:
        raise BackupError(
            _(
                "This database holds data, which the restore would replace: %(tables)s. "
                "Restore into an empty (freshly migrated) database, or pass --force to "
                "replace it."
            )
            % {"tables": describe_counts(counts)}
        )
    models = saved_models(using)
    known = {m._meta.label_lower for m in models}
    archived = set(manifest.get("tables", {}))
    if known != archived:
        difference = sorted(known ^ archived)
        raise BackupError(
            _(
                "The backup's tables do not match this code's (%(tables)s), although the "
                "migrations do: it was made with other installed apps or settings."
            )
            % {"tables": ", ".join(difference)}
        )
    report = RestoreReport(replaced=counts if holds else [])
    connection = connections[using]
    media_root = Path(settings.MEDIA_ROOT)
    swapped: tuple[Path, Path | None] | None = None
    try:
        with transaction.atomic(using=using):
            _load(archive, models, connection, using, report, progress)
            for contributor in _contributors.values():
                if contributor.after_restore:
                    report.contributors[contributor.name] = contributor.after_restore(progress)
            audit(
                None,
                "backup.restored",
                summary=archive.path.name,
                made_at=manifest.get("created_at"),
                civhub_version=manifest.get("civhub_version"),
                vendor=manifest.get("database", {}).get("vendor"),
                rows=report.rows,
                files=report.files,
                replaced=sum(rows for _label, rows in report.replaced),
            )
            # Last inside the transaction: if the commit fails, the files are put back.
            swapped = _swap_media(archive.media, media_root, archive.staging)
        ContentType.objects.clear_cache()
    except BaseException as exc:
        if swapped is not None:
            _unswap_media(media_root, *swapped)
        if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
            raise BackupError(
                _("No space left on the device (%(error)s): nothing was changed.") % {"error": exc}
            ) from exc
        if isinstance(exc, DatabaseError):
            raise BackupError(
                _("The database refused the restore (%(error)s): nothing was changed.")
                % {"error": exc}
            ) from exc
        raise
    if swapped is not None and swapped[1] is not None:
        shutil.rmtree(swapped[1], ignore_errors=True)
    return report


def _load(
    archive: Archive,
    models: list[type[Model]],
    connection: BaseDatabaseWrapper,
    using: str,
    report: RestoreReport,
    progress: Progress | None,
) -> None:
    manifest = archive.manifest
    total = sum(t["rows"] for t in manifest["tables"].values())
    bar = progress(total, "rows", _("Database")) if progress else None
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Checks still pending in the caller's transaction run now: TRUNCATE refuses a
            # table with pending trigger events. Then every check waits for the end.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        tables = [m._meta.db_table for m in models]
        connection.ops.execute_sql_flush(
            connection.ops.sql_flush(no_style(), tables, allow_cascade=False)
        )
        for model in models:
            label = model._meta.label_lower
            entry = manifest["tables"][label]
            by_name = {f.attname: f for f in columns(model)}
            with open(archive.staging / entry["file"], encoding="utf-8") as rows:
                try:
                    header = json.loads(rows.readline())
                    names = header["columns"]
                    fields = [by_name[name] for name in names]
                except (ValueError, KeyError, TypeError) as exc:
                    raise BackupError(
                        _(
                            "The columns of %(table)s in the backup are not this code's "
                            "(%(error)s): nothing was changed."
                        )
                        % {"table": label, "error": exc}
                    ) from exc
                if set(names) != set(by_name):
                    raise BackupError(
                        _(
                            "The columns of %(table)s in the backup are not this code's "
                            "(%(error)s): nothing was changed."
                        )
                        % {"table": label, "error": ", ".join(sorted(set(names) ^ set(by_name)))}
                    )
                sql = "INSERT INTO {} ({}) VALUES ({})".format(
                    quote(model._meta.db_table),
                    ", ".join(quote(f.column) for f in fields),
                    ", ".join(["%s"] * len(fields)),
                )
                batch = []
                count = 0
                for number, line in enumerate(rows, start=2):
                    try:
                        values = json.loads(line)
                        batch.append(
                            [
                                f.get_db_prep_save(f.to_python(v), connection)
                                for f, v in zip(fields, values, strict=True)
                            ]
                        )
                    except Exception as exc:  # a row the fields cannot read
                        raise BackupError(
                            _(
                                "Line %(line)d of %(file)s cannot be read (%(error)s): "
                                "nothing was changed."
                            )
                            % {"line": number, "file": entry["file"], "error": exc}
                        ) from exc
                    if len(batch) == INSERT_BATCH:
                        cursor.executemany(sql, batch)
                        count += len(batch)
                        if bar is not None:
                            bar.update(len(batch))
                        batch = []
                if batch:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    if bar is not None:
                        bar.update(len(batch))
            if count != entry["rows"]:
                raise BackupError(
                    _(
                        "%(table)s has %(found)d rows in the backup, its manifest says "
                        "%(expected)d: nothing was changed."
                    )
                    % {"table": label, "found": count, "expected": entry["rows"]}
                )
            report.tables += 1
            report.rows += count
        # Every reference resolves before the commit, with an error that names the table.
        connection.check_constraints(table_names=tables)
        if connection.vendor == "postgresql":
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)
    report.files = manifest.get("media", {}).get("files", 0)
    if bar is not None:
        bar.close()


def _swap_media(new: Path, media_root: Path, staging: Path) -> tuple[Path, Path | None]:
    """Put the archive's files in MEDIA_ROOT's place by renaming directories (same file
    system: the archive was unpacked beside it). Returns what `_unswap_media` needs."""
    old = None
    if media_root.exists():
        old = staging / "replaced-media"
        os.rename(media_root, old)
    try:
        os.rename(new, media_root)
    except OSError:
        if old is not None:
            os.rename(old, media_root)
        raise
    return new, old


def _unswap_media(media_root: Path, new: Path, old: Path | None) -> None:
    if media_root.exists():
        os.rename(media_root, new)
    if old is not None:
        os.rename(old, media_root)
