"""The rank step of a search: the lexical half (lexical.py) and the semantic half
(vectors.py), each on its own or fused by reciprocal rank, over the document table.

In lexical mode the vectors are never loaded; in semantic mode the lexical query never runs.
"""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from civhub.search import lexical, text, vectors
from civhub.search.filters import Filters
from civhub.search.models import SearchDocument
from civhub.search.table import DocumentTable

#: semantic candidates taken into ranking and facets
SEMANTIC_LIMIT = 100
#: reciprocal rank fusion's constant: how much the first ranks count more than later ones
RRF_K = 60
#: the weight in hybrid ranking of lexical matches on any word of the query, the fallback when
#: no document has them all: such a list is mostly noise (a natural-language question, or one
#: asked in another language than the answer's, matches every document with "civil" in it)
#: and, weighted as much as the semantic list, pushed the semantic half's answers down; at
#: this weight it only orders what the semantic half did not find, after what it found
#: (docs/benchmarks.md, "Relevance")
ANY_TERM_WEIGHT = 0.01
#: searches of one process whose semantic halves may run at once (see rank())
SEMANTIC_THREADS = 8

Ranked = list[tuple[tuple, int, float]]  # (record, best document id, fused score), best first


def rank(query: text.Query, filters: Filters, mode: str, table: DocumentTable) -> Ranked:
    """(record, best document id, fused score) for every record that answers, best first.

    What answers (docs/architecture.md, "When nothing is found"): the records with every word
    of the query; and the semantic half's candidates that come close enough to the query
    (vectors.MIN_SCORE, or MIN_SCORE_SHARED for one that shares a word with it). The records
    with only some of the words count only beside such candidates: alone they are what a
    nonsense query finds too ("<script>alert(1)</script>" has "1")."""
    return ranked(query, filters, mode, table)[0]


def ranked(
    query: text.Query, filters: Filters, mode: str, table: DocumentTable
) -> tuple[Ranked, bool]:
    """rank(), and whether some of its records have every word of the query."""
    lists = []  # (document ids best first, weight)
    semantic_half = None
    if mode != "lexical":
        index = vectors.get_index()  # up to date once for the whole search
        semantic_half = semantic_search(query.text, filters, index, table)
    # In hybrid mode the semantic half runs beside the lexical query: the model and numpy let
    # go of the GIL, as the database drivers do, so the two overlap on two cores. It touches
    # no database: that stays in the request's own thread (its connection, its transaction).
    # semantic_half is set whenever mode is "hybrid" (not "lexical"); mypy cannot follow it
    pending = _semantic_pool().submit(semantic_half) if mode == "hybrid" else None  # type: ignore[arg-type]
    any_term = False
    lexical_ids: list[int] = []
    if mode in ("hybrid", "lexical"):
        hits, any_term = lexical.match(query, filters)
        lexical_ids = [doc_id for doc_id, _score in hits]
        weight = ANY_TERM_WEIGHT if any_term and mode == "hybrid" else 1.0
        lists.append((lexical_ids, weight))
    # The lexical candidates' records are looked up while the semantic half may still run.
    records_of = records_in(set(lexical_ids), table)
    if semantic_half is not None:
        found, population = pending.result() if pending is not None else semantic_half()
        records_of |= records_in({hit.doc_id for hit in found} - records_of.keys(), table)
        sharing = {records_of[doc_id] for doc_id in lexical_ids}
        # The query is in the field when one of its neighbours comes close enough; then
        # every neighbour that stands out for it counts, as before.
        # Below MIN_POPULATION documents the centring and scores say little: no floor.
        if population >= vectors.MIN_POPULATION and not any(
            hit.score
            >= (
                vectors.MIN_SCORE_SHARED if records_of[hit.doc_id] in sharing else vectors.MIN_SCORE
            )
            for hit in found
        ):
            found = []
        if mode == "hybrid" and any_term and not found:
            lists = []  # some of the words, and nothing near in meaning: no answer
        lists.append(([hit.doc_id for hit in found], 1.0))
    return fuse(lists, records_of), bool(lexical_ids) and not any_term


def fuse(lists: list[tuple[list[int], float]], records_of: dict[int, tuple]) -> Ranked:
    """Reciprocal rank fusion of ranked lists of documents, by record: each list counts a
    record once, at its best version's place; ties go to the lower document id."""
    scores: dict[tuple, float] = defaultdict(float)
    best: dict[tuple, int] = {}
    for doc_ids, weight in lists:
        seen = set()
        for doc_id in doc_ids:
            record = records_of[doc_id]
            if record in seen:
                continue  # one place per record in each list: its best version's
            seen.add(record)
            scores[record] += weight / (RRF_K + len(seen))
            best.setdefault(record, doc_id)
    order = sorted(scores, key=lambda record: (-scores[record], best[record]))
    return [(record, best[record], scores[record]) for record in order]


_semantic_executor: ThreadPoolExecutor | None = None


def _semantic_pool() -> ThreadPoolExecutor:
    """Threads for the semantic half of searches (one per concurrent search of the process,
    so a threaded server's searches never wait for each other's here)."""
    global _semantic_executor
    if _semantic_executor is None:
        _semantic_executor = ThreadPoolExecutor(
            SEMANTIC_THREADS, thread_name_prefix="civhub-semantic"
        )
    return _semantic_executor


def semantic_search(q: str, filters: Filters, index: vectors.VectorIndex, table: DocumentTable):
    """The semantic half as a function of no arguments that touches no database: what it
    needs from the database (the documents the filters allow) is read now, by the caller's
    thread, which has brought `index` and `table` up to date."""
    allowed = filters.matching_ids() if filters.needs_relations else None
    keep = vector_mask(
        index, table, table.mask(filters.audience, filters.kinds, filters.languages, allowed)
    )
    # With the hits, how many documents they were chosen among (see rank's floor).
    return lambda: (index.search(index.centred_query(q), keep, SEMANTIC_LIMIT), int(keep.sum()))


def vector_mask(index: vectors.VectorIndex, table: DocumentTable, keep: np.ndarray) -> np.ndarray:
    """The table's mask over its rows as a mask over the vectors' rows (a vector whose
    document the table does not hold is left out)."""
    rows = table_rows(index, table)
    out = np.zeros(index.size, dtype=bool)
    held = rows >= 0
    out[held] = keep[rows[held]]
    return out


def table_rows(index: vectors.VectorIndex, table: DocumentTable) -> np.ndarray:
    """The table's row of each vector's document (-1 for none), kept while neither changes."""
    key = (table.version, index.path, index.size)
    cached = getattr(index, "_table_rows", None)
    if cached is None or cached[0] != key:
        cached = (key, table.position.many(index.ids[: index.size]))
        index._table_rows = cached  # type: ignore[attr-defined]  # fusion's cache, kept on the index
    return cached[1]


def records_in(doc_ids, table: DocumentTable) -> dict[int, tuple[str, str]]:
    """The records of these documents: from the table, and from the database for those
    saved since it was read."""
    out, missing = table.records_of(doc_ids)
    if missing:
        for doc_id, kind, object_id in SearchDocument.objects.filter(pk__in=missing).values_list(
            "id", "kind", "object_id"
        ):
            out[doc_id] = (kind, object_id)
    return out
