"""The lexical half of search: the database's own full-text index, queried with the same
pre-stemmed terms on both databases (FTS5 on SQLite, tsvector + GIN on PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection

from civhub.directory.models import Country
from civhub.search.models import SearchDocument
from civhub.search.text import Query

#: lexical matches taken into ranking and facets, best first
LIMIT = 1000
FTS_TABLE = "search_fts"
#: how much more a word in the title counts than one in the text
TITLE_WEIGHT = 4.0
# ts_rank weights for D, C, B (text), A (title): the same 4 to 1 as FTS5.
PG_WEIGHTS = "'{0.1, 0.2, 0.25, 1.0}'"


@dataclass
class Filters:
    """Restrictions every result meets. Lists are alternatives (any of them)."""

    audience: int = 0
    kinds: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    country_ids: list[int] = field(default_factory=list)
    region_ids: list[int] = field(default_factory=list)
    topic_ids: list[int] = field(default_factory=list)
    sdg_target_ids: list[int] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None

    @property
    def needs_relations(self) -> bool:
        """Whether the filters reach beyond the columns the vector index holds."""
        return bool(
            self.country_ids
            or self.region_ids
            or self.topic_ids
            or self.sdg_target_ids
            or self.year_from
            or self.year_to
        )

    def sql(self, alias: str = "d") -> tuple[str, list]:
        """A WHERE fragment over the documents table aliased `alias`."""
        clauses, params = [f"{alias}.audience <= %s"], [self.audience]

        def any_of(column: str, values: list) -> None:
            clauses.append(f"{alias}.{column} IN ({', '.join(['%s'] * len(values))})")
            params.extend(values)

        def related(name: str, column: str, values: list) -> None:
            through = SearchDocument._meta.get_field(name).remote_field.through._meta.db_table
            marks = ", ".join(["%s"] * len(values))
            clauses.append(
                f"{alias}.id IN (SELECT searchdocument_id FROM {through} WHERE {column} IN ({marks}))"
            )
            params.extend(values)

        if self.kinds:
            any_of("kind", self.kinds)
        if self.languages:
            any_of("language", self.languages)
        if self.year_from:
            clauses.append(f"{alias}.year >= %s")
            params.append(self.year_from)
        if self.year_to:
            clauses.append(f"{alias}.year <= %s")
            params.append(self.year_to)
        if self.country_ids:
            related("countries", "country_id", self.country_ids)
        if self.topic_ids:
            related("topics", "topic_id", self.topic_ids)
        if self.sdg_target_ids:
            related("sdg_targets", "sdgtarget_id", self.sdg_target_ids)
        if self.region_ids:
            through = SearchDocument.countries.through._meta.db_table
            countries = Country._meta.db_table
            marks = ", ".join(["%s"] * len(self.region_ids))
            clauses.append(
                f"{alias}.id IN (SELECT t.searchdocument_id FROM {through} t "
                f"JOIN {countries} c ON c.id = t.country_id WHERE c.region_id IN ({marks}))"
            )
            params.extend(self.region_ids)
        return " AND ".join(clauses), params

    def matching_ids(self) -> list[int]:
        where, params = self.sql()
        table = SearchDocument._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT d.id FROM {table} d WHERE {where}", params)
            return [row[0] for row in cursor.fetchall()]


def search(query: Query, filters: Filters, limit: int = LIMIT) -> list[tuple[int, float]]:
    """Document ids with their score, best first: every word must match; when nothing does
    and the query has several words, any word may."""
    if query.is_empty:
        return []
    hits = _run(query, filters, limit, any_term=False)
    if not hits and len(query.terms) + len(query.phrases) > 1:
        hits = _run(query, filters, limit, any_term=True)
    return hits


def _run(query: Query, filters: Filters, limit: int, any_term: bool):
    where, params = filters.sql()
    table = SearchDocument._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT d.id, ts_rank({PG_WEIGHTS}, d.search_vector, q) AS score "
            f"FROM {table} d, to_tsquery('simple', %s) q "
            f"WHERE d.search_vector @@ q AND {where} ORDER BY score DESC, d.id LIMIT %s"
        )
        args = [query.tsquery(any_term), *params, limit]
    else:
        # bm25() is lower for better matches; its negation reads like PostgreSQL's score.
        sql = (
            f"SELECT d.id, -bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) AS score "
            f"FROM {FTS_TABLE} JOIN {table} d ON d.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND {where} ORDER BY score DESC, d.id LIMIT %s"
        )
        args = [query.fts5(any_term), *params, limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def raw_search(query: Query, limit: int = 20) -> list[int]:
    """The index query alone, without filters or anything around it: the benchmarks' floor."""
    table = SearchDocument._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT d.id FROM {table} d, to_tsquery('simple', %s) q "
            f"WHERE d.search_vector @@ q ORDER BY ts_rank({PG_WEIGHTS}, d.search_vector, q) DESC LIMIT %s"
        )
        args = [query.tsquery(), limit]
    else:
        sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"ORDER BY bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) LIMIT %s"
        )
        args = [query.fts5(), limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [row[0] for row in cursor.fetchall()]
