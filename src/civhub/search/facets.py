"""The facet step of a search: how many of the records found have each type, country,
region, topic, SDG target, year and language, counted in the document table and labelled
with the directory's reference records."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.utils.functional import Promise

from civhub.directory.models import Country, Region, SdgTarget, Topic
from civhub.search import registry
from civhub.search.models import SearchDocument
from civhub.search.params import Params
from civhub.search.table import LINKS, DocumentTable

#: how long a process keeps the reference records the facets are labelled with
REFERENCE_TTL = 60.0


@dataclass
class FacetValue:
    value: str
    label: str | Promise
    count: int
    selected: bool = False


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


def facets(doc_ids: list[int], params: Params, table: DocumentTable) -> dict[str, list[FacetValue]]:
    """Counts of the candidate records by type, country, region, topic, SDG target, year and
    language. A record counts once in each value it has."""
    if not doc_ids:
        return {}
    # The table rank() read; documents saved since are read from the database.
    counted, missing = table.facet_counts(doc_ids)
    kinds, years, languages, country_sets, topic_counts, target_counts = counted
    for kind, year, language, countries_of, topics_of, targets_of in (
        rows_from_database(missing) if missing else ()
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
                FacetValue(kind, search_type.label_plural, n)
                for kind, n in kinds.items()
                if (search_type := registry.get(kind))
            ],
            params.kinds,
        ),
        "country": ordered(
            [FacetValue(c.code, c.name, country_counts[c.pk]) for c in countries],
            params.countries,
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
                FacetValue(target.code, target.code, target_counts[target.pk])
                for pk in target_counts
                if (target := reference.sdg_targets.get(pk))
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


def rows_from_database(doc_ids: list[int]) -> list[tuple]:
    """(kind, year, language, country ids, topic ids, SDG target ids) of documents the table
    does not hold (saved since it was read), read with plain SQL: the ORM spends longer
    building a query with a thousand ids than the database spends answering it."""
    marks = ", ".join(["%s"] * len(doc_ids))
    docs = SearchDocument._meta.db_table
    links = {}
    with connection.cursor() as cursor:
        for name, column in LINKS.items():
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
            (kind, year, language, *(tuple(sorted(links[name][doc_id])) for name in LINKS))
            for doc_id, kind, year, language in cursor.fetchall()
        ]
