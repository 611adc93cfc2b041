"""Dense search through the ANN index (faiss IVF), forced on small collections.

Production switches to the index from ``FACTCHECK_ANN_MIN_ROWS`` (200k) vectors; here the
threshold is lowered so the same code path runs on a handful of fact-checks.
"""

import logging
import sys
import time

import pytest

from core import embedding
from coverage.matching import ann, search, vectors
from coverage.matching.index import IndexItem, item_vectors, searchdocs_embed, searchdocs_upsert
from coverage.models import SearchDoc
from tests.coverage.test_matching import CHECKS, _import

PARAPHRASE = "A viral post says kids get autism from their vaccine shots, doctors disagree"


@pytest.fixture
def ann_forced(monkeypatch, settings):
    settings.FACTCHECK_ANN_MIN_ROWS = 1
    monkeypatch.setattr(vectors, "ANN_IN_BACKGROUND", False)
    assert ann.available(), "requirements-embeddings.txt installs faiss-cpu"


def _cache():
    cache = vectors.cache_for()
    cache.refresh()
    return cache


def _vector(text):
    return item_vectors([(text, "")])[0]


@pytest.mark.django_db
def test_paraphrase_is_found_through_the_ann_index(ann_forced):
    ids = _import()
    matches = search(PARAPHRASE, limit=3)
    cache = vectors.cache_for()
    assert cache.ann is not None and cache.ann.entries == len(CHECKS)
    assert matches[0].object_id == ids[CHECKS[0][0]] and matches[0].dense_rank == 1
    query = embedding.embed([PARAPHRASE])[0]
    approx, exact = cache.search(query, limit=4), cache.search(query, limit=4, exact=True)
    assert [d for d, _ in approx] == [d for d, _ in exact]
    assert [s for _, s in approx] == pytest.approx([s for _, s in exact], abs=1e-5)


@pytest.mark.django_db
def test_background_build_serves_exact_until_adopted(ann_forced, monkeypatch):
    monkeypatch.setattr(vectors, "ANN_IN_BACKGROUND", True)
    ids = _import()
    assert search(PARAPHRASE, limit=3)[0].object_id == ids[CHECKS[0][0]]  # exact, or the index if done
    cache = vectors.cache_for()
    cache.wait_for_ann(timeout=60)
    assert cache.ann is not None and cache.ann.entries == len(CHECKS)
    assert cache.ann_stats().startswith("faiss IVF")
    assert search(PARAPHRASE, limit=3)[0].object_id == ids[CHECKS[0][0]]


@pytest.mark.django_db
def test_rows_added_later_are_searched_without_a_rebuild(ann_forced):
    _import()
    index = _cache().ann
    stale = searchdocs_upsert(items=[IndexItem("claim", 9001, "Garlic soup cures influenza overnight.")])
    searchdocs_embed(doc_ids=stale)
    cache = _cache()
    assert cache.ann is index and index.entries == len(CHECKS) + 1
    found = cache.search(_vector("Garlic soup cures influenza overnight."), limit=1)
    assert found[0][0] == stale[0] and found[0][1] == pytest.approx(1.0, abs=0.01)


@pytest.mark.django_db
def test_masked_and_deleted_rows_are_never_returned(ann_forced):
    _import()
    index = _cache().ann
    changed = SearchDoc.objects.get(text=CHECKS[0][0])
    deleted = SearchDoc.objects.get(text=CHECKS[1][0])
    # A changed text clears the stored vector until the embedding task runs again: the
    # row stays in the index (one stale entry of six), the search filters it out.
    searchdocs_upsert(items=[IndexItem("factcheck", changed.object_id, "Something else entirely.")])
    cache = _cache()
    assert cache.ann is index
    found = [doc_id for doc_id, _ in cache.search(_vector(CHECKS[0][0]), limit=10)]
    assert changed.pk not in found and len(found) == len(CHECKS) - 1
    # A deleted row is masked by the periodic pass (a third masked: all is rebuilt).
    deleted.delete()
    cache.loaded_at = time.monotonic() - vectors.FULL_RELOAD_SECONDS - 1
    vectors.mark_dirty()
    cache = _cache()
    assert cache.ann is not index
    for text in (CHECKS[0][0], CHECKS[1][0]):
        found = [doc_id for doc_id, _ in cache.search(_vector(text), limit=10)]
        assert changed.pk not in found and deleted.pk not in found
        assert len(found) == len(CHECKS) - 2
    assert all(m.doc_id not in (changed.pk, deleted.pk) for m in search(CHECKS[0][0], limit=10))


@pytest.mark.django_db
def test_kinds_filter_on_the_ann_path(ann_forced):
    _import()
    stale = searchdocs_upsert(items=[IndexItem("article", 7, "Carrots and eyesight: what the science says")])
    searchdocs_embed(doc_ids=stale)
    query = _vector(CHECKS[4][0])
    assert [d for d, _ in _cache().search(query, limit=5, kinds=("article",))] == stale
    assert stale[0] not in [d for d, _ in _cache().search(query, limit=10, kinds=("factcheck",))]


@pytest.mark.django_db
def test_exact_search_when_faiss_is_absent(ann_forced, monkeypatch, caplog):
    monkeypatch.setitem(sys.modules, "faiss", None)  # as if faiss-cpu were not installed
    monkeypatch.setattr(ann, "_warned", False)
    ids = _import()
    with caplog.at_level(logging.WARNING, logger="coverage.matching.ann"):
        assert search(PARAPHRASE, limit=3)[0].object_id == ids[CHECKS[0][0]]
        vectors.mark_dirty()
        search(PARAPHRASE, limit=3)
    assert vectors.cache_for().ann is None
    assert vectors.cache_for().ann_stats() == "off, exact (faiss not installed)"
    assert sum("faiss-cpu is not installed" in r.getMessage() for r in caplog.records) == 1


@pytest.mark.django_db
def test_a_row_written_with_its_vector_joins_the_index_on_commit(
    ann_forced, django_capture_on_commit_callbacks
):
    _import()
    index = _cache().ann
    vector = _vector("Garlic soup cures influenza overnight.")
    with django_capture_on_commit_callbacks(execute=True):
        stale = searchdocs_upsert(
            items=[IndexItem("claim", 9001, "Garlic soup cures influenza overnight.", vector=vector)]
        )
    assert stale == []  # nothing left for the embedding task
    doc = SearchDoc.objects.get(kind="claim", object_id=9001)
    cache = vectors.cache_for()  # not refreshed: the commit put the row in
    assert cache.ann is index and index.entries == len(CHECKS) + 1
    found = cache.search(vector, limit=1)
    assert found[0][0] == doc.pk and found[0][1] == pytest.approx(1.0, abs=0.01)


@pytest.mark.django_db
def test_exact_search_follows_a_row_whose_vector_was_cleared():
    _import()
    cache = _cache()
    target = SearchDoc.objects.get(text=CHECKS[0][0])
    query = _vector(CHECKS[0][0])
    assert cache.search(query, limit=1)[0][0] == target.pk  # the row mask is built here
    searchdocs_upsert(items=[IndexItem("factcheck", target.object_id, "Something else entirely.")])
    cache = _cache()
    assert target.pk not in [d for d, _ in cache.search(query, limit=10)]
    assert target.pk not in [d for d, _ in cache.search(query, limit=10, kinds=("factcheck",))]
