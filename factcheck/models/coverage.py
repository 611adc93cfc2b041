"""Prior coverage: fact-checks by others, and the matches the machine suggests."""

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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
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
        return f"Match {self.score:.2f} for claim {self.claim_id} ({self.status})"

    @property
    def target(self):
        return self.prior_factcheck or self.prior_claim or self.prior_article
