"""The sweep does not pile duplicates onto a long queue, and duplicates it adds are harmless."""

import pytest

from factcheck.tasks import extract_claims
from tests.reliability.batch import articles_pending, extracted_count, lost_or_wrong
from tests.reliability.harness import manage, publish, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_sweep_waits_while_workers_are_behind_then_requeues(make_redis, make_worker):
    redis = make_redis(aof=False)
    ids = articles_pending(6)
    publish(extract_claims, ids, redis.url)  # queued, no worker yet: a backlog of 6

    behind = manage("sweep_pending", "--older-than", "0", "--limit", "5", broker_url=redis.url)
    assert behind.returncode == 0, behind.stderr
    assert "skipped: 6 messages already wait in the queue" in behind.stdout
    assert redis.queue_length() == 6

    swept = manage("sweep_pending", "--older-than", "0", "--limit", "10", broker_url=redis.url)
    assert "queued 6" in swept.stdout, swept.stdout + swept.stderr
    assert redis.queue_length() == 12

    worker = make_worker(redis.url)
    assert wait_for(lambda: extracted_count(ids) == 6 and redis.queue_length() == 0, timeout=60), (
        worker.log()[-2000:]
    )
    assert lost_or_wrong(ids) == []  # each article extracted twice, its claims stored once
