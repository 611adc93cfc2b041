"""Fusion, calibration and thresholds: pure Python/numpy, no ORM.

Ranking is reciprocal-rank fusion of the lexical and the dense list (rank-based, so
the different score scales of FTS5 bm25 and PostgreSQL BM25 do not matter; on the
train splits it beat every linear mix of normalised scores), plus a small weight on the
dense cosine itself (``Tuning.cosine_weight``: absolute similarity breaks near-ties of
ranks, which ranks alone cannot). The 0..1 score shown to
editors is a logistic calibration of (cosine, lexical score relative to the query's
best, fused rank) fitted on the train splits, made non-increasing down the ranking so
score order and rank order agree. ``suggested`` and ``strong`` are thresholds on that
score; short claims and old items are never ``strong``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

STRONG = "strong"
SUGGESTED = "suggested"


@dataclass(frozen=True)
class Tuning:
    """Parameters fitted on the CheckThat! train splits (how: ``docs/decisions/matching.md``)."""

    rrf_k: float = 10.0
    # lexical list weight in the fusion (dense = 1): breaks lexical/dense rank ties
    # towards the lexical evidence.
    lexical_weight: float = 1.2
    lexical_depth: int = 100
    dense_depth: int = 100
    # The dense score itself, not only its rank: candidates are ordered by the fused
    # rank plus ``cosine_weight * max(0, cosine - cosine_floor)``. Larger weights (or a
    # floor) helped one train split and cost another, so only this small tie-breaking
    # weight is used.
    cosine_weight: float = 0.25
    cosine_floor: float = 0.0
    # Logistic calibration (bias, cosine, lexical_rel, fused) fitted on the top-5 candidates
    # of the three train splits (python -m bench.matching_tune). The lexical score relative
    # to the query's best added nothing once the fused rank was in, hence weight 0.
    hybrid_coef: tuple[float, float, float, float] = (-13.54, 4.12, 0.0, 11.92)
    # (bias, lexical_rel, fused) without the embedding extra: no absolute evidence, so
    # lexical-only matches are never "strong" (see ``strength``).
    lexical_coef: tuple[float, float, float] = (-18.80, 9.29, 10.21)
    # Thresholds chosen on train from how often a top-1 match at that score was right
    # (bench.matching_tune; the figures: docs/decisions/matching.md).
    suggested: float = 0.3
    strong: float = 0.6
    short_words: int = 8
    max_age_days: int = 3 * 365
    # previous debate/transcript lines given to the dense query by the benchmark
    context_lines: int = 0


DEFAULT_TUNING = Tuning()


@dataclass
class Candidate:
    doc_id: int
    lexical_rank: int | None = None
    lexical_score: float = 0.0
    dense_rank: int | None = None
    cosine: float | None = None
    fused: float = 0.0
    score: float = 0.0
    extra: dict = field(default_factory=dict)

    @property
    def method(self) -> str:
        if self.lexical_rank and self.dense_rank:
            return "hybrid"
        return "lexical" if self.lexical_rank else "semantic"


def fuse(
    lexical: list[tuple[int, float]],
    dense: list[tuple[int, float]],
    *,
    cosine_of=None,
    tuning: Tuning = DEFAULT_TUNING,
) -> list[Candidate]:
    """Merge ranked (doc_id, score) lists into candidates ordered by fused rank.

    ``cosine_of(doc_ids) -> {id: cosine}`` fills the cosine of lexical-only
    candidates (every stored vector is searchable, so it is always known).
    """
    by_id: dict[int, Candidate] = {}
    for rank, (doc_id, score) in enumerate(lexical, 1):
        by_id[doc_id] = Candidate(doc_id, lexical_rank=rank, lexical_score=score)
    for rank, (doc_id, cos) in enumerate(dense, 1):
        cand = by_id.setdefault(doc_id, Candidate(doc_id))
        cand.dense_rank, cand.cosine = rank, cos
    if cosine_of is not None:
        missing = [c.doc_id for c in by_id.values() if c.cosine is None]
        for doc_id, cos in (cosine_of(missing) if missing else {}).items():
            by_id[doc_id].cosine = cos
    k, wl = tuning.rrf_k, tuning.lexical_weight
    best = ((wl if lexical else 0) + (1 if dense else 0)) / (k + 1) or 1.0
    for cand in by_id.values():
        rrf = (wl / (k + cand.lexical_rank) if cand.lexical_rank else 0.0) + (
            1 / (k + cand.dense_rank) if cand.dense_rank else 0.0
        )
        cand.fused = rrf / best
    lexical_max = max((s for _, s in lexical), default=0.0)
    for cand in by_id.values():
        cand.extra["p"] = _probability(cand, lexical_max=lexical_max, tuning=tuning)
    # Equal keys (lexical #1 vs dense #1) are settled by the calibrated evidence.
    ordered = sorted(
        by_id.values(), key=lambda c: (-round(_order_key(c, tuning), 9), -c.extra["p"], c.doc_id)
    )
    ceiling = 1.0
    for cand in ordered:  # scores never increase down the list: score order == rank order
        ceiling = min(ceiling, cand.extra["p"])
        cand.score = round(ceiling, 6)
    return ordered


def _order_key(cand: Candidate, tuning: Tuning) -> float:
    """Fused rank plus the part of the cosine above the floor (``Tuning.cosine_weight``)."""
    if cand.cosine is None or not tuning.cosine_weight:
        return cand.fused
    return cand.fused + tuning.cosine_weight * max(0.0, cand.cosine - tuning.cosine_floor)


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-max(-50.0, min(50.0, x))))


def _probability(cand: Candidate, *, lexical_max: float, tuning: Tuning) -> float:
    """Logistic calibration of the candidate's evidence (fitted on the train splits)."""
    rel = cand.lexical_score / lexical_max if lexical_max > 0 else 0.0
    cand.extra["lexical_rel"] = rel
    if cand.cosine is None:
        b, w_rel, w_rrf = tuning.lexical_coef
        return _sigmoid(b + w_rel * rel + w_rrf * cand.fused)
    b, w_cos, w_rel, w_rrf = tuning.hybrid_coef
    return _sigmoid(b + w_cos * cand.cosine + w_rel * rel + w_rrf * cand.fused)


def strength(
    score: float,
    *,
    query_words: int,
    item_date: date | None,
    today: date,
    semantic: bool = True,
    figures_differ: bool = False,
    tuning: Tuning = DEFAULT_TUNING,
) -> str | None:
    """``strong``, ``suggested`` or None (not worth showing).

    Short claims ("Taxes went up.") match many unrelated checks, and an old check
    may be out of date, so both are at most suggestions, as is a match without
    semantic evidence (lexical-only mode), and so is a match whose figures differ
    from the claim's ("40%" against "18%": ``figures.compare``); nothing is ever
    confirmed automatically.
    """
    if score < tuning.suggested:
        return None
    if score < tuning.strong or query_words < tuning.short_words or not semantic or figures_differ:
        return SUGGESTED
    if item_date is not None and (today - item_date).days > tuning.max_age_days:
        return SUGGESTED
    return STRONG
