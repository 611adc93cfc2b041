"""Dense search over every stored vector, cached in-process: exact, or ANN past a size.

Vectors live in ``SearchDoc.embedding`` (float16, 768 bytes each). Each process keeps
one float32 matrix of all of them and refreshes it incrementally from rows whose
``updated_at`` moved (an indexed query that returns nothing in the common case). Every
``FULL_RELOAD_SECONDS`` it reads the ids alone to mask rows deleted meanwhile, and
reloads everything once more than ``COMPACT_SHARE`` of its rows are masked.

Below ``FACTCHECK_ANN_MIN_ROWS`` (a setting) vectors search is exact (numpy, fast enough
there, so small collections and the tests are exact; figures in
``docs/decisions/matching.md``). From there on a faiss IVF index
(``coverage.matching.ann``) built from the same matrix finds the candidates and the
matrix re-scores them; it follows the cache's incremental adds and is rebuilt when a
fifth of its entries are stale or the collection doubled since it was trained. Without
faiss the search stays exact (logged once).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from datetime import datetime, timedelta

import numpy as np
from django.conf import settings
from django.db import models
from django.utils import timezone

from core import embedding
from coverage.matching import ann
from coverage.models import SearchDoc

logger = logging.getLogger(__name__)

FULL_RELOAD_SECONDS = 600
# Another process's writes are seen within this delay; this process's own writes at once
# (``mark_dirty``). Bulk imports would otherwise make every search re-read the latest rows.
REFRESH_SECONDS = 1.0
# Rows committed a little after their ``updated_at`` was set are still picked up.
OVERLAP = timedelta(seconds=2)
# The ANN index is rebuilt when this share of its entries is stale (re-added or masked).
ANN_STALE_SHARE = 0.2
# Build the ANN index in a background thread (searches stay exact meanwhile).
ANN_IN_BACKGROUND = True
# The matrix is reloaded from scratch when this share of its rows is masked.
COMPACT_SHARE = 0.2
_BATCH = 20000
_BLOB_BYTES = embedding.DIM * 2
_KIND_CODES: dict[str, int] = {}
_MASKED = -1  # kind code of a row whose vector was cleared or whose SearchDoc was deleted


def _kind_code(kind: str) -> int:
    return _KIND_CODES.setdefault(kind, len(_KIND_CODES))


def encode(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f2").tobytes()


def decode(blob: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(blob), dtype="<f2").astype(np.float32)


class VectorCache:
    """All stored vectors of one database alias, as one matrix plus row bookkeeping."""

    def __init__(self, alias: str = "default"):
        self.alias = alias
        self._lock = threading.Lock()
        self._reset()

    def _reset(self) -> None:
        self._size = 0
        self._ids = np.zeros(0, dtype=np.int64)
        self._kinds = np.zeros(0, dtype=np.int16)
        self._matrix = np.zeros((0, embedding.DIM), dtype=np.float32)
        self.row_of: dict[int, int] = {}
        self.stamp_of: dict[int, datetime] = {}
        self.seen_until: datetime | None = None
        self.settled = False  # every row stamped up to seen_until is committed and read
        # ``time.monotonic()`` counts from boot, so "never" is no number: a zero would not
        # be due on a machine up for less than FULL_RELOAD_SECONDS (or REFRESH_SECONDS).
        self.loaded_at: float | None = None  # None until the first full read
        self.checked_at = -math.inf
        self.ann: ann.IvfIndex | None = None
        self.ann_stale = 0
        self.ann_build_seconds: float | None = None
        self._allowed: dict[tuple | None, tuple[np.ndarray, int]] = {}
        self._masks: dict[tuple | None, np.ndarray] = {}
        self._build: _Build | None = None

    # The live parts of the growable buffers (capacity doubles, so adding rows to a
    # large cache does not copy the whole matrix every time).
    @property
    def ids(self) -> np.ndarray:
        return self._ids[: self._size]

    @property
    def kinds(self) -> np.ndarray:
        return self._kinds[: self._size]

    @property
    def matrix(self) -> np.ndarray:
        return self._matrix[: self._size]

    @property
    def empty(self) -> bool:
        """No vector is stored: a dense search finds nothing and no candidate has a cosine."""
        return self._size == 0

    def refresh(self, *, force: bool = False) -> None:
        """Pick up changed rows, at most once per ``REFRESH_SECONDS`` unless marked dirty
        or ``force``d (a reader that must see every row committed before it)."""
        if not force and time.monotonic() - self.checked_at < REFRESH_SECONDS:
            return
        with self._lock:
            checked = time.monotonic()
            if self.loaded_at is None or checked - self.loaded_at > FULL_RELOAD_SECONDS:
                if self.loaded_at is None or self._mask_deleted() > COMPACT_SHARE * self._size:
                    self._reset()
                self.loaded_at = checked
            self.checked_at = checked  # after a reset, which forgets it
            first_new = self._size
            touched = self._load_changed()
            self._sync_ann(touched, first_new)

    def _mask_deleted(self) -> int:
        """Mask rows whose SearchDoc is gone (ids only are read); returns the masked count."""

        present = np.fromiter(
            SearchDoc.objects.using(self.alias).values_list("id", flat=True).iterator(chunk_size=_BATCH),
            dtype=np.int64,
        )
        gone = ~np.isin(self.ids, present) & (self.kinds != _MASKED)
        if gone.any():
            self._kinds[: self._size][gone] = _MASKED
            self.ann_stale += int(gone.sum())
            self._kinds_changed()
        return int(np.count_nonzero(self.kinds == _MASKED))

    def _load_changed(self) -> list[int]:
        """Add or overwrite changed rows; a row whose vector was cleared is masked out.

        Only ids and timestamps are read for the overlap window; blobs are fetched for
        rows that are new or whose ``updated_at`` differs from the cached one. Returns
        the existing rows that were overwritten.
        """

        docs = SearchDoc.objects.using(self.alias)
        chunked = True
        if self.seen_until is None:
            wanted = docs.filter(embedding_model=embedding.MODEL_ID)
            latest = docs.aggregate(m=models.Max("updated_at"))["m"]
        else:
            # Rows stamped up to OVERLAP before the newest seen may still be committing, so
            # that window is re-read; once the clock is past it, they are settled and only
            # newer rows are read. (After a bulk import the window holds thousands of rows,
            # too many to re-read on every refresh: docs/decisions/matching.md.)
            checked = timezone.now()
            if self.settled:
                meta = docs.filter(updated_at__gt=self.seen_until)
            else:
                meta = docs.filter(updated_at__gte=self.seen_until - OVERLAP)
            meta = meta.values_list("id", "updated_at")
            changed = [i for i, at in meta if self.stamp_of.get(i) != at]
            self.settled = checked - OVERLAP > self.seen_until
            if not changed:
                return []
            wanted = docs.filter(pk__in=changed)
            latest = None
            chunked = len(changed) > _BATCH
        touched, newest = self._read(wanted, chunked=chunked)
        self.seen_until = max(filter(None, [latest, self.seen_until, newest]), default=None)
        self.settled = False
        self._kinds_changed()
        return touched

    def _read(self, rows, *, chunked: bool) -> tuple[list[int], datetime | None]:
        """Cache the rows' vectors; ``chunked`` streams them (on PostgreSQL a server-side
        cursor, three round trips: worth it for many rows only).
        """
        values = rows.values_list("id", "kind", "embedding", "embedding_model", "updated_at")
        return self._store(values.iterator(chunk_size=_BATCH) if chunked else values)

    def put(self, rows: list[tuple[int, str, bytes, datetime]]) -> None:
        """Rows this process has just committed with their vectors (doc id, kind, stored
        blob, ``updated_at``): cached at once, so no search reads them back."""
        with self._lock:
            if self.loaded_at is None:  # not loaded yet: the first refresh reads everything
                return
            first_new = self._size
            touched, _ = self._store((d, k, blob, embedding.MODEL_ID, at) for d, k, blob, at in rows)
            self._kinds_changed()
            self._sync_ann(touched, first_new)

    def _store(self, values) -> tuple[list[int], datetime | None]:
        touched: list[int] = []
        newest = None
        new_ids, new_kinds, blobs = [], [], []
        for doc_id, kind, blob, model, updated in values:
            self.stamp_of[doc_id] = updated
            newest = updated if newest is None else max(newest, updated)
            usable = model == embedding.MODEL_ID and blob is not None and len(blob) == _BLOB_BYTES
            row = self.row_of.get(doc_id)
            if row is not None:
                self._matrix[row] = decode(blob) if usable else 0.0
                self._kinds[row] = _kind_code(kind) if usable else _MASKED
                touched.append(row)
            elif usable:
                new_ids.append(doc_id)
                new_kinds.append(_kind_code(kind))
                blobs.append(bytes(blob))
                if len(blobs) >= _BATCH:
                    self._append(new_ids, new_kinds, blobs)
                    new_ids, new_kinds, blobs = [], [], []
        if blobs:
            self._append(new_ids, new_kinds, blobs)
        return touched, newest

    def _append(self, new_ids: list[int], new_kinds: list[int], blobs: list[bytes]) -> None:
        start, end = self._size, self._size + len(new_ids)
        if end > len(self._ids):
            capacity = max(end, 2 * len(self._ids), 1024)
            self._ids = np.resize(self._ids, capacity)
            self._kinds = np.resize(self._kinds, capacity)
            grown = np.zeros((capacity, embedding.DIM), dtype=np.float32)
            grown[:start] = self._matrix[:start]
            self._matrix = grown
        self._ids[start:end] = new_ids
        self._kinds[start:end] = new_kinds
        vecs = np.frombuffer(b"".join(blobs), dtype="<f2").reshape(len(blobs), embedding.DIM)
        self._matrix[start:end] = vecs
        self.row_of.update({doc_id: start + i for i, doc_id in enumerate(new_ids)})
        self._size = end

    def _sync_ann(self, touched: list[int], first_new: int) -> None:
        """Keep the ANN index in step with the matrix, or drop it below the threshold.

        A (re)build runs in a background thread (about a minute at 1M vectors): searches
        meanwhile use the previous index, or exact search, and the new index catches up
        with the rows added or changed during its build when it is adopted.
        """
        kinds = self.kinds
        live = np.flatnonzero(kinds != _MASKED)
        if not len(live) or len(live) < settings.FACTCHECK_ANN_MIN_ROWS or not ann.available():
            self.ann, self._build = None, None
            return
        if self._build is not None:
            self._build.touched.extend(touched)
            if self._build.is_alive():
                self._add_to_ann(touched, first_new)
                return
            self._adopt_build()  # adds this refresh's rows too
        else:
            self._add_to_ann(touched, first_new)
        if (
            self.ann is None
            or self.ann_stale > ANN_STALE_SHARE * self.ann.entries
            or self._size > 2 * self.ann.trained_rows
        ):
            self._build = _Build(self.matrix, live)
            if ANN_IN_BACKGROUND:
                self._build.start()
            else:
                self._build.run()
                self._adopt_build()

    def _add_to_ann(self, touched: list[int], first_new: int) -> None:
        if self.ann is None:
            return
        readded = np.array(sorted(set(touched)), dtype=np.int64)
        self.ann_stale += len(readded)
        readded = readded[self.kinds[readded] != _MASKED]
        fresh = np.arange(first_new, self._size, dtype=np.int64)
        if len(readded) or len(fresh):
            self.ann.add(self.matrix, np.concatenate([readded, fresh]))

    def _adopt_build(self) -> None:
        """Swap in a finished build, adding what changed while it ran."""
        build, self._build = self._build, None
        if build.error is not None:
            logger.error("ANN index build failed; dense search stays exact: %s", build.error)
            self.ann = None
            return
        self.ann, self.ann_stale, self.ann_build_seconds = build.index, 0, build.seconds
        logger.info("ANN index built over %d vectors in %.1f s", build.index.entries, build.seconds)
        self._add_to_ann(build.touched, build.rows_seen)

    def wait_for_ann(self, timeout: float | None = None) -> None:
        """Block until a running ANN build is done and adopted (benchmarks, tests)."""
        build = self._build
        if build is not None:
            build.join(timeout)
            self.refresh(force=True)

    def ann_stats(self) -> str:
        """One line for benchmarks and logs: which dense search runs and what it cost."""
        if self._build is not None and self.ann is None:
            return "building (exact meanwhile)"
        if self.ann is None:
            why = (
                "faiss not installed"
                if self._size >= settings.FACTCHECK_ANN_MIN_ROWS
                else f"< {settings.FACTCHECK_ANN_MIN_ROWS:,} rows"
            )
            return f"off, exact ({why})"
        return f"{self.ann.description}, built in {self.ann_build_seconds:.1f} s over {self.ann.entries:,} vectors"

    def _allowed_rows(self, kinds: tuple[str, ...] | None) -> tuple[np.ndarray, int]:
        """Packed bitmap of the rows a search may return, and how many there are."""
        key = tuple(sorted(kinds)) if kinds is not None else None
        cached = self._allowed.get(key)
        if cached is None or len(cached[0]) * 8 < self._size:
            ok = ~self._excluded(kinds)
            cached = (np.packbits(ok, bitorder="little"), int(ok.sum()))
            self._allowed[key] = cached
        return cached

    def search(
        self,
        query: np.ndarray,
        *,
        limit: int,
        kinds: tuple[str, ...] | None = None,
        exact: bool = False,
    ) -> list[tuple[int, float]]:
        """Top ``limit`` (doc_id, cosine), by inner product of unit vectors.

        With the ANN index the candidates come from it and are re-scored exactly; if it
        returns fewer than can exist (a rare kind far from the query), exact search runs.
        """
        if not self._size:
            return []
        index = self.ann
        if index is not None and not exact:
            bitmap, allowed = self._allowed_rows(kinds)
            rows = np.unique(index.search(query, 2 * limit, bitmap))
            rows = rows[rows < self._size]
            if len(rows) >= min(limit, allowed):
                sims = self._matrix[rows] @ query
                order = np.argsort(-sims, kind="stable")[:limit]
                return [(int(self._ids[rows[i]]), float(sims[i])) for i in order]
        return self._exact(query, limit=limit, kinds=kinds)

    def _kinds_changed(self) -> None:
        """Rows were added, overwritten or masked: the per-kinds row sets are computed again."""
        self._allowed.clear()
        self._masks.clear()

    def _excluded(self, kinds: tuple[str, ...] | None) -> np.ndarray:
        """Rows a search may not return, kept until the rows change (a search at 100k rows
        spent a fifth of its time recomputing this)."""
        key = tuple(sorted(kinds)) if kinds is not None else None
        cached = self._masks.get(key)
        if cached is None or len(cached) != self._size:
            if kinds is None:
                cached = self.kinds == _MASKED
            else:
                cached = ~np.isin(self.kinds, [_kind_code(k) for k in kinds])
            self._masks[key] = cached
        return cached

    def _exact(self, query, *, limit, kinds) -> list[tuple[int, float]]:
        ids = self.ids
        sims = self.matrix @ query
        sims[self._excluded(kinds)] = -2.0
        limit = min(limit, len(sims))
        top = np.argpartition(-sims, limit - 1)[:limit]
        top = top[np.argsort(-sims[top], kind="stable")]
        return [(int(ids[i]), float(sims[i])) for i in top if sims[i] > -2.0]

    def cosines(self, query: np.ndarray, doc_ids: list[int]) -> dict[int, float]:
        rows = [(d, self.row_of[d]) for d in doc_ids if d in self.row_of]
        rows = [(d, r) for d, r in rows if r < self._size and self._kinds[r] != _MASKED]
        if not rows:
            return {}
        sims = self._matrix[[r for _, r in rows]] @ query
        return {d: float(s) for (d, _), s in zip(rows, sims, strict=True)}


class _Build(threading.Thread):
    """One ANN index build over a snapshot of the matrix (rows added later are not in it)."""

    def __init__(self, matrix: np.ndarray, rows: np.ndarray):
        super().__init__(name="ann-build", daemon=True)
        self.matrix, self.rows, self.rows_seen = matrix, rows, len(matrix)
        self.touched: list[int] = []  # rows overwritten meanwhile, re-added on adoption
        self.index: ann.IvfIndex | None = None
        self.error: Exception | None = None
        self.seconds = 0.0

    def run(self) -> None:
        started = time.perf_counter()
        try:
            self.index = ann.IvfIndex(self.matrix, self.rows)
        except Exception as exc:  # noqa: BLE001 - logged on adoption, search stays exact
            self.error = exc
        self.seconds = time.perf_counter() - started
        self.matrix = None


_caches: dict[str, VectorCache] = {}


def cache_for(alias: str = "default") -> VectorCache:
    if alias not in _caches:
        _caches[alias] = VectorCache(alias)
    return _caches[alias]


def mark_dirty() -> None:
    """This process changed SearchDoc rows: the next search re-reads them."""
    for cache in _caches.values():
        cache.checked_at = -math.inf


def clear_caches() -> None:
    """Forget every cached matrix (tests, and after ``rebuild_search_index``)."""
    _caches.clear()
