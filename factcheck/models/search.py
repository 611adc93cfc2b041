"""The prior-coverage search index: one row per searchable item, whatever its kind.

Imported fact-checks, our own published claims and our own articles all land here so
one full-text index (SQLite FTS5 / PostgreSQL tsvector + GIN, created by raw SQL in the
migration and kept current by database triggers) and one vector store serve them all.
Rows are derived data: ``manage.py rebuild_search_index`` recreates them from the
source tables at any time.
"""

from django.db import models


class SearchKind(models.TextChoices):
    FACTCHECK = "factcheck", "Imported fact-check"
    CLAIM = "claim", "Our published fact-check"
    ARTICLE = "article", "Our article"


class SearchDoc(models.Model):
    kind = models.CharField(max_length=16, choices=SearchKind.choices)
    object_id = models.PositiveBigIntegerField()
    text = models.TextField(help_text="The claim (or headline) matched against.")
    context = models.TextField(blank=True, help_text="Title / subtitle, weighted lower.")
    claimant = models.CharField(
        max_length=300, blank=True, help_text="Who made the claim; matched lexically, not embedded."
    )
    item_date = models.DateField(null=True, blank=True, help_text="Review or publication date.")
    # float16 little-endian vector of the sentence-embedding model, NULL until the
    # embedding task ran (or when the optional extra is not installed).
    embedding = models.BinaryField(null=True, blank=True, editable=False)
    embedding_model = models.CharField(max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchdoc_unique_item"),
        ]
        indexes = [models.Index(fields=["embedding_model"], name="searchdoc_embedding_model")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.text[:60]}"
