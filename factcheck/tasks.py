"""Celery tasks: thin wrappers that take ids, call services, and are safe to run twice."""

import logging
import time
from datetime import timedelta

from celery import shared_task
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerError

from config.queueing import record_unqueued
from factcheck import services

logger = logging.getLogger(__name__)

RETRY_ON = (OperationalError, InterfaceError)


# After a publish failed, skip the broker for this long: each try costs the publish retry
# policy's wait, so an import of 500 articles would otherwise take minutes to fail.
BROKER_DOWN_SKIP_SECONDS = 10.0
_broker_down_until = 0.0


def enqueue_on_commit(task, *args) -> None:
    """Queue ``task`` after the current transaction commits (now, outside one).

    If the broker is down the write still stands: the failure is logged, counted for
    ``config.queueing.track_unqueued`` (so a command can tell the user) and the periodic
    sweep (``factcheck.sweeps``) re-queues the work later.
    """

    def send():
        global _broker_down_until
        if time.monotonic() < _broker_down_until:
            record_unqueued(task.name)
            logger.info("Broker marked down, %s%r not queued (the sweep will retry)", task.name, args)
            return
        try:
            task.delay(*args)
        except BrokerError as exc:
            _broker_down_until = time.monotonic() + BROKER_DOWN_SKIP_SECONDS
            record_unqueued(task.name)
            logger.warning(
                "Broker unavailable, %s%r not queued (the sweep will retry): %s", task.name, args, exc
            )

    transaction.on_commit(send)


@shared_task(bind=True, autoretry_for=RETRY_ON, retry_backoff=True, retry_backoff_max=300, max_retries=8)
def extract_claims(self, article_id: int) -> int:
    from editorial.models import Article

    try:
        created = services.claims_extract(article_id=article_id)
    except Article.DoesNotExist:
        logger.info("Article %s is gone; nothing to extract", article_id)
        return 0
    return len(created)


@shared_task(
    bind=True, autoretry_for=(*RETRY_ON, OSError), retry_backoff=True, retry_backoff_max=600, max_retries=6
)
def send_review_event_email(self, event_id: int, recipient_ids: list[int]) -> int:
    """E-mail the people a workflow event concerns (queued by ``factcheck.workflow``)."""
    from factcheck.notifications import review_event_notify

    return review_event_notify(event_id=event_id, recipient_ids=recipient_ids)


@shared_task
def sweep_unextracted(older_than_minutes: int | None = None) -> int:
    """Beat runs this every few minutes (``CELERY_BEAT_SCHEDULE``): re-queue lost extractions."""
    from factcheck.sweeps import articles_sweep_unextracted

    return articles_sweep_unextracted(older_than=_sweep_age(older_than_minutes)).queued


@shared_task
def sweep_unmatched(older_than_minutes: int | None = None) -> int:
    """Beat runs this after ``sweep_unextracted``: re-queue lost matching of claims."""
    from factcheck.sweeps import claims_sweep_unmatched

    return claims_sweep_unmatched(older_than=_sweep_age(older_than_minutes)).queued


@shared_task
def sweep_unembedded(older_than_minutes: int | None = None) -> int:
    """Beat runs this too: compute the vectors of prior items whose embedding task was lost."""
    from factcheck.sweeps import searchdocs_sweep_unembedded

    return searchdocs_sweep_unembedded(older_than=_sweep_age(older_than_minutes)).queued


@shared_task
def sweep_unsent_mail(older_than_minutes: int | None = None) -> int:
    """Beat runs this too: queue again the review e-mails whose task was lost."""
    from factcheck.notifications import review_events_renotify

    return review_events_renotify(older_than=_sweep_age(older_than_minutes))


def _sweep_age(older_than_minutes: int | None) -> timedelta:
    """How old pending work must be before a sweep re-queues it (default: the setting)."""
    from django.conf import settings

    if older_than_minutes is None:
        older_than_minutes = settings.FACTCHECK_SWEEP_AFTER_MINUTES
    return timedelta(minutes=older_than_minutes)


# --- prior coverage (factcheck.coverage / factcheck.matching) ------------------------------

REMATCH_BATCH = 100


# Two claims of one article matched at once both index the article as prior coverage; the
# loser of that insert race hits the unique (kind, object_id) and, on retry, finds the row.
@shared_task(
    bind=True,
    autoretry_for=(*RETRY_ON, IntegrityError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def match_claim(self, claim_id: int) -> int:
    """Store the claim's prior-coverage suggestions; re-running replaces only suggestions."""
    from factcheck.coverage import article_index, claim_match
    from factcheck.matching.index import searchdocs_embed
    from factcheck.models import Claim

    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        logger.info("Claim %s is gone; nothing to match", claim_id)
        return 0
    if claim.article_id:  # our article becomes prior coverage for later claims (no-op if indexed)
        searchdocs_embed(doc_ids=article_index(article_id=claim.article_id))
    return len(claim_match(claim=claim))


@shared_task(bind=True, autoretry_for=RETRY_ON, retry_backoff=True, retry_backoff_max=300, max_retries=8)
def rematch_open_claims(self, claim_ids: list[int] | None = None) -> int:
    """Re-match open claims; without ids, fan out all open claims in batches of 100."""
    from factcheck.coverage import open_claim_ids

    if claim_ids is None:
        ids = open_claim_ids()
        for start in range(0, len(ids), REMATCH_BATCH):
            rematch_open_claims.delay(ids[start : start + REMATCH_BATCH])
        return len(ids)
    for claim_id in claim_ids:
        match_claim.run(claim_id)
    return len(claim_ids)


@shared_task(bind=True, autoretry_for=RETRY_ON, retry_backoff=True, retry_backoff_max=300, max_retries=8)
def embed_and_rematch(self, doc_ids: list[int]) -> int:
    """New or changed prior items: compute their vectors once, then re-match open claims."""
    from factcheck.matching.index import searchdocs_embed

    embedded = searchdocs_embed(doc_ids=doc_ids)
    rematch_open_claims.delay()
    return embedded


@shared_task(bind=True, autoretry_for=RETRY_ON, retry_backoff=True, retry_backoff_max=300, max_retries=8)
def rematch_after_publish(self, claim_id: int) -> int:
    """Queued by the workflow on publish/correct: index our fact-check, re-match open claims."""
    from factcheck.coverage import published_claim_index

    stale = published_claim_index(claim_id=claim_id)
    return embed_and_rematch.run(stale)


# --- partner webhooks (factcheck.webhooks) --------------------------------------------------


@shared_task(bind=True, autoretry_for=RETRY_ON, retry_backoff=True, retry_backoff_max=300, max_retries=8)
def notify_partners(self, event: str, claim_id: int) -> int:
    """Queued by the workflow on publish / correct / unpublish: one delivery per subscribed webhook.

    The body is built here, once, so every retry of every delivery sends the same event.
    """
    from factcheck import webhooks

    payload = webhooks.webhook_event_build(event=event, claim_id=claim_id)
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
    from django.conf import settings

    from factcheck import webhooks
    from factcheck.models import Webhook

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
