"""Importing practice records into the database, and reading them back out for export.

`import_records` saves the records of one file in one transaction: a file with one bad record
saves nothing. Records come from `civhub.knowledge.importers` (dicts with the keys in
`importers.KEYS`); `practice_to_record` is the way back.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civhub.core.services import audit
from civhub.directory.models import Country, Organization, SdgTarget, Topic
from civhub.knowledge.choices import ContentLanguage, PracticeState
from civhub.knowledge.importers import KEYS
from civhub.knowledge.models import Practice, PracticeContact

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


class _Rollback(Exception):
    pass


def can_import(actor) -> bool:
    """Editors import; `None` is the system (the command line without --user)."""
    return actor is None or (actor.is_authenticated and actor.is_editor)


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
    looked up, never created. With `dry_run` everything is checked and then rolled back.
    Errors name the file, the record and the value; when there are any, nothing is saved and
    every record counts as failed.
    """
    if not can_import(actor):
        raise PermissionDenied(_("Only editors can import practices."))
    report = ImportReport(file=file_name, dry_run=dry_run)
    lines = lines or [None] * len(records)
    try:
        with transaction.atomic():
            lookups = _Lookups()
            for n, record in enumerate(records, start=1):
                line = lines[n - 1] if n - 1 < len(lines) else None
                try:
                    with transaction.atomic():
                        action, practice = _import_one(
                            actor,
                            record,
                            lookups,
                            publish=publish,
                            update=update,
                            file_name=file_name,
                            source=source,
                        )
                except ValidationError as exc:
                    report.errors += [
                        _describe(file_name, n, line, record, message) for message in _messages(exc)
                    ]
                    report.results.append(RecordResult(_title(record), FAILED, line))
                except DatabaseError as exc:
                    report.errors.append(_describe(file_name, n, line, record, str(exc)))
                    report.results.append(RecordResult(_title(record), FAILED, line))
                else:
                    setattr(report, action, getattr(report, action) + 1)
                    report.results.append(RecordResult(_title(record), action, line, practice))
            if report.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    if report.errors:
        report.created = report.updated = report.skipped = 0
        report.failed = len(records)
        for result in report.results:
            result.practice = None
    return report


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


def _existing(record: dict, source_file: str) -> Practice | None:
    title = record["title"]
    same_title = Q()
    for language in LANGUAGES:
        same_title |= Q(**{f"title_{language}": title})
    # Locked: an editor's change or a step of the workflow waits for the import (and its
    # state, read here, is the one saved), never the other way round.
    return (
        Practice.objects.select_for_update()
        .filter(same_title, source_file=source_file)
        .order_by("pk")
        .first()
    )


def _columns(practice: Practice) -> dict:
    return {f.attname: getattr(practice, f.attname) for f in Practice._meta.concrete_fields}


def _import_one(actor, record, lookups, *, publish, update, file_name, source):
    for key in KEYS:
        record.setdefault(key, None)
    if not record.get("title"):
        raise ValidationError(_("The record has no title."))
    source_file = record.get("source_file") or file_name
    practice = _existing(record, source_file)
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
