"""Keeping the index in step with the records: on save and delete (signals), and in bulk.

The lexical part is written in the saving transaction (cheap, and rolled back with it); the
vectors are made after the commit by background work, so saving never waits for the model.
The generation that tells server processes to reload their vectors changes after the commit
(`index_changed`), so no transaction holds the one row that every change touches.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from civhub.search import registry, text
from civhub.search.embeddings import get_embedder, get_embedder_name, passage_text, text_hash
from civhub.search.models import IndexState, SearchDocument
from civhub.search.registry import SearchType

EMBED_BATCH = 32


#: Off only in test cases, whose wrapping transaction never commits (civhub/testing.py).
AFTER_COMMIT = True


def bump_generation() -> None:
    """Mark the index as changed, now, in one statement. The new generation is random, not a
    count: a count would repeat after a restored backup, and a process would keep stale
    vectors. Changes made in a transaction call `index_changed` instead."""
    value = secrets.randbits(62)
    if not IndexState.objects.filter(pk=1).update(generation=value):
        IndexState.objects.update_or_create(pk=1, defaults={"generation": value})


def index_changed() -> None:
    """Say that the index changed: at once outside a transaction; inside one, once, after it
    commits, as a statement of its own. So the one row every change touches is never held
    while a page's or an import's transaction runs (every other writer would wait for it, on
    SQLite and PostgreSQL alike), and a transaction that rolls back changed nothing, so it
    bumps nothing. Between the commit and the bump a process may serve the previous vectors
    for a moment; it reloads at its next search after the bump."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block or not AFTER_COMMIT:
        bump_generation()
        return
    # Once per transaction: a callback already waiting for this commit (and not in a
    # savepoint rolled back since, which Django drops) will do.
    if any(callback is bump_generation for _ids, callback, _robust in connection.run_on_commit):
        return
    transaction.on_commit(bump_generation, robust=True)


def generation() -> int:
    return IndexState.objects.filter(pk=1).values_list("generation", flat=True).first() or 0


@dataclass(frozen=True)
class Progress:
    """How far the vectors are: documents in the index, and those still waiting for theirs
    (made after each save by background work; `civhub reindex` makes them all)."""

    total: int
    waiting: int

    @property
    def indexed(self) -> int:
        return self.total - self.waiting


def progress() -> Progress:
    """One count over the index: a document waits while its vector is missing, or was made
    from another text or by another model than the one in use."""
    current = Q(vector_hash=F("text_hash"), vector_model=get_embedder_name())
    counts = SearchDocument.objects.aggregate(
        total=Count("pk"), waiting=Count("pk", filter=~current)
    )
    return Progress(total=counts["total"], waiting=counts["waiting"])


def index_instance(search_type: SearchType, instance) -> list[int]:
    """Write the record's documents (or remove them when it has no entry). Returns the ids
    of documents whose vector must be made anew."""
    object_id = search_type.object_id(instance)
    entry = search_type.entry(instance)
    existing = {
        doc.language: doc
        for doc in SearchDocument.objects.filter(kind=search_type.kind, object_id=object_id)
    }
    if entry is None or not entry.versions:
        if existing:
            SearchDocument.objects.filter(pk__in=[d.pk for d in existing.values()]).delete()
            index_changed()
        return []

    stale = []
    kept = set()
    for version in entry.versions:
        doc = existing.get(version.language) or SearchDocument(
            kind=search_type.kind, object_id=object_id, language=version.language
        )
        doc.is_original = version.is_original
        doc.audience = entry.audience
        doc.title = version.title[:1000]
        doc.body = version.body
        doc.title_terms = text.index_terms(version.title, version.language)
        doc.body_terms = text.index_terms(version.body, version.language)
        doc.path = entry.path
        doc.year = entry.year
        doc.text_hash = text_hash(doc.title, doc.body)
        doc.save()
        doc.countries.set(entry.country_ids)
        doc.topics.set(entry.topic_ids)
        doc.sdg_targets.set(entry.sdg_target_ids)
        kept.add(version.language)
        if doc.vector_hash != doc.text_hash or doc.vector_model != get_embedder_name():
            stale.append(doc.pk)
    gone = [doc.pk for language, doc in existing.items() if language not in kept]
    if gone:
        SearchDocument.objects.filter(pk__in=gone).delete()
    index_changed()
    return stale


def remove(kind: str, object_id: str) -> int:
    deleted, _ = SearchDocument.objects.filter(kind=kind, object_id=object_id).delete()
    if deleted:
        index_changed()
    return deleted


def schedule_vectors(doc_ids: list[int]) -> None:
    """Make the vectors after the commit, in background work."""
    if not doc_ids:
        return
    from civhub.search.tasks import embed_documents

    transaction.on_commit(lambda: embed_documents(doc_ids))


def embed_documents(doc_ids: Iterable[int] | None = None, progress: Callable | None = None) -> int:
    """Make the vectors that are missing or stale; all of them when `doc_ids` is None."""
    embedder = get_embedder()
    docs = SearchDocument.objects.exclude(
        vector_hash=F("text_hash"), vector_model=embedder.name
    ).only("id", "title", "body", "text_hash")
    if doc_ids is not None:
        docs = docs.filter(pk__in=list(doc_ids))
    done = 0
    batch: list[SearchDocument] = []
    for doc in docs.order_by("pk").iterator(chunk_size=500):
        batch.append(doc)
        if len(batch) == EMBED_BATCH:
            done += _embed_batch(embedder, batch)
            batch = []
            if progress:
                progress(done)
    if batch:
        done += _embed_batch(embedder, batch)
        if progress:
            progress(done)
    if done:
        index_changed()
    return done


def _embed_batch(embedder, docs: list[SearchDocument]) -> int:
    vectors = embedder.passages([passage_text(d.title, d.body) for d in docs])
    for doc, vector in zip(docs, vectors, strict=True):
        # Only if the text is still the one embedded: a save in between wins.
        SearchDocument.objects.filter(pk=doc.pk, text_hash=doc.text_hash).update(
            vector=np.asarray(vector, dtype=np.float32).tobytes(),
            vector_hash=doc.text_hash,
            vector_model=embedder.name,
            updated_at=timezone.now(),  # update() skips auto_now; the vector index reads it
        )
    return len(docs)


# -- whole types ------------------------------------------------------------------------


@dataclass
class IndexReport:
    kind: str
    indexed: int = 0
    removed: int = 0


def reindex(kinds: Iterable[str] | None = None, progress: Callable | None = None):
    """Rebuild the lexical index of the given types (all by default), one record at a time
    in its own transaction; documents of records that no longer exist are removed."""
    reports = []
    for search_type in _selected(kinds):
        report = IndexReport(search_type.kind)
        seen = set()
        for instance in search_type.queryset().iterator(chunk_size=200):
            with transaction.atomic():
                index_instance(search_type, instance)
            seen.add(search_type.object_id(instance))
            report.indexed += 1
            if progress:
                progress(search_type, report.indexed)
        # Compared in Python and deleted in slices: `NOT IN (100,000 ids)` would pass SQLite's
        # limit on query parameters.
        indexed = SearchDocument.objects.filter(kind=search_type.kind)
        orphans = sorted(set(indexed.values_list("object_id", flat=True)) - seen)
        for start in range(0, len(orphans), 500):
            # delete() counts the documents' links too: count the documents.
            _total, deleted = indexed.filter(object_id__in=orphans[start : start + 500]).delete()
            report.removed += deleted.get(SearchDocument._meta.label, 0)
        reports.append(report)
    index_changed()
    return reports


@dataclass
class Discrepancy:
    kind: str
    object_id: str
    problem: str  # "missing", "stale", "orphan", "no vector"


def check(kinds: Iterable[str] | None = None) -> list[Discrepancy]:
    """What the index gets wrong: records that should be found and are not, documents whose
    text differs from the record's, documents of records gone, documents without a vector."""
    problems = []
    embedder_name = get_embedder_name()
    for search_type in _selected(kinds):
        docs = {
            (d.object_id, d.language): d
            for d in SearchDocument.objects.filter(kind=search_type.kind).only(
                "object_id",
                "language",
                "title",
                "body",
                "text_hash",
                "vector_hash",
                "vector_model",
                "audience",
            )
        }
        expected = set()
        for instance in search_type.queryset().iterator(chunk_size=200):
            entry = search_type.entry(instance)
            if entry is None:
                continue
            object_id = search_type.object_id(instance)
            for version in entry.versions:
                key = (object_id, version.language)
                expected.add(key)
                doc = docs.get(key)
                if doc is None:
                    problems.append(Discrepancy(search_type.kind, object_id, "missing"))
                elif (
                    text_hash(doc.title, doc.body) != text_hash(version.title[:1000], version.body)
                    or doc.audience != entry.audience
                ):
                    problems.append(Discrepancy(search_type.kind, object_id, "stale"))
                elif doc.vector_hash != doc.text_hash or doc.vector_model != embedder_name:
                    problems.append(Discrepancy(search_type.kind, object_id, "no vector"))
        for object_id, _language in sorted(set(docs) - expected):
            problems.append(Discrepancy(search_type.kind, object_id, "orphan"))
    return problems


def _selected(kinds: Iterable[str] | None) -> list[SearchType]:
    if not kinds:
        return registry.types()
    selected = []
    for kind in kinds:
        search_type = registry.get(kind)
        if search_type is None:
            known = ", ".join(t.kind for t in registry.types())
            raise ValueError(f"Unknown type {kind!r}; known types: {known}.")
        selected.append(search_type)
    return selected
