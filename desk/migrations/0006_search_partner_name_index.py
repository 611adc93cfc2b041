"""A trigram index on partners' names, which the claim list searches for tips (``tip__partner__name``).

Same shape as ``0003_search_trigram_indexes``: PostgreSQL only, on ``UPPER(name)`` as
Django's ``icontains`` writes it.
"""

from django.db import migrations

INDEXES = [("desk_search_partner_name", "factcheck_partner", "UPPER(name::text)")]


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
        ("desk", "0005_everyone_adds_articles"),
        ("partners", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
