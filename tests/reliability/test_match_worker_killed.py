"""A worker SIGKILLed in the middle of ``match_claim`` on the claims of a batch of articles.

Every claim has a prior fact-check saying the same thing, so a claim without a stored
match is a lost task. A killed pool process has its task's message re-queued at once
(``reject_on_worker_lost``); a whole worker killed leaves its unacknowledged messages in
Redis, redelivered after the visibility timeout (or re-queued earlier by the sweep).
``claim_match`` replaces suggestions in one transaction, so a rerun adds no duplicate.
"""

import os
import signal
import time

import pytest
from django.db.models import Count

from coverage.models import CoverageMatch
from coverage.tasks import match_claim
from factcheck.models import Claim
from tests.reliability.batch import articles_pending, one_claim_per_article
from tests.reliability.harness import manage, publish, wait_for

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
    assert duplicate_matches(claim_ids) == []


def test_whole_worker_killed_mid_match_then_restarted_loses_no_claim(make_redis, make_worker):
    redis = make_redis(aof=False)
    claim_ids = one_claim_per_article(articles_pending(BATCH))
    # A short visibility timeout so the killed worker's unacknowledged messages come back
    # within the test; production keeps an hour and relies on the sweep in between.
    first = make_worker(redis.url, CELERY_VISIBILITY_TIMEOUT="5")
    publish(match_claim, claim_ids, redis.url)
    assert wait_for(lambda: matched(claim_ids) >= 20, timeout=90), first.log()[-3000:]
    first.kill()
    done_at_kill = matched(claim_ids)
    unacked = redis.unacked()
    # kombu restores expired unacknowledged messages when a worker starts, then every ~100 s:
    # restart once they are past the visibility timeout, as an operator would.
    time.sleep(6)

    second = make_worker(redis.url, CELERY_VISIBILITY_TIMEOUT="5")
    redelivered = wait_for(lambda: matched(claim_ids) == BATCH, timeout=60 + BATCH)
    swept = ""
    if not redelivered:
        # A message popped (BRPOP) but not yet recorded as unacknowledged dies with the
        # worker (see test_worker_killed): the sweep of unmatched claims is the net.
        state = (
            matched(claim_ids),
            redis.queue_length("matching"),
            redis.unacked(),
        )
        swept = manage("sweep_pending", "--older-than", "0", broker_url=redis.url).stdout
        print(f"after redelivery (matched, queued, unacked) = {state}; sweep: {swept}")
        assert wait_for(lambda: matched(claim_ids) == BATCH, timeout=90), second.log()[-3000:]
    assert done_at_kill < BATCH and unacked >= 1, (done_at_kill, unacked)
    assert "coverage.tasks.match_claim[" in second.log()  # the rest ran in the new worker
    assert not Claim.objects.filter(pk__in=claim_ids, matched_at__isnull=True).exists()
    assert duplicate_matches(claim_ids) == []
    assert redelivered or "claim(s) pending matching" in swept, swept


def duplicate_matches(claim_ids: list[int]) -> list[dict]:
    return list(
        CoverageMatch.objects.filter(claim_id__in=claim_ids)
        .values("claim_id", "prior_factcheck_id", "prior_claim_id", "prior_article_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
