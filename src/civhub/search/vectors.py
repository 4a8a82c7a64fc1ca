"""The documents' vectors, held in memory by each server process and searched with numpy.

Two things seen with multilingual-e5 shape the scoring:
- each language's vectors sit in their own region of the space, so documents in one language
  crowd the top of every list; every vector is centred on its language's mean (and the query on
  the mean of the language it is written in) before comparing;
- similarities are bunched, so results are ranked, never cut at a raw score: a document is a
  candidate when it stands out from the rest for this query (its z-score over the corpus).
"""

from __future__ import annotations

import datetime
import itertools
import os
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from django.utils import timezone

from civhub.search import indexing, text
from civhub.search.embeddings import get_embedder
from civhub.search.models import SearchDocument

#: how far above the corpus's mean similarity (in standard deviations) a candidate stands
#: (2.0 until the floors below decided whether a query is answered at all: 1.5 finds more of
#: the answers, docs/benchmarks.md)
MIN_Z = 1.5
#: below this many documents a z-score says little: every document is ranked
MIN_POPULATION = 50
#: the score (centred cosine less the hubness correction) one of a query's candidates must
#: reach for its neighbours to count as an answer: every query has neighbours that stand
#: out from its own scores ("zzzzzz", "pizza recipe" reach z = 3), but on the demo data no
#: query outside the hub's field brings a document past 0.037, and most real ones past 0.045
#: (docs/architecture.md, "When nothing is found")
MIN_SCORE = 0.045
#: the same for a candidate that shares a word with the query (among the lexical half's
#: matches, any word): the words corroborate what the meaning alone does not settle
MIN_SCORE_SHARED = -0.05
#: documents a language needs before its mean counts half (see _load)
SHRINK = 5
#: hubness correction (CSLS, Conneau et al. 2018): a document close to many others (a
#: country profile listing everything) is near every query; its score is lowered by
#: HUB_WEIGHT times its mean similarity to its HUB_K nearest documents, estimated against a
#: fixed sample of HUB_SAMPLE documents so that it stays linear in the corpus size
HUB_WEIGHT = 0.5
HUB_K = 10
HUB_SAMPLE = 1000


@dataclass
class Hit:
    doc_id: int
    score: float


#: the audience of a removed row: above every reader's level, so never found
TOMBSTONE = 127
#: room kept for documents added between full loads, as a share of the corpus
HEADROOM = 0.1
#: changes patched in place; more than this share of the corpus reloads everything
PATCH_SHARE = 0.05
#: leeway for clocks between the processes that write documents
CLOCK_SKEW = datetime.timedelta(seconds=5)
#: what each document is linked to, held beside its vector for counting facets in memory:
#: the relation of SearchDocument and the column of the linked record in its through table
LINKS = {"countries": "country_id", "topics": "topic_id", "sdg_targets": "sdgtarget_id"}
#: scoring is one matrix-vector product, bound by memory bandwidth: split over this many
#: threads of our own (numpy lets go of the GIL), it takes about half the time on 2 cores.
#: Our own threads, not BLAS's: those spin while idle and slow the model down (wsgi.py).
SCORING_THREADS = max(1, min(4, os.cpu_count() or 1))
#: below this many rows one thread is as fast
PARALLEL_ROWS = 20_000
_scoring_pool: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    global _scoring_pool
    if _scoring_pool is None:
        _scoring_pool = ThreadPoolExecutor(SCORING_THREADS, thread_name_prefix="civhub-scoring")
    return _scoring_pool


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

    def codes_of(self, names) -> list[int]:
        return [self.codes[name] for name in names if name in self.codes]


def similarities(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix @ vector, in row blocks on several threads when the matrix is large."""
    n = len(matrix)
    out = np.empty(n, dtype=np.float32)
    vector = np.ascontiguousarray(vector, dtype=np.float32)
    if n < PARALLEL_ROWS or SCORING_THREADS == 1:
        np.dot(matrix, vector, out=out)
        return out
    bounds = np.linspace(0, n, SCORING_THREADS + 1, dtype=int)

    def block(i: int) -> None:
        start, stop = bounds[i], bounds[i + 1]
        np.dot(matrix[start:stop], vector, out=out[start:stop])

    list(_pool().map(block, range(SCORING_THREADS)))
    return out


class VectorIndex:
    """Arrays sized with some headroom: a few changed documents are patched in place (a save
    on a large site costs milliseconds, not a reload); many changes reload everything."""

    def __init__(self):
        self._lock = threading.Lock()
        self.generation = -1
        self.loaded_at: datetime.datetime | None = None
        self.size = 0
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, 0), dtype=np.float32)
        #: each row's language and type, as numbers of these labels
        self.language_labels, self.kind_labels = Labels(), Labels()
        self.languages = np.zeros(0, dtype=np.int16)
        self.kinds = np.zeros(0, dtype=np.int16)
        self.audiences = np.zeros(0, dtype=np.int8)
        self.hubness = np.zeros(0, dtype=np.float32)
        self.years = np.zeros(0, dtype=np.int16)
        #: per row, the ids of the linked countries, topics and SDG targets (shared tuples)
        self.links: dict[str, list[tuple[int, ...]]] = {name: [] for name in LINKS}
        self.records: list[tuple[str, str]] = []
        self._records_shared: dict[tuple[str, str], tuple[str, str]] = {}
        self.position: dict[int, int] = {}
        self.means: dict[str, np.ndarray] = {}
        self.reference = np.zeros((0, 0), dtype=np.float32)

    # -- keeping up with the database ----------------------------------------------------

    def refresh(self) -> None:
        current = indexing.generation()
        if current == self.generation:
            return
        with self._lock:
            if current == self.generation:
                return
            if self.loaded_at is None or not self._patch():
                self._load()
            self.generation = current

    @staticmethod
    def _rows():
        return (
            SearchDocument.objects.filter(vector__isnull=False, vector_model=get_embedder().name)
            .exclude(vector_hash="")
            .values_list("id", "kind", "object_id", "language", "audience", "year", "vector")
        )

    def _load(self) -> None:
        started = timezone.now()
        rows = self._rows().order_by("id")
        count = rows.count()
        capacity = count + max(64, int(count * HEADROOM))
        dim = get_embedder().dim
        # Filled in place: a list of 100,000 small arrays would double the peak memory.
        self.matrix = np.zeros((capacity, dim), dtype=np.float32)
        self.ids = np.full(capacity, -1, dtype=np.int64)
        self.language_labels, self.kind_labels = Labels(), Labels()
        self.languages = np.full(capacity, -1, dtype=np.int16)
        self.kinds = np.full(capacity, -1, dtype=np.int16)
        self._records_shared: dict[tuple[str, str], tuple[str, str]] = {}
        self.audiences = np.full(capacity, TOMBSTONE, dtype=np.int8)
        self.hubness = np.zeros(capacity, dtype=np.float32)
        self.years = np.zeros(capacity, dtype=np.int16)
        self.links = {name: [()] * capacity for name in LINKS}
        self.records, self.position, self.size = [], {}, 0
        for row in rows.iterator(chunk_size=2000):
            if self.size == count:
                break  # written since the count: the next refresh takes it
            self._put(self.size, row, raw=True)
        self._load_links(None)
        n = self.size
        matrix, languages = self.matrix[:n], self.languages[:n]
        self.means = {}
        for code in set(languages.tolist()):
            language = self.language_labels.names[code]
            rows_of = languages == code
            # Shrunk towards zero for a language with few documents: the mean of three
            # documents is mostly those documents, and removing it would erase them.
            count_of = int(rows_of.sum())
            self.means[language] = matrix[rows_of].mean(axis=0) * (count_of / (count_of + SHRINK))
            matrix[rows_of] -= self.means[language]
        matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-6)
        self.reference = reference_sample(matrix)
        self.hubness[:n] = hubness(matrix, self.reference) * np.float32(HUB_WEIGHT)
        self.loaded_at = started

    def _put(self, i: int, row, raw: bool = False) -> None:
        doc_id, kind, object_id, language, audience, year, vector = row
        vector = np.frombuffer(vector, dtype=np.float32)
        if not raw:  # a patched row: centred and scored like the rest at the last load
            vector = vector - self.means.get(language, 0)
            vector = vector / max(float(np.linalg.norm(vector)), 1e-6)
            self.hubness[i] = hubness(vector[None, :], self.reference)[0] * HUB_WEIGHT
        self.matrix[i] = vector
        self.ids[i] = doc_id
        self.languages[i] = self.language_labels.code(language)
        self.kinds[i] = self.kind_labels.code(kind)
        self.audiences[i] = audience
        self.years[i] = year or 0
        # one tuple for a record's versions in every language
        kind = self.kind_labels.names[self.kinds[i]]
        record = self._records_shared.setdefault((kind, object_id), (kind, object_id))
        if i == len(self.records):
            self.records.append(record)
            self.size += 1
        else:
            self.records[i] = record
        self.position[doc_id] = i

    def _patch(self) -> bool:
        """Apply the changes since the last load in place; False when a reload is better."""
        started = timezone.now()
        changed = list(self._rows().filter(updated_at__gte=self.loaded_at - CLOCK_SKEW))
        live = set(SearchDocument.objects.filter(vector__isnull=False).values_list("id", flat=True))
        gone = [doc_id for doc_id in self.position if doc_id not in live]
        added = sum(1 for row in changed if row[0] not in self.position)
        if len(changed) + len(gone) > max(200, PATCH_SHARE * self.size) or self.size + added > len(
            self.ids
        ):
            return False
        for doc_id in gone:
            i = self.position.pop(doc_id)
            self.audiences[i] = TOMBSTONE
            self.ids[i] = -1
        for row in changed:
            self._put(self.position.get(row[0], self.size), row)
        self._load_links([row[0] for row in changed])
        self.loaded_at = started
        return True

    def _load_links(self, doc_ids: list[int] | None) -> None:
        """Read the documents' countries, topics and SDG targets (all when doc_ids is None),
        a document at a time in id order, so that nothing but the result is held."""
        if doc_ids is not None and not doc_ids:
            return
        shared: dict[tuple[int, ...], tuple[int, ...]] = {(): ()}  # one tuple per distinct set
        chunks = (
            [None]
            if doc_ids is None
            else [doc_ids[start : start + 500] for start in range(0, len(doc_ids), 500)]
        )
        for name, column in LINKS.items():
            column_of = self.links[name]
            for doc_id in doc_ids or ():
                i = self.position.get(doc_id)
                if i is not None:
                    column_of[i] = ()
            through = getattr(SearchDocument, name).through
            pairs = through.objects.order_by("searchdocument_id", column).values_list(
                "searchdocument_id", column
            )
            for chunk in chunks:
                selected = pairs if chunk is None else pairs.filter(searchdocument_id__in=chunk)
                rows = selected.iterator(chunk_size=5000)
                for doc_id, group in itertools.groupby(rows, key=lambda pair: pair[0]):
                    i = self.position.get(doc_id)
                    if i is not None:
                        ids = tuple(sorted({linked for _doc, linked in group}))
                        column_of[i] = shared.setdefault(ids, ids)

    def facet_counts(self, doc_ids) -> tuple[list[Counter], list[int]]:
        """Counts over the documents held here of their types, years, languages, sets of
        countries (a document counts once in each of their regions), topics and SDG targets;
        and the ids of the documents not held here (not embedded yet)."""
        position = self.position
        found = [position.get(doc_id) for doc_id in doc_ids]
        missing = [doc_id for doc_id, i in zip(doc_ids, found, strict=True) if i is None]
        rows_at = np.fromiter((i for i in found if i is not None), dtype=np.int64)
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

    # -- searching -----------------------------------------------------------------------

    def centred_query(self, query: str) -> np.ndarray:
        vector = get_embedder().query(query).astype(np.float32)
        mean = self.means.get(query_language(query))
        if mean is None and self.means:
            mean = np.mean(list(self.means.values()), axis=0)
        if mean is not None:
            vector = vector - mean
        return vector / max(float(np.linalg.norm(vector)), 1e-6)

    def mask(self, audience: int, kinds=None, languages=None, allowed_ids=None) -> np.ndarray:
        n = self.size
        keep = self.audiences[:n] <= audience
        if kinds:
            keep &= np.isin(self.kinds[:n], self.kind_labels.codes_of(kinds))
        if languages:
            keep &= np.isin(self.languages[:n], self.language_labels.codes_of(languages))
        if allowed_ids is not None:
            keep &= np.isin(self.ids[:n], np.fromiter(allowed_ids, dtype=np.int64))
        return keep

    def search(
        self, vector: np.ndarray, keep: np.ndarray, limit: int, min_z: float | None = MIN_Z
    ) -> list[Hit]:
        """The `limit` best documents among `keep` that stand out for this vector (by at least
        `min_z` standard deviations; None takes the best whatever they are). A hit's score is
        what MIN_SCORE is compared with (services.rank does)."""
        n = self.size
        if not n or not keep.any():
            return []
        scores = similarities(self.matrix[:n], vector) - self.hubness[:n]
        mean, std = float(scores.mean()), float(scores.std()) or 1.0
        scores = np.where(keep, scores, -np.inf)
        population = int(keep.sum())
        count = min(limit, population)
        top = np.argpartition(-scores, count - 1)[:count]
        top = top[np.argsort(-scores[top])]
        return [
            Hit(int(self.ids[i]), float(scores[i]))
            for i in top
            if min_z is None or population < MIN_POPULATION or (scores[i] - mean) / std >= min_z
        ]

    def vector_of(self, doc_id: int) -> np.ndarray | None:
        i = self.position.get(doc_id)
        return None if i is None else self.matrix[i]


def _tally(values: np.ndarray, names: list[str] | None = None) -> Counter:
    """How many times each value occurs, by its name among `names` when they are given."""
    distinct, counts = np.unique(values, return_counts=True)
    keys = distinct.tolist() if names is None else [names[v] for v in distinct.tolist()]
    return Counter(dict(zip(keys, counts.tolist(), strict=True)))


def reference_sample(matrix: np.ndarray) -> np.ndarray:
    """A fixed sample of rows that each row's neighbourhood is measured against."""
    n = len(matrix)
    if n <= HUB_SAMPLE:
        return matrix.copy()
    return matrix[np.sort(np.random.default_rng(0).choice(n, size=HUB_SAMPLE, replace=False))]


def hubness(rows: np.ndarray, reference: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """Each row's mean similarity to its HUB_K nearest reference rows, itself excepted."""
    out = np.zeros(len(rows), dtype=np.float32)
    k = min(HUB_K, len(reference) - 1)
    if k < 1:
        return out
    for start in range(0, len(rows), chunk):
        block = rows[start : start + chunk] @ reference.T
        # A row's own copy in the sample is its nearest neighbour: the k+1 best less the best.
        best = -np.partition(-block, k, axis=1)[:, : k + 1]
        best.sort(axis=1)
        own = best[:, -1] > 0.9999
        nearest = np.where(own[:, None], best[:, :-1], best[:, 1:])
        out[start : start + len(block)] = nearest.mean(axis=1)
    return out


def query_language(query: str) -> str:
    """The language a query is most likely written in, from its letters."""
    scripts = [text.script(w) for w in text.words(query)]
    if "kk" in scripts:
        return "kk"
    if "cyr" in scripts:
        return "ru"
    return "en"


_index = VectorIndex()


def get_index(refresh: bool = True) -> VectorIndex:
    """The process's index, brought up to date (one query to learn whether it is) unless
    `refresh` is False: for callers that refreshed it moments ago, within the same search."""
    if refresh or _index.loaded_at is None:
        _index.refresh()
    return _index
