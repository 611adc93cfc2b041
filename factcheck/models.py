"""Claims, their verdicts (every version kept), sources, the audit trail, and which text of
each article was extracted."""

from enum import nonmember

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from factcheck import ratings


class ClaimState(models.TextChoices):
    """The workflow states; ``factcheck.workflow`` is the only code that changes them."""

    CANDIDATE = "candidate", "Candidate"
    DISMISSED = "dismissed", "Dismissed"
    SELECTED = "selected", "Selected"
    RESEARCHING = "researching", "Researching"
    IN_REVIEW = "in_review", "In review"
    APPROVED = "approved", "Approved"
    PUBLISHED = "published", "Published"

    # Groups of states, one definition each. Open: the desk has not finished with it
    # (neither published nor dismissed); what tips, due dates and re-matching follow.
    OPEN = nonmember(frozenset({"candidate", "selected", "researching", "in_review", "approved"}))
    # Someone should be working on it: selected for checking, not yet submitted.
    IN_WORK = nonmember(frozenset({"selected", "researching"}))


class ClaimOrigin(models.TextChoices):
    EXTRACTED = "extracted", "Extracted from an article"
    MANUAL = "manual", "Added by hand"
    PARTNER = "partner", "Partner tip"


class ClaimType(models.TextChoices):
    """Full Fact's claim typology, as the extractor assigns it heuristically."""

    QUANTITY = "quantity", "Quantity / statistic"
    CAUSAL = "causal", "Cause and effect / correlation"
    PREDICTION = "prediction", "Prediction"
    RULES = "rules", "Rules / laws"
    PERSONAL = "personal", "Personal experience"
    QUOTE = "quote", "Quote of fact"
    OTHER = "other", "Other"


class ClaimPriority(models.IntegerChoices):
    URGENT = 1, "Urgent"
    HIGH = 2, "High"
    NORMAL = 3, "Normal"
    LOW = 4, "Low"


class Claim(models.Model):
    article = models.ForeignKey(
        "editorial.Article",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        help_text="Empty for claims that arrived from partners or were added by hand.",
    )
    text = models.TextField()
    checked_wording = models.TextField(
        blank=True,
        help_text="The wording the desk checked; empty means the sentence as it appeared (``text``).",
    )
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    claimant = models.CharField(max_length=300, blank=True, help_text="Who made the claim.")
    checkworthiness = models.FloatField(default=0.0)
    claim_type = models.CharField(max_length=16, choices=ClaimType.choices, blank=True)
    quote = models.TextField(blank=True, help_text="The quoted words, if the claim is a quotation.")
    features = models.JSONField(default=dict, blank=True, help_text="Why the extractor scored it.")
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    # Set by ``claim_match``; the sweep re-queues claims whose matching task was lost.
    matched_at = models.DateTimeField(null=True, blank=True, db_index=True)
    text_changed = models.BooleanField(
        default=False, help_text="The article was edited and this sentence is no longer in it."
    )
    state = models.CharField(
        max_length=16, choices=ClaimState.choices, default=ClaimState.CANDIDATE, db_index=True
    )
    state_changed_at = models.DateTimeField(default=timezone.now)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_claims",
    )
    origin = models.CharField(max_length=16, choices=ClaimOrigin.choices, default=ClaimOrigin.MANUAL)
    priority = models.PositiveSmallIntegerField(choices=ClaimPriority.choices, default=ClaimPriority.NORMAL)
    due_date = models.DateField(null=True, blank=True)
    appearance_url = models.URLField(
        max_length=2000, blank=True, help_text="Where the claim appeared, when it came without an article."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="created_claims",
    )
    # The canonical claim this one is an appearance of; null for a canonical claim. Always
    # one step (a canonical claim has no ``same_as``): merges repoint every member.
    same_as = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appearances",
        help_text="The canonical claim this one repeats; empty when it is canonical itself.",
    )
    # Set by grouping (``coverage.grouping``); the sweep re-queues claims whose task was lost.
    grouped_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Optimistic-lock counter: bumped on every write, a stale form or transition is refused.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # What the partner feed sorts and filters on, stored so that a page is one index range
    # scan (``factcheck.services.feed.claim_feed_refresh`` keeps them current; every write
    # that can change a public fact-check calls it). ``first_published_at``: the earliest
    # ``published_at`` of the claim's verdict versions while the claim is published (state
    # published, current verdict public), else empty: it is set exactly when the claim is
    # public. ``modified_at``: the later of the claim's and its current verdict's last change.
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    modified_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-checkworthiness", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(checkworthiness__gte=0) & Q(checkworthiness__lte=1),
                name="claim_checkworthiness_0_1",
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(start__lte=F("end")),
                name="claim_start_before_end",
            ),
            models.CheckConstraint(condition=~Q(same_as=F("pk")), name="claim_not_same_as_itself"),
            models.UniqueConstraint(
                fields=["article", "fingerprint"],
                condition=Q(origin="extracted") & Q(article__isnull=False) & ~Q(fingerprint=""),
                name="claim_unique_extracted_sentence",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "-checkworthiness"]),
            models.Index(fields=["updated_at"]),
            # The admin claim list's default order (its own ordering plus the -pk Django adds
            # to make it total): deep pages walk this index instead of sorting every claim.
            models.Index(fields=["-checkworthiness", "-created_at", "-id"], name="claim_list_order_idx"),
            # The partner feed's two orders, over public fact-checks only (either direction).
            models.Index(
                fields=["first_published_at", "id"],
                name="claim_feed_published_idx",
                condition=Q(first_published_at__isnull=False),
            ),
            models.Index(
                fields=["modified_at", "id"],
                name="claim_feed_modified_idx",
                condition=Q(first_published_at__isnull=False),
            ),
        ]
        # One permission per workflow transition; the role groups (``desk.roles``, set by
        # the data migration ``desk/migrations/0001_role_groups``) bundle them, and
        # ``factcheck.workflow`` checks them.
        permissions = [
            ("select_claim", "Can select a candidate claim for checking"),
            ("dismiss_claim", "Can dismiss a candidate claim"),
            ("reopen_claim", "Can reopen a dismissed claim"),
            ("research_claim", "Can start research on a claim"),
            ("submit_claim", "Can submit a verdict for review"),
            ("request_changes_claim", "Can send a verdict back for changes"),
            ("approve_claim", "Can approve a verdict"),
            ("publish_claim", "Can publish a fact-check"),
            ("correct_claim", "Can publish a correction"),
            ("unpublish_claim", "Can unpublish a fact-check"),
            ("assign_claim", "Can assign claims to people"),
            ("comment_claim", "Can comment on claims"),
            ("merge_claim", "Can merge repeated claims and split them apart"),
        ]

    def __str__(self) -> str:
        return self.text if len(self.text) <= 80 else self.text[:79] + "…"

    @property
    def canonical_id(self) -> int:
        """The id of the claim whose verdict covers this one: itself when canonical."""
        return self.same_as_id or self.pk

    @property
    def seen_at(self):
        """When this appearance was seen: its article's publication, else its arrival."""
        article = self.article if self.article_id else None
        return (article.published_at if article is not None else None) or self.created_at

    @property
    def checked_text(self) -> str:
        """The claim as checked: the desk's wording, or the sentence as it appeared."""
        return self.checked_wording.strip() or self.text

    @property
    def current_verdict(self) -> "Verdict | None":
        """The current verdict; uses a prefetch of ``verdicts`` when one was made."""
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "verdicts" in cache:
            return next((v for v in cache["verdicts"] if v.is_current), None)
        return self.verdicts.filter(is_current=True).first()

    @property
    def pending_correction(self) -> "Verdict | None":
        """A correction proposed and not yet approved: the one version neither current nor published.

        Every other version went public before it stopped being current (only an approved
        correction replaces the current version), so ``published_at`` tells them apart.
        Uses a prefetch of ``verdicts`` when one was made.
        """
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "verdicts" in cache:
            return next((v for v in cache["verdicts"] if not v.is_current and v.published_at is None), None)
        return self.verdicts.filter(is_current=False, published_at__isnull=True).order_by("-version").first()


class Verdict(models.Model):
    """One version of the desk's verdict on a claim. A correction adds a version."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="verdicts")
    rating = models.CharField(max_length=16, choices=ratings.CHOICES, blank=True)
    headline = models.CharField(max_length=300, blank=True, help_text="The fact-check's public title.")
    summary = models.TextField(blank=True, help_text="The short answer.")
    body = models.TextField(blank=True, help_text="The explanation, in Markdown (sanitized when shown).")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="authored_verdicts",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_verdicts",
    )
    version = models.PositiveIntegerField(default=1, help_text="1 for the first verdict, +1 per correction.")
    # Optimistic-lock counter for edits of this version (``version`` numbers corrections).
    revision = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    correction_note = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["claim", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "version"], name="verdict_unique_version"),
            models.UniqueConstraint(
                fields=["claim"], condition=Q(is_current=True), name="verdict_one_current_per_claim"
            ),
        ]

    def __str__(self) -> str:
        return f"Verdict v{self.version} on claim {self.claim_id}: {self.rating or 'unrated'}"

    @property
    def rating_info(self) -> ratings.Rating | None:
        return ratings.rating_for(self.rating)


class Source(models.Model):
    verdict = models.ForeignKey(Verdict, on_delete=models.CASCADE, related_name="sources")
    url = models.URLField(max_length=2000)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    accessed_at = models.DateField(null=True, blank=True, default=timezone.localdate)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title or self.url


class ReviewEvent(models.Model):
    """One row per workflow transition: who moved which claim from where to where, and why."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    transition = models.CharField(max_length=32)
    from_state = models.CharField(max_length=16, choices=ClaimState.choices)
    to_state = models.CharField(max_length=16, choices=ClaimState.choices)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # Set by the e-mail task before sending, so a re-delivered task does not mail twice.
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.transition}: {self.from_state} → {self.to_state}"


class ArticleExtraction(models.Model):
    """Which text of an article claims were last extracted from, and when.

    Kept here, not on ``editorial.Article``: the newsroom's content knows nothing of the
    desk. An article without a row, or whose ``extracted_hash`` differs from its
    ``content_hash``, is waiting for extraction (the sweep re-queues it).
    """

    article = models.OneToOneField(
        "editorial.Article", on_delete=models.CASCADE, primary_key=True, related_name="extraction"
    )
    extracted_hash = models.CharField(max_length=64)
    extracted_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"Article {self.article_id} extracted at {self.extracted_at:%Y-%m-%d %H:%M}"


class DeskProfile(models.Model):
    """What the public sees of a desk user: the name on a fact-check's byline."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="desk_profile"
    )
    display_name = models.CharField(
        max_length=150, blank=True, help_text="The name on public bylines; empty means the full name."
    )

    def __str__(self) -> str:
        return self.display_name or str(self.user)


def public_name(user) -> str:
    """The byline name of ``user``: their display name, else their full name, else the username.

    Reads ``user.desk_profile`` (``select_related("author__desk_profile")`` avoids a query).
    """
    if user is None:
        return ""
    try:
        profile = user.desk_profile
    except DeskProfile.DoesNotExist:
        profile = None
    if profile is not None and profile.display_name.strip():
        return profile.display_name.strip()
    return user.get_full_name().strip() or user.get_username()
