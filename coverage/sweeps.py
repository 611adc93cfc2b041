"""The periodic sweeps of prior coverage: re-queue matching and embedding whose task was lost.

A claim from extraction or a partner tip whose ``matched_at`` is still empty lost its
``match_claim`` task; a prior item (``SearchDoc``) still without a vector lost its
embedding task and would be found by lexical search only, for ever. Both are idempotent,
so queuing them again is safe (see ``factcheck.sweeps`` for extraction).
"""

from datetime import timedelta

from core import embedding
from core.tasks import SweepResult, requeue
from coverage.selectors import claims_pending_matching, searchdocs_pending_embedding
from coverage.tasks import embed_and_rematch as embed_and_rematch_task
from coverage.tasks import match_claim as match_claim_task


def claims_sweep_unmatched(*, older_than: timedelta, limit: int = 1000) -> SweepResult:
    """Queue matching for up to ``limit`` claims whose matching never ran, oldest first."""
    pending = claims_pending_matching(older_than=older_than).values_list("pk", flat=True)
    return requeue(match_claim_task, pending, limit=limit, what="matching")


def searchdocs_sweep_unembedded(*, older_than: timedelta, limit: int = 2000) -> SweepResult:
    """Queue one embedding task (then one re-matching) for up to ``limit`` such items.

    Nothing to do without the embedding extra: matching is lexical only and says so.
    """
    if not embedding.available():
        return SweepResult(found=0, queued=0, failed=0)
    pending = searchdocs_pending_embedding(older_than=older_than).values_list("pk", flat=True)
    return requeue(embed_and_rematch_task, pending, limit=limit, what="embedding", one_task=True)
