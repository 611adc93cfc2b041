"""The worker's PostgreSQL connection dropped in the middle of ``extract_claims``.

The task has written its claims but not yet marked the article extracted when its backend
is terminated: the transaction rolls back (no claim of that run remains), the task
retries with back-off on a fresh connection and finishes the article exactly once.
"""

import pytest

from factcheck.models import Claim
from factcheck.tasks import extract_claims
from tests.reliability.batch import articles_pending, extracted_count, lost_or_wrong
from tests.reliability.harness import publish, wait_for
from tests.reliability.pg_faults import connection_killed_while_waiting_on

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_task_retries_after_its_connection_is_killed_mid_transaction(make_redis, make_worker):
    redis = make_redis(aof=False)
    ids = articles_pending(1)
    worker = make_worker(redis.url)

    # SHARE lets the task lock the article row and insert claims, then blocks the write of
    # its ArticleExtraction row (the mark that the article is done).
    with connection_killed_while_waiting_on("factcheck_articleextraction", "SHARE", hold=True) as killed:
        publish(extract_claims, ids, redis.url)
        assert wait_for(lambda: bool(killed), timeout=60), worker.log()[-3000:]
        assert wait_for(lambda: "Retry in" in worker.log(), timeout=30), worker.log()[-3000:]
        assert Claim.objects.filter(article_id=ids[0]).count() == 0  # the killed run left nothing
        assert extracted_count(ids) == 0

    assert wait_for(lambda: extracted_count(ids) == 1, timeout=60), worker.log()[-3000:]
    assert "OperationalError" in worker.log()
    assert lost_or_wrong(ids) == []
