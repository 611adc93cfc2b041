"""Full-text index over SearchDoc.claimant too (who said it matters when matching claims).

SQLite: the FTS5 table and its triggers are recreated with a third column.
PostgreSQL: the generated tsvector is recreated with the claimant at weight B, and the
BM25 term statistics recomputed (a table rewrite does not fire the triggers).
"""

from django.db import migrations

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS factcheck_searchdoc_fts_au",
    "DROP TRIGGER IF EXISTS factcheck_searchdoc_fts_ad",
    "DROP TRIGGER IF EXISTS factcheck_searchdoc_fts_ai",
    "DROP TABLE IF EXISTS factcheck_searchdoc_fts",
    """CREATE VIRTUAL TABLE factcheck_searchdoc_fts USING fts5(
        text, context, claimant, content='factcheck_searchdoc', content_rowid='id',
        tokenize='porter unicode61')""",
    """CREATE TRIGGER factcheck_searchdoc_fts_ai AFTER INSERT ON factcheck_searchdoc BEGIN
        INSERT INTO factcheck_searchdoc_fts(rowid, text, context, claimant)
        VALUES (new.id, new.text, new.context, new.claimant);
    END""",
    """CREATE TRIGGER factcheck_searchdoc_fts_ad AFTER DELETE ON factcheck_searchdoc BEGIN
        INSERT INTO factcheck_searchdoc_fts(factcheck_searchdoc_fts, rowid, text, context, claimant)
        VALUES ('delete', old.id, old.text, old.context, old.claimant);
    END""",
    """CREATE TRIGGER factcheck_searchdoc_fts_au AFTER UPDATE OF text, context, claimant ON factcheck_searchdoc
    BEGIN
        INSERT INTO factcheck_searchdoc_fts(factcheck_searchdoc_fts, rowid, text, context, claimant)
        VALUES ('delete', old.id, old.text, old.context, old.claimant);
        INSERT INTO factcheck_searchdoc_fts(rowid, text, context, claimant)
        VALUES (new.id, new.text, new.context, new.claimant);
    END""",
    "INSERT INTO factcheck_searchdoc_fts(factcheck_searchdoc_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS factcheck_searchdoc_fts_au",
    "DROP TRIGGER IF EXISTS factcheck_searchdoc_fts_ad",
    "DROP TRIGGER IF EXISTS factcheck_searchdoc_fts_ai",
    "DROP TABLE IF EXISTS factcheck_searchdoc_fts",
    """CREATE VIRTUAL TABLE factcheck_searchdoc_fts USING fts5(
        text, context, content='factcheck_searchdoc', content_rowid='id', tokenize='porter unicode61')""",
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

_PG_STATS = [
    "DELETE FROM factcheck_searchterm",
    """INSERT INTO factcheck_searchterm (term, df)
    SELECT term, count(*) FROM factcheck_searchdoc, unnest(tsvector_to_array(tsv)) AS term GROUP BY term
    UNION ALL SELECT '', count(*) FROM factcheck_searchdoc
    UNION ALL SELECT ' len', coalesce(sum(length(tsv)), 0) FROM factcheck_searchdoc""",
]
PG_FORWARD = [
    "ALTER TABLE factcheck_searchdoc DROP COLUMN tsv",
    """ALTER TABLE factcheck_searchdoc ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(text, '')), 'A')
        || setweight(to_tsvector('english', coalesce(context, '')), 'B')
        || setweight(to_tsvector('english', coalesce(claimant, '')), 'B')) STORED""",
    "CREATE INDEX factcheck_searchdoc_tsv_gin ON factcheck_searchdoc USING gin (tsv)",
    *_PG_STATS,
]
PG_BACKWARD = [
    "ALTER TABLE factcheck_searchdoc DROP COLUMN tsv",
    """ALTER TABLE factcheck_searchdoc ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', coalesce(text, '')), 'A')
        || setweight(to_tsvector('english', coalesce(context, '')), 'B')) STORED""",
    "CREATE INDEX factcheck_searchdoc_tsv_gin ON factcheck_searchdoc USING gin (tsv)",
    *_PG_STATS,
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
    dependencies = [("factcheck", "0007_searchdoc_claimant")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        ),
    ]
