"""The periodic sweep: re-queue work whose task was lost.

Tasks can be lost although every write committed: the broker was down when the article
was saved (``enqueue_on_commit`` logs and moves on), Redis restarted without persistence
while messages waited, or a whole worker died and its unacknowledged message waits out the
visibility timeout. An article whose ``extracted_hash`` differs from its ``content_hash``
for longer than a task normally takes is such a loss; queuing it again is safe because
extraction is idempotent.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from editorial.models import Article

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    found: int
    queued: int
    failed: int
    backlog: int | None = None  # messages waiting in the queue; the sweep skips a long one


def queue_backlog() -> int | None:
    """Messages waiting in the default queue, or None when the broker cannot say."""
    from config.celery import app

    try:
        with app.connection_for_read() as conn:
            declared = conn.default_channel.queue_declare(queue=app.conf.task_default_queue, passive=True)
            return declared.message_count
    except Exception:  # noqa: BLE001 - unknown means "do not skip"; a dead broker fails later
        return None


def articles_pending_extraction(*, older_than: timedelta) -> QuerySet[Article]:
    """Articles whose current text was never extracted, last changed before ``older_than`` ago."""
    cutoff = timezone.now() - older_than
    return (
        Article.objects.exclude(extracted_hash=F("content_hash"))
        .filter(updated_at__lte=cutoff)
        .order_by("updated_at", "pk")
    )


def articles_sweep_unextracted(*, older_than: timedelta, limit: int = 1000) -> SweepResult:
    """Queue extraction for up to ``limit`` pending articles, oldest first.

    Skipped while more than ``limit`` messages wait in the queue: workers are behind, the
    pending articles are most likely still queued, and re-queuing them would only add
    duplicate work (measured by ``bench/ingest_load.py``: 10,000 articles take longer than
    the sweep's age threshold). Stops at the first broker error; the next sweep retries.
    """
    from factcheck.tasks import extract_claims

    backlog = queue_backlog()
    if backlog is not None and backlog > limit:
        logger.info("Sweep skipped: %d messages already wait in the queue", backlog)
        return SweepResult(found=0, queued=0, failed=0, backlog=backlog)
    ids = list(articles_pending_extraction(older_than=older_than).values_list("pk", flat=True)[:limit])
    queued = 0
    for article_id in ids:
        try:
            extract_claims.delay(article_id)
        except BrokerError as exc:
            logger.warning("Sweep stopped, broker unavailable after %d of %d: %s", queued, len(ids), exc)
            return SweepResult(found=len(ids), queued=queued, failed=len(ids) - queued, backlog=backlog)
        queued += 1
    if ids:
        logger.info("Sweep re-queued extraction of %d article(s)", queued)
    return SweepResult(found=len(ids), queued=queued, failed=0, backlog=backlog)
