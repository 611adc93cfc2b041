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

    Stops at the first broker error: the broker is down, the next sweep tries again.
    """
    from factcheck.tasks import extract_claims

    ids = list(articles_pending_extraction(older_than=older_than).values_list("pk", flat=True)[:limit])
    queued = 0
    for article_id in ids:
        try:
            extract_claims.delay(article_id)
        except BrokerError as exc:
            logger.warning("Sweep stopped, broker unavailable after %d of %d: %s", queued, len(ids), exc)
            return SweepResult(found=len(ids), queued=queued, failed=len(ids) - queued)
        queued += 1
    if ids:
        logger.info("Sweep re-queued extraction of %d article(s)", queued)
    return SweepResult(found=len(ids), queued=queued, failed=0)
