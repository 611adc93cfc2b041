"""Prior coverage: fact-checks by others, the search index over them, and the matches the
machine suggests.

The tables are named ``factcheck_*`` (``db_table``) because ``factcheck``'s migrations
create them and the full-text index, its triggers and the PostgreSQL term table are raw SQL
bound to those names (``factcheck`` migrations 0005 and 0008).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class PriorFactCheck(models.Model):
    """A fact-check published by another organisation, imported from ClaimReview."""

    claim_reviewed = models.TextField()
    claimant = models.CharField(max_length=300, blank=True)
    rating_text = models.CharField(max_length=200, blank=True)
    rating_value = models.FloatField(null=True, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=2000, unique=True)
    review_date = models.DateField(null=True, blank=True)
    claim_date = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)
    title = models.TextField(blank=True, help_text="Headline of the review, kept as context.")
    raw = models.JSONField(default=dict, blank=True, help_text="The ClaimReview as imported.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "factcheck_priorfactcheck"
        ordering = ["-review_date", "-id"]
        verbose_name = "prior fact-check"

    def __str__(self) -> str:
        return self.claim_reviewed[:80]


class MatchStatus(models.TextChoices):
    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class CoverageMatch(models.Model):
    """A claim matched to earlier coverage. Exactly one of the three targets is set."""

    claim = models.ForeignKey("factcheck.Claim", on_delete=models.CASCADE, related_name="matches")
    prior_claim = models.ForeignKey(
        "factcheck.Claim",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="matched_by",
        help_text="One of our own earlier claims (with its verdict).",
    )
    prior_article = models.ForeignKey(
        "editorial.Article", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    prior_factcheck = models.ForeignKey(
        PriorFactCheck, on_delete=models.CASCADE, null=True, blank=True, related_name="matches"
    )
    score = models.FloatField()
    method = models.CharField(max_length=32, help_text="lexical, semantic, hybrid, …")
    rank = models.PositiveSmallIntegerField(default=0)
    is_strong = models.BooleanField(default=False)
    status = models.CharField(
        max_length=16, choices=MatchStatus.choices, default=MatchStatus.SUGGESTED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    differences = models.CharField(
        max_length=500, blank=True, help_text="Figures that differ: “40% here, 18% in the fact-check”."
    )
    features = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the re-ranker saw ({names, values, model}); with the decision, training data.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "factcheck_coveragematch"
        ordering = ["claim", "-score"]
        verbose_name_plural = "coverage matches"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(prior_claim__isnull=False, prior_article__isnull=True, prior_factcheck__isnull=True)
                    | Q(prior_claim__isnull=True, prior_article__isnull=False, prior_factcheck__isnull=True)
                    | Q(prior_claim__isnull=True, prior_article__isnull=True, prior_factcheck__isnull=False)
                ),
                name="coverage_match_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="coverage_match_score_0_1"
            ),
            models.UniqueConstraint(
                fields=["claim", "prior_claim"],
                condition=Q(prior_claim__isnull=False),
                name="coverage_match_unique_claim",
            ),
            models.UniqueConstraint(
                fields=["claim", "prior_article"],
                condition=Q(prior_article__isnull=False),
                name="coverage_match_unique_article",
            ),
            models.UniqueConstraint(
                fields=["claim", "prior_factcheck"],
                condition=Q(prior_factcheck__isnull=False),
                name="coverage_match_unique_factcheck",
            ),
        ]

    def __str__(self) -> str:
        return f"Match {self.score:.0%} for claim {self.claim_id} ({self.status})"

    @property
    def target(self):
        return self.prior_factcheck or self.prior_claim or self.prior_article


class SameClaimSuggestion(models.Model):
    """Grouping was not sure: ``claim`` may be an appearance of ``canonical``; an editor decides.

    ``differences`` says what the two texts state differently (a figure, a date, a name),
    the reason it was not grouped automatically; ``short`` that a text was too short.
    """

    claim = models.ForeignKey(
        "factcheck.Claim", on_delete=models.CASCADE, related_name="same_claim_suggestions"
    )
    canonical = models.ForeignKey("factcheck.Claim", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    differences = models.JSONField(default=list, blank=True)
    short = models.BooleanField(default=False)
    status = models.CharField(
        max_length=16, choices=MatchStatus.choices, default=MatchStatus.SUGGESTED, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "canonical"], name="same_claim_suggestion_unique"),
            models.CheckConstraint(
                condition=~Q(claim=models.F("canonical")), name="same_claim_suggestion_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"Claim {self.claim_id} may repeat claim {self.canonical_id} ({self.score:.2f})"


# --- the search index ------------------------------------------------------------------
# The prior-coverage search index: one row per searchable item, whatever its kind.
#
# Imported fact-checks, our own published claims and our own articles all land here so
# one full-text index (SQLite FTS5 / PostgreSQL tsvector + GIN, created by raw SQL in the
# migration and kept current by database triggers) and one vector store serve them all.
# Rows are derived data: ``manage.py rebuild_search_index`` recreates them from the
# source tables at any time.


class SearchKind(models.TextChoices):
    FACTCHECK = "factcheck", "Imported fact-check"
    CLAIM = "claim", "Our published fact-check"
    ARTICLE = "article", "Our article"
    # Every grouped claim that is not dismissed, searched only by grouping (never prior
    # coverage): object_id is the claim, whose canonical is looked up when it is found.
    APPEARANCE = "appearance", "A claim, for grouping repeats"


# What prior-coverage search looks in: everything but the grouping entries.
PRIOR_KINDS = (SearchKind.FACTCHECK, SearchKind.CLAIM, SearchKind.ARTICLE)


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
        db_table = "factcheck_searchdoc"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="searchdoc_unique_item"),
        ]
        indexes = [models.Index(fields=["embedding_model"], name="searchdoc_embedding_model")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.text[:60]}"
