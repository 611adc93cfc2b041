"""Matching has its own queue, so its fan-out never waits in line ahead of extraction.

``bench/ingest_load.py`` ended a run with 25,000 match tasks queued on the one queue that
extraction also used. ``CELERY_TASK_ROUTES`` now sends matching to ``matching``; a worker
per queue (the README's production layout) keeps extracting whatever matching's backlog.
"""

import pytest

from core.tasks import task_queue
from coverage import tasks as coverage_tasks
from factcheck import tasks
from factcheck.models import Claim
from partners import tasks as partner_tasks
from tests.reliability.batch import articles_pending, extracted_count, lost_or_wrong, one_claim_per_article
from tests.reliability.harness import publish, wait_for

MATCHING = ["match_claim", "rematch_open_claims", "rematch_after_publish"]
EMBEDDING = ["embed_and_rematch"]
DEFAULT = [
    "extract_claims",
    "send_review_event_email",
    "sweep_unextracted",
    "sweep_unmatched",
    "sweep_unembedded",
    "sweep_unsent_mail",
    "notify_partners",
    "deliver_webhook_event",
]


def test_matching_tasks_go_to_the_matching_queue_and_the_rest_to_the_default_one():
    by_name = {
        name: getattr(module, name)
        for module in (tasks, coverage_tasks, partner_tasks)
        for name in MATCHING + EMBEDDING + DEFAULT
        if hasattr(module, name)
    }
    assert {name: task_queue(task.name) for name, task in by_name.items()} == {
        **dict.fromkeys(MATCHING, "matching"),
        **dict.fromkeys(EMBEDDING, "embedding"),
        **dict.fromkeys(DEFAULT, "celery"),
    }


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_per_queue_extracts_while_matching_waits_for_its_own_worker(make_redis, make_worker):
    redis = make_redis(aof=False)
    claim_ids = one_claim_per_article(articles_pending(20, seed=81))
    article_ids = articles_pending(20, seed=82)
    publish(coverage_tasks.match_claim, claim_ids, redis.url)
    publish(tasks.extract_claims, article_ids, redis.url)
    assert (redis.queue_length("celery"), redis.queue_length("matching")) == (20, 20)

    extraction = make_worker(redis.url, queues="celery")
    assert wait_for(lambda: extracted_count(article_ids) == 20, timeout=60), extraction.log()[-3000:]
    assert lost_or_wrong(article_ids) == []
    new_claims = Claim.objects.filter(article_id__in=article_ids)
    # The extraction worker queued matching for its new claims but ran none of it.
    assert redis.queue_length("matching") == 20 + new_claims.count()
    assert not Claim.objects.filter(pk__in=claim_ids, matched_at__isnull=False).exists()
    assert "coverage.tasks.match_claim[" not in extraction.log()  # no task received

    matching = make_worker(redis.url, queues="matching")
    everything = Claim.objects.filter(pk__in=[*claim_ids, *new_claims.values_list("pk", flat=True)])
    assert wait_for(lambda: not everything.filter(matched_at__isnull=True).exists(), timeout=120), (
        matching.log()[-3000:]
    )
    assert not Claim.objects.filter(pk__in=claim_ids, matches__isnull=True).exists()
    assert "factcheck.tasks.extract_claims[" not in matching.log()
    assert "coverage.tasks.match_claim[" in matching.log()
    assert wait_for(lambda: redis.queue_length("matching") == 0, timeout=30)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_on_both_queues_takes_extraction_first(make_redis, make_worker):
    """``queue_order_strategy: priority``: matching waits while extraction is queued."""
    redis = make_redis(aof=False)
    claim_ids = one_claim_per_article(articles_pending(10, seed=83))
    article_ids = articles_pending(10, seed=84)
    publish(coverage_tasks.match_claim, claim_ids, redis.url)  # queued first, yet taken last
    publish(tasks.extract_claims, article_ids, redis.url)

    worker = make_worker(redis.url, concurrency=1)
    assert wait_for(lambda: not Claim.objects.filter(matched_at__isnull=True).exists(), timeout=120), (
        worker.log()[-3000:]
    )
    received = [
        line.split("Task ")[1].split("[")[0] for line in worker.log().splitlines() if "] received" in line
    ]
    last_extraction = max(i for i, name in enumerate(received) if name == "factcheck.tasks.extract_claims")
    first_match = received.index("coverage.tasks.match_claim")
    assert received.count("factcheck.tasks.extract_claims") == 10
    assert last_extraction < first_match, received


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_new_claim_is_matched_before_a_large_import_is_embedded(make_redis, make_worker):
    """A large import's vectors wait on their own queue, which a worker takes last: a match
    task queued behind 20 embedding batches runs before them, not after."""
    from kombu import Connection

    from coverage.models import SearchDoc, SearchKind

    redis = make_redis(aof=False)
    docs = SearchDoc.objects.bulk_create(
        SearchDoc(kind=SearchKind.FACTCHECK, object_id=n, text=f"Imported fact-check {n} about tunnel tolls.")
        for n in range(1000)
    )
    ids = [doc.pk for doc in docs]
    with Connection(redis.url) as conn:
        producer = coverage_tasks.embed_and_rematch.app.amqp.Producer(conn, auto_declare=True)
        for start in range(0, len(ids), 50):
            coverage_tasks.embed_and_rematch.apply_async(
                (ids[start : start + 50],), {"rematch": False}, producer=producer
            )
    claim_ids = one_claim_per_article(articles_pending(1, seed=85))
    publish(coverage_tasks.match_claim, claim_ids, redis.url)  # queued after every batch
    assert (redis.queue_length("embedding"), redis.queue_length("matching")) == (20, 1)

    worker = make_worker(redis.url, concurrency=1)
    matched = Claim.objects.filter(pk__in=claim_ids, matched_at__isnull=False)
    assert wait_for(matched.exists, timeout=120), worker.log()[-3000:]
    assert redis.queue_length("embedding") >= 15  # at most the batches a worker holds ran first
    assert wait_for(lambda: not SearchDoc.objects.filter(embedding_model="").exists(), timeout=300), (
        worker.log()[-3000:]
    )
