"""The lexical half of search: the database's own full-text index, queried with the same
pre-stemmed terms on both databases (FTS5 on SQLite, tsvector + GIN on PostgreSQL)."""

from __future__ import annotations

import json
import time
from contextlib import contextmanager, suppress

from django.db import DatabaseError, connection

from civhub.search import fulltext
from civhub.search.filters import Filters  # noqa: F401 - its old home, still imported from here
from civhub.search.models import SearchDocument
from civhub.search.text import Query

#: lexical matches taken into ranking and facets, best first
LIMIT = 1000
FTS_TABLE = "search_fts"
#: how much more a word in the title counts than one in the text
TITLE_WEIGHT = 4.0
# ts_rank weights for D, C, B (text), A (title): the same 4 to 1 as FTS5.
PG_WEIGHTS = "'{0.1, 0.2, 0.25, 1.0}'"
#: ranking costs about a microsecond a match on SQLite and several on PostgreSQL, counting
#: them much less (docs/benchmarks.md). A word found in more documents than this is a common
#: word, left out of a question's any-word form when it has rarer ones (without_common_words)
RANK_ALL = 5000
#: documents with the words in their title from which, in a query matching more than
#: RANK_ALL, only they are ranked (see _ranked)
TITLE_TIER = 200
#: a query of this many words or more is counted word by word first (see match)
QUESTION_WORDS = 3
#: PostgreSQL: documents past which matches are estimated, not counted (see count); below,
#: no word can be common and counting reads few rows
ESTIMATE_PAST = RANK_ALL
#: the ranking tier of documents with the words in their title
TITLE = "title"
TITLE_COLUMN = "title_terms"


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
    parts = _parts(query)
    counts = None
    if len(parts) >= QUESTION_WORDS:
        # A question, most likely: its words' counts are needed for its any-word form, and
        # one that no document has spares the query for all of them.
        counts = [count(part) for part in parts]
    if counts is None or all(counts):
        at_most = min(counts) if counts and min(counts) <= RANK_ALL else None
        hits = _ranked(query, filters, limit, any_term=False, at_most=at_most)
        if hits or len(parts) == 1:
            return hits, False
    rarer, at_most = without_common_words(query, counts)
    return _ranked(rarer, filters, limit, any_term=True, at_most=at_most), True


def _parts(query: Query) -> list[Query]:
    """Each word and phrase of the query as a query of its own."""
    return [Query(query.text, terms=[term]) for term in query.terms] + [
        Query(query.text, phrases=[phrase]) for phrase in query.phrases
    ]


def _ranked(query: Query, filters: Filters, limit: int, any_term: bool, at_most: int | None = None):
    """Matches ranked best first. Both databases score every match to find the best (bm25,
    ts_rank), and a common word matches a good part of a large corpus. So a query matching
    more than RANK_ALL documents, at least TITLE_TIER of them with the words in their title,
    has only those ranked, by their titles (a tiered index, Manning et al., Introduction to
    Information Retrieval, 7.2.1); the other matches follow, up to `limit`, in the index's
    order, unranked. Otherwise every match is ranked. at_most: a bound on the matches known
    beforehand."""
    if at_most == 0:
        return []
    if at_most is not None and at_most < limit:  # few enough to rank them all
        return _run(query, filters, limit, any_term)
    titles = count(query, any_term, limit, tier=TITLE)
    if titles < TITLE_TIER:
        return _run(query, filters, limit, any_term)
    if titles < limit:  # the rest comes unranked: worth it only when ranking would cost
        matches = at_most if at_most is not None else count(query, any_term)
        if matches <= RANK_ALL:
            return _run(query, filters, limit, any_term)
    hits = _run(query, filters, limit, any_term, tier=TITLE)
    if len(hits) < limit:
        found = {doc_id for doc_id, _score in hits}
        hits += _unranked(query, filters, limit - len(hits), any_term, found)
    return hits


def _unranked(query: Query, filters: Filters, limit: int, any_term: bool, without: set[int]):
    """Up to `limit` matches not in `without`, in the index's order, unscored (0.0): the
    first the database finds, none of them read beyond its row, or on SQLite beyond its id."""
    want = limit + len(without)
    where, params = filters.sql()
    table = SearchDocument._meta.db_table
    if connection.vendor == "sqlite":
        sql = (
            f"SELECT d.id FROM {FTS_TABLE} JOIN {table} d ON d.id = {FTS_TABLE}.rowid "
            f"WHERE {FTS_TABLE} MATCH %s AND {where} LIMIT %s"
        )
        args = [query.fts5(any_term), *params, want]
    else:
        sql = (
            f"SELECT d.id FROM {table} d WHERE d.search_vector @@ to_tsquery('simple', %s) "
            f"AND {where} LIMIT %s"
        )
        args = [query.tsquery(any_term), *params, want]
    with connection.cursor() as cursor, _through_the_index(cursor, connection.vendor != "sqlite"):
        cursor.execute(sql, args)
        rest = [row[0] for row in cursor.fetchall() if row[0] not in without]
    return [(doc_id, 0.0) for doc_id in rest[:limit]]


def count(query: Query, any_term: bool = False, at_most: int = RANK_ALL + 1, tier: str = "") -> int:
    """How many documents the index matches (in their title with `tier` TITLE), counted up
    to `at_most`, whoever may see them: this is what ranking them would cost. On SQLite,
    counting reads the index's lists of documents without scoring any, a small part of what
    ranking costs. PostgreSQL must read each match's row to count it (the GIN index does not
    spare it): past ESTIMATE_PAST documents, its planner's estimate is taken instead, made
    from the statistics ANALYZE keeps of the most common words; titles are counted."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Titles are always counted, in their narrow table: a few dozen bytes a match.
            if tier != TITLE and _pg_documents(cursor) > ESTIMATE_PAST:
                return min(at_most, _pg_estimate(cursor, query, any_term))
            table, column = (
                (fulltext.TITLES, "title_vector")
                if tier == TITLE
                else (SearchDocument._meta.db_table, "search_vector")
            )
            sql = (
                f"SELECT count(*) FROM (SELECT 1 FROM {table} "
                f"WHERE {column} @@ to_tsquery('simple', %s) LIMIT %s) m"
            )
            with _through_the_index(cursor, tier == TITLE):
                cursor.execute(sql, [query.tsquery(any_term), at_most])
                return cursor.fetchone()[0]
    sql = f"SELECT count(*) FROM (SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s)"
    with connection.cursor() as cursor:
        cursor.execute(sql, [_fts5(query, any_term, tier), at_most])
        return cursor.fetchone()[0]


def _pg_estimate(cursor, query: Query, any_term: bool) -> int:
    """PostgreSQL's planner's estimate of the documents matching the query. When every word
    must match, the rarest word's own estimate: the planner multiplies the words' shares as
    if they were independent, but a query's words go together, and the product came out
    three times too small ("электрондық үкімет" at 100,000 documents: 1,969 against 5,927)."""
    estimates = []
    for part in [query] if any_term else _parts(query):
        cursor.execute(
            f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {SearchDocument._meta.db_table} "
            "WHERE search_vector @@ to_tsquery('simple', %s)",
            [part.tsquery(any_term)],
        )
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        estimates.append(int(plan[0]["Plan"]["Plan Rows"]))
    return min(estimates)


@contextmanager
def _through_the_index(cursor, when: bool = True):
    """PostgreSQL: the statements run meanwhile find their matches through the index. With a
    LIMIT, the planner may choose to read the whole table instead, hoping to meet enough
    matches early: counting 1,000 of a question's 1,453 titles took 20 ms so, where the
    index takes 2 (docs/benchmarks.md). The setting is put back after."""
    if not when:
        yield
        return
    cursor.execute("SET enable_seqscan = off")
    try:
        yield
    except BaseException:
        # In a failed transaction nothing more runs, and its rollback puts the setting back.
        with suppress(DatabaseError):
            cursor.execute("RESET enable_seqscan")
        raise
    cursor.execute("RESET enable_seqscan")


_pg_table_rows: tuple[float, float] | None = None  # (rows, when read)


def _pg_documents(cursor) -> float:
    """The documents table's size as PostgreSQL's statistics have it, read once a minute."""
    global _pg_table_rows
    now = time.monotonic()
    if _pg_table_rows is None or now - _pg_table_rows[1] > 60:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass",
            [SearchDocument._meta.db_table],
        )
        _pg_table_rows = (float(cursor.fetchone()[0]), now)
    return _pg_table_rows[0]


def without_common_words(query: Query, counts: list[int] | None = None) -> tuple[Query, int]:
    """The query for its any-word form, and a bound on that form's matches: without the
    words found in more than RANK_ALL documents when it has rarer ones (Lucene's common terms
    query). In that form every document with a common word matches, most of a large corpus,
    and ranks low anyway: a word in every other document says little about any of them.
    Phrases count as words; `counts` are the parts' counts when known."""
    parts = _parts(query)
    if counts is None:
        counts = [count(part) for part in parts]
    rare = [part for part, n in zip(parts, counts, strict=True) if n <= RANK_ALL]
    if not rare or len(rare) == len(parts):
        return query, sum(counts)
    rarer = Query(
        query.text,
        terms=[term for part in rare for term in part.terms],
        phrases=[phrase for part in rare for phrase in part.phrases],
    )
    return rarer, sum(n for n in counts if n <= RANK_ALL)


def _run(query: Query, filters: Filters, limit: int, any_term: bool, tier: str = ""):
    """The ranked query; `tier` TITLE keeps the documents with the words in their title
    (every word, or any word in the any-word form) and ranks them by their title alone (on
    SQLite, FTS5 restricts the query and its bm25 to the column; PostgreSQL does the same
    with the titles' own tsvector)."""
    plain = filters == Filters(audience=filters.audience)
    if connection.vendor == "sqlite":
        if plain:
            return _run_fts_first(query, filters.audience, limit, any_term, tier)
        return _run_fts_joined(_fts5(query, any_term, tier), filters, limit)
    where, params = filters.sql()
    table = SearchDocument._meta.db_table
    if tier == TITLE:
        # The titles' own narrow table; the documents' only for filters beyond the audience.
        if plain:
            sources, where, params = fulltext.TITLES + " t", "t.audience <= %s", [filters.audience]
        else:
            sources = f"{fulltext.TITLES} t JOIN {table} d ON d.id = t.id"
        sql = (
            f"SELECT t.id, ts_rank({PG_WEIGHTS}, t.title_vector, q) AS score "
            f"FROM {sources}, to_tsquery('simple', %s) q "
            f"WHERE t.title_vector @@ q AND {where} ORDER BY score DESC, t.id LIMIT %s"
        )
    else:
        sql = (
            f"SELECT d.id, ts_rank({PG_WEIGHTS}, d.search_vector, q) AS score "
            f"FROM {table} d, to_tsquery('simple', %s) q "
            f"WHERE d.search_vector @@ q AND {where} ORDER BY score DESC, d.id LIMIT %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [query.tsquery(any_term), *params, limit])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def _run_fts_joined(expression: str, filters: Filters, limit: int):
    """The FTS5 query joined with the documents table, which the filters read."""
    where, params = filters.sql()
    # bm25() is lower for better matches; its negation reads like PostgreSQL's score.
    sql = (
        f"SELECT d.id, -bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) AS score "
        f"FROM {FTS_TABLE} JOIN {SearchDocument._meta.db_table} d ON d.id = {FTS_TABLE}.rowid "
        f"WHERE {FTS_TABLE} MATCH %s AND {where} ORDER BY score DESC, d.id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression, *params, limit])
        return [(row[0], float(row[1])) for row in cursor.fetchall()]


def _fts5(query: Query, any_term: bool, tier: str = "") -> str:
    expression = query.fts5(any_term)
    return f"{{{TITLE_COLUMN}}}: ({expression})" if tier == TITLE else expression


def _run_fts_first(query: Query, audience: int, limit: int, any_term: bool, tier: str = ""):
    """_run() without other filters than the audience, on SQLite: the best `limit` matches
    from the FTS5 index alone, then their audience checked, instead of reading every match's
    row in the documents table (a common word matches a good part of them). Should the check
    take some away when there are more matches, the query is run again with it in SQL."""
    # bm25() is lower for better matches; its negation reads like PostgreSQL's score.
    sql = (
        f"SELECT rowid, -bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) AS score FROM {FTS_TABLE} "
        f"WHERE {FTS_TABLE} MATCH %s ORDER BY score DESC, rowid LIMIT %s"
    )
    table = SearchDocument._meta.db_table
    expression = _fts5(query, any_term, tier)
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression, limit])
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
        return _run_fts_joined(expression, Filters(audience=audience), limit)
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
        args: list[str | int] = [query.tsquery(any_term), limit]
    else:
        sql = (
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s "
            f"ORDER BY bm25({FTS_TABLE}, {TITLE_WEIGHT}, 1.0) LIMIT %s"
        )
        args = [query.fts5(any_term), limit]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [row[0] for row in cursor.fetchall()]
