"""Approximate dense search for large collections: a faiss IVF index over the vector cache.

Exact search reads every stored vector per query (about 150 ms at 1M vectors on 2
cores); an inverted-file index reads only the lists nearest to the query (a fifth
of them here). IVF rather than a graph index (HNSW, e.g. usearch) because each
process builds it from the stored vectors: HNSW took ~70 s per 100k vectors on the 2
shared cores (so ~15 min at 1M), IVF 2-4 min at 1M on the same loaded machine, in a
background thread, and IVF takes incremental adds without degrading. Vectors are stored as 8-bit scalars in the index
(a quarter of float32); the candidates it returns are re-scored exactly from the
cache's float32 matrix, so scores are exact and quantisation only affects recall.

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


def lists_for(rows: int) -> int:
    """Number of inverted lists: about sqrt(rows) (1000 at 1M), 39+ training points each."""
    return max(1, min(int(math.sqrt(rows)), rows // 39))


class IvfIndex:
    """An IVF-SQ8 inner-product index over some rows of a float32 matrix."""

    TRAIN_PER_LIST = 40  # faiss wants >= 39 training points per list
    # Share of the lists probed per query. On real MiniLM vectors (21k CheckThat! claims,
    # titles and tweets) recall@100 / @10 against exact search was 0.69 / 0.81 probing 7%,
    # 0.78 / 0.87 at 11%, 0.88 / 0.93 at 22%; on the synthetic 1M bench 0.52 at 5%, 0.72
    # at 20% (structureless vectors, a worst case). A fifth still reads 5x less than exact.
    PROBE_SHARE = 0.2
    MIN_PROBE = 16

    def __init__(self, matrix: np.ndarray, rows: np.ndarray, *, seed: int = 0):
        import faiss

        self.dim = matrix.shape[1]
        self.nlist = lists_for(len(rows))
        self.nprobe = min(self.nlist, max(self.MIN_PROBE, math.ceil(self.nlist * self.PROBE_SHARE)))
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

    def add(self, matrix: np.ndarray, rows: np.ndarray) -> None:
        for start in range(0, len(rows), 50_000):
            chunk = rows[start : start + 50_000]
            self.index.add_with_ids(np.ascontiguousarray(matrix[chunk]), chunk.astype(np.int64))
        self.entries += len(rows)

    def search(self, query: np.ndarray, k: int, allowed: np.ndarray) -> np.ndarray:
        """Row numbers of up to ``k`` nearest entries among rows whose ``allowed`` bit is set.

        ``allowed`` is a little-endian packed bitmap over row numbers (np.packbits).
        Rows may repeat (a re-added row has two entries); the caller re-scores them.
        """
        import faiss

        selector = faiss.IDSelectorBitmap(len(allowed) * 8, faiss.swig_ptr(allowed))
        params = faiss.SearchParametersIVF(sel=selector, nprobe=self.nprobe)
        _, found = self.index.search(np.ascontiguousarray(query[None, :], dtype=np.float32), k, params=params)
        found = found[0]
        return found[found >= 0]
