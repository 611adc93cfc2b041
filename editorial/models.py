"""The newsroom's content: outlets and their articles. Knows nothing of the desk's apps."""

from django.db import models
from django.db.models import Q


class Outlet(models.Model):
    """A publication: our own newsroom (``is_own``) or another outlet we import from."""

    name = models.CharField(max_length=200, unique=True)
    domain = models.CharField(max_length=253, blank=True)
    is_own = models.BooleanField(default=False, help_text="Our own newsroom, not another outlet.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    outlet = models.ForeignKey(
        Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    title = models.CharField(max_length=500)
    body = models.TextField()
    url = models.URLField(max_length=2000, blank=True)
    authors = models.CharField(max_length=500, blank=True, help_text="Comma-separated names.")
    language = models.CharField(max_length=16, default="en")
    published_at = models.DateTimeField(null=True, blank=True)
    external_key = models.CharField(
        max_length=255, unique=True, help_text="Stable import key: re-imports update, not duplicate."
    )
    content_hash = models.CharField(max_length=64, help_text="SHA-256 of title and body.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["url"], condition=~Q(url=""), name="article_url_unique_when_set"),
        ]
        indexes = [models.Index(fields=["updated_at"])]
        permissions = [("add_article_by_url", "Can add an article from its URL")]

    def __str__(self) -> str:
        return self.title


class Feed(models.Model):
    """An outlet's RSS, Atom or JSON feed, sitemap or single page, fetched on an interval.

    ``etag`` and ``last_modified`` are those of the last answer, sent back as a conditional
    GET. After a failure the interval doubles per consecutive failure, up to a day
    (``effective_interval``); ``failing_since`` is the first failure of the current run.
    """

    class Kind(models.TextChoices):
        RSS = "rss", "RSS"
        ATOM = "atom", "Atom"
        JSONFEED = "jsonfeed", "JSON Feed"
        SITEMAP = "sitemap", "Sitemap"
        PAGE = "page", "Page"

    MAX_INTERVAL_MINUTES = 24 * 60

    outlet = models.ForeignKey(Outlet, on_delete=models.PROTECT, null=True, blank=True, related_name="feeds")
    url = models.URLField(max_length=2000, unique=True)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    title = models.CharField(max_length=500, blank=True)
    active = models.BooleanField(default=True, help_text="Paused feeds are not fetched.")
    fetch_interval = models.PositiveIntegerField(
        default=60, help_text="Minutes between fetches (doubled after each failure, up to a day)."
    )
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_status = models.CharField(max_length=100, blank=True, help_text="HTTP status or what happened.")
    consecutive_failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    items_seen = models.PositiveIntegerField(default=0)
    failure_alerted_at = models.DateTimeField(
        null=True, blank=True, help_text="When the desk was told this feed is failing; cleared on recovery."
    )
    next_fetch_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["outlet__name", "url"]
        permissions = [("fetch_feed", "Can fetch a feed now")]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def effective_interval(self) -> int:
        """Minutes until the next fetch: the interval, doubled per consecutive failure, at most a day."""
        doubled = self.fetch_interval * 2 ** min(self.consecutive_failures, 12)
        return max(1, min(doubled, self.MAX_INTERVAL_MINUTES))


class FeedItem(models.Model):
    """One URL a feed listed, and what became of it: the article it is, or why it is not."""

    class Status(models.TextChoices):
        PENDING = "pending", "waiting to be fetched"
        FETCHED = "fetched", "article extracted"
        SUMMARY_ONLY = "summary_only", "page failed; the feed's summary kept"
        FAILED = "failed", "failed"

    feed = models.ForeignKey(Feed, on_delete=models.CASCADE, related_name="items")
    url = models.URLField(max_length=2000, db_index=True)  # the same URL in other feeds: one article
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="feed_items"
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    title = models.CharField(max_length=500, blank=True)
    summary = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    authors = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=16, blank=True)
    fingerprint = models.CharField(max_length=64, help_text="What the feed said of it, hashed.")
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True, db_index=True)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-first_seen_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["feed", "url"], name="feed_item_url_unique_per_feed")]

    def __str__(self) -> str:
        return self.title or self.url


class FetchHost(models.Model):
    """When the intake last asked a host for something, for every process on the database.

    Written by the fetcher's PostgreSQL host slot (``FETCH_HOST_SLOT = "postgres"``) while it
    holds the host's advisory lock, so the next request, from any worker, waits the delay.
    """

    host = models.CharField(max_length=300, unique=True)  # scheme://host:port, as the fetcher keys it
    last_request_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.host
