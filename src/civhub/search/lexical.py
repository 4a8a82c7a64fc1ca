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
    return match(query, filters, limit)[0]


def match(
    query: Query, filters: Filters, limit: int = LIMIT
) -> tuple[list[tuple[int, float]], bool]:
    """search()'s hits, and whether they match any word only (no document had them all)."""
    if query.is_empty:
        return [], False
    hits = _run(query, filters, limit, any_term=False)
    if not hits and len(query.terms) + len(query.phrases) > 1:
        return _run(query, filters, limit, any_term=True), True
    return hits, False


def _run(query: Query, filters: Filters, limit: int, any_term: bool):
    if connection.vendor == "sqlite" and filters == Filters(audience=filters.audience):
        return _run_fts_first(query, filters.audience, limit, any_term)
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


def _run_fts_first(query: Query, audience: int, limit: int, any_term: bool):
    """_run() without other filters than the audience, on SQLite: the best `limit` matches
    from the FTS5 index alone, then their audience checked, instead of reading every match's
    row in the documents table (a common word matches a good part of them). Should the check
    take some away when there are more matches, the query is run again with it in SQL."""
    sql = (
        f"SELECT rowid, -bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) AS score FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s ORDER BY score DESC, rowid LIMIT %s"
    )
    table = SearchDocument._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(sql, [query.fts5(any_term), limit])
        hits = [(row[0], float(row[1])) for row in cursor.fetchall()]
        if not hits:
            return hits
        marks = ", ".join(["%s"] * len(hits))
        cursor.execute(
            f"SELECT id FROM {table} WHERE id IN ({marks}) AND audience <= %s",
            [doc_id for doc_id, _score in hits] + [audience],
        )
        visible = {row[0] for row in cursor.fetchall()}
    if len(visible) < len(hits) == limit:
        where, params = Filters(audience=audience).sql()
        sql = (
            f"SELECT d.id, -bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) AS score "
            f"FROM {FTS_TABLE} JOIN {table} d ON d.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND {where} ORDER BY score DESC, d.id LIMIT %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [query.fts5(any_term), *params, limit])
            return [(row[0], float(row[1])) for row in cursor.fetchall()]
    return [hit for hit in hits if hit[0] in visible]


def raw_search(query: Query, limit: int = 20, any_term: bool = False) -> list[int]:
    """The index query alone, without filters or anything around it: the benchmarks' floor
    (any_term: its form when no document has every word)."""
    table = SearchDocument._meta.db_table
    if connection.vendor == "postgresql":
        sql = (
            f"SELECT d.id FROM {table} d, to_tsquery('simple', %s) q "
            f"WHERE d.search_vector @@ q ORDER BY ts_rank({PG_WEIGHTS}, d.search_vector, q) DESC LIMIT %s"
        )
        args = [query.tsquery(any_term), limit]
    else:
        sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"ORDER BY bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) LIMIT %s"
        )
        args = [query.fts5(any_term), limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [row[0] for row in cursor.fetchall()]
