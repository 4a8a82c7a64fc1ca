"""The documents of the index as one table in memory: a row per document, with its type,
record, language, audience, year and links (countries, topics, SDG targets).

The lexical half reads it for the records of its matches, the semantic half for what the
reader may see (its vectors are one more column, in vectors.py, joined to it by document id),
and the facets count in it. It is read from the database without the vectors, so a lexical
search never loads them; each process keeps its own copy, brought up to date once a search
by the index's generation (indexing.generation): the rows changed since are patched in, and
many changes read it anew.
"""

from __future__ import annotations

import datetime
import itertools
import threading
from collections import Counter

import numpy as np
from django.utils import timezone

from civhub.search import indexing
from civhub.search.models import SearchDocument

#: leeway for clocks between the processes that write documents
CLOCK_SKEW = datetime.timedelta(seconds=5)
#: changes patched in; more than this share of the table (and at least 200) reads it anew
PATCH_SHARE = 0.05
COLUMNS = ("id", "kind", "object_id", "language", "audience", "year")


#: what each document is linked to, held in the table for counting facets in memory:
#: the relation of SearchDocument and the column of the linked record in its through table
LINKS = {"countries": "country_id", "topics": "topic_id", "sdg_targets": "sdgtarget_id"}


class Labels:
    """Strings kept once, rows holding their number: a column of 110,000 type names as
    numpy strings took 14 MB, as numbers 220 KB."""

    def __init__(self):
        self.names: list[str] = []
        self.codes: dict[str, int] = {}

    def code(self, name: str) -> int:
        code = self.codes.get(name)
        if code is None:
            code = self.codes[name] = len(self.names)
            self.names.append(name)
        return code

    @classmethod
    def of(cls, names: list[str]) -> Labels:
        labels = cls()
        for name in names:
            labels.code(name)
        return labels

    def codes_of(self, names) -> list[int]:
        return [self.codes[name] for name in names if name in self.codes]


class Positions:
    """Where each document's row is, from the ids column: a sorted copy searched in numpy
    (1.6 MB at 100,000 documents, where a dict took about 10)."""

    def __init__(self, ids: np.ndarray, size: int):
        live = ids[:size]
        valid = np.flatnonzero(live >= 0)
        self._order = valid[np.argsort(live[valid], kind="stable")]
        self._sorted = live[self._order]

    def many(self, doc_ids) -> np.ndarray:
        """The rows of these documents, -1 for one not held."""
        wanted = np.fromiter(doc_ids, dtype=np.int64)
        at = np.minimum(np.searchsorted(self._sorted, wanted), max(len(self._sorted) - 1, 0))
        if not len(self._sorted):
            return np.full(len(wanted), -1, dtype=np.int64)
        return np.where(self._sorted[at] == wanted, self._order[at], -1)

    def get(self, doc_id: int, default=None):
        row = int(self.many([doc_id])[0])
        return default if row < 0 else row

    def __getitem__(self, doc_id: int) -> int:
        row = self.get(doc_id)
        if row is None:
            raise KeyError(doc_id)
        return row

    def __contains__(self, doc_id) -> bool:
        return self.get(doc_id) is not None

    def __len__(self) -> int:
        return len(self._sorted)

    def __iter__(self):
        return iter(self._sorted.tolist())


class Links:
    """Each row's linked ids (countries, topics or SDG targets), sorted, as a tuple: rows'
    lists one after the other in `values`, row i's from offsets[i] to offsets[i + 1]."""

    def __init__(self, offsets: np.ndarray, values: np.ndarray):
        self.offsets, self.values = offsets, values

    def __getitem__(self, i: int) -> tuple[int, ...]:
        return tuple(self.values[self.offsets[i] : self.offsets[i + 1]].tolist())

    def __len__(self) -> int:
        return len(self.offsets) - 1


def _tally(values: np.ndarray, names: list[str] | None = None) -> Counter:
    """How many times each value occurs, by its name among `names` when they are given."""
    distinct, counts = np.unique(values, return_counts=True)
    keys = distinct.tolist() if names is None else [names[v] for v in distinct.tolist()]
    return Counter(dict(zip(keys, counts.tolist(), strict=True)))


def _links_of(offsets: np.ndarray, values: np.ndarray, rows: np.ndarray):
    """The offsets and values of these rows' links, in this order."""
    starts = offsets[:-1][rows]
    lengths = offsets[1:][rows] - starts
    new_offsets = np.zeros(len(rows) + 1, dtype=np.int64)
    np.cumsum(lengths, out=new_offsets[1:])
    at = np.repeat(starts - new_offsets[:-1], lengths) + np.arange(new_offsets[-1])
    return new_offsets, values[at]


class DocumentTable:
    """Every document of the index, a row each (in no particular order: `position` finds a
    document's row). Its columns are replaced together when it changes."""

    # Set together by _set (through __dict__, in one step).
    ids: np.ndarray
    size: int
    links: dict[str, Links]
    position: Positions
    kind_labels: Labels
    language_labels: Labels
    kinds: np.ndarray
    languages: np.ndarray
    audiences: np.ndarray
    years: np.ndarray
    object_ids: np.ndarray

    def __init__(self) -> None:
        self._lock = threading.Lock()
        #: counts the table's versions: what a copy made from one names (fusion.table_rows)
        self.version = 0
        self.generation: int | None = None
        self.loaded_at: datetime.datetime | None = None
        self._set(np.zeros(0, dtype=np.int64), None, None)

    def _set(self, ids: np.ndarray, links: dict | None, columns: dict | None) -> None:
        """Take these rows as the table: their ids, links and other columns (with their
        labels); an empty table without them."""
        if columns is None:
            columns = {
                "kind_labels": Labels(),
                "language_labels": Labels(),
                "kinds": np.zeros(0, dtype=np.int16),
                "languages": np.zeros(0, dtype=np.int16),
                "audiences": np.zeros(0, dtype=np.int8),
                "years": np.zeros(0, dtype=np.int16),
                "object_ids": np.zeros(0, dtype="S1"),
            }
            links = {
                name: Links(np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int32))
                for name in LINKS
            }
        # In one step, as the vector index adopts its file: a search in another thread
        # reads the last version or this one.
        self.__dict__.update(
            columns,
            ids=ids,
            size=len(ids),
            links=links,
            position=Positions(ids, len(ids)),
            version=self.version + 1,
        )

    # -- keeping up with the database ----------------------------------------------------

    def refresh(self, current: int | None = None) -> None:
        """Up to date with generation `current` (read when not given)."""
        if current is None:
            current = indexing.generation()
        if current == self.generation and self.loaded_at is not None:
            return
        with self._lock:
            if current == self.generation and self.loaded_at is not None:
                return
            started = timezone.now()
            if self.loaded_at is None or not self._patch():
                self._load()
            self.loaded_at, self.generation = started, current

    def _load(self) -> None:
        rows = list(SearchDocument.objects.order_by("id").values_list(*COLUMNS))
        self._take(rows, keep=None)

    def _patch(self) -> bool:
        """Patch in the rows changed since the last read; False when reading anew is better."""
        assert self.loaded_at is not None  # refresh() reads anew when nothing was read
        changed = list(
            SearchDocument.objects.filter(updated_at__gte=self.loaded_at - CLOCK_SKEW).values_list(
                *COLUMNS
            )
        )
        live = np.fromiter(SearchDocument.objects.values_list("id", flat=True), dtype=np.int64)
        keep = np.isin(self.ids, live)
        if changed:
            keep &= ~np.isin(self.ids, np.fromiter((row[0] for row in changed), dtype=np.int64))
        if len(changed) + int((~keep).sum()) > max(200, PATCH_SHARE * self.size):
            return False
        self._take(changed, keep)
        return True

    def _take(self, rows: list[tuple], keep: np.ndarray | None) -> None:
        """The table of the rows kept (none when `keep` is None) and these rows after them."""
        kind_labels = Labels.of(self.kind_labels.names if keep is not None else [])
        language_labels = Labels.of(self.language_labels.names if keep is not None else [])
        kept = np.flatnonzero(keep) if keep is not None else np.zeros(0, dtype=np.int64)
        width = max(
            [1, *(len(str(row[2]).encode()) for row in rows)]
            + ([self.object_ids.dtype.itemsize] if len(kept) else [])
        )
        ids = [row[0] for row in rows]

        def column(old, new, dtype):
            return np.concatenate([old[kept], np.asarray(new, dtype=dtype)]).astype(dtype)

        columns = {
            "kinds": column(self.kinds, [kind_labels.code(r[1]) for r in rows], np.int16),
            "object_ids": column(self.object_ids, [str(r[2]).encode() for r in rows], f"S{width}"),
            "languages": column(
                self.languages, [language_labels.code(r[3]) for r in rows], np.int16
            ),
            "audiences": column(self.audiences, [r[4] for r in rows], np.int8),
            "years": column(self.years, [r[5] or 0 for r in rows], np.int16),
            "kind_labels": kind_labels,
            "language_labels": language_labels,
        }
        links = {}
        new_links = self._read_links(ids if keep is not None else None)
        for name in LINKS:
            old = self.links[name]
            old_offsets, old_values = _links_of(old.offsets, old.values, kept)
            linked = [new_links[name].get(doc_id, ()) for doc_id in ids]
            lengths = np.fromiter((len(t) for t in linked), dtype=np.int64, count=len(linked))
            offsets = np.concatenate([old_offsets, old_offsets[-1] + np.cumsum(lengths)])
            values = np.concatenate(
                [old_values, np.fromiter(itertools.chain.from_iterable(linked), dtype=np.int32)]
            ).astype(np.int32)
            links[name] = Links(offsets, values)
        all_ids = column(self.ids, ids, np.int64)
        self._set(all_ids, links, columns)

    @staticmethod
    def _read_links(doc_ids: list[int] | None) -> dict[str, dict[int, tuple[int, ...]]]:
        """Each document's links, sorted (of every document when doc_ids is None)."""
        out: dict[str, dict[int, tuple[int, ...]]] = {name: {} for name in LINKS}
        if doc_ids is not None and not doc_ids:
            return out
        chunks: list[list[int] | None] = (
            [None]
            if doc_ids is None
            else [doc_ids[start : start + 500] for start in range(0, len(doc_ids), 500)]
        )
        for name, column in LINKS.items():
            through = getattr(SearchDocument, name).through
            pairs = through.objects.order_by("searchdocument_id", column).values_list(
                "searchdocument_id", column
            )
            for chunk in chunks:
                selected = pairs if chunk is None else pairs.filter(searchdocument_id__in=chunk)
                rows = selected.iterator(chunk_size=5000)
                for doc_id, group in itertools.groupby(rows, key=lambda pair: pair[0]):
                    out[name][doc_id] = tuple(sorted({linked for _doc, linked in group}))
        return out

    # -- reading -------------------------------------------------------------------------

    def mask(self, audience: int, kinds=None, languages=None, allowed_ids=None) -> np.ndarray:
        """Which rows the reader may see among those of these types and languages (and ids)."""
        keep = self.audiences <= audience
        if kinds:
            keep &= np.isin(self.kinds, self.kind_labels.codes_of(kinds))
        if languages:
            keep &= np.isin(self.languages, self.language_labels.codes_of(languages))
        if allowed_ids is not None:
            keep &= np.isin(self.ids, np.fromiter(allowed_ids, dtype=np.int64))
        return keep

    def records_of(self, doc_ids) -> tuple[dict[int, tuple[str, str]], list[int]]:
        """The records of these documents, (type, object id) by document id, and the ids of
        the documents not held here (saved since the table was read)."""
        doc_ids = list(doc_ids)
        rows = self.position.many(doc_ids)
        held = rows >= 0
        names = self.kind_labels.names
        kinds = self.kinds[rows[held]].tolist()
        object_ids = self.object_ids[rows[held]].tolist()
        held_ids = [doc_id for doc_id, h in zip(doc_ids, held.tolist(), strict=True) if h]
        found = {
            doc_id: (names[kind], object_id.decode())
            for doc_id, kind, object_id in zip(held_ids, kinds, object_ids, strict=True)
        }
        return found, [doc_id for doc_id, h in zip(doc_ids, held.tolist(), strict=True) if not h]

    def record(self, row: int) -> tuple[str, str]:
        return self.kind_labels.names[self.kinds[row]], self.object_ids[row].decode()

    def facet_counts(self, doc_ids) -> tuple[list[Counter], list[int]]:
        """Counts over these documents of their types, years, languages, sets of countries
        (a document counts once in each of their regions), topics and SDG targets; and the
        ids of the documents not held here."""
        doc_ids = list(doc_ids)
        found = self.position.many(doc_ids)
        missing = [doc_id for doc_id, i in zip(doc_ids, found.tolist(), strict=True) if i < 0]
        rows_at = found[found >= 0]
        at = rows_at.tolist()
        years = self.years[rows_at]
        countries, topics, targets = (self.links[name] for name in LINKS)
        return [
            _tally(self.kinds[rows_at], self.kind_labels.names),
            _tally(years[years > 0]),
            _tally(self.languages[rows_at], self.language_labels.names),
            Counter(countries[i] for i in at),
            Counter(itertools.chain.from_iterable(topics[i] for i in at)),
            Counter(itertools.chain.from_iterable(targets[i] for i in at)),
        ], missing


_table = DocumentTable()


def get_table(refresh: bool = True, current: int | None = None) -> DocumentTable:
    """The process's table, brought up to date (with generation `current` when the caller
    has read it) unless `refresh` is False: for callers that refreshed it within the same
    search."""
    if refresh or _table.loaded_at is None:
        _table.refresh(current)
    return _table
