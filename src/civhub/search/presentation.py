"""The present step of a search: the results of a page as the reader sees them, in their
language where the record has it, with a snippet that marks the words found; and the
messages for a query that cannot be searched."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civhub.core.types import StrOrPromise
from civhub.search import registry, text
from civhub.search.facets import FacetValue
from civhub.search.models import SearchDocument
from civhub.search.params import Params
from civhub.search.schemas import SearchOut


def reader_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


@dataclass
class Result:
    kind: str
    kind_label: StrOrPromise
    object_id: str
    title: str
    url: str
    snippet: SafeString
    language: str  # the language the title and snippet are in
    original_language: str
    score: float
    year: int | None = None

    @property
    def in_reader_language(self) -> bool:
        return self.language == reader_language()


@dataclass
class Results:
    params: Params
    total: int = 0
    results: list[Result] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    error: StrOrPromise = ""
    #: no result has every word of the query: they are records related to it in meaning
    related_only: bool = False

    def as_json(self) -> dict:
        """The API's answer (schemas.SearchOut)."""
        return SearchOut.from_orm(self).model_dump()


def error_message(code: str) -> StrOrPromise:
    """What to tell the reader about a query that cannot be searched, in their language."""
    if code == "too_long":
        return _("The query is too long: at most %(max)s characters.") % {
            "max": text.MAX_QUERY_LENGTH
        }
    if code == "too_many_terms":
        return _("The query has too many words: at most %(max)s.") % {"max": text.MAX_QUERY_TERMS}
    return _("Type at least one word to search for.")


def present(page: list[tuple[tuple, int, float]], query: text.Query | None) -> list[Result]:
    """Results in the reader's language where the record has it, else in the version found."""
    if not page:
        return []
    reader = reader_language()
    records = [record for record, _doc, _score in page]
    versions: dict[tuple, dict[str, SearchDocument]] = defaultdict(dict)
    by_id = {}
    shown_fields = ("kind", "object_id", "language", "is_original", "title", "body", "path", "year")
    for doc in (
        SearchDocument.objects.filter(pk__in=[doc_id for _r, doc_id, _s in page])
        | SearchDocument.objects.filter(
            Q(language=reader) | Q(is_original=True),  # to show, and to name the original
            kind__in={kind for kind, _id in records},
            object_id__in={object_id for _kind, object_id in records},
        )
    ).only(*shown_fields):  # not the index's terms and vector, as long as the text again
        versions[doc.record_key][doc.language] = doc
        by_id[doc.pk] = doc
    results = []
    words_seen: dict = {}  # highlight's memory of words, shared by the page's snippets
    for record, doc_id, score in page:
        found = by_id.get(doc_id)
        if found is None:
            continue  # removed since it was ranked
        shown = versions[record].get(reader) or found
        original = next(
            (d.language for d in versions[record].values() if d.is_original), found.language
        )
        search_type = registry.get(record[0])
        snippet = (
            text.highlight(shown.body, shown.language, query, memo=words_seen) if query else ""
        )
        if not snippet.strip():
            snippet = text.highlight(shown.body, shown.language, text.Query(text=""))
        results.append(
            Result(
                kind=record[0],
                kind_label=search_type.label if search_type else record[0],
                object_id=record[1],
                title=shown.title,
                url=f"/{reader}{shown.path}",
                snippet=mark_safe(snippet),  # noqa: S308 - text.highlight escapes the text
                language=shown.language,
                original_language=original,
                score=score,
                year=shown.year,
            )
        )
    return results
