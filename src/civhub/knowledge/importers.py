"""Reading good-practice records from files: pure parsing, no database.

Three formats give the same records, plain dicts with the keys in `KEYS` (and, for JSON and
CSV, optionally those in `OPTIONAL_KEYS`):

- ``un-text``: the text of the UN publication series "Good Practices in South-South and
  Triangular Cooperation" (see `parse_un_text` for the layout and its variations);
- ``json``: a list of objects with the record keys, e.g. what
  ``civhub import-practices --dry-run --json`` prints;
- ``csv``: one row per record, a header row naming the columns (the record keys); list cells
  hold one item per line, the contacts cell one contact per line written as in the text.

A field the record lacks is ``None``, never invented. Anything that cannot be read raises
`ParseError`, which names the file and the line (or the record, for JSON and CSV).
"""

import bisect
import csv
import datetime
import functools
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import PurePath

import pycountry
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from civhub.knowledge.choices import ContentLanguage, ProjectStatus

#: The publication series whose text format `parse_un_text` reads.
SERIES = "Good Practices in South-South and Triangular Cooperation"

#: The keys of a record, in the order they are written.
KEYS = (
    "title",
    "date",
    "challenge",
    "solution",
    "sdg_targets",
    "countries",
    "supported_by",
    "implementing_entity",
    "status",
    "period_start",
    "period_end",
    "url",
    "contacts",
    "source_file",
)
#: Keys JSON and CSV records may carry in addition; the text format has no place for them.
OPTIONAL_KEYS = ("summary", "results", "lessons", "topics", "language", "source")
LIST_KEYS = ("sdg_targets", "countries", "supported_by", "implementing_entity", "topics")
TEXT_KEYS = (
    "title",
    "challenge",
    "solution",
    "url",
    "source_file",
    "summary",
    "results",
    "lessons",
    "source",
)
YEAR_KEYS = ("period_start", "period_end")
CONTACT_KEYS = ("name", "position", "email")

UN_TEXT, JSON, CSV = "un-text", "json", "csv"
FORMATS = (UN_TEXT, JSON, CSV)

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTH_NUMBER = {name.lower(): n for n, name in enumerate(MONTHS, start=1)}
_MONTH_NUMBER.update({name[:3].lower(): n for n, name in enumerate(MONTHS, start=1)})
_MONTH_NUMBER["sept"] = 9

#: How the text writes each project status; anything else is an error (see `normalize_status`).
STATUS_WORDS = {
    "planned": ProjectStatus.PLANNED,
    "pipeline": ProjectStatus.PLANNED,
    "proposed": ProjectStatus.PLANNED,
    "not started": ProjectStatus.PLANNED,
    "ongoing": ProjectStatus.ONGOING,
    "on-going": ProjectStatus.ONGOING,
    "on going": ProjectStatus.ONGOING,
    "in progress": ProjectStatus.ONGOING,
    "active": ProjectStatus.ONGOING,
    "current": ProjectStatus.ONGOING,
    "completed": ProjectStatus.COMPLETED,
    "complete": ProjectStatus.COMPLETED,
    "finished": ProjectStatus.COMPLETED,
    "closed": ProjectStatus.COMPLETED,
    "concluded": ProjectStatus.COMPLETED,
}
#: How the text writes a field it has no value for.
NOT_GIVEN = {"n/a", "na", "none", "-", "–", "—", "not applicable", "not available", "tbd"}


class ParseError(ValueError):
    """A file that cannot be read, with the file's name and the line (or record) at fault."""

    def __init__(self, message: str, *, file: str = "", line: int | None = None, record=None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.record = record

    def __str__(self) -> str:
        return f"{_where(self.file, self.line, self.record)}: {self.message}"


def _where(file: str, line: int | None, record: int | None = None) -> str:
    """Where in a file a problem is, as a message starts with it: the file, and its line (or
    else its record) when known."""
    where = file or _("(no name)")
    if line is not None:
        return _("%(file)s, line %(line)d") % {"file": where, "line": line}
    if record is not None:
        return _("%(file)s, record %(record)d") % {"file": where, "record": record}
    return str(where)


@dataclass
class ParsedFile:
    """The records of one file, and the line each record starts on (None when unknown)."""

    name: str
    format: str
    records: list[dict] = field(default_factory=list)
    lines: list[int | None] = field(default_factory=list)
    #: What was guessed or missing (`ParseWarning`s, text format only), in file order.
    warnings: list["ParseWarning"] = field(default_factory=list)


def empty_record(**values) -> dict:
    record = dict.fromkeys(KEYS)
    record.update(values)
    return record


# --- Reading bytes -------------------------------------------------------------------------


def decode(data: bytes, file: str) -> str:
    """UTF-8 text (a byte-order mark is allowed); binary or other encodings are refused."""
    if not data.strip():
        raise ParseError(_("The file is empty."), file=file, line=1)
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise ParseError(
            _("This is a binary file (it contains a NUL byte), not text."), file=file, line=line
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ParseError(
            _("The file is not UTF-8 text (byte %(byte)s cannot be read).")
            % {"byte": f"0x{data[exc.start]:02x}"},
            file=file,
            line=line,
        ) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read(data: bytes, fmt: str, name: str, *, strict: bool = False) -> ParsedFile:
    """Read a file's bytes in the given format. `name` is the file's name (its base name is
    kept as each record's `source_file`). With `strict`, a text record that needed a guess or
    lacks a field is refused (see `parse_un_text`)."""
    name = PurePath(name).name
    text = decode(data, name)
    if fmt == UN_TEXT:
        return parse_un_text(text, name, strict=strict)
    if fmt == JSON:
        return read_json(text, name)
    if fmt == CSV:
        return read_csv(text, name)
    raise ValueError(f"unknown format {fmt!r}")


def format_for(path: str) -> str:
    """The format a file's extension suggests: .json, .csv, anything else the text."""
    suffix = PurePath(path).suffix.lower()
    return {".json": JSON, ".csv": CSV}.get(suffix, UN_TEXT)


# --- Values shared by the formats ----------------------------------------------------------


def _blank(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value or value.lower().rstrip(".") in NOT_GIVEN:
        return None
    return value


def normalize_status(value: str | None) -> str | None:
    """ "Ongoing", "On-going (phase II)", "Completed in 2017" -> a ProjectStatus value.

    Raises ValueError for a status the series does not use; the caller adds the place."""
    value = _blank(value)
    if value is None:
        return None
    text = value.lower().rstrip(".;,").strip()
    if text in ProjectStatus.values:
        return text
    for word, status in sorted(STATUS_WORDS.items(), key=lambda item: -len(item[0])):
        if text == word or (text.startswith(word) and not text[len(word)].isalpha()):
            return str(status)
    raise ValueError(
        _("Unknown project status “%(value)s”: expected Planned, Ongoing or Completed.")
        % {"value": value}
    )


SDG_CODE = re.compile(r"\d{1,2}\.(?:\d{1,2}|[a-z])")


def parse_sdg_targets(value: str | None) -> list[str] | None:
    """ "16.a, 16.5 and 17.9" -> ["16.a", "16.5", "17.9"]. Raises ValueError for anything that
    is not a target code."""
    value = _blank(value)
    if value is None:
        return None
    codes: list[str] = []
    for token in re.split(r"[,;\s]+|\band\b", value.rstrip(".")):
        token = token.strip().lower()
        if not token or token in ("sdg", "sdgs", "target", "targets"):
            continue
        if not SDG_CODE.fullmatch(token):
            raise ValueError(
                _("“%(value)s” is not an SDG target code like 16.5 or 16.a.") % {"value": token}
            )
        if token not in codes:
            codes.append(token)
    return codes or None


_MONTH_WORD = r"(?:(?:" + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\.?\s+)"
_YEAR = rf"(?:{_MONTH_WORD}?(\d{{4}}))"
_DASH = r"\s*(?:-|–|—|\bto\b|\buntil\b)\s*"
_PERIODS = [
    (re.compile(rf"{_YEAR}{_DASH}{_MONTH_WORD}?(\d{{4}}|\d{{2}})", re.I), "both"),
    (re.compile(rf"{_YEAR}{_DASH}(?:present|ongoing|on-going|to date|now|date)?", re.I), "start"),
    (re.compile(rf"(?:since|from)\s+{_YEAR}", re.I), "start"),
    (re.compile(rf"(?:until|to|-|–|—)\s*{_YEAR}", re.I), "end"),
    (re.compile(_YEAR), "single"),
]


def parse_period(value: str | None) -> tuple[int | None, int | None]:
    """ "2014-2017", "2014–17", "since 2016", "2016-present", "until 2020", "2016"."""
    value = _blank(value)
    if value is None:
        return None, None
    text = value.rstrip(".;,").strip()
    for pattern, kind in _PERIODS:
        match = pattern.fullmatch(text)
        if not match:
            continue
        if kind == "both":
            start = int(match.group(1))
            end_text = match.group(2)
            end = int(end_text) if len(end_text) == 4 else start // 100 * 100 + int(end_text)
        elif kind == "start":
            start, end = int(match.group(1)), None
        elif kind == "end":
            start, end = None, int(match.group(1))
        else:
            start = end = int(match.group(1))
        if start is not None and end is not None and end < start:
            raise ValueError(
                _("The project period “%(value)s” ends before it starts.") % {"value": value}
            )
        return start, end
    raise ValueError(
        _("Cannot read the project period “%(value)s”: expected years like 2014-2017.")
        % {"value": value}
    )


def format_period(start: int | None, end: int | None) -> str | None:
    if start is None and end is None:
        return None
    if start is not None and end is not None:
        return str(start) if start == end else f"{start}-{end}"
    return f"since {start}" if start is not None else f"until {end}"


EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_EMAIL_LABEL = re.compile(r"(?:e-?mail|email)\s*:?\s*$", re.I)


def parse_contact(text: str) -> dict | None:
    """ "Mr. Name Surname, Position, e-mail" -> {"name", "position", "email"}.

    The name is what comes before the first comma, honorifics and all; the position is the rest
    without the e-mail. A line that starts with a comma has no name."""
    text = " ".join(text.split()).rstrip(";,").strip()
    if not text:
        return None
    email = None
    found = list(EMAIL.finditer(text))
    if found:
        match = found[-1]  # the e-mail usually ends the line
        email = match.group(0)
        before = _EMAIL_LABEL.sub("", text[: match.start()].rstrip(" (<[")).rstrip()
        after = text[match.end() :].strip(" .,;:)>]")
        text = f"{before.rstrip(' ,;:')}, {after}" if after else before
    text = text.rstrip(" ,;:")
    name, _sep, position = text.partition(",")
    return {
        "name": name.strip() or None,
        "position": position.strip(" ,") or None,
        "email": email,
    }


def format_contact(contact: dict) -> str:
    """The inverse of `parse_contact`: "Name, Position, e-mail". Without a name the line starts
    with a comma, so that the position is not read back as a name."""
    parts = [contact.get("name") or ""]
    parts += [contact[key] for key in ("position", "email") if contact.get(key)]
    return ", ".join(parts)


def split_list(value: str | None, *, countries: bool = False) -> list[str] | None:
    """Split a list at commas and semicolons outside parentheses. For countries, "A and B" is
    split too when both are country names ("Trinidad and Tobago" stays whole)."""
    value = _blank(value)
    if value is None:
        return None
    items: list[str] = []
    depth = 0
    current: list[str] = []
    for char in value:
        if char in "([":
            depth += 1
        elif char in ")]" and depth:
            depth -= 1
        if char in ",;" and not depth:
            items.append("".join(current))
            current = []
        else:
            current.append(char)
    items.append("".join(current))
    result: list[str] = []
    for item in items:
        item = item.strip()
        if item.lower().startswith("and "):
            item = item[4:].strip()
        if not item:
            continue
        if countries and " and " in item:
            pieces = [p.strip() for p in item.split(" and ")]
            if all(_is_country_name(p) for p in pieces):
                result.extend(pieces)
                continue
        result.append(item)
    return result or None


@functools.cache
def _country_names() -> frozenset[str]:
    names = set()
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if getattr(country, attr, ""):
                names.add(getattr(country, attr).casefold())
    return frozenset(names)


def _is_country_name(text: str) -> bool:
    return text.casefold() in _country_names()


# --- The text of the publication series ----------------------------------------------------

_MONTH_RE = r"(?:" + "|".join(MONTHS) + r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
DATE_LINE = re.compile(
    rf"(?P<m1>{_MONTH_RE})\s+(?P<d1>{_DAY}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>{_DAY})\s+(?P<m2>{_MONTH_RE}),?\s+(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})"
)
#: What web pages print before a date: "By March 9, 2019", "Posted on ...", "Tuesday, 26 June 2018".
_DATE_PREFIX = re.compile(
    r"(?:(?:By|Posted(?:\s+on)?|Published(?:\s+on)?|Updated(?:\s+on)?|Date)\s*:?\s+"
    r"|(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?",
    re.I,
)
CHALLENGE = re.compile(r"(?:The\s+)?(?:Challenges?|CHALLENGES?)\b:?")
#: "Towards a Solution" in any case, or "Solution" standing alone on its line.
SOLUTION = re.compile(
    r"(?i:towards\s+an?\s+solutions?)\b:?|(?:The\s+)?(?:Solutions?|SOLUTIONS?):?(?=[ \t]*(?:\n|\Z))"
)
SEPARATOR = re.compile(r"(?:-{3,}|={3,}|(?:\*\s*){3,})")
BULLET = re.compile(r"(?:[•▪●◦‣]|[-*–](?=\s))\s*")

#: The trailing fields, as the series labels them (first letter upper case, the rest in any
#: case, then a colon).
FIELD_LABELS = {
    "sdg_targets": r"Sustainable development goals? targets?|SDG targets?",
    "countries": r"Countr(?:y|ies)(?:\s*/\s*territor(?:y|ies))?(?:\s+involved)?",
    "supported_by": r"Supported by",
    "implementing_entity": (
        r"Implementing (?:entity|entities|agency|agencies|partners?|organi[sz]ations?)"
        r"|Implemented by"
    ),
    "status": r"Project status",
    "period": r"Project period",
    "url": r"URL of the practice|URL",
    "contacts": r"Contacts?(?: persons?| details| information)?",
}
FIELD_NAMES = {
    "sdg_targets": "Sustainable Development Goal targets",
    "countries": "Countries / territories involved",
    "supported_by": "Supported by",
    "implementing_entity": "Implementing entity",
    "status": "Project status",
    "period": "Project period",
    "url": "URL of the practice",
    "contacts": "Contact",
}
FIELD = re.compile(
    r"(?<![\w/])(?=[A-Z])(?:"
    + "|".join(f"(?P<{key}>(?i:{label}))" for key, label in FIELD_LABELS.items())
    + r")\s*:"
)
#: Before the first trailing field, a label must start a line or follow a sentence.
_SENTENCE_END = re.compile(r"(?:\n\s*|[.!?;)\"”’]\s+)\Z")
#: A heading must start a line or follow the end of a sentence, so that prose which merely
#: says "... working towards a solution ..." is not cut.
_HEADING_BEFORE = re.compile(r"(?:\A|\n[ \t]*|[.!?:;)\"”’][ \t]+)\Z")
#: An e-mail address that a copy from a web page broke with a space after the @.
_SPACED_EMAIL = re.compile(r"([\w.+'-]+)@[ \t]+([\w-]+(?:\.[\w-]+)+)")
#: What some sites print in place of an e-mail address they hide.
_HIDDEN_EMAIL = re.compile(
    r"This e-?mail address is being protected from spambots\.?(?:\s*You need JavaScript "
    r"enabled to view it\.?)?",
    re.I,
)
_HONORIFIC = re.compile(r"(?:Mr|Ms|Mrs|Miss|Dr|Prof|H\.E)\.?\s+[A-Z]")
_CONTACT_LABEL = re.compile(r"(?i:contacts?(?:\s+persons?|\s+details|\s+information)?)\s*:?\s*")

#: The fields a per-file report names, in order, with the key each one is read from.
REPORT_FIELDS = (
    "title",
    "date",
    "challenge",
    "solution",
    "sdg_targets",
    "countries",
    "supported_by",
    "implementing_entity",
    "status",
    "period",
    "url",
    "contacts",
)


def report_field_label(key: str) -> str:
    """The translated name of a reported field (see `REPORT_FIELDS`)."""
    labels = {
        "title": _("title"),
        "date": _("date"),
        "challenge": _("challenge"),
        "solution": _("towards a solution"),
        "sdg_targets": _("SDG targets"),
        "countries": _("countries"),
        "supported_by": _("supported by"),
        "implementing_entity": _("implementing entities"),
        "status": _("project status"),
        "period": _("project period"),
        "url": _("URL of the practice"),
        "contacts": _("contacts"),
    }
    return str(labels[key])


def fields_found(record: dict) -> list[str]:
    """The `REPORT_FIELDS` a record has a value for."""
    found = []
    for key in REPORT_FIELDS:
        if key == "period":
            present = record.get("period_start") is not None or record.get("period_end") is not None
        else:
            present = record.get(key) not in (None, "", [])
        if present:
            found.append(key)
    return found


def _date_match(text: str) -> tuple[re.Match, str] | None:
    """A date line as the series or a web page prints it, and what else the line holds.

    "March 17, 2019" holds nothing else; "By March 9, 2019 November 1st, 2019 UNFPA" (a
    posting date, a modification date and a section) holds "November 1st, 2019 UNFPA". A line
    that goes on with a sentence is prose, not a date line."""
    text = text.strip()
    if len(text) > 140:
        return None
    prefix = _DATE_PREFIX.match(text)
    match = DATE_LINE.match(text, prefix.end() if prefix else 0)
    if not match:
        return None
    rest = text[match.end() :]
    if rest and not re.match(r"[\s|·,–—-]", rest):
        return None
    rest = rest.strip(" \t|·,–—-")
    if len(rest) > 100 or re.search(r"[.!?;](?:\s|\Z)", rest):
        return None
    return match, rest


def _date_of(match: re.Match) -> datetime.date:
    """Raises ValueError for a date that does not exist (February 30)."""
    g = match.groupdict()
    if g["y3"]:
        year, month, day = int(g["y3"]), int(g["m3"]), int(g["d3"])
    else:
        month_name = (g["m1"] or g["m2"]).rstrip(".").lower()
        month = _MONTH_NUMBER[month_name if month_name in _MONTH_NUMBER else month_name[:3]]
        year = int(g["y1"] or g["y2"])
        digits = re.match(r"\d+", g["d1"] or g["d2"])
        assert digits is not None  # the pattern's day starts with a digit
        day = int(digits.group(0))
    return datetime.date(year, month, day)


def parse_date_line(text: str) -> datetime.date | None:
    found = _date_match(text)
    return _date_of(found[0]) if found else None


def format_date(value: datetime.date) -> str:
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


@dataclass
class ParseWarning:
    """Something the parser guessed, or found missing, in a file it could read."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{_where(self.file, self.line)}: {self.message}"


@dataclass
class _Line:
    number: int
    text: str  # stripped

    @property
    def blank(self) -> bool:
        return not self.text


def _is_date(text: str) -> bool:
    return _date_match(text) is not None


#: Section headings of other layouts, never a title ("Summary" standing alone on its line).
_OTHER_HEADING = re.compile(r"(?i:summary|abstract|overview|background)\s*:?")


def _is_title_candidate(text: str) -> bool:
    return bool(
        text
        and not _is_date(text)
        and not _OTHER_HEADING.fullmatch(text)
        and not BULLET.match(text)
        and not CHALLENGE.fullmatch(text)
        and not SOLUTION.match(text)
        and not SEPARATOR.fullmatch(text)
        and not FIELD.search(text)
    )


def _is_contact_line(text: str) -> bool:
    return bool(
        EMAIL.search(text)
        or _SPACED_EMAIL.search(text)
        or _HONORIFIC.match(text)
        or BULLET.match(text)
        or _CONTACT_LABEL.fullmatch(text)
    )


def parse_un_text(text: str, file: str = "", *, strict: bool = False) -> ParsedFile:
    """Read the records of the UN good-practice series from `text`.

    A record is laid out as:

        Title (one line, or up to three lines after a blank line)
        Date ("March 17, 2019", "17 March 2019" or "2019-03-17"; may be missing)
        Challenge <prose; the heading may stand alone on its line or run into the prose>
        Towards a Solution <prose, likewise>
        Sustainable Development Goal targets: 16.a, 16.5
        Countries / territories involved: ...
        Supported by: ...
        Implementing entity: ...
        Project status: Ongoing
        Project period: 2014-2017
        URL of the practice: http://...
        Contact:
          • Mr. Name Surname, Position, name@example.org;

    The trailing fields may be missing, come in any order, run into one line or wrap over
    several. Prose keeps its paragraphs (blank lines); the lines of a paragraph are joined with
    a space, and nothing else is changed (hyphenation artefacts such as "by- laws" stay).

    Records copied from the series' web pages vary, and are read as well: the title repeated
    and a subtitle under it; a date line such as "By March 9, 2019 November 1st, 2019 UNFPA"
    (the first date is kept); contact lines before the title; "Challenges", or no such heading
    (the prose after the title is the challenge); "Towards a solution" in any case; a record
    cut off part-way. What was guessed or missing is in `ParsedFile.warnings`, with its line;
    with `strict`, the first of them is raised as a `ParseError` instead.

    Records are separated by (a) a title line followed by a date line; (b) a title line followed
    by the "Challenge" heading, once the record before has reached its trailing fields; or (c) a
    line of three or more dashes, asterisks or equals signs (what the exporter writes).
    """
    name = PurePath(file).name if file else ""
    lines = [_Line(n, raw.strip()) for n, raw in enumerate(text.split("\n"), start=1)]
    if not any(not line.blank for line in lines):
        raise ParseError(_("The file is empty."), file=name, line=1)
    parsed = ParsedFile(name=name, format=UN_TEXT)
    warnings: list[ParseWarning] = []
    for start, title_size, end, contact_lines in _split_records(lines, name, warnings):
        record, first_line = _parse_record(
            lines[start:end], title_size, name, warnings, contact_lines
        )
        parsed.records.append(record)
        parsed.lines.append(first_line)
    parsed.warnings = sorted(warnings, key=lambda warning: warning.line or 0)
    warnings = parsed.warnings
    if strict and warnings:
        first = warnings[0]
        raise ParseError(
            _("%(message)s (refused in strict mode)") % {"message": first.message},
            file=name,
            line=first.line,
        )
    return parsed


def _split_records(
    lines: list[_Line], file: str, warnings: list[ParseWarning]
) -> list[tuple[int, int, int, list[_Line]]]:
    """One (start, number of title lines, end, contact lines before the title) per record;
    [start, end) indexes `lines`."""
    nonblank = [i for i, line in enumerate(lines) if not line.blank]
    starts: list[tuple[int, int, list[_Line]]] = []
    separators: list[int] = []
    seen_fields = False
    need_start = True  # at the start of the file, and after a separator line
    k = 0
    while k < len(nonblank):
        i = nonblank[k]
        text = lines[i].text
        if SEPARATOR.fullmatch(text):
            separators.append(i)
            need_start = True
            k += 1
            continue
        contacts: list[_Line] = []
        if need_start:
            skip = _leading_contacts(lines, nonblank, k)
            contacts = [lines[nonblank[m]] for m in range(k, k + skip)]
            k += skip
            i = nonblank[k]
        size = _title_size(lines, nonblank, k, challenge_ok=need_start or seen_fields)
        if not size and need_start:
            if (
                not _is_title_candidate(lines[i].text)
                or len(lines[i].text) > MAX_GUESSED_TITLE
                or not _looks_like_a_record(lines, i)
            ):
                raise ParseError(
                    _(
                        "Expected a practice title, followed by a date line (e.g. “March 17, "
                        "2019”) or the “Challenge” heading."
                    ),
                    file=file,
                    line=lines[i].number,
                )
            warnings.append(
                ParseWarning(
                    file,
                    lines[i].number,
                    _(
                        "No date line or “Challenge” heading follows this line; it is read as "
                        "the title."
                    ),
                )
            )
            size = 1
        if size:
            starts.append((i, size, contacts))
            seen_fields = need_start = False
            title = " ".join(lines[nonblank[m]].text for m in range(k, k + size))
            k += size
            # the title repeated and a subtitle belong to this record's heading
            if k < len(nonblank) and lines[nonblank[k]].text.casefold() == title.casefold():
                k += 1
            if (
                k + 1 < len(nonblank)
                and _is_subtitle(lines, nonblank[k])
                and _is_date(lines[nonblank[k + 1]].text)
            ):
                k += 1
            continue
        if FIELD.search(text):
            seen_fields = True
        k += 1
    ranges = []
    for n, (start, size, contacts) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        end = min([s for s in separators if start < s < end] or [end])
        ranges.append((start, size, end, contacts))
    return ranges


#: A line longer than a practice title may be (300 characters) is prose, never a guessed title.
MAX_GUESSED_TITLE = 300


def _looks_like_a_record(lines: list[_Line], i: int) -> bool:
    """Whether the text from line i on (to the next separator) has a heading or a field label of
    the series, so that a title that no date follows is not guessed for any text at all (a news
    article, or a CSV file given as text)."""
    for line in lines[i + 1 :]:
        if SEPARATOR.fullmatch(line.text):
            return False
        if CHALLENGE.match(line.text) or FIELD.search(line.text) or _find_solution(line.text, 0):
            return True
    return False


def _leading_contacts(lines: list[_Line], nonblank: list[int], k: int) -> int:
    """How many lines from the k-th non-blank one are contact lines placed before the title:
    up to the last line with an e-mail address (or a name with an honorific) before the first
    date line or heading, as long as a title line is left after them."""
    last = None
    for m in range(k, min(k + 12, len(nonblank))):
        text = lines[nonblank[m]].text
        if _is_contact_line(text):
            last = m
            continue
        if _is_date(text) or CHALLENGE.match(text) or SOLUTION.match(text) or FIELD.search(text):
            break
    if last is None or last + 1 >= len(nonblank):
        return 0
    following = lines[nonblank[last + 1]].text
    if not _is_title_candidate(following):
        return 0
    return last + 1 - k


def _title_size(lines: list[_Line], nonblank: list[int], k: int, *, challenge_ok: bool) -> int:
    """How many lines, from the k-th non-blank one, make a record's title (0: none start here).

    A title is followed by a date line, or by the "Challenge" heading where `challenge_ok`,
    possibly with the title repeated and a subtitle (after a blank line) in between. A title
    wrapped over two or three lines must follow a blank line (or start the file)."""
    if k + 1 < len(nonblank) and _is_date(lines[nonblank[k + 1]].text):
        # followed by a date, even "Challenge Fund for ..." is a title
        text = lines[nonblank[k]].text
        if _is_title_candidate(text) or CHALLENGE.match(text):
            return 1
    for size in (1, 2, 3):
        if k + size >= len(nonblank):
            return 0
        block = nonblank[k : k + size]
        if not _is_title_candidate(lines[block[-1]].text):
            return 0
        if size > 1:
            if block[-1] != block[-2] + 1:  # a blank line inside: not one title
                return 0
            if block[0] > 0 and not lines[block[0] - 1].blank:
                return 0
        n = k + size
        title = " ".join(lines[b].text for b in block)
        if n < len(nonblank) and lines[nonblank[n]].text.casefold() == title.casefold():
            n += 1  # the title repeated, as a web page prints it twice
        if n >= len(nonblank):
            return 0
        following = lines[nonblank[n]].text
        if _is_date(following) or (challenge_ok and CHALLENGE.match(following)):
            return size
        if (
            n + 1 < len(nonblank)
            and _is_subtitle(lines, nonblank[n])
            and _is_date(lines[nonblank[n + 1]].text)
        ):
            return size
    return 0


def _is_subtitle(lines: list[_Line], i: int) -> bool:
    """A line under the title, after a blank line, that is not a sentence."""
    text = lines[i].text
    return (
        i > 0
        and lines[i - 1].blank
        and _is_title_candidate(text)
        and len(text) <= 250
        and not re.search(r"[.!?]\Z", text)
    )


class _Stream:
    """The body of a record as one string, remembering which line each character came from."""

    def __init__(self, lines: list[_Line]):
        self.text = "\n".join(line.text for line in lines)
        self.numbers = [line.number for line in lines]
        self.starts: list[int] = []
        offset = 0
        for line in lines:
            self.starts.append(offset)
            offset += len(line.text) + 1

    def line_at(self, offset: int) -> int:
        return self.numbers[max(bisect.bisect_right(self.starts, offset) - 1, 0)]


def _prose(text: str) -> str | None:
    """Paragraphs stay apart; the lines of a paragraph are joined with a space."""
    paragraphs = []
    for paragraph in re.split(r"\n\s*\n", text):
        joined = " ".join(line.strip() for line in paragraph.split("\n") if line.strip())
        if joined:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs) or None


def _flat(text: str) -> str:
    return " ".join(text.split()).strip(" ;,")


def _mend_emails(lines: list[_Line], file: str, warnings: list[ParseWarning]) -> list[_Line]:
    """E-mail addresses broken by a space after the @ are joined again, with a warning."""
    mended = []
    for line in lines:
        text = line.text
        for match in _SPACED_EMAIL.finditer(text):
            warnings.append(
                ParseWarning(
                    file,
                    line.number,
                    _(
                        "The e-mail address “%(value)s” has a space after the @; read as “%(email)s”."
                    )
                    % {"value": match.group(0), "email": f"{match.group(1)}@{match.group(2)}"},
                )
            )
        mended.append(_Line(line.number, _SPACED_EMAIL.sub(r"\1@\2", text)))
    return mended


def _parse_record(
    lines: list[_Line],
    title_size: int,
    file: str,
    warnings: list[ParseWarning],
    contact_lines: list[_Line] | None = None,
) -> tuple[dict, int]:
    lines = _mend_emails(lines, file, warnings)
    nonblank = [line for line in lines if not line.blank]
    first, last = nonblank[0], nonblank[-1]
    title_lines = nonblank[:title_size]
    title = " ".join(line.text for line in title_lines)
    record = empty_record(title=title, source_file=file or None)
    after = title_lines[-1].number
    following = [line for line in nonblank if line.number > after]
    if following and following[0].text.casefold() == title.casefold():
        after = following.pop(0).number  # the title repeated
    by_number = {line.number: n for n, line in enumerate(lines)}
    if (
        len(following) > 1
        and not _is_date(following[0].text)
        and _is_subtitle(lines, by_number[following[0].number])
        and (
            _is_date(following[1].text)
            or (lines[by_number[following[0].number] + 1].blank and not _is_heading(following[0]))
        )
    ):
        subtitle = following.pop(0)
        record["summary"] = subtitle.text
        after = subtitle.number
        warnings.append(
            ParseWarning(
                file,
                subtitle.number,
                _("This line is read as the subtitle of “%(title)s” and kept as its summary.")
                % {"title": title},
            )
        )
    dated = _date_match(following[0].text) if following else None
    if dated is not None:
        match, rest = dated
        try:
            record["date"] = _date_of(match).isoformat()
        except ValueError:
            raise ParseError(
                _("“%(value)s” is not a valid date.") % {"value": following[0].text},
                file=file,
                line=following[0].number,
            ) from None
        if rest:
            warnings.append(
                ParseWarning(
                    file,
                    following[0].number,
                    _(
                        "The date line also says “%(rest)s”; the first date, %(date)s, is kept "
                        "as the publication date."
                    )
                    % {"rest": rest, "date": match.group(0)},
                )
            )
        after = following[0].number
    body_lines = [line for line in lines if line.number > after]
    while body_lines and body_lines[0].blank:
        body_lines.pop(0)
    while body_lines and body_lines[-1].blank:
        body_lines.pop()
    if contact_lines:
        record["contacts"] = _leading_contact_records(_mend_emails(contact_lines, file, warnings))
        warnings.append(
            ParseWarning(
                file,
                contact_lines[0].number,
                ngettext(
                    "%(count)d contact line before the title of “%(title)s” is read as its "
                    "contacts.",
                    "%(count)d contact lines before the title of “%(title)s” are read as its "
                    "contacts.",
                    len(contact_lines),
                )
                % {"count": len(contact_lines), "title": title},
            )
        )
    if not body_lines:
        warnings.append(_missing_warning(record, file, last.number))
        return record, (contact_lines[0].number if contact_lines else first.number)
    stream = _Stream(body_lines)
    body = stream.text
    heading = CHALLENGE.match(body)
    start = heading.end() if heading else 0
    if not heading:
        warnings.append(
            ParseWarning(
                file,
                body_lines[0].number,
                _(
                    "“%(title)s” has no “Challenge” heading; the text after the title is read as "
                    "the challenge."
                )
                % {"title": title},
            )
        )
    solution = _find_solution(body, start)
    fields = _field_matches(body, solution.end() if solution else start)
    end_of_challenge = solution.start() if solution else (fields[0].start() if fields else None)
    record["challenge"] = _prose(body[start:end_of_challenge])
    if solution:
        record["solution"] = _prose(body[solution.end() : fields[0].start() if fields else None])
    seen: set[str] = set()
    for n, match in enumerate(fields):
        key = match.lastgroup
        assert key is not None  # every alternative of the pattern is a named group
        line = stream.line_at(match.start())
        if key in seen:
            raise ParseError(
                _("The field “%(field)s” appears twice in “%(title)s”.")
                % {"field": FIELD_NAMES[key], "title": title},
                file=file,
                line=line,
            )
        seen.add(key)
        value = body[match.end() : fields[n + 1].start() if n + 1 < len(fields) else None]
        if key == "contacts" and record["contacts"]:
            # the labelled field wins over contact lines placed before the title
            record["contacts"] = None
        try:
            _set_field(record, key, value)
        except ValueError as exc:
            raise ParseError(str(exc), file=file, line=line) from None
    if any(key not in fields_found(record) for key in REPORT_FIELDS):
        warnings.append(_missing_warning(record, file, last.number))
    return record, (contact_lines[0].number if contact_lines else first.number)


def _is_heading(line: _Line) -> bool:
    return bool(CHALLENGE.fullmatch(line.text) or SOLUTION.fullmatch(line.text))


def _missing_warning(record: dict, file: str, line: int) -> ParseWarning:
    found = fields_found(record)
    missing = [report_field_label(key) for key in REPORT_FIELDS if key not in found]
    return ParseWarning(
        file,
        line,
        _("“%(title)s” ends without: %(fields)s. Is the record cut off?")
        % {"title": record["title"], "fields": ", ".join(missing)},
    )


def _find_solution(body: str, start: int) -> re.Match | None:
    """The "Towards a Solution" heading after `start`, where a heading may stand."""
    for match in SOLUTION.finditer(body, start):
        if match.start() == start or _HEADING_BEFORE.search(body, 0, match.start()):
            return match
    return None


def _leading_contact_records(lines: list[_Line]) -> list[dict] | None:
    """Contact lines before the title: a line with an e-mail address ends a contact, and the
    lines before it (name, position) belong to it."""
    contacts: list[str] = []
    pieces: list[str] = []
    for line in lines:
        text = BULLET.sub("", _CONTACT_LABEL.sub("", line.text, count=1), count=1).strip()
        if line.text and _CONTACT_LABEL.fullmatch(line.text):
            continue
        if BULLET.match(line.text) and pieces:
            contacts.append(", ".join(pieces))
            pieces = []
        if text:
            pieces.append(text.rstrip(";,"))
        if EMAIL.search(text):
            contacts.append(", ".join(pieces))
            pieces = []
    if pieces:
        contacts.append(", ".join(pieces))
    found = [c for c in (parse_contact(text) for text in contacts) if c]
    return found or None


def _field_matches(body: str, start: int) -> list[re.Match]:
    """The trailing fields' labels after `start`. The first must start a line or follow the end
    of a sentence, so that prose which merely contains "Contact:" is not cut."""
    matches: list[re.Match] = []
    for match in FIELD.finditer(body, start):
        if (
            not matches
            and body[start : match.start()].strip()
            and not _SENTENCE_END.search(body, max(0, match.start() - 80), match.start())
        ):
            continue
        matches.append(match)
    return matches


def _set_field(record: dict, key: str, raw: str) -> None:
    if key == "sdg_targets":
        record["sdg_targets"] = parse_sdg_targets(_flat(raw))
    elif key in ("countries", "supported_by", "implementing_entity"):
        record[key] = split_list(_flat(raw), countries=key == "countries")
    elif key == "status":
        record["status"] = normalize_status(_flat(raw))
    elif key == "period":
        record["period_start"], record["period_end"] = parse_period(_flat(raw))
    elif key == "url":
        record["url"] = _parse_url(raw)
    elif key == "contacts":
        raw = _HIDDEN_EMAIL.sub("", raw)
        record["contacts"] = _parse_contacts(raw) if _blank(_flat(raw)) else None


def _parse_url(raw: str) -> str | None:
    value = _blank(_flat(raw))
    if value is None:
        return None
    pieces = value.split()
    if sum(1 for piece in pieces if re.match(r"(?i)https?://|www\.", piece)) > 1:
        raise ValueError(
            _("The record gives more than one URL (“%(value)s”); a practice keeps one.")
            % {"value": value}
        )
    return "".join(pieces)  # a URL wrapped over lines is joined again


_BULLET_ANYWHERE = re.compile(r"\s*[•▪●◦‣]\s*")
_DASH_BULLET = re.compile(r"[-*–]\s+")


def _parse_contacts(raw: str) -> list[dict] | None:
    """Contacts as bullets (a line that does not start with one continues the contact above),
    or, without bullets, separated by semicolons."""
    items: list[list[str]] = []
    bulleted = False
    for line in raw.split("\n"):
        text = line.strip()
        if not text:
            continue
        dash = _DASH_BULLET.match(text)
        if dash:
            text = "• " + text[dash.end() :]
        for n, piece in enumerate(_BULLET_ANYWHERE.split(text)):
            if n > 0:  # a bullet starts a new contact
                bulleted = True
                items.append([])
            elif not items:
                items.append([])
            if piece:
                items[-1].append(piece)
    texts = [" ".join(item) for item in items]
    if not bulleted:
        texts = [part for text in texts for part in text.split(";")]
    contacts = [c for c in (parse_contact(text) for text in texts) if c]
    return contacts or None


# --- JSON ----------------------------------------------------------------------------------


def read_json(text: str, file: str = "") -> ParsedFile:
    """A list of objects with the record keys (see `KEYS` and `OPTIONAL_KEYS`)."""
    name = PurePath(file).name if file else ""
    if not text.strip():
        raise ParseError(_("The file is empty."), file=name, line=1)
    try:
        data = json.loads(text)
        lines = _json_item_lines(text) if isinstance(data, list) else []
    except RecursionError:
        # the parser recurses once per level; a file nested thousands deep is not a record list
        raise ParseError(
            _("The JSON is nested too deeply to be a list of practice records."),
            file=name,
            line=_first_line(text),
        ) from None
    except json.JSONDecodeError as exc:
        raise ParseError(
            _("This is not valid JSON: %(error)s (column %(column)d).")
            % {"error": exc.msg, "column": exc.colno},
            file=name,
            line=exc.lineno,
        ) from None
    if not isinstance(data, list):
        raise ParseError(
            _("Expected a JSON list of practice records."), file=name, line=_first_line(text)
        )
    parsed = ParsedFile(name=name, format=JSON)
    for n, item in enumerate(data, start=1):
        line = lines[n - 1] if n - 1 < len(lines) else None
        try:
            parsed.records.append(clean_record(item))
        except ValueError as exc:
            raise ParseError(str(exc), file=name, line=line, record=n) from None
        parsed.lines.append(line)
    return parsed


def _first_line(text: str) -> int:
    stripped = text.lstrip()
    return text[: len(text) - len(stripped)].count("\n") + 1


_WHITESPACE = re.compile(r"\s*")


def _past_whitespace(text: str, index: int) -> int:
    """Where the whitespace from `index` on ends (`index` itself when there is none)."""
    match = _WHITESPACE.match(text, index)
    assert match is not None  # r"\s*" matches everywhere, if only the empty string
    return match.end()


def _json_item_lines(text: str) -> list[int]:
    """The line each element of a top-level JSON list starts on."""
    decoder = json.JSONDecoder()
    lines: list[int] = []
    index = text.index("[") + 1
    while True:
        index = _past_whitespace(text, index)
        if text[index] == "]":
            return lines
        lines.append(text.count("\n", 0, index) + 1)
        _value, index = decoder.raw_decode(text, index)
        index = _past_whitespace(text, index)
        if text[index] == ",":
            index += 1


def clean_record(item) -> dict:
    """Check one JSON or CSV record and bring it to the parser's shape. Raises ValueError."""
    if not isinstance(item, dict):
        raise ValueError(_("Expected an object with the practice's fields."))
    unknown = sorted(set(item) - set(KEYS) - set(OPTIONAL_KEYS))
    if unknown:
        raise ValueError(
            _("Unknown fields: %(fields)s. Known fields: %(known)s.")
            % {"fields": ", ".join(unknown), "known": ", ".join(KEYS + OPTIONAL_KEYS)}
        )
    record = empty_record()
    for key in OPTIONAL_KEYS:
        if key in item:
            record[key] = None
    for key, value in item.items():
        record[key] = _clean_value(key, value)
    if not record["title"]:
        raise ValueError(_("The record has no title."))
    if (
        record["period_start"] is not None
        and record["period_end"] is not None
        and record["period_end"] < record["period_start"]
    ):
        raise ValueError(_("The project period ends before it starts."))
    return record


def _clean_value(key: str, value):
    if key in TEXT_KEYS:
        if value is not None and not isinstance(value, str):
            raise ValueError(_("“%(field)s” must be text.") % {"field": key})
        return (value or "").strip() or None
    if key == "date":
        if value in (None, ""):
            return None
        try:
            return datetime.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date like 2019-03-17.") % {"value": value}
            ) from None
    if key in LIST_KEYS:
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError(_("“%(field)s” must be a list of texts.") % {"field": key})
        items = [v.strip() for v in value if v.strip()]
        if key == "sdg_targets":
            return parse_sdg_targets(", ".join(items))
        return items or None
    if key in YEAR_KEYS:
        if value in (None, ""):
            return None
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise ValueError(_("“%(field)s” must be a year.") % {"field": key})
        try:
            year = int(value)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a year (%(field)s).") % {"value": value, "field": key}
            ) from None
        if not 1900 <= year <= 2100:
            raise ValueError(
                _("“%(value)s” is not a year (%(field)s).") % {"value": value, "field": key}
            )
        return year
    if key == "status":
        if value is not None and not isinstance(value, str):
            raise ValueError(_("“%(field)s” must be text.") % {"field": key})
        return normalize_status(value)
    if key == "language":
        if value in (None, ""):
            return None
        if value not in ContentLanguage.values:
            raise ValueError(
                _("Unknown language “%(value)s”: expected one of %(choices)s.")
                % {"value": value, "choices": ", ".join(ContentLanguage.values)}
            )
        return value
    if key == "contacts":
        if value is None:
            return None
        if not isinstance(value, list):
            raise ValueError(_("“contacts” must be a list of objects."))
        contacts = []
        for contact in value:
            if not isinstance(contact, dict) or set(contact) - set(CONTACT_KEYS):
                raise ValueError(_("Each contact must be an object with name, position and email."))
            cleaned = {}
            for k in CONTACT_KEYS:
                v = contact.get(k)
                if v is not None and not isinstance(v, str):
                    raise ValueError(_("“%(field)s” must be text.") % {"field": f"contacts.{k}"})
                cleaned[k] = (v or "").strip() or None
            if any(cleaned.values()):
                contacts.append(cleaned)
        return contacts or None
    raise ValueError(f"unknown key {key}")  # pragma: no cover - clean_record checks first


# --- CSV -----------------------------------------------------------------------------------

CSV_COLUMNS = KEYS + OPTIONAL_KEYS


def read_csv(text: str, file: str = "") -> ParsedFile:
    """One row per record under a header row of record keys. List cells hold one item per
    line; the contacts cell one contact per line ("Name, Position, e-mail")."""
    name = PurePath(file).name if file else ""
    if not text.strip():
        raise ParseError(_("The file is empty."), file=name, line=1)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    parsed = ParsedFile(name=name, format=CSV)
    try:
        header = next(reader)
    except csv.Error as exc:
        raise ParseError(str(exc), file=name, line=reader.line_num) from None
    header = [column.strip() for column in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if "title" not in header or unknown:
        raise ParseError(
            _(
                "This is not a practice CSV file: the first line must name the columns "
                "(%(columns)s)."
            )
            % {"columns": ", ".join(CSV_COLUMNS)},
            file=name,
            line=1,
        )
    if len(set(header)) != len(header):
        raise ParseError(_("A column appears twice in the header."), file=name, line=1)
    n = 0
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise ParseError(
                _("The CSV cannot be read: %(error)s.") % {"error": exc},
                file=name,
                line=reader.line_num,
            ) from None
        if not any(cell.strip() for cell in row):
            continue
        n += 1
        if len(row) != len(header):
            raise ParseError(
                _("This row has %(cells)d cells; the header names %(columns)d columns.")
                % {"cells": len(row), "columns": len(header)},
                file=name,
                line=line,
            )
        try:
            item = {key: _csv_value(key, cell) for key, cell in zip(header, row, strict=True)}
            record = clean_record(item)
        except ValueError as exc:
            raise ParseError(str(exc), file=name, line=line) from None
        parsed.records.append(record)
        parsed.lines.append(line)
    if not parsed.records:
        raise ParseError(_("The file has a header but no records."), file=name, line=1)
    return parsed


def _csv_value(key: str, cell: str):
    cell = cell.strip()
    if not cell:
        return None
    if key in LIST_KEYS:
        return [line.strip() for line in cell.split("\n") if line.strip()]
    if key == "contacts":
        return [c for c in (parse_contact(line) for line in cell.split("\n")) if c]
    return cell
