"""One search over every registered record: lexical and semantic results fused, with facets.

Pages, the API and the command line all call `search()` and `related()`; they differ only in
how they show results (they read parameters with params.parse). A search is its steps, each
in a module of its own: parse (params.py), filter (filters.py), rank (fusion.py, over the
lexical and semantic halves, lexical.py and vectors.py, and the document table, table.py),
count facets (facets.py), present (presentation.py); and the query log (querylog.py).
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from django.db import DatabaseError, models

from civhub.core.types import Viewer
from civhub.search import fusion, indexing, registry, signals, table, text, vectors
from civhub.search.facets import (  # noqa: F401 - the public names of search, importable here
    FacetValue,
    facets,
    forget_reference_records,
    reference_records,
)
from civhub.search.filters import Filters, audience_of
from civhub.search.filters import resolve as resolve_filters
from civhub.search.fusion import rank  # noqa: F401
from civhub.search.models import SearchDocument
from civhub.search.params import (  # noqa: F401
    MAX_LIMIT,
    MODES,
    YEARS,
    InvalidFilter,
    Params,
    check,
    parse,
)
from civhub.search.presentation import Result, Results, error_message, present
from civhub.search.querylog import log_query

__all__ = [
    "MAX_LIMIT",
    "MODES",
    "YEARS",
    "FacetValue",
    "Filters",
    "InvalidFilter",
    "Params",
    "Result",
    "Results",
    "audience_of",
    "batched",
    "error_message",
    "facets",
    "health",
    "forget_reference_records",
    "parse",
    "present",
    "rank",
    "reference_records",
    "reindex",
    "related",
    "resolve_filters",
    "search",
]


def search(
    params: Params, user: Viewer = None, log: bool = False, last_page: bool = False
) -> Results:
    """Search everything the user may see. Raises InvalidFilter for a filter naming nothing.

    last_page: a page past the last result is the last page (params.offset says which), as
    the search page shows it; otherwise it is empty. log: write the query log (the search
    page's first page)."""
    check(params)
    first_page = params.offset == 0
    results = Results(params)
    query = text.parse(params.q)
    filters = resolve_filters(params, user)
    if query.error:
        results.error = error_message(query.error)
        return results
    if query.is_empty:
        if params.q.strip():
            results.error = error_message("no_words")
        return results

    documents = table.get_table()
    ranked, matched_words = fusion.ranked(query, filters, params.mode, documents)
    results.total = len(ranked)
    results.related_only = bool(ranked) and not matched_words
    if last_page and results.total and params.offset >= results.total:
        params.offset = (results.total - 1) // params.limit * params.limit
    best_doc = {record: doc_id for record, doc_id, _score in ranked}
    results.facets = facets(list(best_doc.values()), params, documents)
    page = ranked[params.offset : params.offset + params.limit]
    results.results = present(page, query)
    if log and first_page:
        log_query(params.q, results.total)
    return results


def related(kind: str, object_id: str, user: Viewer, limit: int = 5) -> list[Result]:
    """The records nearest in meaning to this one, that the user may see (the "Related" of
    a record's page: its view passes them to the template)."""
    docs = list(SearchDocument.objects.filter(kind=kind, object_id=str(object_id)))
    if not docs:
        return []
    documents = table.get_table()
    index = vectors.get_index()
    source = next((d for d in docs if d.is_original), docs[0])
    vector = index.vector_of(source.pk)
    if vector is None:
        return []
    keep = fusion.vector_mask(index, documents, documents.mask(audience_of(user)))
    for doc in docs:
        i = index.position.get(doc.pk)
        if i is not None:
            keep[i] = False
    hits = index.search(vector, keep, limit * 4, min_z=None)
    records_of = fusion.records_in([hit.doc_id for hit in hits], documents)
    page, seen = [], set()
    for hit in hits:
        record = records_of.get(hit.doc_id)
        if record is None or record in seen or record == (kind, str(object_id)):
            continue
        seen.add(record)
        page.append((record, hit.doc_id, hit.score))
        if len(page) == limit:
            break
    return present(page, None)


# Keeping the index in step, for other apps (they never call search.signals themselves):
# saving and deleting a registered record already reindexes it; these are for the rest.


def reindex(instance: models.Model) -> bool:
    """Bring the index entries of `instance` up to date with what is stored, for a change that
    no save made (a record that becomes public on a day, not on a save). At the end of the
    enclosing `batched()` block, if any. False when its model is not searchable."""
    search_type = registry.for_model(type(instance))
    if search_type is None:
        return False
    signals.reindex_instance(search_type, instance)
    return True


def batched() -> AbstractContextManager[None]:
    """A block inside which each record saved is indexed once, at the block's end (an import
    or the demo saves a record many times)."""
    return signals.batched()


def health() -> dict[str, Any]:
    """The search part of /healthz: how many documents the index holds and how many wait for
    their vectors (a count, never a fault), or the error that kept it from being counted."""
    try:
        found = indexing.progress()
    except DatabaseError as exc:
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "documents": found.total, "waiting_for_vectors": found.waiting}
