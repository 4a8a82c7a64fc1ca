"""The database's full-text index over the documents table, made by migration 0002
(on PostgreSQL, its tsvector is kept in the row since migration 0003, and the titles have
a tsvector of their own, in a table of their own, since 0004 and 0005; the tsvector is
compressed with lz4 since 0006).

SQLite: an FTS5 table with the documents table as its external content, kept in step by
triggers. PostgreSQL: a stored generated tsvector column with a GIN index. On SQLite, a later
migration that alters the documents table rebuilds it (Django copies the table) and loses the
triggers: such a migration must call `create(schema_editor)` again after its change.
"""

TABLE = "search_searchdocument"
FTS = "search_fts"

SQLITE = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS} USING fts5(title_terms, body_terms, "
    f"content='{TABLE}', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_ai AFTER INSERT ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}(rowid, title_terms, body_terms) "
    f"VALUES (new.id, new.title_terms, new.body_terms); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_ad AFTER DELETE ON {TABLE} BEGIN "
    f"INSERT INTO {FTS}({FTS}, rowid, title_terms, body_terms) "
    f"VALUES ('delete', old.id, old.title_terms, old.body_terms); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS}_au AFTER UPDATE OF title_terms, body_terms ON {TABLE} "
    f"BEGIN INSERT INTO {FTS}({FTS}, rowid, title_terms, body_terms) "
    f"VALUES ('delete', old.id, old.title_terms, old.body_terms); "
    f"INSERT INTO {FTS}(rowid, title_terms, body_terms) "
    f"VALUES (new.id, new.title_terms, new.body_terms); END",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]

POSTGRESQL = [
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS search_vector tsvector GENERATED ALWAYS AS "
    "(setweight(to_tsvector('simple', title_terms), 'A') || "
    "setweight(to_tsvector('simple', body_terms), 'B')) STORED",
    f"CREATE INDEX IF NOT EXISTS search_document_vector_gin ON {TABLE} USING gin (search_vector)",
]

# Ranking reads every match's tsvector (ts_rank). Stored out of line (TOAST, PostgreSQL's
# default for values this size), each read is a second lookup: kept in the row, ranking a
# common word's 40,000 matches took half the time (docs/benchmarks.md). Rows written before
# this setting keep their storage until rewritten (VACUUM FULL, or `civhub reindex`).
POSTGRESQL_INLINE = [f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE MAIN"]
POSTGRESQL_TOAST = [f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET STORAGE EXTENDED"]

# The titles' words on their own, for the title tier of a query with very many matches
# (lexical._ranked): the GIN index of search_vector cannot tell a title's word by its weight.
# SQLite needs nothing: FTS5 restricts a query to a column by itself.
# Migration 0004 added them as a column of the documents table; 0005 moved them to a narrow
# table of their own, kept in step by a trigger: ranking the title tier reads each match's
# row, a few dozen bytes there against kilobytes in the documents table (a title tier of
# 12,000 documents: 150 ms in the documents table, 22 ms in its own).
TITLES = "search_title"
POSTGRESQL_TITLES = [
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS title_vector tsvector GENERATED ALWAYS AS "
    "(to_tsvector('simple', title_terms)) STORED",
    f"CREATE INDEX IF NOT EXISTS search_document_title_gin ON {TABLE} USING gin (title_vector)",
]
POSTGRESQL_NO_TITLES = [
    "DROP INDEX IF EXISTS search_document_title_gin",
    f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS title_vector",
]
POSTGRESQL_TITLE_TABLE = [
    # No foreign key: Django empties the documents table with TRUNCATE in some tests, which a
    # reference would forbid; the triggers below follow inserts, updates, deletes and that.
    f"CREATE TABLE IF NOT EXISTS {TITLES} (id bigint PRIMARY KEY, audience smallint NOT NULL, "
    "title_vector tsvector NOT NULL)",
    f"CREATE OR REPLACE FUNCTION {TITLES}_sync() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
    f"IF TG_OP = 'TRUNCATE' THEN TRUNCATE {TITLES}; "
    f"ELSIF TG_OP = 'DELETE' THEN DELETE FROM {TITLES} WHERE id = OLD.id; "
    f"ELSE INSERT INTO {TITLES} (id, audience, title_vector) "
    "VALUES (NEW.id, NEW.audience, to_tsvector('simple', NEW.title_terms)) "
    "ON CONFLICT (id) DO UPDATE SET audience = EXCLUDED.audience, "
    "title_vector = EXCLUDED.title_vector; END IF; RETURN NULL; END $$",
    f"CREATE OR REPLACE TRIGGER {TITLES}_sync AFTER INSERT OR DELETE OR UPDATE OF title_terms, "
    f"audience ON {TABLE} FOR EACH ROW EXECUTE FUNCTION {TITLES}_sync()",
    f"CREATE OR REPLACE TRIGGER {TITLES}_truncate AFTER TRUNCATE ON {TABLE} "
    f"FOR EACH STATEMENT EXECUTE FUNCTION {TITLES}_sync()",
    f"INSERT INTO {TITLES} (id, audience, title_vector) "
    f"SELECT id, audience, to_tsvector('simple', title_terms) FROM {TABLE} "
    "ON CONFLICT (id) DO NOTHING",
    f"CREATE INDEX IF NOT EXISTS search_title_gin ON {TITLES} USING gin (title_vector)",
]
POSTGRESQL_NO_TITLE_TABLE = [
    f"DROP TRIGGER IF EXISTS {TITLES}_sync ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TITLES}_truncate ON {TABLE}",
    f"DROP FUNCTION IF EXISTS {TITLES}_sync()",
    f"DROP TABLE IF EXISTS {TITLES}",
]

DROP = {
    "sqlite": [
        f"DROP TRIGGER IF EXISTS {FTS}_ai",
        f"DROP TRIGGER IF EXISTS {FTS}_ad",
        f"DROP TRIGGER IF EXISTS {FTS}_au",
        f"DROP TABLE IF EXISTS {FTS}",
    ],
    "postgresql": [
        "DROP INDEX IF EXISTS search_document_vector_gin",
        f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_vector",
    ],
}


# Ranking decompresses every match's tsvector (ts_rank): with PostgreSQL's default method,
# pglz, a prefix query's 6,000 matches took 30 ms of decompressing alone; lz4 decompresses
# several times faster (docs/benchmarks.md). Values keep the method they were written with:
# the migration rewrites the rows (a stored generated column is computed again on update;
# body_terms, not title_terms, so that search_title's trigger does not fire). Servers built
# without lz4 keep pglz (docs/operations.md).
POSTGRESQL_LZ4 = [
    f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET COMPRESSION lz4",
    f"UPDATE {TABLE} SET body_terms = body_terms",
]
POSTGRESQL_PGLZ = [f"ALTER TABLE {TABLE} ALTER COLUMN search_vector SET COMPRESSION pglz"]


def statements(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return SQLITE
    if vendor == "postgresql":
        return POSTGRESQL
    raise NotImplementedError(f"civhub's search supports SQLite and PostgreSQL, not {vendor}.")


def create(schema_editor) -> None:
    for sql in statements(schema_editor.connection.vendor):
        schema_editor.execute(sql)


def on_postgresql(schema_editor, statements: list[str]) -> None:
    """Run these statements on PostgreSQL; SQLite's FTS5 table needs none of them."""
    if schema_editor.connection.vendor == "postgresql":
        for sql in statements:
            schema_editor.execute(sql)


def keep_in_row(schema_editor) -> None:
    """Migration 0003 (PostgreSQL): the tsvector kept in the row (POSTGRESQL_INLINE)."""
    on_postgresql(schema_editor, POSTGRESQL_INLINE)


def allow_toast(schema_editor) -> None:
    on_postgresql(schema_editor, POSTGRESQL_TOAST)


def add_titles(schema_editor) -> None:
    """Migration 0004 (PostgreSQL): the titles' tsvector and its index (POSTGRESQL_TITLES)."""
    on_postgresql(schema_editor, POSTGRESQL_TITLES)


def drop_titles(schema_editor) -> None:
    on_postgresql(schema_editor, POSTGRESQL_NO_TITLES)


def titles_to_their_table(schema_editor) -> None:
    """Migration 0005 (PostgreSQL): the titles' tsvector in a table of its own."""
    on_postgresql(schema_editor, POSTGRESQL_TITLE_TABLE + POSTGRESQL_NO_TITLES)


def titles_to_the_documents(schema_editor) -> None:
    on_postgresql(schema_editor, POSTGRESQL_TITLES + POSTGRESQL_NO_TITLE_TABLE)


def drop(schema_editor) -> None:
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def lz4_available(connection) -> bool:
    """Whether this PostgreSQL server was built with lz4 (Debian's and the official images'
    are; a source build needs --with-lz4)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def compress_with_lz4(schema_editor) -> None:
    """Migration 0006 (PostgreSQL): the tsvector compressed with lz4 (POSTGRESQL_LZ4)."""
    if schema_editor.connection.vendor == "postgresql" and lz4_available(schema_editor.connection):
        on_postgresql(schema_editor, POSTGRESQL_LZ4)


def compress_with_pglz(schema_editor) -> None:
    on_postgresql(schema_editor, POSTGRESQL_PGLZ)
