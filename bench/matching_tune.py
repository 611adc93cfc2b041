"""Fit the match score calibration and thresholds on TRAIN splits (never dev).

    python -m bench.retrieval --collection C --queries train/queries.jsonl --out /tmp/r.tsv \
        --features /tmp/f_train.tsv   # once per train set (and with FACTCHECK_DISABLE_EMBEDDINGS=1
                                      # for the lexical-only coefficients)
    python -m bench.matching_tune --features /tmp/f1.tsv /tmp/f2.tsv --qrels q1.tsv q2.tsv

Fits a logistic regression P(relevant | cosine, lexical_rel, fused) over every returned
candidate, then picks the ``suggested`` threshold (precision of a top-1 match >= 0.6) and
the ``strong`` one (>= 0.9), and prints the values for ``ranking.Tuning``. numpy only.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np


def _qrels(paths: list[Path]) -> set[tuple[str, str]]:
    pairs = set()
    for path in paths:
        for line in path.read_text().splitlines():
            if line.strip():
                q, d = line.split("\t")[:2]
                pairs.add((q.strip(), d.strip()))
    return pairs


def _rows(paths: list[Path], rel: set[tuple[str, str]], *, lexical_only: bool):
    X, y, top = [], [], []
    for n, path in enumerate(paths):
        for line in path.read_text().splitlines():
            q, d, rank, cos, lex, fused = line.split("\t")
            feats = [float(lex), float(fused)] if lexical_only else [float(cos or 0), float(lex), float(fused)]
            X.append(feats)
            y.append((q, d) in rel)
            top.append((f"{n}:{q}", int(rank)))
    return np.array(X), np.array(y, dtype=float), top


def _fit(X: np.ndarray, y: np.ndarray, *, l2: float = 1e-4, steps: int = 4000) -> np.ndarray:
    Z = np.hstack([np.ones((len(X), 1)), X])
    w = np.zeros(Z.shape[1])
    for _ in range(steps):  # plain gradient descent is enough for 3-4 features
        p = 1 / (1 + np.exp(-(Z @ w)))
        w -= 1.0 * (Z.T @ (p - y) / len(y) + l2 * np.r_[0, w[1:]])
    return w


def _threshold(p: np.ndarray, y: np.ndarray, top: list, precision: float) -> float:
    """Lowest score whose top-1 matches at or above it are right ``precision`` of the time."""
    first = np.array([rank == 1 for _, rank in top])
    scores, right = p[first], y[first]
    order = np.argsort(-scores)
    hits = np.cumsum(right[order]) / np.arange(1, len(order) + 1)
    ok = np.where(hits >= precision)[0]
    return float(scores[order][ok.max()]) if len(ok) else 1.0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--features", nargs="+", type=Path, required=True)
    parser.add_argument("--qrels", nargs="+", type=Path, required=True)
    parser.add_argument("--lexical-only", action="store_true")
    args = parser.parse_args(argv)
    rel = _qrels(args.qrels)
    X, y, top = _rows(args.features, rel, lexical_only=args.lexical_only)
    w = _fit(X, y)
    p = 1 / (1 + np.exp(-(np.hstack([np.ones((len(X), 1)), X]) @ w)))
    name = "lexical_coef" if args.lexical_only else "hybrid_coef"
    print(f"candidates {len(y)}, relevant {int(y.sum())}")
    print(f"{name} = ({', '.join(f'{v:.3f}' for v in w)})")
    for target in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
        t = _threshold(p, y, top, target)
        share = np.mean([s >= t for s, (_, r) in zip(p, top, strict=True) if r == 1])
        print(f"top-1 precision >= {target:.2f}: score >= {t:.3f} ({share:.0%} of queries)")
    print("log-loss", float(-np.mean(y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))), math.nan)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
