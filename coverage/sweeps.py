"""The periodic sweeps of prior coverage: re-queue matching and embedding whose task was lost.

A claim from extraction or a partner tip whose ``matched_at`` is still empty lost its
``match_claim`` task; a prior item (``SearchDoc``) still without a vector lost its
embedding task and would be found by lexical search only, for ever; a published claim
missing from the index (its publish's task was lost, or a data load published it without
the workflow) is never found as prior coverage. All are idempotent, so doing them again
is safe (see ``factcheck.sweeps`` for extraction).
"""

from datetime import timedelta

from core import embedding
from core.tasks import SweepResult, requeue
from coverage.selectors import (
    claims_pending_grouping,
    claims_pending_indexing,
    claims_pending_matching,
    searchdocs_pending_embedding,
)
from coverage.services import published_claim_index, searchdocs_queue_embedding
from coverage.tasks import EMBED_TASK_BATCH
from coverage.tasks import embed_and_rematch as embed_and_rematch_task
from coverage.tasks import group_claim as group_claim_task
from coverage.tasks import match_claim as match_claim_task


def claims_sweep_unmatched(*, older_than: timedelta, limit: int = 1000) -> SweepResult:
    """Queue matching for up to ``limit`` claims whose matching never ran, oldest first."""
    pending = claims_pending_matching(older_than=older_than).values_list("pk", flat=True)
    return requeue(match_claim_task, pending, limit=limit, what="matching")


def claims_sweep_ungrouped(*, older_than: timedelta, limit: int = 1000) -> SweepResult:
    """Queue grouping (and so matching) for up to ``limit`` claims never grouped, oldest first."""
    pending = claims_pending_grouping(older_than=older_than).values_list("pk", flat=True)
    return requeue(group_claim_task, pending, limit=limit, what="grouping")


def claims_sweep_unindexed(*, older_than: timedelta, limit: int = 1000) -> SweepResult:
    """Index up to ``limit`` published claims the index lacks, oldest publication first, then
    queue their vectors and one re-match of the open claims.

    The indexing itself is one small upsert per claim, done here rather than queued, so a
    thousand such claims cost one re-match, not one each.
    """
    ids = list(claims_pending_indexing(older_than=older_than).values_list("pk", flat=True)[:limit])
    stale: list[int] = []
    for claim_id in ids:
        stale += published_claim_index(claim_id=claim_id)
    searchdocs_queue_embedding(doc_ids=stale)
    return SweepResult(found=len(ids), queued=len(ids), failed=0)


def searchdocs_sweep_unembedded(*, older_than: timedelta, limit: int = 2000) -> SweepResult:
    """Queue embedding for up to ``limit`` such items, ``EMBED_TASK_BATCH`` per task, then
    one re-match of the open claims behind the last batch.

    Nothing to do without the embedding extra: matching is lexical only and says so.
    """
    if not embedding.available():
        return SweepResult(found=0, queued=0, failed=0)
    pending = searchdocs_pending_embedding(older_than=older_than).values_list("pk", flat=True)
    result = requeue(
        embed_and_rematch_task,
        pending,
        limit=limit,
        what="embedding",
        batch=EMBED_TASK_BATCH,
        kwargs={"rematch": False},
    )
    if result.queued:
        embed_and_rematch_task.delay_or_note([], rematch=True)  # behind the batches, same queue
    return result
