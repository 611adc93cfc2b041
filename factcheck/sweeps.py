"""The periodic sweep: re-queue work whose task was lost (extraction, then matching).

Tasks can be lost although every write committed: the broker was down when the article
was saved (``enqueue_on_commit`` logs and moves on), Redis restarted without persistence
while messages waited, or a whole worker died and its unacknowledged message waits out the
visibility timeout. An article whose ``extracted_hash`` differs from its ``content_hash``
for longer than a task normally takes is such a loss; queuing it again is safe because
extraction is idempotent. Likewise a claim from extraction or a partner tip whose
``matched_at`` is still empty lost its ``match_claim`` task, and a prior item
(``SearchDoc``) still without a vector lost its embedding task: it would be found by
lexical search only, for ever.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import F, QuerySet
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from editorial.models import Article
from factcheck.models import Claim, ClaimOrigin, SearchDoc

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    found: int
    queued: int
    failed: int
    backlog: int | None = None  # messages waiting in the queue; the sweep skips a long one


def queue_backlog(queue: str | None = None) -> int | None:
    """Messages waiting in ``queue`` (default: the default queue), or None when the broker cannot say."""
    from config.celery import app

    try:
        with app.connection_for_read() as conn:
            declared = conn.default_channel.queue_declare(
                queue=queue or app.conf.task_default_queue, passive=True
            )
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
    pending work is most likely still queued, and re-queuing it would only add duplicate
    work (measured by ``bench/ingest_load.py``: 10,000 articles take longer than the
    sweep's age threshold). Stops at the first broker error; the next sweep retries.
    """
    from factcheck.tasks import extract_claims

    pending = articles_pending_extraction(older_than=older_than)
    return _requeue(extract_claims, pending, limit=limit, what="extraction")


def _requeue(task, pending: QuerySet, *, limit: int, what: str, one_task: bool = False) -> SweepResult:
    """Queue ``task`` for up to ``limit`` of ``pending``: a message per item, or with
    ``one_task`` one message carrying all their ids."""
    from config.celery import task_queue

    backlog = queue_backlog(task_queue(task.name))  # matching has its own queue
    if backlog is not None and backlog > limit:
        logger.info("Sweep of %s skipped: %d messages already wait in the queue", what, backlog)
        return SweepResult(found=0, queued=0, failed=0, backlog=backlog)
    ids = list(pending.values_list("pk", flat=True)[:limit])
    # (the task's argument, how many items it covers)
    messages = [(pk, 1) for pk in ids] if not one_task else [(ids, len(ids))] if ids else []
    queued = 0
    for argument, items in messages:
        try:
            task.delay(argument)
        except BrokerError as exc:
            logger.warning(
                "Sweep of %s stopped, broker unavailable after %d of %d: %s", what, queued, len(ids), exc
            )
            return SweepResult(found=len(ids), queued=queued, failed=len(ids) - queued, backlog=backlog)
        queued += items
    if ids:
        logger.info("Sweep re-queued %s of %d item(s)", what, queued)
    return SweepResult(found=len(ids), queued=queued, failed=0, backlog=backlog)


def claims_pending_matching(*, older_than: timedelta) -> QuerySet[Claim]:
    """Extracted claims and partner tips never matched, created before ``older_than`` ago."""
    cutoff = timezone.now() - older_than
    return Claim.objects.filter(
        matched_at__isnull=True,
        origin__in=[ClaimOrigin.EXTRACTED, ClaimOrigin.PARTNER],
        created_at__lte=cutoff,
    ).order_by("created_at", "pk")


def claims_sweep_unmatched(*, older_than: timedelta, limit: int = 1000) -> SweepResult:
    """Queue matching for up to ``limit`` claims whose matching never ran; same rules as above."""
    from factcheck.tasks import match_claim

    return _requeue(match_claim, claims_pending_matching(older_than=older_than), limit=limit, what="matching")


def searchdocs_pending_embedding(*, older_than: timedelta) -> QuerySet[SearchDoc]:
    """Prior items whose vector was never computed, last changed before ``older_than`` ago.

    An empty ``embedding_model`` (new or changed text) goes through its index, so the
    sweep stays cheap at a million items.
    """
    cutoff = timezone.now() - older_than
    return SearchDoc.objects.filter(embedding_model="", updated_at__lte=cutoff).order_by("updated_at", "pk")


def searchdocs_sweep_unembedded(*, older_than: timedelta, limit: int = 2000) -> SweepResult:
    """Queue one embedding task (then one re-matching) for up to ``limit`` such items.

    Nothing to do without the embedding extra: matching is lexical only and says so.
    """
    from factcheck.matching import embedding
    from factcheck.tasks import embed_and_rematch

    if not embedding.available():
        return SweepResult(found=0, queued=0, failed=0)
    pending = searchdocs_pending_embedding(older_than=older_than)
    return _requeue(embed_and_rematch, pending, limit=limit, what="embedding", one_task=True)
