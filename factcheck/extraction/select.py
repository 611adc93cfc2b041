"""Which candidates become claims: above a threshold, best first, capped, de-duplicated.

Near-duplicates (the same statement repeated in an article, e.g. a lede and a later
quote) are merged into the best-scoring one, so editors see each statement once.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from . import Candidate

_WORD = re.compile(r"\w+")
DUPLICATE_JACCARD = 0.7


def _words(text: str) -> frozenset[str]:
    return frozenset(w.lower() for w in _WORD.findall(text))


def near_duplicate(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return a == b
    small, large = sorted((len(a), len(b)))
    if small < DUPLICATE_JACCARD * large:  # Jaccard <= small/large: cannot be a duplicate
        return False
    common = len(a & b)
    return common / (len(a) + len(b) - common) >= DUPLICATE_JACCARD


def select(candidates: list[Candidate], *, threshold: float, limit: int) -> list[Candidate]:
    """The best ``limit`` candidates scoring at least ``threshold``, near-duplicates merged.

    Each candidate merges into the first kept one it nearly duplicates; the test is
    ``near_duplicate`` inlined (with the sizes kept alongside), as this loop runs a few
    hundred times an article.
    """
    eligible = [c for c in candidates if c.checkworthiness >= threshold]
    eligible.sort(key=lambda c: (-c.checkworthiness, c.start))
    chosen: list[Candidate] = []
    kept: list[tuple[frozenset[str], int]] = []
    for cand in eligible:
        if len(chosen) >= limit:
            break
        words = _words(cand.text)
        size = len(words)
        dup = None
        for i, (other, other_size) in enumerate(kept):
            if not size or not other_size:
                if size == other_size:  # both empty
                    dup = i
                    break
                continue
            small, large = (size, other_size) if size < other_size else (other_size, size)
            if small < DUPLICATE_JACCARD * large:  # Jaccard <= small/large: cannot be a duplicate
                continue
            common = len(words & other)
            if common / (size + other_size - common) >= DUPLICATE_JACCARD:
                dup = i
                break
        if dup is not None:
            chosen[dup].features.setdefault("merged", []).append([cand.start, cand.end])
            continue
        chosen.append(cand)
        kept.append((words, size))
    return chosen
