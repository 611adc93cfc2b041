"""A worker's pool process SIGKILLed in the middle of ``group_claim``.

Each of the claims repeats a claim grouped before it. ``claim_group`` joins, indexes and
marks the claim in one transaction, so a killed task leaves the claim ungrouped (and its
message re-queued, ``reject_on_worker_lost``), never an appearance without ``grouped_at``
or a group event without its join; the rerun groups it once.
"""

import os
import signal

import pytest
from django.db.models import Count

from coverage.grouping import claim_group
from coverage.models import SearchDoc
from coverage.tasks import group_claim
from factcheck.models import Claim, ReviewEvent
from tests.reliability.harness import publish, wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]

BATCH = int(os.environ.get("RELIABILITY_GROUP_BATCH", "150"))
TOPICS = [
    "bridges",
    "schools",
    "libraries",
    "parks",
    "buses",
    "hospitals",
    "prisons",
    "roads",
    "ports",
    "farms",
]


def grouped(claim_ids: list[int]) -> int:
    return Claim.objects.filter(pk__in=claim_ids, grouped_at__isnull=False).count()


def test_pool_process_killed_mid_grouping_leaves_no_half_grouped_claim(make_redis, make_worker):
    repeats = []
    for n in range(BATCH):
        topic, amount = TOPICS[n % len(TOPICS)], 1000 + 37 * n
        first = Claim.objects.create(text=f"The council spent {amount} pounds on {topic} in the year {n}.")
        claim_group(claim_id=first.pk)
        repeats.append(
            Claim.objects.create(text=f"In the year {n} the council spent {amount} pounds on {topic}.")
        )
    repeat_ids = [c.pk for c in repeats]
    redis = make_redis(aof=False)
    worker = make_worker(redis.url)
    publish(group_claim, repeat_ids, redis.url)
    assert wait_for(lambda: grouped(repeat_ids) >= 10, timeout=120), worker.log()[-3000:]

    for _ in range(10):  # a pool process may be between tasks; kill until one dies mid-task
        before = worker.log().count("exited prematurely")
        os.kill(worker.pool_children()[0], signal.SIGKILL)
        if wait_for(lambda b=before: worker.log().count("exited prematurely") > b, timeout=3):
            break

    assert "exited prematurely" in worker.log(), "no pool process was killed in the middle of a task"
    assert wait_for(lambda: grouped(repeat_ids) == BATCH, timeout=120 + BATCH), worker.log()[-3000:]
    rows = Claim.objects.filter(pk__in=repeat_ids)
    assert not rows.filter(same_as__isnull=False, grouped_at__isnull=True).exists()
    joined = rows.filter(same_as__isnull=False).count()
    events = ReviewEvent.objects.filter(claim_id__in=repeat_ids, transition="group")
    assert events.count() == joined  # one event per join, none for a join rolled back
    assert not events.values("claim_id").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert SearchDoc.objects.filter(kind="appearance", object_id__in=repeat_ids).count() == BATCH
    assert joined >= 0.9 * BATCH, joined
