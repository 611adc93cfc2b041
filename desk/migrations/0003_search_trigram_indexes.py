"""Trigram indexes for the desk's admin search, on PostgreSQL (``desk/admin/search.py``).

Django's admin search is a case-insensitive substring match, ``UPPER(col) LIKE
UPPER('%term%')``: no B-tree index serves it, a GIN trigram index on ``UPPER(col)`` does.
The indexes sit on the tables of the lists a desk searches at scale (claims, articles,
prior fact-checks); SQLite has no such index and keeps Django's plain search.
"""

from django.db import migrations

# (index name, table, column expression as Django's icontains writes it)
INDEXES = [
    ("desk_search_claim_text", "factcheck_claim", "UPPER(text)"),
    ("desk_search_claim_claimant", "factcheck_claim", "UPPER(claimant::text)"),
    ("desk_search_article_title", "editorial_article", "UPPER(title::text)"),
    ("desk_search_article_url", "editorial_article", "UPPER(url::text)"),
    ("desk_search_prior_claim", "factcheck_priorfactcheck", "UPPER(claim_reviewed)"),
    ("desk_search_prior_title", "factcheck_priorfactcheck", "UPPER(title)"),
    ("desk_search_prior_claimant", "factcheck_priorfactcheck", "UPPER(claimant::text)"),
    ("desk_search_prior_url", "factcheck_priorfactcheck", "UPPER(url::text)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, expression in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0002_intake_roles"),
        ("factcheck", "0012_claim_fingerprint_one_algorithm"),
        ("editorial", "0002_article_extraction_moved"),
        ("coverage", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
