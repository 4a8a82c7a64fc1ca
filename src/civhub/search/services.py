"""One search over every registered record: lexical and semantic results fused, with facets.

Pages, the API and the command line all call `search()` and `related()`; they differ only in
how they read parameters and show results.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from civhub.directory.models import Country, Region, SdgTarget, Topic
from civhub.search import lexical, registry, text, vectors
from civhub.search.lexical import Filters
from civhub.search.models import Audience, LoggedQuery, SearchDocument

MODES = ("hybrid", "lexical", "semantic")
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
MAX_LIMIT = 100
#: the years a filter may name: what the documents' year column holds (and the page's form)
YEARS = (1, 9999)
#: searches of one process whose semantic halves may run at once (see rank())
SEMANTIC_THREADS = 8


def error_message(code: str) -> str:
    """What to tell the reader about a query that cannot be searched, in their language."""
    if code == "too_long":
        return _("The query is too long: at most %(max)s characters.") % {
            "max": text.MAX_QUERY_LENGTH
        }
    if code == "too_many_terms":
        return _("The query has too many words: at most %(max)s.") % {"max": text.MAX_QUERY_TERMS}
    return _("Type at least one word to search for.")


def audience_of(user) -> int:
    if user is None or not user.is_authenticated:
        return Audience.PUBLIC
    return Audience.EDITORS if user.is_editor else Audience.MEMBERS


@dataclass
class Params:
    q: str = ""
    kinds: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)  # ISO codes
    regions: list[str] = field(default_factory=list)  # slugs
    topics: list[str] = field(default_factory=list)  # slugs
    sdg_targets: list[str] = field(default_factory=list)  # codes, e.g. "16.6"
    languages: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None
    mode: str = "hybrid"
    limit: int = 20
    offset: int = 0


@dataclass
class Result:
    kind: str
    kind_label: str
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
        return self.language == (get_language() or settings.LANGUAGE_CODE)[:2]


@dataclass
class FacetValue:
    value: str
    label: str | Promise
    count: int
    selected: bool = False


@dataclass
class Results:
    params: Params
    total: int = 0
    results: list[Result] = field(default_factory=list)
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    error: str = ""
    #: no result has every word of the query: they are records related to it in meaning
    related_only: bool = False

    def as_json(self) -> dict:
        return {
            "query": self.params.q,
            "total": self.total,
            "limit": self.params.limit,
            "offset": self.params.offset,
            "error": str(self.error) if self.error else None,
            "related_only": self.related_only,
            "results": [
                {
                    "type": r.kind,
                    "id": r.object_id,
                    "title": r.title,
                    "url": r.url,
                    "snippet": str(r.snippet),
                    "language": r.language,
                    "original_language": r.original_language,
                    "score": round(r.score, 6),
                    "year": r.year,
                }
                for r in self.results
            ],
            "facets": {
                name: [{"value": v.value, "label": str(v.label), "count": v.count} for v in values]
                for name, values in self.facets.items()
            },
        }


class InvalidFilter(ValueError):
    """A filter names something that does not exist (the message says which)."""


def resolve_filters(params: Params, user) -> Filters:
    def ids(model, field_name: str, values: list[str], what: str, transform=str) -> list[int]:
        values = [transform(v) for v in values if v]
        if not values:
            return []
        found = dict(
            model.objects.filter(**{f"{field_name}__in": values}).values_list(field_name, "pk")
        )
        unknown = [v for v in values if v not in found]
        if unknown:
            raise InvalidFilter(
                _("Unknown %(what)s: %(values)s.") % {"what": what, "values": ", ".join(unknown)}
            )
        return list(found.values())

    unknown_kinds = [k for k in params.kinds if registry.get(k) is None]
    if unknown_kinds:
        raise InvalidFilter(_("Unknown type: %(values)s.") % {"values": ", ".join(unknown_kinds)})
    languages = [code for code, _name in settings.LANGUAGES]
    unknown_languages = [code for code in params.languages if code not in languages]
    if unknown_languages:
        raise InvalidFilter(
            _("Unknown language: %(values)s.") % {"values": ", ".join(unknown_languages)}
        )
    return Filters(
        audience=audience_of(user),
        kinds=list(params.kinds),
        languages=list(params.languages),
        country_ids=ids(Country, "code", params.countries, _("country"), str.upper),
        region_ids=ids(Region, "slug", params.regions, _("region")),
        topic_ids=ids(Topic, "slug", params.topics, _("topic")),
        sdg_target_ids=ids(SdgTarget, "code", params.sdg_targets, _("SDG target")),
        year_from=params.year_from,
        year_to=params.year_to,
    )


def search(params: Params, user=None, log: bool = False) -> Results:
    """Search everything the user may see. Raises InvalidFilter for a filter naming nothing."""
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

    ranked, matched_words = _rank(query, filters, params.mode)
    results.total = len(ranked)
    results.related_only = bool(ranked) and not matched_words
    best_doc = {record: doc_id for record, doc_id, _score in ranked}
    results.facets = facets(list(best_doc.values()), params)
    page = ranked[params.offset : params.offset + params.limit]
    results.results = present(page, query)
    if log and params.offset == 0:
        LoggedQuery.objects.create(
            text=params.q[:500],
            normalized=" ".join(text.words(params.q))[:500],
            interface_language=(get_language() or settings.LANGUAGE_CODE)[:8],
            results=results.total,
        )
    return results


def rank(query: text.Query, filters: Filters, mode: str) -> list[tuple[tuple, int, float]]:
    """(record, best document id, fused score) for every record that answers, best first.

    What answers (docs/architecture.md, "When nothing is found"): the records with every word
    of the query; and the semantic half's candidates that come close enough to the query
    (vectors.MIN_SCORE, or MIN_SCORE_SHARED for one that shares a word with it). The records
    with only some of the words count only beside such candidates: alone they are what a
    nonsense query finds too ("<script>alert(1)</script>" has "1")."""
    return _rank(query, filters, mode)[0]


def _rank(
    query: text.Query, filters: Filters, mode: str
) -> tuple[list[tuple[tuple, int, float]], bool]:
    """rank(), and whether some of its records have every word of the query."""
    lists = []  # (document ids best first, weight)
    index = vectors.get_index()  # up to date once for the whole search
    semantic_half = semantic_search(query.text, filters, index) if mode != "lexical" else None
    # In hybrid mode the semantic half runs beside the lexical query: the model and numpy let
    # go of the GIL, as the database drivers do, so the two overlap on two cores. It touches
    # no database: that stays in the request's own thread (its connection, its transaction).
    pending = _semantic_pool().submit(semantic_half) if mode == "hybrid" else None
    any_term = False
    lexical_ids: list[int] = []
    if mode in ("hybrid", "lexical"):
        hits, any_term = lexical.match(query, filters)
        lexical_ids = [doc_id for doc_id, _score in hits]
        weight = ANY_TERM_WEIGHT if any_term and mode == "hybrid" else 1.0
        lists.append((lexical_ids, weight))
    # The lexical candidates' records are looked up while the semantic half may still run.
    records_of = _records_of(set(lexical_ids), index)
    if semantic_half is not None:
        found, population = pending.result() if pending is not None else semantic_half()
        records_of |= _records_of({hit.doc_id for hit in found} - records_of.keys(), index)
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
    scores: dict[tuple, float] = defaultdict(float)
    best: dict[tuple, int] = {}
    for ranked, weight in lists:
        seen = set()
        for doc_id in ranked:
            record = records_of[doc_id]
            if record in seen:
                continue  # one place per record in each list: its best version's
            seen.add(record)
            scores[record] += weight / (RRF_K + len(seen))
            best.setdefault(record, doc_id)
    order = sorted(scores, key=lambda record: (-scores[record], best[record]))
    matched_words = bool(lexical_ids) and not any_term
    return [(record, best[record], scores[record]) for record in order], matched_words


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


def semantic_search(q: str, filters: Filters, index: vectors.VectorIndex):
    """The semantic half as a function of no arguments that touches no database: what it
    needs from the database (the documents the filters allow) is read now, by the caller's
    thread, which has brought `index` up to date."""
    allowed = filters.matching_ids() if filters.needs_relations else None
    keep = index.mask(filters.audience, filters.kinds, filters.languages, allowed)
    # With the hits, how many documents they were chosen among (see rank's floor).
    return lambda: (index.search(index.centred_query(q), keep, SEMANTIC_LIMIT), int(keep.sum()))


def _records_of(doc_ids, index: vectors.VectorIndex) -> dict[int, tuple[str, str]]:
    out, missing = index.records_of(doc_ids)
    if missing:
        for doc_id, kind, object_id in SearchDocument.objects.filter(pk__in=missing).values_list(
            "id", "kind", "object_id"
        ):
            out[doc_id] = (kind, object_id)
    return out


# -- facets -----------------------------------------------------------------------------

#: how long a process keeps the reference records the facets are labelled with
REFERENCE_TTL = 60.0


@dataclass
class ReferenceRecords:
    countries: dict[int, Country]
    regions: dict[int, Region]
    topics: dict[int, Topic]
    sdg_targets: dict[int, SdgTarget]
    read_at: float


_reference: ReferenceRecords | None = None


def reference_records() -> ReferenceRecords:
    """Countries, regions, topics and SDG targets by id, read at most once a minute: the
    facets name a few dozen of them on every search, and they change only with reference
    data (a renamed topic shows in the facets within REFERENCE_TTL). Names are translated
    when read, so one copy serves every language."""
    global _reference
    now = time.monotonic()
    if _reference is None or now - _reference.read_at > REFERENCE_TTL:
        _reference = ReferenceRecords(
            countries={c.pk: c for c in Country.objects.select_related("region")},
            regions={r.pk: r for r in Region.objects.all()},
            topics={t.pk: t for t in Topic.objects.all()},
            sdg_targets={t.pk: t for t in SdgTarget.objects.all()},
            read_at=now,
        )
    return _reference


def forget_reference_records(**kwargs) -> None:
    """Read them again at the next search (connected to their saves and deletes in
    signals.py, for this process; other processes within REFERENCE_TTL)."""
    global _reference
    _reference = None


def facets(doc_ids: list[int], params: Params) -> dict[str, list[FacetValue]]:
    """Counts of the candidate records by type, country, region, topic, SDG target, year and
    language. A record counts once in each value it has."""
    if not doc_ids:
        return {}
    # Refreshed by rank() moments ago; documents it does not hold are read from the database.
    counted, missing = vectors.get_index(refresh=False).facet_counts(doc_ids)
    kinds, years, languages, country_sets, topic_counts, target_counts = counted
    for kind, year, language, countries_of, topics_of, targets_of in (
        _facet_rows_from_database(missing) if missing else ()
    ):
        kinds[kind] += 1
        years.update([year] if year else [])
        languages[language] += 1
        country_sets[countries_of] += 1
        topic_counts.update(topics_of)
        target_counts.update(targets_of)
    reference = reference_records()
    country_counts: Counter = Counter()
    region_counts: Counter = Counter()
    for members, n in country_sets.items():
        for country in members:
            country_counts[country] += n
        regions = {reference.countries[c].region_id for c in members if c in reference.countries}
        for region in regions - {None}:  # a document counts once in each of its regions
            region_counts[region] += n
    countries = [reference.countries[pk] for pk in country_counts if pk in reference.countries]
    language_names = dict(settings.LANGUAGES)

    def ordered(values: list[FacetValue], selected: list[str]) -> list[FacetValue]:
        for value in values:
            value.selected = value.value in selected
        return sorted(values, key=lambda v: (-v.count, str(v.label)))

    result = {
        "type": ordered(
            [
                FacetValue(kind, registry.get(kind).label_plural, n)
                for kind, n in kinds.items()
                if registry.get(kind)
            ],
            params.kinds,
        ),
        "country": ordered(
            [FacetValue(c.code, c.name, country_counts[c.pk]) for c in countries],
            [c.upper() for c in params.countries],
        ),
        "region": ordered(
            [
                FacetValue(r.slug, r.name, region_counts[r.pk])
                for pk in region_counts
                if (r := reference.regions.get(pk))
            ],
            params.regions,
        ),
        "topic": ordered(
            [
                FacetValue(t.slug, t.name, topic_counts[t.pk])
                for pk in topic_counts
                if (t := reference.topics.get(pk))
            ],
            params.topics,
        ),
        "sdg_target": ordered(
            [
                FacetValue(t.code, t.code, target_counts[t.pk])
                for pk in target_counts
                if (t := reference.sdg_targets.get(pk))
            ],
            params.sdg_targets,
        ),
        "year": sorted(
            (
                FacetValue(str(year), str(year), n, params.year_from == params.year_to == year)
                for year, n in years.items()
            ),
            key=lambda v: v.value,
            reverse=True,
        ),
        "language": ordered(
            [FacetValue(code, language_names.get(code, code), n) for code, n in languages.items()],
            params.languages,
        ),
    }
    return {name: values for name, values in result.items() if values}


def _facet_rows_from_database(doc_ids: list[int]) -> list[tuple]:
    """(kind, year, language, country ids, topic ids, SDG target ids) of documents the vector
    index does not hold (saved, not embedded yet), read with plain SQL: the ORM spends longer
    building a query with a thousand ids than the database spends answering it."""
    marks = ", ".join(["%s"] * len(doc_ids))
    docs = SearchDocument._meta.db_table
    links = {}
    with connection.cursor() as cursor:
        for name, column in vectors.LINKS.items():
            through = getattr(SearchDocument, name).through._meta.db_table
            cursor.execute(
                f"SELECT DISTINCT searchdocument_id, {column} FROM {through} "
                f"WHERE searchdocument_id IN ({marks})",
                doc_ids,
            )
            linked = defaultdict(list)
            for doc_id, other in cursor.fetchall():
                linked[doc_id].append(other)
            links[name] = linked
        cursor.execute(
            f"SELECT id, kind, year, language FROM {docs} WHERE id IN ({marks})", doc_ids
        )
        return [
            (kind, year, language, *(tuple(sorted(links[name][doc_id])) for name in vectors.LINKS))
            for doc_id, kind, year, language in cursor.fetchall()
        ]


# -- showing results --------------------------------------------------------------------


def present(page: list[tuple[tuple, int, float]], query: text.Query | None) -> list[Result]:
    """Results in the reader's language where the record has it, else in the version found."""
    if not page:
        return []
    reader = (get_language() or settings.LANGUAGE_CODE)[:2]
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


def related(kind: str, object_id: str, user, limit: int = 5) -> list[Result]:
    """The records nearest in meaning to this one, that the user may see."""
    docs = list(SearchDocument.objects.filter(kind=kind, object_id=str(object_id)))
    if not docs:
        return []
    index = vectors.get_index()
    source = next((d for d in docs if d.is_original), docs[0])
    vector = index.vector_of(source.pk)
    if vector is None:
        return []
    keep = index.mask(audience_of(user))
    for doc in docs:
        i = index.position.get(doc.pk)
        if i is not None:
            keep[i] = False
    hits = index.search(vector, keep, limit * 4, min_z=None)
    page, seen = [], set()
    for hit in hits:
        record = index.records[index.position[hit.doc_id]]
        if record in seen or record == (kind, str(object_id)):
            continue
        seen.add(record)
        page.append((record, hit.doc_id, hit.score))
        if len(page) == limit:
            break
    return present(page, None)
