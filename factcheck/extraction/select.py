"""Which candidates become claims: above a threshold, best first, capped, de-duplicated.

Near-duplicates (the same statement repeated in an article, e.g. a lede and a later
quote) are merged into the best-scoring one, so editors see each statement once.
"""

from __future__ import annotations

import re

from .candidate import Candidate

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
    """The best ``limit`` candidates scoring at least ``threshold``, near-duplicates merged
    into the first kept one they nearly duplicate. Only the eligible ones are sorted."""
    eligible = [c for c in candidates if c.checkworthiness >= threshold]
    eligible.sort(key=lambda c: (-c.checkworthiness, c.start))
    chosen: list[Candidate] = []
    kept_words: list[frozenset[str]] = []
    for cand in eligible:
        if len(chosen) >= limit:
            break
        words = _words(cand.text)
        dup = next((i for i, w in enumerate(kept_words) if near_duplicate(words, w)), None)
        if dup is not None:
            chosen[dup].features.setdefault("merged", []).append([cand.start, cand.end])
            continue
        chosen.append(cand)
        kept_words.append(words)
    return chosen
