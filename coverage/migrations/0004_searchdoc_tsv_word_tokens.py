"""PostgreSQL's full-text index splits text into words the way the query does.

PostgreSQL's parser keeps "79.9", "4.5m" or "3-4" as single tokens ("79.9", "-4"), while
the query's words (``text.query_terms``) and SQLite's FTS5 (unicode61) split on every
character that is not a letter or digit ("79", "9"). A claim's decimal figures then never
matched a stored fact-check's, so "cut to 79.9 billion" tied lexically with "cut to 43.2
billion". The generated tsvector now reads the text with every run of such characters
replaced by a space, the same words on both backends; the BM25 term statistics are
recomputed (a table rewrite does not fire their triggers). SQLite is unchanged.
"""

from django.db import migrations

_PG_STATS = [
    "DELETE FROM factcheck_searchterm",
    """INSERT INTO factcheck_searchterm (term, df)
    SELECT term, count(*) FROM factcheck_searchdoc, unnest(tsvector_to_array(tsv)) AS term GROUP BY term
    UNION ALL SELECT '', count(*) FROM factcheck_searchdoc
    UNION ALL SELECT ' len', coalesce(sum(length(tsv)), 0) FROM factcheck_searchdoc""",
]


def _column(words) -> list[str]:
    parts = " || ".join(
        f"setweight(to_tsvector('english', {words(col)}), '{weight}')"
        for col, weight in (("text", "A"), ("context", "B"), ("claimant", "B"))
    )
    return [
        "ALTER TABLE factcheck_searchdoc DROP COLUMN tsv",
        f"ALTER TABLE factcheck_searchdoc ADD COLUMN tsv tsvector GENERATED ALWAYS AS ({parts}) STORED",
        "CREATE INDEX factcheck_searchdoc_tsv_gin ON factcheck_searchdoc USING gin (tsv)",
        *_PG_STATS,
    ]


PG_FORWARD = _column(lambda col: f"regexp_replace(coalesce({col}, ''), '[^[:alnum:]]+', ' ', 'g')")
PG_BACKWARD = _column(lambda col: f"coalesce({col}, '')")


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            return
        if vendor != "postgresql":
            raise RuntimeError(f"prior-coverage search supports SQLite and PostgreSQL, not {vendor}")
        for sql in statements:
            schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):
    dependencies = [("coverage", "0003_match_features")]

    operations = [migrations.RunPython(_run(PG_FORWARD), _run(PG_BACKWARD))]
