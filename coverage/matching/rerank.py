"""The learned re-ranker over the first stage's top K: features, the model file, scoring. Pure.

The first stage (``ranking.fuse``) orders candidates by reciprocal-rank fusion; this
module re-orders its top ``depth`` candidates with a LambdaMART model (LightGBM,
trained offline by ``coverage.matching.learn`` through ``manage.py train_matcher``) over
features of each (claim, candidate) pair: the first stage's scores and ranks, word
overlap with the stored claim and with its title separately, claimant agreement, names,
figures and dates that agree or differ (``figures``), the length ratio, and how near the
candidate's date lies to the claim's against the other candidates'. The model ships
as a small JSON file of its trees, evaluated here with numpy, so serving needs neither
LightGBM nor scikit-learn. Its raw score becomes a 0..1 probability through a logistic
calibration fitted on out-of-fold predictions of the train splits.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from coverage.matching import figures, text

FORMAT = "coverage-reranker/1"
MISSING_RANK = 101.0  # beyond the first stage's depth: "not in that list"

FEATURE_NAMES: tuple[str, ...] = (
    "first_rank",
    "first_score",
    "score_gap",
    "fused",
    "fused_gap",
    "lexical_rel",
    "lexical_rank",
    "dense_rank",
    "cosine",
    "cosine_gap",
    "cosine_next_gap",
    "claim_overlap",
    "title_overlap",
    "claim_coverage",
    "claimant_agree",
    "claimant_in_query",
    "entity_jaccard",
    "entities_only_here",
    "entities_only_there",
    "fig_percent",
    "fig_money",
    "fig_year",
    "fig_date",
    "fig_number",
    "fig_disagree",
    "fig_agree",
    "length_ratio",
    "has_date",
    "age_gap",
)
UNKNOWN_AGE = -1.0  # either date missing: below every known gap (which is >= 0)
DATE_FEATURES = ("age_gap",)  # relative to the claim's day (``level`` evens them out)
# How far the claim's day may move a candidate in the order, in the model's raw score (a
# factor of about 23 in odds): a check that fits clearly better is never put below one
# that only lies nearer in time. Set on product grounds (the benchmarks cannot show that
# case); what it costs on the train CV: docs/decisions/matching-reranker.md.
DATE_SHIFT = 2.5


@dataclass(frozen=True)
class Pair:
    """One candidate as the first stage saw it (``Match.pair_inputs()``)."""

    rank: int
    score: float
    cosine: float | None
    lexical_rank: int | None
    dense_rank: int | None
    fused: float
    lexical_rel: float
    text: str
    context: str = ""
    claimant: str = ""
    item_date: str | None = None

    @classmethod
    def from_dict(cls, row: dict) -> Pair:
        return cls(
            rank=int(row["rank"]),
            score=float(row["score"]),
            cosine=None if row.get("cosine") is None else float(row["cosine"]),
            lexical_rank=row.get("lexical_rank"),
            dense_rank=row.get("dense_rank"),
            fused=float(row.get("fused") or 0.0),
            lexical_rel=float(row.get("lexical_rel") or 0.0),
            text=row.get("text") or "",
            context=row.get("context") or "",
            claimant=row.get("claimant") or "",
            item_date=row.get("item_date"),
        )


@dataclass(frozen=True)
class PairFeatures:
    values: tuple[float, ...]
    comparison: figures.Comparison = field(compare=False)


@functools.lru_cache(maxsize=50_000)
def _terms(value: str) -> frozenset[str]:
    """Content words (cached per text: a stored item is compared with many claims)."""
    return frozenset(text.query_terms(text.query_text(value), limit=200))


@functools.lru_cache(maxsize=50_000)
def _words(value: str) -> int:
    return text.word_count(value)


def _share(part: frozenset[str], whole: frozenset[str]) -> float:
    return len(part & whole) / len(part) if part else 0.0


def _claimant(query_claimant: str, query_terms: frozenset[str], item_claimant: str) -> tuple[float, float]:
    """(agree 1 / differ -1 / unknown 0, the item's claimant named in the query text 0/1)."""
    theirs = _terms(text.claimant_terms(item_claimant))
    if not theirs:
        return 0.0, 0.0
    named = 1.0 if theirs & query_terms else 0.0
    mine = _terms(text.claimant_terms(query_claimant))
    if not mine:
        return 0.0, named
    return (1.0 if mine & theirs else -1.0), named


def _age(item_date: str | None, as_of: date | None) -> float:
    """log(1 + days) between the stored item's date and the claim's, either direction.

    Undirected on purpose: at a desk the earlier check precedes the claim, while in the
    benchmarks a fact-check usually follows the tweet it quotes; how near the two dates are
    is what carries over (a rumour and its debunk, a debate line and its check).
    """
    if as_of is None or not item_date:
        return UNKNOWN_AGE
    try:
        return math.log1p(abs((date.fromisoformat(item_date[:10]) - as_of).days))
    except ValueError:
        return UNKNOWN_AGE


def features(query: str, claimant: str, pairs: list[Pair], as_of: date | None = None) -> list[PairFeatures]:
    """One feature vector per pair, in ``FEATURE_NAMES`` order (some relative to the list).

    ``as_of`` is the claim's date (its article's, or when the tip came in). ``age_gap`` is
    how much further from it a candidate's date lies than the nearest-dated candidate's
    (log days): it orders checks that fit alike, and a lone check is not marked down for
    its age (that stays the rule of ``ranking.strength``). Unknown without either date.
    """
    q_terms = _terms(query)
    q_words = max(1, _words(query))
    q_figures, q_names = figures.figures(query), figures.entities(query)
    cosines = sorted((p.cosine for p in pairs if p.cosine is not None), reverse=True)
    best = cosines[0] if cosines else 0.0
    top_score = max((p.score for p in pairs), default=0.0)
    top_fused = max((p.fused for p in pairs), default=0.0)
    ages = [_age(p.item_date, as_of) for p in pairs]
    nearest = min((a for a in ages if a != UNKNOWN_AGE), default=UNKNOWN_AGE)
    out = []
    for p, age in zip(pairs, ages, strict=True):
        c_terms, t_terms = _terms(p.text), _terms(p.context)
        both = f"{p.text} {p.context}"
        cmp = figures.compare_figures(q_figures, figures.figures(both))
        agree, named = _claimant(claimant, q_terms, p.claimant)
        jaccard, only_here, only_there = figures.entity_sets_overlap(q_names, figures.entities(both))
        cos = p.cosine if p.cosine is not None else 0.0
        below = [c for c in cosines if c < cos]
        values = (
            float(p.rank),
            p.score,
            p.score - top_score,
            p.fused,
            p.fused - top_fused,
            p.lexical_rel,
            float(p.lexical_rank or MISSING_RANK),
            float(p.dense_rank or MISSING_RANK),
            cos,
            cos - best,
            cos - below[0] if below else 0.0,
            _share(q_terms, c_terms),
            _share(q_terms, t_terms),
            _share(c_terms, q_terms),
            agree,
            named,
            jaccard,
            float(only_here),
            float(only_there),
            *(float(cmp.status[k]) for k in figures.KINDS),
            1.0 if cmp.disagrees else 0.0,
            float(cmp.agrees),
            math.log(max(1, _words(p.text)) / q_words),
            1.0 if p.item_date else 0.0,
            age - nearest if age != UNKNOWN_AGE else UNKNOWN_AGE,
        )
        out.append(PairFeatures(values, cmp))
    return out


def level(rows: np.ndarray) -> np.ndarray:
    """The feature rows as if every dated candidate lay as near the claim's day as the
    nearest (undated ones stay unknown)."""
    out = np.array(rows, dtype=np.float64, copy=True)
    for name in DATE_FEATURES:
        column = out[:, FEATURE_NAMES.index(name)]
        column[column != UNKNOWN_AGE] = 0.0
    return out


def date_ordered(dated: np.ndarray, level: np.ndarray, shift: float = DATE_SHIFT) -> np.ndarray:
    """The ordering key: each candidate's raw score as if all lay as near the claim's day
    (``level``), moved towards its score with the real dates by at most ``shift``."""
    return level + np.clip(dated - level, -shift, shift)


class ModelFileError(ValueError):
    """The model file is not a re-ranker this code can run; the message says why."""


@dataclass
class Reranker:
    """Trees as padded arrays: every row walks every tree ``max_depth`` steps at once.

    A leaf points to itself (threshold +inf), so rows that reach a leaf early stay there.
    """

    depth: int
    feature_names: tuple[str, ...]
    feature: np.ndarray  # (trees, nodes) int
    threshold: np.ndarray  # (trees, nodes) float
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray  # (trees, nodes): leaf value (0 for inner nodes)
    max_depth: int
    calibration: tuple[float, float]
    meta: dict

    @classmethod
    def from_json(cls, data: dict) -> Reranker:
        if data.get("format") != FORMAT:
            raise ModelFileError(f"not a re-ranker file (format {data.get('format')!r}, expected {FORMAT!r})")
        names = tuple(data["feature_names"])
        if names != FEATURE_NAMES:
            raise ModelFileError(
                "the model's features differ from this code's; retrain (manage.py train_matcher)"
            )
        trees = data["trees"]
        if not trees:
            raise ModelFileError("the model has no trees")
        width = max(len(t["feature"]) for t in trees)
        shape = (len(trees), width)
        feature = np.zeros(shape, dtype=np.int64)
        threshold = np.full(shape, np.inf)
        left = np.tile(np.arange(width), (len(trees), 1))
        right = left.copy()
        value = np.zeros(shape)
        for i, t in enumerate(trees):
            n = len(t["feature"])
            feature[i, :n] = t["feature"]
            threshold[i, :n] = [np.inf if x is None else x for x in t["threshold"]]
            left[i, :n] = t["left"]
            right[i, :n] = t["right"]
            value[i, :n] = t["value"]
        if feature.max() >= len(names) or feature.min() < 0:
            raise ModelFileError("a tree splits on a feature the file does not name")
        a, b = data["calibration"]
        return cls(
            depth=int(data["depth"]),
            feature_names=names,
            feature=feature,
            threshold=threshold,
            left=left,
            right=right,
            value=value,
            max_depth=int(data["max_depth"]),
            calibration=(float(a), float(b)),
            meta=data.get("meta", {}),
        )

    def raw(self, rows: np.ndarray) -> np.ndarray:
        """The model's ranking score per row (the sum of the trees' leaves)."""
        rows = np.asarray(rows, dtype=np.float64)
        n_trees = self.feature.shape[0]
        tree = np.arange(n_trees)[None, :]
        node = np.zeros((rows.shape[0], n_trees), dtype=np.int64)
        row = np.arange(rows.shape[0])[:, None]
        for _ in range(self.max_depth + 1):
            x = rows[row, self.feature[tree, node]]
            node = np.where(x <= self.threshold[tree, node], self.left[tree, node], self.right[tree, node])
        return self.value[tree, node].sum(axis=1)

    def probability(self, raw: np.ndarray) -> np.ndarray:
        a, b = self.calibration
        return 1.0 / (1.0 + np.exp(-np.clip(a * raw + b, -50, 50)))


def load(path: Path | str) -> Reranker:
    """Read a model file; ``FileNotFoundError`` when absent, ``ModelFileError`` when unusable."""
    body = Path(path).read_bytes()
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelFileError(f"not JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise ModelFileError("not a re-ranker file (not a JSON object)")
    try:
        model = Reranker.from_json(data)
        model.meta = {**model.meta, "sha256": hashlib.sha256(body).hexdigest()}
        return model
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, ModelFileError):
            raise
        raise ModelFileError(f"malformed re-ranker file ({exc!r})") from exc


def tree_arrays(node: dict) -> dict:
    """One LightGBM ``dump_model`` tree as flat arrays (leaves point to themselves)."""
    feature: list[int] = []
    threshold: list[float | None] = []
    left: list[int] = []
    right: list[int] = []
    value: list[float] = []
    depth = 0

    def visit(n: dict, level: int) -> int:
        nonlocal depth
        depth = max(depth, level)
        at = len(feature)
        feature.append(0)
        threshold.append(None)
        left.append(at)
        right.append(at)
        value.append(0.0)
        if "leaf_value" in n:
            value[at] = float(n["leaf_value"])
            return at
        if n.get("decision_type") != "<=" or n.get("missing_type") not in ("None", None):
            raise ModelFileError(
                f"unsupported split {n.get('decision_type')} / missing {n.get('missing_type')}"
            )
        feature[at] = int(n["split_feature"])
        threshold[at] = float(n["threshold"])
        left[at] = visit(n["left_child"], level + 1)
        right[at] = visit(n["right_child"], level + 1)
        return at

    visit(node, 0)
    return {
        "feature": feature,
        "threshold": threshold,
        "left": left,
        "right": right,
        "value": value,
        "depth": depth,
    }
