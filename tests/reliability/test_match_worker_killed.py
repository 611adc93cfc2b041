"""A pool process SIGKILLed in the middle of ``match_claim`` on the claims of a batch of articles.

Every claim has a prior fact-check saying the same thing, so a claim without a stored
match is a lost task. The killed task's message is re-queued (``reject_on_worker_lost``);
``claim_match`` replaces suggestions in one transaction, so the rerun adds no duplicate.
"""

import os
import signal

import pytest
from django.db.models import Count

from factcheck.models import Claim, CoverageMatch
from factcheck.tasks import match_claim
from tests.reliability.batch import articles_pending, one_claim_per_article
from tests.reliability.harness import publish, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

# 500 claims: 23 s on an idle 2-core box, 154 s when 6 other jobs share it; lower it with
# RELIABILITY_MATCH_BATCH on a slower machine.
BATCH = int(os.environ.get("RELIABILITY_MATCH_BATCH", "500"))


def matched(claim_ids: list[int]) -> int:
    return Claim.objects.filter(pk__in=claim_ids, matches__isnull=False).distinct().count()


def test_pool_process_killed_mid_match_loses_no_claim(make_redis, make_worker):
    redis = make_redis(aof=False)
    claim_ids = one_claim_per_article(articles_pending(BATCH))
    worker = make_worker(redis.url)
    publish(match_claim, claim_ids, redis.url)
    assert wait_for(lambda: matched(claim_ids) >= 20, timeout=90), worker.log()[-3000:]

    for _ in range(10):  # a pool process may be between tasks; kill until one dies mid-task
        before = worker.log().count("exited prematurely")
        os.kill(worker.pool_children()[0], signal.SIGKILL)
        if wait_for(lambda b=before: worker.log().count("exited prematurely") > b, timeout=3):
            break

    assert "exited prematurely" in worker.log(), "no pool process was killed in the middle of a task"
    assert wait_for(lambda: matched(claim_ids) == BATCH, timeout=60 + BATCH), worker.log()[-3000:]
    duplicates = (
        CoverageMatch.objects.filter(claim_id__in=claim_ids)
        .values("claim_id", "prior_factcheck_id", "prior_claim_id", "prior_article_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    assert list(duplicates) == []
