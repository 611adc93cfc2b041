"""Full-text index of SearchDoc, per database vendor (raw SQL: Django has no FTS5 model).

SQLite: an external-content FTS5 table (porter stemming) kept current by triggers.
PostgreSQL: a stored generated tsvector (claim weight A, context B) with a GIN index,
pg_trgm for similarity on short texts, and a document-frequency table maintained by
statement-level triggers so BM25 (which needs IDF, unlike ts_rank) runs in SQL.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE factcheck_searchdoc_fts USING fts5(
        text, context, content='factcheck_searchdoc', content_rowid='id',
        tokenize='porter unicode61')""",
    """CREATE TRIGGER factcheck_searchdoc_fts_ai AFTER INSERT ON factcheck_searchdoc BEGIN
        INSERT INTO factcheck_searchdoc_fts(rowid, text, context) VALUES (new.id, new.text, new.context);
    END""",
    """CREATE TRIGGER factcheck_searchdoc_fts_ad AFTER DELETE ON factcheck_searchdoc BEGIN
        INSERT INTO factcheck_searchdoc_fts(factcheck_searchdoc_fts, rowid, text, context)
        VALUES ('delete', old.id, old.text, old.context);
    END""",
    """CREATE TRIGGER factcheck_searchdoc_fts_au AFTER UPDATE OF text, context ON factcheck_searchdoc BEGIN
        INSERT INTO factcheck_searchdoc_fts(factcheck_searchdoc_fts, rowid, text, context)
        VALUES ('delete', old.id, old.text, old.context);
        INSERT INTO factcheck_searchdoc_fts(rowid, text, context) VALUES (new.id, new.text, new.context);
    END""",
    "INSERT INTO factcheck_searchdoc_fts(factcheck_searchdoc_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS factcheck_searchdoc_fts_au",
    "DROP TRIGGER IF EXISTS factcheck_searchdoc_fts_ad",
    "DROP TRIGGER IF EXISTS factcheck_searchdoc_fts_ai",
    "DROP TABLE IF EXISTS factcheck_searchdoc_fts",
]

# Term statistics: row '' holds the document count, row ' len' the summed lengths
# (neither can be a lexeme). Statement-level triggers with transition tables keep
# bulk imports fast (one aggregate per statement instead of one upsert per row).
PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE factcheck_searchdoc ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(text, '')), 'A')
        || setweight(to_tsvector('english', coalesce(context, '')), 'B')) STORED""",
    "CREATE INDEX factcheck_searchdoc_tsv_gin ON factcheck_searchdoc USING gin (tsv)",
    "CREATE INDEX factcheck_searchdoc_text_trgm ON factcheck_searchdoc USING gin (text gin_trgm_ops)",
    "CREATE TABLE factcheck_searchterm (term text PRIMARY KEY, df bigint NOT NULL)",
    """CREATE FUNCTION factcheck_searchterm_ins() RETURNS trigger AS $$
    BEGIN
        INSERT INTO factcheck_searchterm (term, df)
        SELECT term, sum(n) FROM (
            SELECT unnest(tsvector_to_array(tsv)) AS term, 1 AS n FROM new_rows
            UNION ALL SELECT '', count(*) FROM new_rows
            UNION ALL SELECT ' len', coalesce(sum(length(tsv)), 0) FROM new_rows
        ) t GROUP BY term ORDER BY term
        ON CONFLICT (term) DO UPDATE SET df = factcheck_searchterm.df + EXCLUDED.df;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION factcheck_searchterm_del() RETURNS trigger AS $$
    BEGIN
        UPDATE factcheck_searchterm s SET df = s.df - d.n FROM (
            SELECT term, sum(n) AS n FROM (
                SELECT unnest(tsvector_to_array(tsv)) AS term, 1 AS n FROM old_rows
                UNION ALL SELECT '', count(*) FROM old_rows
                UNION ALL SELECT ' len', coalesce(sum(length(tsv)), 0) FROM old_rows
            ) t GROUP BY term ORDER BY term
        ) d WHERE s.term = d.term;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION factcheck_searchterm_upd() RETURNS trigger AS $$
    BEGIN
        WITH changed AS (
            SELECT o.tsv AS old_tsv, n.tsv AS new_tsv FROM old_rows o JOIN new_rows n ON n.id = o.id
            WHERE o.tsv IS DISTINCT FROM n.tsv
        ), delta AS (
            SELECT term, sum(n) AS n FROM (
                SELECT unnest(tsvector_to_array(new_tsv)) AS term, 1 AS n FROM changed
                UNION ALL SELECT unnest(tsvector_to_array(old_tsv)), -1 FROM changed
                UNION ALL SELECT ' len', coalesce(sum(length(new_tsv) - length(old_tsv)), 0) FROM changed
            ) t GROUP BY term HAVING sum(n) <> 0 ORDER BY term
        )
        INSERT INTO factcheck_searchterm (term, df) SELECT term, n FROM delta
        ON CONFLICT (term) DO UPDATE SET df = factcheck_searchterm.df + EXCLUDED.df;
        RETURN NULL;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER factcheck_searchterm_ai AFTER INSERT ON factcheck_searchdoc
        REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION factcheck_searchterm_ins()""",
    """CREATE TRIGGER factcheck_searchterm_ad AFTER DELETE ON factcheck_searchdoc
        REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION factcheck_searchterm_del()""",
    """CREATE TRIGGER factcheck_searchterm_au AFTER UPDATE ON factcheck_searchdoc
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION factcheck_searchterm_upd()""",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS factcheck_searchterm_au ON factcheck_searchdoc",
    "DROP TRIGGER IF EXISTS factcheck_searchterm_ad ON factcheck_searchdoc",
    "DROP TRIGGER IF EXISTS factcheck_searchterm_ai ON factcheck_searchdoc",
    "DROP FUNCTION IF EXISTS factcheck_searchterm_upd()",
    "DROP FUNCTION IF EXISTS factcheck_searchterm_del()",
    "DROP FUNCTION IF EXISTS factcheck_searchterm_ins()",
    "DROP TABLE IF EXISTS factcheck_searchterm",
    "DROP INDEX IF EXISTS factcheck_searchdoc_text_trgm",
    "DROP INDEX IF EXISTS factcheck_searchdoc_tsv_gin",
    "ALTER TABLE factcheck_searchdoc DROP COLUMN IF EXISTS tsv",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"prior-coverage search supports SQLite and PostgreSQL, not {schema_editor.connection.vendor}"
            )
        for sql in statements:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("factcheck", "0004_searchdoc")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        ),
    ]
