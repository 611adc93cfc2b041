"""Celery tasks of the partners: webhook fan-out and delivery."""

import logging

from celery import shared_task
from django.conf import settings

from core.errors import DATABASE_DOWN

logger = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=DATABASE_DOWN, retry_backoff=True, retry_backoff_max=300, max_retries=8)
def notify_partners(self, event: str, claim_id: int, appearance_id: int | None = None) -> int:
    """On publish / an approved correction / unpublish / a new appearance of a published
    claim (``appearance_id``): one delivery per subscribed webhook.

    The body is built here, once, so every retry of every delivery sends the same event.
    """
    from partners import webhooks

    payload = webhooks.webhook_event_build(event=event, claim_id=claim_id, appearance_id=appearance_id)
    if payload is None:
        logger.info("Claim %s no longer fits event %s; no webhook sent", claim_id, event)
        return 0
    hooks = webhooks.webhooks_for(event=event)
    for hook in hooks:
        deliver_webhook_event.delay(event, claim_id, hook.pk, payload)
    return len(hooks)


@shared_task
def deliver_webhook_event(
    event: str, claim_id: int, webhook_id: int, payload: dict, attempt: int = 1
) -> bool:
    """One try per run; a network error or 5xx queues the next try after an exponential
    back-off, up to ``WEBHOOK_MAX_ATTEMPTS`` tries; every try is a ``WebhookDelivery`` row.

    The next try is a new task with ``attempt + 1`` (not ``self.retry``), so eager mode
    (development, tests) retries at once and a worker waits the back-off.
    """
    from partners import webhooks
    from partners.models import Webhook

    hook = Webhook.objects.filter(pk=webhook_id, active=True, partner__active=True).first()
    if hook is None or webhooks.webhook_already_delivered(webhook_id=webhook_id, event_id=payload["id"]):
        return False
    result = webhooks.webhook_attempt(webhook=hook, payload=payload, attempt=attempt)
    if result.delivery.succeeded:
        return True
    if result.retry and attempt < settings.WEBHOOK_MAX_ATTEMPTS:
        deliver_webhook_event.apply_async(
            (event, claim_id, webhook_id, payload, attempt + 1), countdown=webhooks.backoff_seconds(attempt)
        )
        return False
    logger.warning(
        "Webhook %s: giving up on %s for claim %s after %s tries", webhook_id, event, claim_id, attempt
    )
    return False
