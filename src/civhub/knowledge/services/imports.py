"""Importing practice records into the database, and reading them back out for export.

`import_records` saves the records of one file all or nothing (a file with one bad record
saves nothing), in short transactions of a batch of records each, so an import never makes the
site's other writers wait for the whole file; a journal written with each batch lets
`recover_abandoned_runs` undo an import killed half-way. Records come from
`civhub.knowledge.importers` (dicts with the keys in `importers.KEYS`); `practice_to_record`
is the way back.
"""

import datetime
import decimal
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.core.serializers.python import Serializer as PythonSerializer
from django.core.validators import validate_email
from django.db import DatabaseError, connection, transaction
from django.db.models import Field, Model, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from civhub.core.services import audit
from civhub.core.types import Viewer
from civhub.directory.models import Country, Organization, SdgTarget, Topic
from civhub.knowledge.choices import ContentLanguage, PracticeState
from civhub.knowledge.importers import KEYS
from civhub.knowledge.models import (
    ImportRun,
    ImportRunEntry,
    ImportRunState,
    Practice,
    PracticeContact,
)
from civhub.search import services as search

M = TypeVar("M", bound=Model)

CREATED, UPDATED, SKIPPED, FAILED = "created", "updated", "skipped", "failed"
TRANSLATED_KEYS = {
    "title": "title",
    "challenge": "challenge",
    "solution": "solution",
    "summary": "summary",
    "results": "results",
    "lessons": "lessons",
}
LANGUAGES = ContentLanguage.values


@dataclass
class RecordResult:
    title: str
    action: str
    line: int | None = None
    practice: Practice | None = None


@dataclass
class ImportReport:
    """What happened to one file's records. With `dry_run`, what would have happened."""

    file: str = ""
    dry_run: bool = False
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    results: list[RecordResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, other: "ImportReport") -> None:
        for name in (CREATED, UPDATED, SKIPPED, FAILED):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.errors += other.errors
        self.results += other.results


def can_import(actor: Viewer) -> bool:
    """Editors import; `None` is the system (the command line without --user)."""
    return actor is None or (actor.is_authenticated and actor.is_editor)


#: On SQLite, records written per transaction, and the most time one may take before it
#: commits: a transaction holds SQLite's one write lock until it commits, and a file of
#: 1,000 records in one would make every other writer wait for all of it (and fail after the
#: busy timeout). PostgreSQL writes the whole file in one transaction, which locks only the
#: rows it writes (the index's generation is changed after the commit), so other writers go
#: on, and a killed import, whose transaction the server rolls back, leaves nothing.
BATCH = 20
BATCH_SECONDS = 0.5
#: SQLite keeps no queue for its write lock: a writer waiting for it tries again every 100 ms
#: at most (its busy timeout), so between two batches the importer leaves the lock free a
#: little longer than that, or it would take it again before any waiting writer woke.
SQLITE_PAUSE = 0.12


def import_records(
    actor: Viewer,
    records: list[dict],
    *,
    publish: bool = False,
    update: bool = False,
    file_name: str = "",
    source: str = "",
    lines: list[int | None] | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Save the records of one file, all or nothing.

    A record already imported (the same title, in any language, from the same source file) is
    skipped, or updated when `update`. Countries, organizations, SDG targets and topics are
    looked up, never created. Errors name the file, the record and the value; when there are
    any, nothing is saved and every record counts as failed.

    First every record is checked without writing anything (with `dry_run`, that is all);
    then the records are written: on PostgreSQL in one transaction (a killed import leaves
    nothing); on SQLite BATCH at a time, each batch in a short transaction of its own, so
    that the site's other writers never wait for more than one batch. Each batch also writes
    the file's `ImportRun` (its heartbeat) and its journal: the practices the batch created,
    and the ones it updated as they were before; the last batch marks the run done. Should a
    batch fail all the same (the database refuses a row), the batches already written are
    undone from the journal, so a bad file still leaves nothing; an import killed between two
    batches is undone by the next recovery (`recover_abandoned_runs`).
    """
    if not can_import(actor):
        raise PermissionDenied(_("Only editors can import practices."))
    report = ImportReport(file=file_name, dry_run=dry_run)
    lines = list(lines or [])
    lines += [None] * (len(records) - len(lines))
    options: dict[str, Any] = {
        "publish": publish,
        "update": update,
        "file_name": file_name,
        "source": source,
    }
    lookups = _Lookups()

    # 1. Check: nothing is written, so nothing is locked.
    seen: set[tuple[str, str]] = set()
    for n, record in enumerate(records, start=1):
        try:
            action, _practice = _import_one(actor, record, lookups, check=True, **options)
        except ValidationError as exc:
            report.errors += [
                _describe(file_name, n, lines[n - 1], record, message) for message in _messages(exc)
            ]
            report.results.append(RecordResult(_title(record), FAILED, lines[n - 1]))
            continue
        key = (record["title"], record.get("source_file") or file_name)
        if key in seen:  # a second record of the same title: the first one saves it
            action = UPDATED if update else SKIPPED
        seen.add(key)
        setattr(report, action, getattr(report, action) + 1)
        report.results.append(RecordResult(_title(record), action, lines[n - 1]))
    if report.errors:
        return _failed(report, len(records))
    if dry_run:
        return report

    # 2. Write, a batch per transaction, with the run and its journal in each (on SQLite).
    written = ImportReport(file=file_name)
    batched = connection.vendor == "sqlite"
    journal = _Journal(actor, file_name, keep=batched)
    batch = BATCH if batched else len(records)
    n = 0
    try:
        while n < len(records):
            if n and batched:
                time.sleep(SQLITE_PAUSE)
            with transaction.atomic(), search.batched():
                journal.begin_batch()
                began, first = time.monotonic(), n
                while n < len(records) and n - first < batch:
                    if batched and n > first and time.monotonic() - began > BATCH_SECONDS:
                        break
                    record = records[n]
                    n += 1
                    practice = _existing(record, record.get("source_file") or file_name)
                    if practice is not None and update:
                        journal.remember(practice)
                    action, practice = _import_one(actor, record, lookups, **options)
                    journal.wrote(action, practice)
                    setattr(written, action, getattr(written, action) + 1)
                    written.results.append(
                        RecordResult(_title(record), action, lines[n - 1], practice)
                    )
                journal.end_batch(last=n == len(records))
            journal.committed = True
    except _Abandoned:
        # a recovery took this import for dead and undid it: what is left of the file must
        # not be written on top of that
        report.errors = [
            _(
                "%(file)s: the import was stopped after record %(n)d, and what it had saved "
                "was undone, because it gave no sign of life for too long. Import the file "
                "again."
            )
            % {"file": file_name or _("(no name)"), "n": n}
        ]
        return _failed(report, len(records))
    except (ValidationError, DatabaseError) as exc:
        record = records[n - 1]
        messages = _messages(exc) if isinstance(exc, ValidationError) else [str(exc)]
        report.errors = [_describe(file_name, n, lines[n - 1], record, m) for m in messages]
        # on PostgreSQL the one transaction, run and all, is rolled back; on SQLite the
        # batches already committed are undone from the journal
        if journal.committed and batched:
            assert journal.run is not None
            try:
                undo_run(journal.run, actor)
            except DatabaseError as undo_exc:
                report.errors.append(
                    _(
                        "%(file)s: the records saved before the error could not be undone yet "
                        "(%(error)s); the next recovery undoes them."
                    )
                    % {"file": file_name or _("(no name)"), "error": undo_exc}
                )
        return _failed(report, len(records))
    return written


def _failed(report: ImportReport, count: int) -> ImportReport:
    report.created = report.updated = report.skipped = 0
    report.failed = count
    for result in report.results:
        result.practice = None
    return report


class _Abandoned(Exception):
    """The run was undone by a recovery while this process still wrote it."""


class _Journal:
    """The run of one import, written in each batch's transaction: the practices the batch
    created and the ones it updated as they were before (with `keep`, i.e. on SQLite; on
    PostgreSQL the one transaction is its own undo, and the run only records the import)."""

    def __init__(self, actor: Viewer, file_name: str, *, keep: bool) -> None:
        self.actor = actor if getattr(actor, "is_authenticated", False) else None
        self.file_name = file_name
        self.keep = keep
        self.run: ImportRun | None = None
        self.committed = False  # a batch (and so the run) has been committed
        self.entries: list[ImportRunEntry] = []
        self.before: dict[int, dict] = {}
        self.journaled: set[int] = set()  # practices with an entry: the first one counts

    def begin_batch(self) -> None:
        now = timezone.now()
        if self.run is None:
            self.run = ImportRun.objects.create(
                file_name=self.file_name[:300], actor=self.actor, started_at=now, heartbeat_at=now
            )
            return
        # the first write of the batch: a recovery that undid the run has committed before it
        # or waits for this batch's end, and then finds the heartbeat fresh
        alive = ImportRun.objects.filter(pk=self.run.pk, state=ImportRunState.RUNNING)
        if not alive.update(heartbeat_at=now):
            raise _Abandoned

    def remember(self, practice: Practice) -> None:
        if self.keep and practice.pk not in self.journaled and practice.pk not in self.before:
            self.before[practice.pk] = snapshot(practice)

    def wrote(self, action: str, practice: Practice) -> None:
        if not self.keep or action not in (CREATED, UPDATED):
            return
        if practice.pk in self.journaled:  # a second record of the same title updated it
            pending = [e for e in self.entries if e.practice_id == practice.pk]
            for entry in pending:
                entry.version = practice.version
            if not pending:
                self.run.entries.filter(  # type: ignore[union-attr]  # made by begin()
                    practice_id=practice.pk
                ).update(version=practice.version)
            return
        self.journaled.add(practice.pk)
        self.entries.append(
            ImportRunEntry(
                run=self.run,
                practice_id=practice.pk,
                created=action == CREATED,
                before=None if action == CREATED else self.before.pop(practice.pk),
                version=practice.version,
            )
        )

    def end_batch(self, *, last: bool) -> None:
        assert self.run is not None
        ImportRunEntry.objects.bulk_create(self.entries)
        self.entries = []
        if last:
            now = timezone.now()
            ImportRun.objects.filter(pk=self.run.pk).update(
                state=ImportRunState.DONE, heartbeat_at=now, finished_at=now
            )
            self.run.entries.all().delete()  # a finished run is never undone


def snapshot(practice: Practice) -> dict:
    """A practice and its contacts as they are, for `undo_run` to put back."""
    links = Practice.sdg_targets.through.objects.filter(practice=practice).order_by("pk")
    return {
        "objects": _JSONSafe().serialize([practice, *practice.contacts.all()]),
        "sdg_targets": list(links.values_list("sdgtarget_id", flat=True)),
    }


class _JSONSafe(PythonSerializer):
    """The python serializer with dates, times, decimals and UUIDs as strings (to the
    microsecond), so that its output can be kept in a JSONField and read back by the python
    deserializer, which parses them again."""

    def _value_from_field(self, obj: Model, field: Field) -> Any:
        # a private method of Django's serializer, which the stubs leave out
        value = super()._value_from_field(obj, field)  # type: ignore[misc]
        if isinstance(value, datetime.date | datetime.time):
            return value.isoformat()
        if isinstance(value, decimal.Decimal | uuid.UUID):
            return str(value)
        return value


# --- Recovery: undoing the runs of imports that died half-way -------------------------------


@dataclass
class Recovery:
    """What undoing one run did: the practices deleted and restored, and what it could not do
    (`problems`: journal entries that could not be applied; `error`: the run could not be
    undone at all and stays as it was, to be tried again)."""

    run: ImportRun
    deleted: int = 0
    restored: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    changed_since: list[int] = field(default_factory=list)
    error: str = ""


def recover_abandoned_runs(actor: Viewer = None) -> list[Recovery]:
    """Undo every run left "running" by a process that is gone (`ImportRun.is_abandoned`).
    Called at the start of every import, by a periodic task and by `import-practices
    --recover`. Cheap when there is nothing to do: one read, no write lock."""
    done = []
    for run in ImportRun.objects.filter(state=ImportRunState.RUNNING).order_by("pk"):
        if not run.is_abandoned():
            continue
        try:
            recovery = undo_run(run, actor, only_if_abandoned=True)
        except DatabaseError as exc:  # e.g. locked for too long: the next recovery tries again
            recovery = Recovery(run, error=str(exc))
        if recovery is not None:
            done.append(recovery)
    return done


def describe_recovery(recovery: Recovery) -> list[str]:
    """What a recovery did to one run, for the command, the upload page and the worker's log."""
    run = recovery.run
    params = {
        "file": run.file_name or _("(no name)"),
        "run": run.pk,
        "started": timezone.localtime(run.started_at).strftime("%Y-%m-%d %H:%M:%S"),
        "host": run.host,
        "pid": run.pid,
    }
    if recovery.error:
        return [
            _(
                "The unfinished import of %(file)s (import run %(run)d, started %(started)s) "
                "could not be undone: %(error)s. The next recovery tries again."
            )
            % {**params, "error": recovery.error}
        ]
    lines = [
        _(
            "Undid the unfinished import of %(file)s (import run %(run)d, started %(started)s "
            "by process %(pid)d on %(host)s): practices deleted: %(deleted)d; put back as they "
            "were: %(restored)d."
        )
        % {**params, "deleted": recovery.deleted, "restored": len(recovery.restored)}
    ]
    if recovery.changed_since:
        lines.append(
            _(
                "%(file)s: these practices had been changed after the import, and are undone "
                "with it: %(pks)s."
            )
            % {**params, "pks": ", ".join(map(str, sorted(recovery.changed_since)))}
        )
    return lines + recovery.problems


def undo_run(
    run: ImportRun, actor: Viewer = None, *, only_if_abandoned: bool = False
) -> Recovery | None:
    """Undo what `run` wrote, in one transaction: delete the practices it created, put back
    those it updated, mark it undone and audit it (`import.undone`). A journal entry that
    cannot be applied is left out and named in `problems`; the rest is undone. None when the
    run is no longer running (or, with `only_if_abandoned`, no longer looks abandoned: its
    process committed a batch since it was read)."""
    with transaction.atomic(), search.batched():
        # None when the run is gone, which the next line checks
        run = ImportRun.objects.select_for_update().filter(pk=run.pk).first()  # type: ignore[assignment]
        if (
            run is None
            or run.state != ImportRunState.RUNNING
            or (only_if_abandoned and not run.is_abandoned())
        ):
            return None
        recovery = Recovery(run)
        entries = list(run.entries.all())
        versions = dict(
            Practice.objects.filter(pk__in=[e.practice_id for e in entries]).values_list(
                "pk", "version"
            )
        )
        created = [e for e in entries if e.created]
        for entry in created:
            if versions.get(entry.practice_id, entry.version) != entry.version:
                recovery.changed_since.append(entry.practice_id)
        _total, deleted = Practice.objects.filter(pk__in=[e.practice_id for e in created]).delete()
        recovery.deleted = deleted.get(Practice._meta.label, 0)
        for entry in entries:
            if entry.created:
                continue
            if entry.practice_id not in versions:
                recovery.problems.append(
                    _describe_entry(run, entry, _("the practice has been deleted since."))
                )
                continue
            try:
                with transaction.atomic():  # a savepoint: a bad entry leaves the others
                    _restore(entry, versions[entry.practice_id])
            except Exception as exc:  # a bad entry of any kind must not stop the recovery
                recovery.problems.append(_describe_entry(run, entry, _reason(exc)))
                continue
            recovery.restored.append(entry.practice_id)
            if versions[entry.practice_id] != entry.version:
                recovery.changed_since.append(entry.practice_id)
        run.entries.all().delete()
        run.state, run.finished_at = ImportRunState.UNDONE, timezone.now()
        run.save(update_fields=["state", "finished_at"])
        data: dict = {"created": recovery.deleted, "restored": sorted(recovery.restored)}
        if only_if_abandoned:
            data |= {"run": run.pk, "host": run.host, "pid": run.pid}
        if recovery.changed_since:
            data["changed_after_import"] = sorted(recovery.changed_since)
        if recovery.problems:
            data["problems"] = recovery.problems
        audit(actor, "import.undone", summary=run.file_name, **data)
    return recovery


def _restore(entry: ImportRunEntry, current_version: int) -> None:
    """Put the practice of `entry` back as it was, with its contacts and links."""
    before = entry.before
    if not isinstance(before, dict) or not isinstance(before.get("objects"), list):
        raise ValueError(_("the journal entry holds no snapshot."))
    every_field = {f.name for f in Practice._meta.concrete_fields if not f.primary_key}
    for item in before["objects"]:
        fields = item.get("fields") if isinstance(item, dict) else None
        if not isinstance(fields, dict):
            raise ValueError(_("the snapshot is not a list of records."))
        # a field left out would be saved with its default, not as it was
        if item.get("model") == Practice._meta.label_lower and not every_field <= set(fields):
            raise ValueError(_("the snapshot of the practice is incomplete."))
    objects = list(serializers.deserialize("python", before["objects"]))
    practices = [obj for obj in objects if isinstance(obj.object, Practice)]
    if len(practices) != 1 or practices[0].object.pk != entry.practice_id:
        raise ValueError(_("the snapshot is not of this practice."))
    if any(
        not isinstance(obj.object, Practice | PracticeContact)
        or (isinstance(obj.object, PracticeContact) and obj.object.practice_id != entry.practice_id)
        for obj in objects
    ):
        raise ValueError(_("the snapshot holds records of another practice."))
    for obj in objects:
        _check_references(obj)
    targets = list(before.get("sdg_targets") or [])
    _check_pks(SdgTarget, targets)
    PracticeContact.objects.filter(practice_id=entry.practice_id).delete()
    practice = cast(Practice, practices[0].object)
    if current_version != entry.version:
        # changed since the import by someone else: a form opened on that change is refused
        practice.version = max(practice.version, current_version) + 1
    for obj in objects:
        obj.save()  # raw: the search index is told below
    # the serializer lists the SDG targets in their own order; the links keep the record's
    practice.sdg_targets.clear()
    for target in targets:
        practice.sdg_targets.add(target)
    search.reindex(practice)


def _check_references(obj: DeserializedObject) -> None:
    """The records a snapshot points to still exist (SQLite checks foreign keys only at the
    commit, which would fail the whole recovery instead of this entry)."""
    for f in obj.object._meta.concrete_fields:
        if f.is_relation and f.related_model is not None:
            value = getattr(obj.object, f.attname)
            if value is not None:
                _check_pks(f.related_model, [value])
    for name, pks in (obj.m2m_data or {}).items():
        _check_pks(obj.object._meta.get_field(name).related_model, pks)


def _check_pks(model: Any, pks: Iterable[int]) -> None:
    wanted = set(pks)
    found = set(model._default_manager.filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - found:
        raise ValueError(
            _("it refers to %(model)s %(pks)s, which no longer exist.")
            % {
                "model": model._meta.verbose_name_plural,
                "pks": ", ".join(map(str, sorted(wanted - found, key=str))),
            }
        )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, DeserializationError):
        # the value's own error, not the deserializer's wrapping of it
        exc = exc.__cause__ or exc.__context__ or exc
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or exc.__class__.__name__


def _describe_entry(run: ImportRun, entry: ImportRunEntry, reason: str) -> str:
    return _(
        "%(file)s (import run %(run)d): practice %(practice)d was not put back: %(reason)s"
    ) % {
        "file": run.file_name or _("(no name)"),
        "run": run.pk,
        "practice": entry.practice_id,
        "reason": reason,
    }


def _title(record: dict) -> str:
    return str(record.get("title") or "")


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        out = []
        for name, messages in exc.message_dict.items():
            try:
                label = str(Practice._meta.get_field(name).verbose_name)  # type: ignore[union-attr]
            except Exception:  # not a model field, e.g. __all__
                label = ""
            out += [f"{label}: {m}" if label else m for m in messages]
        return out
    return exc.messages


def _describe(file_name: str, n: int, line: int | None, record: dict, message: str) -> str:
    params = {"file": file_name or _("(no name)"), "n": n, "title": _title(record)}
    if line is not None:
        params["line"] = line
        where = _("%(file)s, line %(line)d, record %(n)d “%(title)s”") % params
    else:
        where = _("%(file)s, record %(n)d “%(title)s”") % params
    return f"{where}: {message}"


class _Lookups:
    """Names to records, read once per file and compared case-insensitively in Python (SQLite
    folds case for ASCII only)."""

    def __init__(self) -> None:
        self.countries: dict[str, Country] = {}
        for country in Country.objects.all():
            for language in LANGUAGES:
                name = getattr(country, f"name_{language}", None)
                if name:
                    self.countries.setdefault(name.casefold(), country)
        self.organizations: dict[str, Organization | None] = {}
        acronyms: dict[str, list[Organization]] = {}
        for organization in Organization.objects.all():
            for language in LANGUAGES:
                name = getattr(organization, f"name_{language}", None)
                if name:
                    self.organizations.setdefault(name.casefold(), organization)
            if organization.acronym:
                acronyms.setdefault(organization.acronym.casefold(), []).append(organization)
        for acronym, found in acronyms.items():
            # a name wins over an acronym; an acronym two organizations share names neither
            if acronym not in self.organizations and len(found) == 1:
                self.organizations[acronym] = found[0]
        self.targets = {t.code: t for t in SdgTarget.objects.all()}
        self.topics: dict[str, Topic] = {}
        for topic in Topic.objects.all():
            self.topics[topic.slug.casefold()] = topic
            for language in LANGUAGES:
                name = getattr(topic, f"name_{language}", None)
                if name:
                    self.topics.setdefault(name.casefold(), topic)

    def country(self, name: str) -> Country | None:
        return self.countries.get(name.strip().casefold())

    def organization(self, name: str) -> Organization | None:
        return self.organizations.get(name.strip().casefold())


def _existing(record: dict, source_file: str, *, lock: bool = True) -> Practice | None:
    title = record["title"]
    same_title = Q()
    for language in LANGUAGES:
        same_title |= Q(**{f"title_{language}": title})
    # Locked: an editor's change or a step of the workflow waits for the import (and its
    # state, read here, is the one saved), never the other way round.
    practices = Practice.objects.select_for_update() if lock else Practice.objects.all()
    return practices.filter(same_title, source_file=source_file).order_by("pk").first()


def _columns(practice: Practice) -> dict:
    return {f.attname: getattr(practice, f.attname) for f in Practice._meta.concrete_fields}


def _import_one(
    actor: Viewer,
    record: dict,
    lookups: _Lookups,
    *,
    publish: bool,
    update: bool,
    file_name: str,
    source: str,
    check: bool = False,
) -> tuple[str, Practice]:
    """Save one record (with `check`, only check it: every error it can have is raised, and
    nothing is written)."""
    for key in KEYS:
        record.setdefault(key, None)
    if not record.get("title"):
        raise ValidationError(_("The record has no title."))
    source_file = record.get("source_file") or file_name
    practice = _existing(record, source_file, lock=not check)  # the check writes nothing
    if practice is not None and not update:
        return SKIPPED, practice
    creating = practice is None
    stored = {} if practice is None else _columns(practice)
    language = record.get("language") or (practice.language if practice else ContentLanguage.EN)
    if language not in LANGUAGES:
        raise ValidationError(_("Unknown language “%(value)s”.") % {"value": language})

    # look everything up first, so that one message lists every unknown value
    errors = []
    targets = []
    for code in record.get("sdg_targets") or []:
        target = lookups.targets.get(code)
        if target is None:
            errors.append(_("Unknown SDG target “%(code)s”.") % {"code": code})
        else:
            targets.append(target)
    topics = None
    if record.get("topics") is not None:
        topics = []
        for name in record["topics"]:
            topic = lookups.topics.get(name.strip().casefold())
            if topic is None:
                errors.append(_("Unknown topic “%(name)s”.") % {"name": name})
            else:
                topics.append(topic)
    contacts = []
    for contact in record.get("contacts") or []:
        name = contact.get("name") or ""
        position = contact.get("position") or ""
        email = contact.get("email") or ""
        if not (name or email):
            continue
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(_("“%(value)s” is not a valid e-mail address.") % {"value": email})
        if len(name) > 200:
            errors.append(_("The contact name “%(value)s” is too long.") % {"value": name[:60]})
        if len(position) > 500:
            errors.append(_("The position of “%(name)s” is too long.") % {"name": name})
        contacts.append(PracticeContact(name=name, position=position, email=email))
    if errors:
        raise ValidationError(errors)

    if creating:
        practice = Practice(
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            state=PracticeState.DRAFT,
        )
    assert practice is not None  # found, or made just now
    practice.language = language
    for key, column in TRANSLATED_KEYS.items():
        if key in KEYS or key in record:
            setattr(practice, f"{column}_{language}", record.get(key) or "")
    date = record.get("date")
    practice.publication_date = datetime.date.fromisoformat(date) if date else None
    practice.project_status = record.get("status") or ""
    practice.period_start = record.get("period_start")
    practice.period_end = record.get("period_end")
    practice.url = record.get("url") or ""
    practice.countries_text = list(record.get("countries") or [])
    practice.supported_by_text = list(record.get("supported_by") or [])
    practice.implementing_text = list(record.get("implementing_entity") or [])
    practice.source_file = source_file
    if "source" in record:
        practice.source = record.get("source") or ""
    elif creating or source:
        practice.source = source
    if publish and practice.state != PracticeState.PUBLISHED:
        practice.state = PracticeState.PUBLISHED
        practice.published_at = practice.published_at or timezone.now()
    practice.full_clean()
    if check:
        return (CREATED if creating else UPDATED), practice
    if creating:
        practice.save()
    else:
        # Only the columns the record changes, with the version one higher (so that a page
        # opened before the import is refused, not saved over it).
        changed = [
            f.name
            for f in Practice._meta.concrete_fields
            if getattr(practice, f.attname) != stored[f.attname]
        ]
        if changed:
            practice.version += 1
            practice.save(update_fields=[*changed, "version", "updated_at"])

    practice.countries.set(
        _unique(c for c in map(lookups.country, practice.countries_text) if c is not None)
    )
    practice.supported_by.set(
        _unique(o for o in map(lookups.organization, practice.supported_by_text) if o is not None)
    )
    practice.implementing_entities.set(
        _unique(o for o in map(lookups.organization, practice.implementing_text) if o is not None)
    )
    # one by one, so that the link table keeps the order the record gives
    practice.sdg_targets.clear()
    for target in targets:
        practice.sdg_targets.add(target)
    if topics is not None:
        practice.topics.set(topics)
    practice.contacts.all().delete()
    for order, contact in enumerate(contacts):
        contact.practice, contact.order = practice, order
    PracticeContact.objects.bulk_create(contacts)

    audit(
        actor,
        "practice.imported" if creating else "practice.reimported",
        practice,
        summary=practice.title,
        source_file=source_file,
        state=practice.state,
    )
    return (CREATED if creating else UPDATED), practice


def _unique(items: Iterable[M]) -> list[M]:
    seen: set[Any] = set()
    out: list[M] = []
    for item in items:
        if item.pk not in seen:
            seen.add(item.pk)
            out.append(item)
    return out


# --- The way back --------------------------------------------------------------------------


def practice_to_record(practice: Practice, viewer: Viewer = None) -> dict:
    """A practice as a record (the keys of `importers.KEYS` plus the optional ones), in the
    practice's original language. What the record lacks is None. Where the "as written" lists
    are empty (a practice entered on the site), the linked records' names stand in."""
    language = practice.language or ContentLanguage.EN

    def text(column: str) -> str | None:
        value = getattr(practice, f"{column}_{language}", None)
        if value is None:
            value = getattr(practice, column)
        return value or None

    def names(as_written: list, related: Any) -> list[str] | None:
        if as_written:
            return list(as_written)
        return [str(getattr(obj, "name", obj)) for obj in related.all()] or None

    visible = (
        practice.contacts_for(viewer)
        if viewer is not None
        else [
            {"name": c.name, "position": c.position, "email": c.email}
            for c in practice.contacts.all()
        ]
    )
    contacts = [{key: value or None for key, value in c.items()} for c in visible]
    return {
        "title": text("title"),
        "date": practice.publication_date.isoformat() if practice.publication_date else None,
        "challenge": text("challenge"),
        "solution": text("solution"),
        "sdg_targets": [t.code for t in _targets_in_order(practice)] or None,
        "countries": names(practice.countries_text, practice.countries),
        "supported_by": names(practice.supported_by_text, practice.supported_by),
        "implementing_entity": names(practice.implementing_text, practice.implementing_entities),
        "status": practice.project_status or None,
        "period_start": practice.period_start,
        "period_end": practice.period_end,
        "url": practice.url or None,
        "contacts": contacts or None,
        "source_file": practice.source_file or None,
        "summary": text("summary"),
        "results": text("results"),
        "lessons": text("lessons"),
        "topics": [t.slug for t in practice.topics.all()] or None,
        "language": language,
        "source": practice.source or None,
    }


def _targets_in_order(practice: Practice) -> list[SdgTarget]:
    """The SDG targets in the order they were linked, which is the record's order."""
    ordered = getattr(practice, "_ordered_targets", None)
    if ordered is not None:
        return ordered
    links = Practice.sdg_targets.through.objects.filter(practice=practice)
    return [link.sdgtarget for link in links.select_related("sdgtarget").order_by("pk")]


def export_records(queryset: QuerySet[Practice] | None = None, viewer: Viewer = None) -> list[dict]:
    """The practices of `queryset` (all by default) as records, in a fixed number of queries.
    With a `viewer` (a page's user), contacts are as that user may read them
    (`Practice.contacts_for`); without one (the command line, run by an operator), whole."""
    queryset = Practice.objects.all() if queryset is None else queryset
    practices = list(
        queryset.order_by("pk").prefetch_related(
            "countries", "supported_by", "implementing_entities", "topics", "contacts"
        )
    )
    links = Practice.sdg_targets.through.objects.filter(practice__in=practices)
    targets: dict[int, list[SdgTarget]] = defaultdict(list)
    for link in links.select_related("sdgtarget").order_by("pk"):
        targets[link.practice_id].append(link.sdgtarget)
    for practice in practices:
        # read back by practice_to_record (the targets in the record's order)
        practice._ordered_targets = targets[practice.pk]  # type: ignore[attr-defined]
    return [practice_to_record(p, viewer) for p in practices]
