"""Celery tasks: thin wrappers that take ids, call services, and are safe to run twice."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError, transaction
from kombu.exceptions import OperationalError as BrokerError

from factcheck import services

logger = logging.getLogger(__name__)

RETRY_ON = (OperationalError, InterfaceError)


def enqueue_on_commit(task, *args) -> None:
    """Queue ``task`` after the current transaction commits (now, outside one).

    If the broker is down the write still stands: the failure is logged and the
    periodic sweep re-queues the work later.
    """

    def send():
        try:
            task.delay(*args)
        except BrokerError as exc:
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
