"""A worker SIGKILLed in the middle of a batch of 500 extractions loses nothing.

``acks_late`` + ``reject_on_worker_lost``: a message is acknowledged only after its task
ran, so a pool process killed mid-task has its message re-queued at once, and a whole
worker killed leaves its unacknowledged messages in Redis to be redelivered after the
visibility timeout (or re-queued earlier by the sweep). ``claims_extract`` runs in one
transaction and is idempotent, so the rerun finishes the work without duplicates.
"""

import os
import signal
import time

import pytest

from factcheck.tasks import extract_claims
from tests.reliability.batch import articles_pending, extracted_count, lost_or_wrong
from tests.reliability.harness import manage, publish, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

BATCH = 500
SWEEP_BATCH = 100


def test_pool_process_killed_mid_task_loses_no_article(make_redis, make_worker):
    redis = make_redis(aof=False)
    ids = articles_pending(BATCH)
    worker = make_worker(redis.url)
    publish(extract_claims, ids, redis.url)
    assert wait_for(lambda: extracted_count(ids) >= 50, timeout=60), worker.log()[-3000:]

    lost_jobs = 0
    for _ in range(20):  # a pool process may be between tasks; kill until one dies mid-task
        before = worker.log().count("exited prematurely")
        pid = worker.busy_pool_child() or worker.pool_children()[0]
        os.kill(pid, signal.SIGKILL)
        wait_for(lambda b=before: worker.log().count("exited prematurely") > b, timeout=1)
        lost_jobs = worker.log().count("exited prematurely")
        if lost_jobs >= 2 or extracted_count(ids) > BATCH - 50:
            break

    assert lost_jobs >= 1, "no pool process was killed in the middle of a task"
    assert wait_for(lambda: extracted_count(ids) == BATCH, timeout=90), worker.log()[-3000:]
    assert lost_or_wrong(ids) == []


def test_whole_worker_killed_then_restarted_loses_no_article(make_redis, make_worker):
    redis = make_redis(aof=False)
    ids = articles_pending(BATCH)
    # A short visibility timeout so the killed worker's unacknowledged messages come back
    # within the test; production keeps an hour and relies on the sweep in between.
    first = make_worker(redis.url, CELERY_VISIBILITY_TIMEOUT="5")
    publish(extract_claims, ids, redis.url)
    assert wait_for(lambda: extracted_count(ids) >= 100, timeout=60), first.log()[-3000:]
    wait_for(lambda: redis.unacked() >= 1, timeout=10, interval=0.002)  # mid-task, not between two
    first.kill()
    done_at_kill = extracted_count(ids)
    unacked = redis.unacked()
    # kombu scans for expired unacknowledged messages when a worker starts and then only
    # every ~100 s: restart once they are past the visibility timeout, as an operator would.
    time.sleep(6)

    second = make_worker(redis.url, CELERY_VISIBILITY_TIMEOUT="5")
    # Redelivery happens at kombu's restore scans: at worker start, then every ~100 s.
    redelivered = wait_for(lambda: extracted_count(ids) == BATCH, timeout=130)
    swept = ""
    if not redelivered:
        # The Redis transport pops a message (BRPOP) before it records it as unacknowledged:
        # a worker killed in that instant takes the message with it. The sweep is the net.
        state = (extracted_count(ids), redis.queue_length(), redis.unacked())
        swept = manage("sweep_pending", "--older-than", "0", broker_url=redis.url).stdout
        print(f"after redelivery (extracted, queued, unacked) = {state}; sweep: {swept}")
        assert wait_for(lambda: extracted_count(ids) == BATCH, timeout=60), second.log()[-3000:]
    assert done_at_kill < BATCH and unacked >= 1, (done_at_kill, unacked)
    assert lost_or_wrong(ids) == []
    assert redelivered or f"{BATCH - state[0]} article(s) pending" in swept, (state, swept)


def test_unacked_messages_of_a_killed_worker_are_recovered_by_the_sweep(make_redis, make_worker):
    """Default visibility timeout (an hour): the sweep re-queues what the dead worker held.

    The sweep runs right after the crash, so it also re-queues articles whose message is
    still waiting: the duplicates must be harmless.
    """
    redis = make_redis(aof=False)
    ids = articles_pending(SWEEP_BATCH)
    publish(extract_claims, ids, redis.url)
    stranded = 0
    # An extraction takes milliseconds: the worker may be between two messages when it
    # dies and strand none. Kill it just after it was seen holding one; try again if the
    # message was acked in that instant.
    for _ in range(3):
        first = make_worker(redis.url)
        assert wait_for(lambda: extracted_count(ids) >= 20, timeout=60), first.log()[-3000:]
        wait_for(lambda: redis.unacked() >= 1, timeout=10, interval=0.002)
        first.kill()
        stranded = redis.unacked()
        if stranded >= 1 or extracted_count(ids) > SWEEP_BATCH - 20:
            break
    swept = manage("sweep_pending", "--older-than", "0", broker_url=redis.url)
    assert swept.returncode == 0, swept.stderr

    second = make_worker(redis.url)
    assert wait_for(lambda: extracted_count(ids) == SWEEP_BATCH, timeout=90), second.log()[-3000:]
    still_unacked = redis.unacked()
    assert stranded >= 1 and still_unacked >= stranded, (stranded, still_unacked, swept.stdout)
    assert lost_or_wrong(ids) == []
