"""The periodic sweep of extraction: re-queue articles whose extraction task was lost.

Tasks can be lost although every write committed: the broker was down when the article
was saved (``delay_on_commit`` logs and moves on), Redis restarted without persistence
while messages waited, or a whole worker died and its unacknowledged message waits out the
visibility timeout. An article whose current text has no ``ArticleExtraction`` for longer
than a task normally takes is such a loss; queuing it again is safe because extraction is
idempotent. ``coverage.sweeps`` does the same for matching and embedding.
"""

from datetime import timedelta

from core.tasks import SweepResult, requeue
from factcheck.selectors import articles_pending_extraction
from factcheck.tasks import extract_claims as extract_claims_task


def articles_sweep_unextracted(*, older_than: timedelta, limit: int = 1000) -> SweepResult:
    """Queue extraction for up to ``limit`` pending articles, oldest first.

    Skipped while more than ``limit`` messages wait in the queue (``core.tasks.requeue``):
    ``bench/ingest_load.py`` showed 10,000 articles take longer than the sweep's age
    threshold, and re-queuing what is still queued only adds duplicate work.
    """
    pending = articles_pending_extraction(older_than=older_than).values_list("pk", flat=True)
    return requeue(extract_claims_task, pending, limit=limit, what="extraction")
