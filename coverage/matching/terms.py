"""How many stored grouping entries hold each content word, cached in-process.

The grouping's pair model weighs shared words by their rarity among the stored claims
(``coverage.matching.grouping.Idf``). Each process counts, once, the content words of every
``appearance`` row of the search index and then adds the rows with a higher id, at most
once per ``REFRESH_SECONDS``; rows this process writes are counted as they commit
(``put``) or read at the next search (``mark_dirty``), as ``coverage.matching.index``
decides. The counts are
approximate by design: a row whose text changed keeps its first words, a deleted row
still counts, and a row committed after one with a higher id is missed until the next
process starts. A rarity needs no more than that, and the reads stay one indexed query
that returns nothing in the common case.
"""

from __future__ import annotations

import math
import threading
import time
from collections import Counter

from coverage.matching import grouping, text
from coverage.models import SearchDoc, SearchKind

REFRESH_SECONDS = 1.0
_BATCH = 20000


class TermCounts:
    """Document frequencies of content words over one alias's grouping entries."""

    def __init__(self, alias: str = "default"):
        self.alias = alias
        self.counts: Counter[str] = Counter()
        self.docs = 0
        self.last_id = 0
        self.checked_at = -math.inf
        self._counted: set[int] = set()  # rows past last_id counted already (``put``)
        self._lock = threading.Lock()

    def refresh(self, *, force: bool = False) -> None:
        """Count the rows stored since, at most once per ``REFRESH_SECONDS`` unless ``force``."""
        if not force and time.monotonic() - self.checked_at < REFRESH_SECONDS:
            return
        with self._lock:
            self.checked_at = time.monotonic()
            while True:
                # Filtered by id alone (the primary key's range), kinds sorted out here: with
                # the kind in the query PostgreSQL reads the kind index's 100k entries instead.
                rows = list(
                    SearchDoc.objects.using(self.alias)
                    .filter(pk__gt=self.last_id)
                    .order_by("pk")
                    .values_list("pk", "kind", "text")[:_BATCH]
                )
                for pk, kind, doc_text in rows:
                    if pk not in self._counted:
                        self._count(kind, doc_text)
                    self.last_id = pk
                self._counted = {pk for pk in self._counted if pk > self.last_id}
                if len(rows) < _BATCH:
                    break

    def put(self, rows: list[tuple[int, str, str]]) -> None:
        """Rows this process has just committed (id, kind, text): counted at once, and
        skipped when a refresh reads them."""
        with self._lock:
            for pk, kind, doc_text in rows:
                if pk > self.last_id and pk not in self._counted:
                    self._count(kind, doc_text)
                    self._counted.add(pk)

    def _count(self, kind: str, doc_text: str) -> None:
        if kind == SearchKind.APPEARANCE:
            self.counts.update(set(text.query_terms(doc_text, limit=10_000)))
            self.docs += 1

    def idf(self, query_terms: frozenset[str]) -> grouping.Idf:
        """Word rarity for comparing a new claim (not stored yet: its words count once more)."""
        return grouping.Idf(self.counts, self.docs, query_terms)


_caches: dict[str, TermCounts] = {}


def counts_for(alias: str = "default") -> TermCounts:
    if alias not in _caches:
        _caches[alias] = TermCounts(alias)
    return _caches[alias]


def mark_dirty() -> None:
    """This process stored grouping entries: the next refresh reads them."""
    for cache in _caches.values():
        cache.checked_at = -math.inf


def clear_caches() -> None:
    """Forget every count (tests, and after ``rebuild_search_index``)."""
    _caches.clear()
