"""The parameters of a search, read the same way for the page, the API and the command line.

Every interface names them as the API does (q, type, country, region, topic, sdg, lang,
year_from, year_to, mode, limit, offset) and hands them to `parse`, which is the one place
that turns them into `Params`: blanks dropped, and (in Params itself, however made) country codes upper-cased. What each value
names (a known country, topic, type) is checked by the search (filters.resolve).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

MODES = ("hybrid", "lexical", "semantic")
MAX_LIMIT = 100
#: the years a filter may name: what the documents' year column holds (and the page's form)
YEARS = (1, 9999)
#: the parameters that repeat ("any of"), by the Params field each fills
LISTS = {
    "type": "kinds",
    "country": "countries",
    "region": "regions",
    "topic": "topics",
    "sdg": "sdg_targets",
    "lang": "languages",
}


class InvalidFilter(ValueError):
    """A filter names something that does not exist (the message says which)."""


@dataclass
class Params:
    q: str = ""
    kinds: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO codes, upper case
    regions: list[str] = field(default_factory=list)  # slugs
    topics: list[str] = field(default_factory=list)  # slugs
    sdg_targets: list[str] = field(default_factory=list)  # codes, e.g. "16.6"
    languages: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    mode: str = "hybrid"
    limit: int = 20
    offset: int = 0

    def __post_init__(self):
        self.countries = [country_code(code) for code in self.countries]


def country_code(value: str) -> str:
    """A country's ISO code as the directory holds it: codes are taken in any case."""
    return value.strip().upper()


def values_of(raw) -> list[str]:
    """Every value of a repeated parameter (one value or a list), blanks dropped."""
    if not raw:
        return []
    if isinstance(raw, str):
        raw = [raw]
    return [text for v in raw if (text := str(v).strip())]


def parse(values: Mapping) -> Params:
    """The search these parameters ask for (by the API's names; a missing one is its
    default). A NUL character in the query is a blank: the query is still searched (and
    PostgreSQL could not store it in the query log)."""
    lists = {name: values_of(values.get(param)) for param, name in LISTS.items()}
    limit, offset = values.get("limit"), values.get("offset")
    return Params(
        q=(values.get("q") or "").replace("\x00", " "),
        **lists,
        year_from=values.get("year_from"),
        year_to=values.get("year_to"),
        mode=values.get("mode") or "hybrid",
        limit=Params.limit if limit is None else limit,
        offset=max(0, offset or 0),
    )


def check(params: Params) -> None:
    """Clamp the page to what one search returns; refuse a mode or a year that is none."""
    params.limit = max(1, min(params.limit, MAX_LIMIT))
    params.offset = max(0, params.offset)
    if params.mode not in MODES:
        raise InvalidFilter(_("Unknown mode: %(mode)s.") % {"mode": params.mode})
    for name in ("year_from", "year_to"):
        # Checked here, not left to the database: a number past its integers is a 500 there.
        year = getattr(params, name)
        if year is not None and not YEARS[0] <= year <= YEARS[1]:
            raise InvalidFilter(
                _("%(name)s: a year from %(min)s to %(max)s.")
                % {"name": name, "min": YEARS[0], "max": YEARS[1]}
            )
