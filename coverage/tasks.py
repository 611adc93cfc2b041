"""Celery tasks of prior coverage: grouping, matching, re-matching, embedding, and their sweeps.

All run on the ``matching`` queue but the sweeps (``CELERY_TASK_ROUTES``). Each takes ids,
is safe to run twice, and calls its service inside its body.
"""

import logging

from celery import shared_task
from django.db import IntegrityError

from core.errors import DATABASE_DOWN
from factcheck.tasks import sweep_age

logger = logging.getLogger(__name__)

REMATCH_BATCH = 100
# Prior items per embedding task (about 5 s of encoding on one core): an import of 65,000
# items is 131 tasks, so other matching work interleaves with it instead of waiting.
EMBED_TASK_BATCH = 500


# Two claims of one article matched at once both index the article as prior coverage; the
# loser of that insert race hits the unique (kind, object_id) and, on retry, finds the row.
@shared_task(
    bind=True,
    autoretry_for=(*DATABASE_DOWN, IntegrityError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def match_claim(self, claim_id: int) -> int:
    """Store the claim's prior-coverage suggestions; re-running replaces only suggestions."""
    from coverage.services import claim_match_by_id

    return claim_match_by_id(claim_id=claim_id)


# Two new claims grouped at once may both index themselves; the loser of that insert race
# hits the unique (kind, object_id) and, on retry, finds its claim grouped or the row there.
@shared_task(
    bind=True,
    autoretry_for=(*DATABASE_DOWN, IntegrityError),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=8,
)
def group_claim(self, claim_id: int) -> str:
    """Group a new claim with the claims it repeats, then queue its matching; safe twice."""
    from coverage.grouping import claim_group

    outcome = claim_group(claim_id=claim_id).outcome
    if outcome != "gone":
        match_claim.delay_on_commit(claim_id)
    return outcome


@shared_task(bind=True, autoretry_for=DATABASE_DOWN, retry_backoff=True, retry_backoff_max=300, max_retries=8)
def rematch_open_claims(self, claim_ids: list[int] | None = None) -> int:
    """Re-match open claims; without ids, fan out all open claims in batches of 100."""
    from coverage.selectors import open_claim_ids

    if claim_ids is None:
        ids = open_claim_ids()
        for start in range(0, len(ids), REMATCH_BATCH):
            rematch_open_claims.delay(ids[start : start + REMATCH_BATCH])
        return len(ids)
    for claim_id in claim_ids:
        match_claim.run(claim_id)
    return len(claim_ids)


@shared_task(bind=True, autoretry_for=DATABASE_DOWN, retry_backoff=True, retry_backoff_max=300, max_retries=8)
def embed_and_rematch(self, doc_ids: list[int], rematch: bool = True) -> int:
    """New or changed prior items: compute their vectors once, then re-match open claims.

    A batch of a larger set passes ``rematch=False``; its caller queues the one re-match
    behind the last batch (``coverage.services.searchdocs_queue_embedding``).
    """
    from coverage.matching.index import searchdocs_embed

    embedded = searchdocs_embed(doc_ids=doc_ids)
    if rematch:
        rematch_open_claims.delay()
    return embedded


@shared_task(bind=True, autoretry_for=DATABASE_DOWN, retry_backoff=True, retry_backoff_max=300, max_retries=8)
def rematch_after_publish(self, claim_id: int) -> int:
    """After publish, an approved correction or unpublish: index our fact-check (or drop it), re-match open claims."""
    from coverage.services import published_claim_index

    stale = published_claim_index(claim_id=claim_id)
    return embed_and_rematch.run(stale)


@shared_task
def sweep_unmatched(older_than_minutes: int | None = None) -> int:
    """Beat runs this after ``sweep_unextracted``: re-queue lost matching of claims."""
    from coverage.sweeps import claims_sweep_unmatched

    return claims_sweep_unmatched(older_than=sweep_age(older_than_minutes)).queued


@shared_task
def sweep_ungrouped(older_than_minutes: int | None = None) -> int:
    """Beat runs this too: re-queue grouping of claims whose grouping task was lost."""
    from coverage.sweeps import claims_sweep_ungrouped

    return claims_sweep_ungrouped(older_than=sweep_age(older_than_minutes)).queued


@shared_task
def sweep_unindexed(older_than_minutes: int | None = None) -> int:
    """Beat runs this too: index published claims missing from the search index."""
    from coverage.sweeps import claims_sweep_unindexed

    return claims_sweep_unindexed(older_than=sweep_age(older_than_minutes)).queued


@shared_task
def sweep_unembedded(older_than_minutes: int | None = None) -> int:
    """Beat runs this too: compute the vectors of prior items whose embedding task was lost."""
    from coverage.sweeps import searchdocs_sweep_unembedded

    return searchdocs_sweep_unembedded(older_than=sweep_age(older_than_minutes)).queued
