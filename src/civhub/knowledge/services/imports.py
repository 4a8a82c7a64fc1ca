"""Importing practice records into the database, and reading them back out for export.

`import_records` saves the records of one file all or nothing (a file with one bad record
saves nothing), in short transactions of a batch of records each, so an import never makes the
site's other writers wait for the whole file. Records come from `civhub.knowledge.importers` (dicts with the keys in
`importers.KEYS`); `practice_to_record` is the way back.
"""

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civhub.core.services import audit
from civhub.directory.models import Country, Organization, SdgTarget, Topic
from civhub.knowledge.choices import ContentLanguage, PracticeState
from civhub.knowledge.importers import KEYS
from civhub.knowledge.models import Practice, PracticeContact
from civhub.search import registry
from civhub.search import signals as search_signals

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


def can_import(actor) -> bool:
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
    actor,
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
    that the site's other writers never wait for more than one batch. Should a batch fail all
    the same (the database refuses a row), the batches already written are undone, so a bad
    file still leaves nothing; an import killed between two SQLite batches leaves the batches
    written, and importing the file again skips them and saves the rest.
    """
    if not can_import(actor):
        raise PermissionDenied(_("Only editors can import practices."))
    report = ImportReport(file=file_name, dry_run=dry_run)
    lines = list(lines or [])
    lines += [None] * (len(records) - len(lines))
    options = {"publish": publish, "update": update, "file_name": file_name, "source": source}
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

    # 2. Write, a batch per transaction.
    written = ImportReport(file=file_name)
    undo = _Undo()
    n = 0
    batched = connection.vendor == "sqlite"
    batch = BATCH if batched else len(records)
    try:
        while n < len(records):
            if n and connection.vendor == "sqlite":
                time.sleep(SQLITE_PAUSE)
            with transaction.atomic(), search_signals.batched():
                began, first = time.monotonic(), n
                while n < len(records) and n - first < batch:
                    if batched and n > first and time.monotonic() - began > BATCH_SECONDS:
                        break
                    record = records[n]
                    n += 1
                    practice = _existing(record, record.get("source_file") or file_name)
                    if practice is not None and update:
                        undo.remember(practice)
                    action, practice = _import_one(actor, record, lookups, **options)
                    if action == CREATED:
                        undo.created.append(practice.pk)
                    setattr(written, action, getattr(written, action) + 1)
                    written.results.append(
                        RecordResult(_title(record), action, lines[n - 1], practice)
                    )
    except (ValidationError, DatabaseError) as exc:
        record = records[n - 1]
        messages = _messages(exc) if isinstance(exc, ValidationError) else [str(exc)]
        report.errors = [_describe(file_name, n, lines[n - 1], record, m) for m in messages]
        undo.run(actor, file_name)
        return _failed(report, len(records))
    return written


def _failed(report: ImportReport, count: int) -> ImportReport:
    report.created = report.updated = report.skipped = 0
    report.failed = count
    for result in report.results:
        result.practice = None
    return report


class _Undo:
    """What the written batches did, to be undone if a later batch fails: the practices they
    created, and the practices they updated as they were before."""

    def __init__(self):
        self.created: list[int] = []
        self.before: dict[int, list] = {}

    def remember(self, practice: Practice) -> None:
        if practice.pk not in self.before:
            self.before[practice.pk] = serializers.serialize(
                "python", [practice, *practice.contacts.all()]
            )

    def run(self, actor, file_name: str) -> None:
        if not (self.created or self.before):
            return
        with transaction.atomic(), search_signals.batched():
            Practice.objects.filter(pk__in=self.created).delete()
            for pk, stored in self.before.items():
                PracticeContact.objects.filter(practice_id=pk).delete()
                for obj in serializers.deserialize("python", stored):
                    obj.save()  # raw: the search index is told below
                    if isinstance(obj.object, Practice):
                        search_signals.reindex_instance(registry.for_model(Practice), obj.object)
            audit(
                actor,
                "import.undone",
                summary=file_name,
                created=len(self.created),
                restored=sorted(self.before),
            )


def _title(record: dict) -> str:
    return str(record.get("title") or "")


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        out = []
        for name, messages in exc.message_dict.items():
            try:
                label = str(Practice._meta.get_field(name).verbose_name)
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

    def __init__(self):
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


def _import_one(actor, record, lookups, *, publish, update, file_name, source, check=False):
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
    stored = {} if creating else _columns(practice)
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


def _unique(items):
    seen, out = set(), []
    for item in items:
        if item.pk not in seen:
            seen.add(item.pk)
            out.append(item)
    return out


# --- The way back --------------------------------------------------------------------------


def practice_to_record(practice: Practice, viewer=None) -> dict:
    """A practice as a record (the keys of `importers.KEYS` plus the optional ones), in the
    practice's original language. What the record lacks is None. Where the "as written" lists
    are empty (a practice entered on the site), the linked records' names stand in."""
    language = practice.language or ContentLanguage.EN

    def text(column: str) -> str | None:
        value = getattr(practice, f"{column}_{language}", None)
        if value is None:
            value = getattr(practice, column)
        return value or None

    def names(as_written: list, related) -> list[str] | None:
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


def export_records(queryset=None, viewer=None) -> list[dict]:
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
        practice._ordered_targets = targets[practice.pk]
    return [practice_to_record(p, viewer) for p in practices]
