"""The documents' vectors, held in memory by each server process and searched with numpy.

Two things seen with multilingual-e5 shape the scoring:
- each language's vectors sit in their own region of the space, so documents in one language
  crowd the top of every list; every vector is centred on its language's mean (and the query on
  the mean of the language it is written in) before comparing;
- similarities are bunched, so results are ranked, never cut at a raw score: a document is a
  candidate when it stands out from the rest for this query (its z-score over the corpus).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from civhub.search import indexing, text
from civhub.search.embeddings import get_embedder
from civhub.search.models import SearchDocument

#: how far above the corpus's mean similarity (in standard deviations) a candidate stands
MIN_Z = 2.0
#: below this many documents a z-score says little: every document is ranked
MIN_POPULATION = 50
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


class VectorIndex:
    def __init__(self):
        self._lock = threading.Lock()
        self.generation = -1
        self.ids = np.zeros(0, dtype=np.int64)
        self.matrix = np.zeros((0, 0), dtype=np.float32)
        self.languages = np.zeros(0, dtype="U8")
        self.kinds = np.zeros(0, dtype="U32")
        self.audiences = np.zeros(0, dtype=np.int8)
        self.records: list[tuple[str, str]] = []
        self.position: dict[int, int] = {}
        self.means: dict[str, np.ndarray] = {}
        self.hubness = np.zeros(0, dtype=np.float32)

    # -- keeping up with the database ----------------------------------------------------

    def refresh(self) -> None:
        current = indexing.generation()
        if current == self.generation:
            return
        with self._lock:
            if current != self.generation:
                self._load()
                self.generation = current

    def _load(self) -> None:
        model = get_embedder().name
        rows = (
            SearchDocument.objects.filter(vector__isnull=False, vector_model=model)
            .exclude(vector_hash="")
            .values_list("id", "kind", "object_id", "language", "audience", "vector")
            .order_by("id")
        )
        dim = get_embedder().dim
        # Filled in place: a list of 100,000 small arrays would double the peak memory.
        matrix = np.empty((rows.count(), dim), dtype=np.float32)
        ids, kinds, records, languages, audiences = [], [], [], [], []
        for doc_id, kind, object_id, language, audience, vector in rows.iterator(chunk_size=2000):
            if len(ids) == len(matrix):
                break  # written since the count: the next refresh takes it
            matrix[len(ids)] = np.frombuffer(vector, dtype=np.float32)
            ids.append(doc_id)
            kinds.append(kind)
            records.append((kind, object_id))
            languages.append(language)
            audiences.append(audience)
        matrix = matrix[: len(ids)]
        languages_array = np.array(languages, dtype="U8")
        means = {}
        for language in set(languages):
            rows_of = languages_array == language
            # Shrunk towards zero for a language with few documents: the mean of three
            # documents is mostly those documents, and removing it would erase them.
            n = int(rows_of.sum())
            means[language] = matrix[rows_of].mean(axis=0) * (n / (n + SHRINK))
            matrix[rows_of] -= means[language]
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        matrix /= np.maximum(norms, 1e-6)
        self.hubness = hubness(matrix) * np.float32(HUB_WEIGHT)
        self.ids = np.array(ids, dtype=np.int64)
        self.matrix = np.ascontiguousarray(matrix, dtype=np.float32)
        self.languages = languages_array
        self.kinds = np.array(kinds, dtype="U32")
        self.audiences = np.array(audiences, dtype=np.int8)
        self.records = records
        self.position = {doc_id: i for i, doc_id in enumerate(ids)}
        self.means = means

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
        keep = self.audiences <= audience
        if kinds:
            keep &= np.isin(self.kinds, list(kinds))
        if languages:
            keep &= np.isin(self.languages, list(languages))
        if allowed_ids is not None:
            keep &= np.isin(self.ids, np.fromiter(allowed_ids, dtype=np.int64))
        return keep

    def search(
        self, vector: np.ndarray, keep: np.ndarray, limit: int, min_z: float | None = MIN_Z
    ) -> list[Hit]:
        """The `limit` best documents among `keep` that stand out for this vector (by at least
        `min_z` standard deviations; None takes the best whatever they are)."""
        if not len(self.ids) or not keep.any():
            return []
        scores = self.matrix @ vector - self.hubness
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


def hubness(matrix: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """Each row's mean similarity to its HUB_K nearest rows among a fixed sample."""
    n = len(matrix)
    out = np.zeros(n, dtype=np.float32)
    if n <= HUB_K:
        return out
    sample = (
        np.random.default_rng(0).choice(n, size=HUB_SAMPLE, replace=False)
        if n > HUB_SAMPLE
        else np.arange(n)
    )
    column_of = np.full(n, -1)
    column_of[sample] = np.arange(len(sample))
    reference = matrix[sample].T
    k = min(HUB_K, len(sample) - 1)
    for start in range(0, n, chunk):
        block = matrix[start : start + chunk] @ reference
        rows = np.arange(start, start + len(block))
        own = column_of[rows]
        in_sample = own >= 0
        block[np.nonzero(in_sample)[0], own[in_sample]] = -np.inf  # not its own neighbour
        out[start : start + len(block)] = np.partition(block, -k, axis=1)[:, -k:].mean(axis=1)
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


def get_index() -> VectorIndex:
    _index.refresh()
    return _index
