"""Writing good-practice records (dicts with the keys of `importers.KEYS`) as files.

Each writer is the inverse of the matching reader in `importers`: reading what a writer wrote
gives the same records. The text writer lays records out as the UN series does, with the
headings on their own lines and a line of dashes between records.
"""

import csv
import datetime
import io
import json
from collections.abc import Callable

from civhub.knowledge.importers import (
    CSV,
    FIELD_NAMES,
    JSON,
    KEYS,
    OPTIONAL_KEYS,
    UN_TEXT,
    format_contact,
    format_date,
    format_period,
)

CONTENT_TYPES = {
    JSON: "application/json; charset=utf-8",
    CSV: "text/csv; charset=utf-8",
    UN_TEXT: "text/plain; charset=utf-8",
}
EXTENSIONS = {JSON: "json", CSV: "csv", UN_TEXT: "txt"}

#: The English words of the text format (part of the format, so not translated).
STATUS_WORDS = {"planned": "Planned", "ongoing": "Ongoing", "completed": "Completed"}


def _ordered(record: dict) -> dict:
    ordered = {key: record.get(key) for key in KEYS}
    ordered.update({key: record[key] for key in OPTIONAL_KEYS if key in record})
    return ordered


def to_json(records: list[dict]) -> str:
    return json.dumps([_ordered(r) for r in records], ensure_ascii=False, indent=2) + "\n"


def to_csv(records: list[dict], *, bom: bool = False) -> str:
    """One row per record; list cells hold one item per line. `bom` helps spreadsheets that
    otherwise read UTF-8 as a legacy encoding."""
    columns = list(KEYS) + [k for k in OPTIONAL_KEYS if any(k in r for r in records)]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_csv_cell(key, record.get(key)) for key in columns])
    return ("\ufeff" if bom else "") + out.getvalue()


def _csv_cell(key: str, value) -> str:
    if value is None:
        return ""
    if key == "contacts":
        return "\n".join(format_contact(c) for c in value)
    if isinstance(value, list):
        return "\n".join(value)
    return str(value)


def to_un_text(records: list[dict]) -> str:
    """The layout of the UN series. A line of dashes separates records, so that records without
    a date or trailing fields still read back one by one."""
    return "\n-----\n\n".join(_record_text(r) for r in records)


def _record_text(record: dict) -> str:
    lines = [" ".join((record.get("title") or "").split()), ""]
    if record.get("date"):
        lines += [format_date(datetime.date.fromisoformat(record["date"])), ""]
    for heading, key in (("Challenge", "challenge"), ("Towards a Solution", "solution")):
        lines += [heading, ""]
        if record.get(key):
            lines += [record[key], ""]
    fields = []
    if record.get("sdg_targets"):
        fields.append(("sdg_targets", ", ".join(record["sdg_targets"])))
    for key in ("countries", "supported_by", "implementing_entity"):
        if record.get(key):
            fields.append((key, ", ".join(record[key])))
    if record.get("status"):
        fields.append(("status", STATUS_WORDS.get(record["status"], record["status"])))
    period = format_period(record.get("period_start"), record.get("period_end"))
    if period:
        fields.append(("period", period))
    if record.get("url"):
        fields.append(("url", record["url"]))
    lines += [f"{FIELD_NAMES[key]}: {value}" for key, value in fields]
    contacts = record.get("contacts") or []
    if contacts:
        lines.append(f"{FIELD_NAMES['contacts']}:")
        for n, contact in enumerate(contacts, start=1):
            lines.append(f"  • {format_contact(contact)}{';' if n < len(contacts) else ''}")
    return "\n".join(lines).rstrip("\n") + "\n"


WRITERS: dict[str, Callable[[list[dict]], str]] = {JSON: to_json, CSV: to_csv, UN_TEXT: to_un_text}


def export(records: list[dict], fmt: str) -> str:
    return WRITERS[fmt](records)
