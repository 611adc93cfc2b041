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

    def __str__(self) -> str:
        return self.title
