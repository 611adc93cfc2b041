"""Celery tasks of the desk: extraction, review e-mails and their sweeps.

Each task takes ids, is safe to run twice, and calls its service inside its body (the
services import these tasks at module level to queue them).
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings

from core.errors import DATABASE_DOWN

logger = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=DATABASE_DOWN, retry_backoff=True, retry_backoff_max=300, max_retries=8)
def extract_claims(self, article_id: int) -> int:
    from editorial.models import Article
    from factcheck.services.extraction import claims_extract

    try:
        created = claims_extract(article_id=article_id)
    except Article.DoesNotExist:
        logger.info("Article %s is gone; nothing to extract", article_id)
        return 0
    return len(created)


@shared_task(
    bind=True,
    autoretry_for=(*DATABASE_DOWN, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=6,
)
def send_review_event_email(self, event_id: int, recipient_ids: list[int]) -> int:
    """E-mail the people a workflow event concerns (queued by ``factcheck.workflow``)."""
    from factcheck.services.notifications import review_event_notify

    return review_event_notify(event_id=event_id, recipient_ids=recipient_ids)


@shared_task
def sweep_unextracted(older_than_minutes: int | None = None) -> int:
    """Beat runs this every few minutes (``CELERY_BEAT_SCHEDULE``): re-queue lost extractions."""
    from factcheck.sweeps import articles_sweep_unextracted

    return articles_sweep_unextracted(older_than=sweep_age(older_than_minutes)).queued


@shared_task
def sweep_unsent_mail(older_than_minutes: int | None = None) -> int:
    """Beat runs this too: queue again the review e-mails whose task was lost."""
    from factcheck.services.notifications import review_events_renotify

    return review_events_renotify(older_than=sweep_age(older_than_minutes))


def sweep_age(older_than_minutes: int | None) -> timedelta:
    """How old pending work must be before a sweep re-queues it (default: the setting)."""
    if older_than_minutes is None:
        older_than_minutes = settings.FACTCHECK_SWEEP_AFTER_MINUTES
    return timedelta(minutes=older_than_minutes)
