"""Fit the match-score calibration and pick thresholds on TRAIN splits (never dev).

    python -m bench.retrieval --collection C --queries .../train/queries.jsonl --out /tmp/r.tsv \
        --features /tmp/f_train.tsv --embedding-cache /tmp/emb   # once per train set
    python -m bench.matching_tune --features f1.tsv f2.tsv f3.tsv --qrels q1.tsv q2.tsv q3.tsv
    # lexical-only coefficients: the same with FACTCHECK_DISABLE_EMBEDDINGS=1 runs and --lexical-only

Fits a logistic regression P(relevant | cosine, fused rank) on each query's top
``--top`` candidates (numpy gradient descent), prints the coefficients in the order of
``ranking.Tuning.hybrid_coef`` (bias, cosine, lexical_rel = 0, fused), and for a range
of thresholds: the share of queries whose top-1 reaches it, how often that top-1 is
right, and how often a wrong candidate reaches it (a proxy for claims with no prior
coverage, which these data sets lack).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
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


def _rows(paths: list[Path], rel: set[tuple[str, str]], *, lexical_only: bool) -> list[tuple]:
    """(query key, rank, features, relevant) per candidate line of the features files."""
    rows = []
    for n, path in enumerate(paths):
        for line in path.read_text().splitlines():
            q, d, rank, cos, lex, fused = line.split("\t")
            feats = [float(lex), float(fused)] if lexical_only else [float(cos or 0), float(fused)]
            rows.append((f"{n}:{q}", int(rank), feats, (q, d) in rel))
    return rows


def _fit(X: np.ndarray, y: np.ndarray, *, l2: float = 1e-4, steps: int = 8000) -> np.ndarray:
    Z = np.hstack([np.ones((len(X), 1)), X])
    w = np.zeros(Z.shape[1])
    for _ in range(steps):  # plain gradient descent is enough for two features
        p = 1 / (1 + np.exp(-(Z @ w)))
        w -= Z.T @ (p - y) / len(y) + l2 * np.r_[0, w[1:]]
    return w


def _report(rows: list[tuple], p: np.ndarray) -> None:
    by_query = defaultdict(list)
    for row, score in zip(rows, p, strict=True):
        by_query[row[0]].append((row[1], score, row[3]))
    top1 = [min(cands, key=lambda c: c[0]) for cands in by_query.values()]
    wrong = [max([c[1] for c in cands if not c[2]] or [0.0]) for cands in by_query.values()]
    for t in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8):
        reached = [c for c in top1 if c[1] >= t]
        right = np.mean([c[2] for c in reached]) if reached else float("nan")
        print(
            f"score >= {t:.1f}: top-1 reaches it in {len(reached) / len(top1):.0%} of queries, "
            f"right {right:.1%}; a wrong candidate reaches it in {np.mean([w >= t for w in wrong]):.0%}"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--features", nargs="+", type=Path, required=True)
    parser.add_argument("--qrels", nargs="+", type=Path, required=True)
    parser.add_argument("--top", type=int, default=5, help="candidates per query used for the fit")
    parser.add_argument("--lexical-only", action="store_true")
    args = parser.parse_args(argv)
    rows = _rows(args.features, _qrels(args.qrels), lexical_only=args.lexical_only)
    fit_rows = [r for r in rows if r[1] <= args.top]
    w = _fit(np.array([r[2] for r in fit_rows]), np.array([r[3] for r in fit_rows], dtype=float))
    X = np.array([r[2] for r in rows])
    p = 1 / (1 + np.exp(-(w[0] + X @ w[1:])))
    print(f"candidates {len(rows)}, fitted on {len(fit_rows)} (top {args.top})")
    if args.lexical_only:
        print(f"lexical_coef = ({w[0]:.2f}, {w[1]:.2f}, {w[2]:.2f})")
    else:
        print(f"hybrid_coef = ({w[0]:.2f}, {w[1]:.2f}, 0.0, {w[2]:.2f})")
    _report(rows, p)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
