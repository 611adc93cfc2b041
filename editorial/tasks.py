"""Celery tasks of the intake: beat's sweep of due feeds, one task per feed, one per item.

Each feed is its own task and each new item its own page fetch, so one slow outlet holds up
only its own tasks. Tasks take ids, call their service inside their body and are safe to
run twice (a second fetch of an unchanged feed writes no article).
"""

import logging

from celery import shared_task
from django.utils import timezone

from core.errors import DATABASE_DOWN

logger = logging.getLogger(__name__)


@shared_task
def fetch_due_feeds() -> int:
    """Beat runs this every minute: queue a fetch for each due feed and each page to retry.

    Each is claimed first (its next time moved on), so a fetch still running when beat
    comes again is not queued twice.
    """
    from editorial.intake.services import feed_claim_due, feeds_due, item_claim_due, items_due

    now = timezone.now()
    queued = 0
    for feed in feeds_due(now=now).only("pk", "next_fetch_at", "fetch_interval", "consecutive_failures"):
        if feed_claim_due(feed=feed, now=now) and fetch_feed.delay_or_note(feed.pk):
            queued += 1
    for item_id, retry_at in items_due(now=now).values_list("pk", "retry_at"):
        if item_claim_due(item_id=item_id, retry_at=retry_at, now=now) and fetch_feed_item.delay_or_note(
            item_id
        ):
            queued += 1
    return queued


@shared_task(bind=True, autoretry_for=DATABASE_DOWN, retry_backoff=True, retry_backoff_max=300, max_retries=5)
def fetch_feed(self, feed_id: int) -> str:
    from editorial.intake.services import feed_fetch
    from editorial.models import Feed

    try:
        result = feed_fetch(feed_id=feed_id, inline_items=False)
    except Feed.DoesNotExist:
        logger.info("Feed %s is gone; nothing to fetch", feed_id)
        return "gone"
    return result.status


@shared_task(bind=True, autoretry_for=DATABASE_DOWN, retry_backoff=True, retry_backoff_max=300, max_retries=5)
def fetch_feed_item(self, item_id: int) -> str:
    from editorial.intake.services import feed_item_fetch
    from editorial.models import FeedItem

    try:
        return feed_item_fetch(item_id=item_id).status
    except FeedItem.DoesNotExist:
        logger.info("Feed item %s is gone; nothing to fetch", item_id)
        return "gone"


@shared_task(autoretry_for=DATABASE_DOWN, retry_backoff=True, max_retries=5)
def send_feed_failing_email(feed_id: int) -> int:
    """Tell the desk once that a feed started failing (queued by the intake on the crossing)."""
    from editorial.intake.services import feed_failing_notify

    return feed_failing_notify(feed_id=feed_id)
