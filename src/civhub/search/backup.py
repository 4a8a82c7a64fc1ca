"""The search index's part in `civhub backup` and `civhub restore` (core/backup.py).

The documents and their vectors are rows and travel with the archive; the lexical index is
rebuilt by the database as they are inserted. After a restore, the vectors the archive lacks
(or made with another model than CIVHUB_EMBEDDER) are made before the restore says it is
done; every document is marked changed and the index generation changes, so every process
reads its vectors again at its next search.
"""

from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from civhub.search import indexing, services
from civhub.search.embeddings import get_embedder_name
from civhub.search.models import SearchDocument


def _without_vector(embedder: str):
    return SearchDocument.objects.filter(
        Q(vector__isnull=True) | ~Q(vector_hash=F("text_hash")) | ~Q(vector_model=embedder)
    )


def describe() -> dict:
    embedder = get_embedder_name()
    documents = SearchDocument.objects.count()
    missing = _without_vector(embedder).count()
    return {"documents": documents, "with_vectors": documents - missing, "embedder": embedder}


def after_restore(progress=None) -> dict:
    embedder = get_embedder_name()
    missing = _without_vector(embedder).count()
    bar = progress(missing, "vectors", _("Search vectors")) if progress and missing else None
    last = 0

    def advance(done: int) -> None:
        nonlocal last
        if bar is not None:
            bar.update(done - last)
        last = done

    made = indexing.embed_documents(progress=advance) if missing else 0
    if bar is not None:
        bar.close()
    # Every document counts as changed now: a process that loaded its vectors before the
    # restore patches those changed since it loaded (vectors.VectorIndex._patch), and the
    # restored rows carry the times they had when the backup was made.
    SearchDocument.objects.update(updated_at=timezone.now())
    indexing.bump_generation()  # every process's cached vectors are stale now
    services.forget_reference_records()
    return {"documents": SearchDocument.objects.count(), "vectors_made": made}


def register() -> None:
    from civhub.core import backup

    backup.register("search", describe=describe, after_restore=after_restore)
