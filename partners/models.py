"""Partner organisations, their API keys (only a hash stored), webhooks and tips.

The first four use tables named ``factcheck_*`` (``db_table``), created by ``factcheck``'s
migrations; ``partners`` 0001 takes them into this app's state with their rows, so keys
issued earlier still authenticate.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from core.outbound import OutboundRefused, outbound_check


class Partner(models.Model):
    name = models.CharField(max_length=200, unique=True)
    contact = models.CharField(max_length=300, blank=True, help_text="Contact person or e-mail.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "factcheck_partner"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ApiKey(models.Model):
    """A partner's key: ``<prefix>.<secret>``; the prefix finds the row, the hash checks it."""

    SCOPES = ("read", "submit")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="api_keys")
    name = models.CharField(max_length=100, blank=True, help_text="A label, e.g. 'production'.")
    prefix = models.CharField(max_length=16, unique=True)
    hashed_secret = models.CharField(max_length=128)
    scopes = models.CharField(max_length=64, default="read", help_text="Comma-separated: read, submit.")
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "factcheck_apikey"
        ordering = ["partner", "-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.partner} · {self.name or self.prefix}"

    @property
    def scope_list(self) -> list[str]:
        return [s.strip() for s in self.scopes.split(",") if s.strip()]

    def has_scope(self, scope: str) -> bool:
        return scope in self.scope_list


class Webhook(models.Model):
    EVENTS = ("published", "corrected", "unpublished", "appeared")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=2000)
    secret = models.CharField(max_length=128, help_text="Shared secret for the X-Signature HMAC.")
    events = models.JSONField(
        default=list, blank=True, help_text="Subset of published, corrected, unpublished, appeared."
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "factcheck_webhook"

    def __str__(self) -> str:
        return f"{self.partner}: {self.url}"

    def save(self, *args, **kwargs):
        """Refuses (``OutboundRefused``) a URL the delivery would refuse, whoever saves it.

        Delivery checks again on every attempt, since a name's addresses can change.
        """
        outbound_check(self.url)
        super().save(*args, **kwargs)

    def clean(self):
        """The URL must be one ``core.outbound`` calls: http(s), a host with public addresses only.

        ModelForms (the admin's) call this, so the refusal shows on the URL field.
        """
        super().clean()
        try:
            outbound_check(self.url)
        except OutboundRefused as exc:
            raise ValidationError({"url": exc.reason}) from exc


class WebhookDelivery(models.Model):
    """Every delivery attempt, successful or not, for the partner's and our own debugging."""

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=32)
    event_id = models.CharField(max_length=64, blank=True)
    payload = models.JSONField(default=dict)
    attempt = models.PositiveSmallIntegerField(default=1)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    succeeded = models.BooleanField(default=False)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "factcheck_webhookdelivery"
        ordering = ["-at"]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return (
            f"{self.event} → {self.webhook_id} attempt {self.attempt}: {self.status_code or self.error[:40]}"
        )


class Tip(models.Model):
    """A claim a partner sent through the API: the desk's ``Claim``, and who sent it."""

    claim = models.OneToOneField("factcheck.Claim", on_delete=models.CASCADE, related_name="tip")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tips")
    context = models.TextField(blank=True, help_text="What the partner said about it.")
    submitted_at = models.DateTimeField(default=timezone.now)
    # A text of several sentences is read as a small article: each claim taken from it has
    # its own tip, with the whole text and the first of those tips (itself included).
    sent_text = models.TextField(
        blank=True, help_text="The text the partner sent, when the claim was taken from a longer one."
    )
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parts",
        help_text="The first tip taken from the same text (itself for that one); empty for a tip of one sentence.",
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["partner", "-submitted_at", "-id"], name="tip_partner_recent_idx")]

    def __str__(self) -> str:
        return f"Tip from {self.partner_id}: claim {self.claim_id}"
