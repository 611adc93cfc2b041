"""A large ClaimReview import, or a sweep of many lost items, is embedded in bounded tasks
and re-matches the open claims once, so other matching work interleaves with it."""

import io
import json
import math
from datetime import timedelta

import pytest
from celery.signals import task_prerun
from django.core.management import call_command
from django.utils import timezone

from core import embedding
from coverage.matching.index import IndexItem, searchdocs_upsert
from coverage.models import SearchDoc, SearchKind
from coverage.sweeps import searchdocs_sweep_unembedded
from coverage.tasks import EMBED_TASK_BATCH
from factcheck.models import Claim
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ran():
    """(task name, args, kwargs) of every task run, nested ones included (eager mode)."""
    runs: list[tuple[str, tuple, dict]] = []

    def record(sender=None, args=None, kwargs=None, **extra):
        runs.append((sender.name.rsplit(".", 1)[-1], tuple(args or ()), dict(kwargs or {})))

    task_prerun.connect(record, weak=False)
    yield runs
    task_prerun.disconnect(record)


def _feed(path, count: int):
    lines = [
        json.dumps(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"https://checks.example/{n}",
                "claimReviewed": f"Claim number {n} about the harbour tunnel budget.",
                "reviewRating": {"@type": "Rating", "alternateName": "False"},
            }
        )
        for n in range(count)
    ]
    path.write_text("\n".join(lines))
    return path


def test_a_large_import_is_embedded_in_bounded_tasks_and_rematches_once(
    tmp_path, ran, lexical_only, django_capture_on_commit_callbacks
):
    ClaimFactory.create_batch(150)  # open claims: two re-matching batches of 100
    count = 2 * EMBED_TASK_BATCH + 50
    feed = _feed(tmp_path / "feed.jsonl", count)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_claimreview", str(feed), stdout=io.StringIO())

    doc_ids = set(SearchDoc.objects.filter(kind=SearchKind.FACTCHECK).values_list("pk", flat=True))
    assert len(doc_ids) == count
    embeds = [(args, kwargs) for name, args, kwargs in ran if name == "embed_and_rematch"]
    assert len(embeds) == math.ceil(count / EMBED_TASK_BATCH) + 1 == 4
    *batches, last = embeds
    assert all(len(args[0]) <= EMBED_TASK_BATCH and kwargs == {"rematch": False} for args, kwargs in batches)
    assert set().union(*(args[0] for args, _ in batches)) == doc_ids
    # The re-match is an empty batch queued last on the embedding queue: it follows the vectors.
    assert last == (([],), {"rematch": True})
    rematches = [args for name, args, _ in ran if name == "rematch_open_claims"]
    assert rematches.count(()) == 1  # the one fan-out
    assert sorted(len(args[0]) for args in rematches if args) == [50, 100]
    assert not Claim.objects.filter(matched_at__isnull=True).exists()


def test_the_embedding_sweep_queues_bounded_batches_and_one_rematch(ran, monkeypatch):
    assert embedding.available(), "requirements-embeddings.txt installs the model"
    monkeypatch.setattr("coverage.sweeps.EMBED_TASK_BATCH", 2)
    ids = searchdocs_upsert(
        items=[IndexItem("factcheck", n, f"Lost item {n} about tides.") for n in range(5)]
    )
    SearchDoc.objects.update(updated_at=timezone.now() - timedelta(hours=1))

    result = searchdocs_sweep_unembedded(older_than=timedelta(minutes=15))

    assert (result.found, result.queued) == (5, 5)
    embeds = [(args, kwargs) for name, args, kwargs in ran if name == "embed_and_rematch"]
    assert [len(args[0]) for args, _ in embeds] == [2, 2, 1, 0]
    assert embeds[-1][1] == {"rematch": True}
    assert sorted(sum((args[0] for args, _ in embeds), [])) == sorted(ids)
    assert [args for name, args, _ in ran if name == "rematch_open_claims"] == [()]
    assert not SearchDoc.objects.filter(embedding_model="").exists()
