"""The faiss IVF index itself (coverage/matching/ann.py), on vectors made here: the
product-quantised fast-scan lists used from ``PQ_MIN_ROWS`` rows, and the 8-bit lists
below. No database: the vector cache's use of it is tested in test_matching_ann.py."""

import numpy as np
import pytest

from coverage.matching import ann


def _unit(m):
    return (m / np.linalg.norm(m, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def matrix():
    """5,000 vectors around 60 topics, like sentence embeddings of several stories."""
    rng = np.random.default_rng(3)
    topics = rng.standard_normal((60, 384))
    return _unit(topics[rng.integers(0, 60, 5000)] + 0.8 * rng.standard_normal((5000, 384)))


def _rescored(matrix, query, rows, k):
    rows = np.unique(rows)
    return set(rows[np.argsort(-(matrix[rows] @ query))[:k]].tolist())


@pytest.mark.parametrize(("rows", "codes"), [(5000, "pq"), (1000, "sq8")])
def test_index_finds_the_exact_neighbours_after_rescoring(matrix, rows, codes):
    assert ann.available(), "requirements-embeddings.txt installs faiss-cpu"
    index = ann.IvfIndex(matrix, np.arange(rows))
    assert index.codes == codes and index.entries == rows
    everyone = np.packbits(np.ones(rows, bool), bitorder="little")
    rng = np.random.default_rng(5)
    recalls = []
    for row in rng.choice(rows, 40, replace=False):
        query = _unit(matrix[row : row + 1] + 0.3 * rng.standard_normal((1, 384)))[0]
        exact = set(np.argsort(-(matrix[:rows] @ query))[:10].tolist())
        found = index.search(query, 20, everyone)
        assert len(found) == (100 if codes == "pq" else 20)  # PQ returns REFINE x as many
        recalls.append(len(exact & _rescored(matrix, query, found, 10)) / 10)
    assert np.mean(recalls) >= 0.8, recalls


def test_rows_outside_the_bitmap_are_never_returned(matrix):
    index = ann.IvfIndex(matrix, np.arange(len(matrix)))
    allowed = np.zeros(len(matrix), bool)
    allowed[1::2] = True
    bitmap = np.packbits(allowed, bitorder="little")
    for row in range(0, 200, 7):
        found = index.search(matrix[row], 20, bitmap)
        assert len(found) and (found % 2 == 1).all()


def test_rows_added_after_training_are_found(matrix):
    index = ann.IvfIndex(matrix, np.arange(4000))
    index.add(matrix, np.arange(4000, 5000))
    assert index.entries == 5000
    everyone = np.packbits(np.ones(5000, bool), bitorder="little")
    hits = sum(row in index.search(matrix[row], 10, everyone) for row in range(4000, 5000, 50))
    assert hits >= 18  # of 20: a stored vector is its own nearest neighbour
    assert "PQ192x4 fast scan" in index.description
