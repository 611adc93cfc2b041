"""Which text of an article was extracted moves from ``editorial.Article`` to this app.

The rows are copied before ``editorial`` 0002 drops the two columns (``run_before``, so
``editorial`` keeps depending on nothing above it).
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_bookkeeping(apps, schema_editor):
    Article = apps.get_model("editorial", "Article")
    ArticleExtraction = apps.get_model("factcheck", "ArticleExtraction")
    extracted = Article.objects.exclude(extracted_at__isnull=True, extracted_hash="")
    batch = []
    for article_id, digest, at, updated in extracted.values_list(
        "pk", "extracted_hash", "extracted_at", "updated_at"
    ).iterator(chunk_size=2000):
        batch.append(ArticleExtraction(article_id=article_id, extracted_hash=digest, extracted_at=at or updated))
        if len(batch) >= 2000:
            ArticleExtraction.objects.bulk_create(batch)
            batch = []
    ArticleExtraction.objects.bulk_create(batch)


def copy_bookkeeping_back(apps, schema_editor):
    Article = apps.get_model("editorial", "Article")
    for row in apps.get_model("factcheck", "ArticleExtraction").objects.iterator(chunk_size=2000):
        Article.objects.filter(pk=row.article_id).update(
            extracted_hash=row.extracted_hash, extracted_at=row.extracted_at
        )


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
        ("factcheck", "0010_move_out_coverage_and_partners"),
    ]
    run_before = [("editorial", "0002_article_extraction_moved")]

    operations = [
        migrations.CreateModel(
            name="ArticleExtraction",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="extraction",
                        serialize=False,
                        to="editorial.article",
                    ),
                ),
                ("extracted_hash", models.CharField(max_length=64)),
                ("extracted_at", models.DateTimeField(db_index=True)),
            ],
        ),
        migrations.RunPython(copy_bookkeeping, copy_bookkeeping_back),
    ]
