"""A prior item whose embedding task was lost is embedded by the periodic sweep
(``coverage.tasks.sweep_unembedded``), so dense search finds it again."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from core import embedding
from coverage import tasks
from coverage.matching import search
from coverage.matching.index import IndexItem, searchdocs_upsert
from coverage.models import SearchDoc
from coverage.selectors import searchdocs_pending_embedding

pytestmark = pytest.mark.django_db


def _lost(object_id, text, minutes_ago):
    """An item indexed without its embedding task (the broker lost it)."""
    [doc_id] = searchdocs_upsert(items=[IndexItem("factcheck", object_id, text)])
    SearchDoc.objects.filter(pk=doc_id).update(updated_at=timezone.now() - timedelta(minutes=minutes_ago))
    return doc_id


def test_sweep_embeds_items_whose_task_was_lost_and_leaves_recent_ones():
    assert embedding.available(), "requirements-embeddings.txt installs the model"
    old = _lost(1, "Drinking hot water every fifteen minutes kills the coronavirus.", 60)
    recent = _lost(2, "The moon landing footage was filmed in a studio in Nevada.", 1)
    assert set(
        searchdocs_pending_embedding(older_than=timedelta(minutes=15)).values_list("pk", flat=True)
    ) == {old}
    assert tasks.sweep_unembedded.apply(kwargs={"older_than_minutes": 15}).get() == 1
    embedded = dict(SearchDoc.objects.values_list("pk", "embedding_model"))
    assert embedded == {old: embedding.MODEL_ID, recent: ""}
    match = search("Sipping hot water often destroys the corona virus", limit=1)[0]
    assert match.doc_id == old and match.dense_rank == 1


def test_sweep_with_nothing_lost_queues_nothing():
    _lost(3, "Vaccines contain microchips for tracking people.", 60)
    assert tasks.sweep_unembedded.apply(kwargs={"older_than_minutes": 15}).get() == 1
    assert tasks.sweep_unembedded.apply(kwargs={"older_than_minutes": 15}).get() == 0


def test_sweep_pending_command_embeds_them_too(capsys):
    doc_id = _lost(4, "Five G masts spread the flu.", 60)
    call_command("sweep_pending", "--older-than", "15")
    assert "1 prior item(s) pending embedding for 15+ min; queued 1" in capsys.readouterr().out
    assert SearchDoc.objects.get(pk=doc_id).embedding_model == embedding.MODEL_ID
