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
        where = self.file or _("(no name)")
        if self.line is not None:
            where = _("%(file)s, line %(line)d") % {"file": where, "line": self.line}
        elif self.record is not None:
            where = _("%(file)s, record %(record)d") % {"file": where, "record": self.record}
        return f"{where}: {self.message}"


@dataclass
class ParsedFile:
    """The records of one file, and the line each record starts on (None when unknown)."""

    name: str
    format: str
    records: list[dict] = field(default_factory=list)
    lines: list[int | None] = field(default_factory=list)


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


def read(data: bytes, fmt: str, name: str) -> ParsedFile:
    """Read a file's bytes in the given format. `name` is the file's name (its base name is
    kept as each record's `source_file`)."""
    name = PurePath(name).name
    text = decode(data, name)
    if fmt == UN_TEXT:
        return parse_un_text(text, name)
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
    items, depth, current = [], 0, []
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
DATE_LINE = re.compile(
    rf"(?P<m1>{_MONTH_RE})\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>\d{{4}})"
    rf"|(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_RE})\s+(?P<y2>\d{{4}})"
    r"|(?P<y3>\d{4})-(?P<m3>\d{2})-(?P<d3>\d{2})"
)
CHALLENGE = re.compile(r"Challenge\b:?")
SOLUTION = re.compile(r"T(?i:owards an? solution)\b:?")
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


def parse_date_line(text: str) -> datetime.date | None:
    match = DATE_LINE.fullmatch(text.strip())
    if not match:
        return None
    g = match.groupdict()
    if g["y3"]:
        year, month, day = int(g["y3"]), int(g["m3"]), int(g["d3"])
    else:
        month_name = (g["m1"] or g["m2"]).rstrip(".").lower()
        month = _MONTH_NUMBER[month_name if month_name in _MONTH_NUMBER else month_name[:3]]
        year, day = int(g["y1"] or g["y2"]), int(g["d1"] or g["d2"])
    return datetime.date(year, month, day)


def format_date(value: datetime.date) -> str:
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


@dataclass
class _Line:
    number: int
    text: str  # stripped

    @property
    def blank(self) -> bool:
        return not self.text


def _is_date(text: str) -> bool:
    return DATE_LINE.fullmatch(text) is not None


def _is_title_candidate(text: str) -> bool:
    return bool(
        text
        and not _is_date(text)
        and not BULLET.match(text)
        and not CHALLENGE.match(text)
        and not SOLUTION.match(text)
        and not SEPARATOR.fullmatch(text)
        and not FIELD.search(text)
    )


def parse_un_text(text: str, file: str = "") -> ParsedFile:
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

    Records are separated by (a) a title line followed by a date line; (b) a title line followed
    by the "Challenge" heading, once the record before has reached its trailing fields; or (c) a
    line of three or more dashes, asterisks or equals signs (what the exporter writes).
    """
    name = PurePath(file).name if file else ""
    lines = [_Line(n, raw.strip()) for n, raw in enumerate(text.split("\n"), start=1)]
    if not any(not line.blank for line in lines):
        raise ParseError(_("The file is empty."), file=name, line=1)
    parsed = ParsedFile(name=name, format=UN_TEXT)
    for start, title_size, end in _split_records(lines, name):
        record, first_line = _parse_record(lines[start:end], title_size, name)
        parsed.records.append(record)
        parsed.lines.append(first_line)
    return parsed


def _split_records(lines: list[_Line], file: str) -> list[tuple[int, int, int]]:
    """One (start, number of title lines, end) per record; [start, end) indexes `lines`."""
    nonblank = [i for i, line in enumerate(lines) if not line.blank]
    starts: list[tuple[int, int]] = []
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
        size = _title_size(lines, nonblank, k, challenge_ok=need_start or seen_fields)
        if size:
            starts.append((i, size))
            seen_fields = need_start = False
            k += size
            continue
        if need_start:
            raise ParseError(
                _(
                    "Expected a practice title, followed by a date line (e.g. “March 17, "
                    "2019”) or the “Challenge” heading."
                ),
                file=file,
                line=lines[i].number,
            )
        if FIELD.search(text):
            seen_fields = True
        k += 1
    ranges = []
    for n, (start, size) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(lines)
        end = min([s for s in separators if start < s < end] or [end])
        ranges.append((start, size, end))
    return ranges


def _title_size(lines: list[_Line], nonblank: list[int], k: int, *, challenge_ok: bool) -> int:
    """How many lines, from the k-th non-blank one, make a record's title (0: none start here).

    A title is followed by a date line, or by the "Challenge" heading where `challenge_ok`. A
    title wrapped over two or three lines must follow a blank line (or start the file)."""
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
        following = lines[nonblank[k + size]].text
        if _is_date(following) or (challenge_ok and CHALLENGE.match(following)):
            return size
    return 0


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


def _parse_record(lines: list[_Line], title_size: int, file: str) -> tuple[dict, int]:
    nonblank = [line for line in lines if not line.blank]
    first, last = nonblank[0], nonblank[-1]
    title_lines = nonblank[:title_size]
    title = " ".join(line.text for line in title_lines)
    record = empty_record(title=title, source_file=file or None)
    after = title_lines[-1].number
    following = [line for line in nonblank if line.number > after]
    if following and _is_date(following[0].text):
        try:
            record["date"] = parse_date_line(following[0].text).isoformat()
        except ValueError:
            raise ParseError(
                _("“%(value)s” is not a valid date.") % {"value": following[0].text},
                file=file,
                line=following[0].number,
            ) from None
        after = following[0].number
    body_lines = [line for line in lines if line.number > after]
    while body_lines and body_lines[0].blank:
        body_lines.pop(0)
    while body_lines and body_lines[-1].blank:
        body_lines.pop()
    if not body_lines:
        raise ParseError(
            _("The record “%(title)s” ends before its “Challenge” section: is the file truncated?")
            % {"title": title},
            file=file,
            line=last.number,
        )
    stream = _Stream(body_lines)
    body = stream.text
    heading = CHALLENGE.match(body)
    if not heading:
        raise ParseError(
            _("Expected the “Challenge” heading after the title and date of “%(title)s”.")
            % {"title": title},
            file=file,
            line=body_lines[0].number,
        )
    solution = SOLUTION.search(body, heading.end())
    if not solution:
        raise ParseError(
            _("The record “%(title)s” has no “Towards a Solution” section: is the file truncated?")
            % {"title": title},
            file=file,
            line=last.number,
        )
    fields = _field_matches(body, solution.end())
    record["challenge"] = _prose(body[heading.end() : solution.start()])
    record["solution"] = _prose(body[solution.end() : fields[0].start() if fields else None])
    seen: set[str] = set()
    for n, match in enumerate(fields):
        key = match.lastgroup
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
        try:
            _set_field(record, key, value)
        except ValueError as exc:
            raise ParseError(str(exc), file=file, line=line) from None
    return record, first.number


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
    lines = _json_item_lines(text)
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


def _json_item_lines(text: str) -> list[int]:
    """The line each element of a top-level JSON list starts on."""
    decoder = json.JSONDecoder()
    lines: list[int] = []
    index = text.index("[") + 1
    whitespace = re.compile(r"\s*")
    while True:
        index = whitespace.match(text, index).end()
        if text[index] == "]":
            return lines
        lines.append(text.count("\n", 0, index) + 1)
        _value, index = decoder.raw_decode(text, index)
        index = whitespace.match(text, index).end()
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
