"""Approximate dense search for large collections: a faiss IVF index over the vector cache.

Exact search reads every stored vector per query, too slow at a million; an inverted-file
index reads only the lists nearest to the query (``PROBE_SHARE`` of them). IVF rather
than a graph index (HNSW, e.g. usearch) because each process builds it from the stored
vectors, and an HNSW build took several times longer; IVF builds in a background thread
and takes incremental adds without degrading (figures: ``docs/decisions/matching.md``).
Vectors are stored as 4-bit product-quantisation codes (an eighth of float32 per dimension
pair; 8-bit scalars on small collections); the candidates it returns are re-scored exactly
from the cache's float32 matrix, so scores are exact and quantisation only affects recall.

faiss (``faiss-cpu``) is in the optional embeddings extra; without it the cache stays
exact and says so once in the log. Index ids are row numbers of the cache's matrix:
a row's kind and mask are checked with a bitmap selector inside the search, and a
row whose vector changed is simply added again (its old entry scores from the current
vector at re-scoring, and the index is rebuilt once too much of it is stale).
"""

from __future__ import annotations

import logging
import math

import numpy as np
from django.conf import settings

logger = logging.getLogger(__name__)
_warned = False


def available() -> bool:
    """True when faiss imports; logs once per process when it does not."""
    global _warned
    logging.getLogger("faiss.loader").setLevel(logging.WARNING)  # its probing of CPU builds
    try:
        import faiss  # noqa: F401
    except ImportError:
        if not _warned:
            _warned = True
            logger.warning(
                "faiss-cpu is not installed: dense matching searches every vector exactly "
                "(slow past ~200k items); pip install -r requirements-embeddings.txt"
            )
        return False
    return True


_threads_set = False


def _faiss():
    """faiss, held to one OpenMP thread per process (``FACTCHECK_FAISS_THREADS``).

    Searches are one query at a time (faiss runs those on one thread anyway), and the
    index builds in a background thread beside the searches; OpenMP's spin-waiting
    threads on a few shared cores make everything far slower under load (figures:
    ``docs/decisions/matching.md``).
    """
    global _threads_set
    import faiss

    if not _threads_set:
        faiss.omp_set_num_threads(settings.FACTCHECK_FAISS_THREADS)
        _threads_set = True
    return faiss


def lists_for(rows: int) -> int:
    """Number of inverted lists: about sqrt(rows) (1000 at 1M), 39+ training points each."""
    return max(1, min(int(math.sqrt(rows)), rows // 39))


class IvfIndex:
    """An IVF inner-product index over some rows of a float32 matrix.

    From ``PQ_MIN_ROWS`` rows the lists hold 4-bit product-quantisation codes scanned with
    SIMD (faiss "fast scan", dim/2 bytes a vector), and ``REFINE`` times the asked-for
    candidates come back for the caller's exact re-scoring; below it (tests, forced
    small collections) 8-bit scalars, which need no codebook training. At 1M vectors PQ
    fast scan is faster than SQ8 at a better recall (the same-run A/B:
    ``docs/decisions/matching.md``).
    """

    TRAIN_PER_LIST = 40  # faiss wants >= 39 training points per list
    PQ_MIN_ROWS = 2_000  # 16 centroids per sub-quantizer want >= 624 training points
    # Share of the lists probed per query: recall against exact search grows with it
    # (measured: docs/decisions/matching.md). PQ fast scan reads far less per list, so it
    # probes a third.
    PROBE_SHARE = {"pq": 1 / 3, "sq8": 0.2}
    MIN_PROBE = 16
    REFINE = 5  # PQ: candidates returned per one asked for (approximate scores)

    def __init__(self, matrix: np.ndarray, rows: np.ndarray, *, seed: int = 0):
        faiss = _faiss()

        self.dim = matrix.shape[1]
        self.nlist = lists_for(len(rows))
        self.codes = "pq" if len(rows) >= self.PQ_MIN_ROWS and self.dim % 2 == 0 else "sq8"
        share = self.PROBE_SHARE[self.codes]
        self.nprobe = min(self.nlist, max(self.MIN_PROBE, math.ceil(self.nlist * share)))
        if self.codes == "pq":
            index = faiss.index_factory(
                self.dim, f"IVF{self.nlist},PQ{self.dim // 2}x4fs", faiss.METRIC_INNER_PRODUCT
            )
        else:
            quantizer = faiss.IndexFlatIP(self.dim)
            index = faiss.IndexIVFScalarQuantizer(
                quantizer, self.dim, self.nlist, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
            )
        index.cp.min_points_per_centroid = 1  # small collections (tests) train without a warning
        rng = np.random.default_rng(seed)
        sample = rows
        if len(rows) > self.nlist * self.TRAIN_PER_LIST:
            sample = np.sort(rng.choice(rows, self.nlist * self.TRAIN_PER_LIST, replace=False))
        index.train(np.ascontiguousarray(matrix[sample]))
        self.index = index
        self.trained_rows = len(rows)
        self.entries = 0
        self.add(matrix, rows)

    @property
    def description(self) -> str:
        codes = f"PQ{self.dim // 2}x4 fast scan" if self.codes == "pq" else "SQ8"
        return f"faiss IVF-{codes} {self.nlist} lists, probe {self.nprobe}"

    def add(self, matrix: np.ndarray, rows: np.ndarray) -> None:
        for start in range(0, len(rows), 50_000):
            chunk = rows[start : start + 50_000]
            self.index.add_with_ids(np.ascontiguousarray(matrix[chunk]), chunk.astype(np.int64))
        self.entries += len(rows)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray) -> np.ndarray:
        """Row numbers of the nearest entries among rows whose ``allowed`` bit is set:
        ``k`` of them, or ``REFINE * k`` with PQ codes (their scores are rougher).

        ``allowed`` is a little-endian packed bitmap over row numbers (np.packbits).
        Rows may repeat (a re-added row has two entries); the caller re-scores them.
        """
        faiss = _faiss()
        if self.codes == "pq":
            k *= self.REFINE
        selector = faiss.IDSelectorBitmap(len(allowed) * 8, faiss.swig_ptr(allowed))
        params = faiss.SearchParametersIVF(sel=selector, nprobe=self.nprobe)
        _, found = self.index.search(np.ascontiguousarray(query[None, :], dtype=np.float32), k, params=params)
        found = found[0]
        return found[found >= 0]
