"""Choose the grouping model and thresholds by cross-validation on a TRAIN split (never dev).

    python -m bench.grouping_tune --queries .../ct2021_task2a_en_tweets/train/queries.jsonl \
        --qrels .../ct2021_task2a_en_tweets/train/qrels.tsv [--folds 5] [--min-precision 0.9]

Replays the production rule over the queries in file order, as the worker does: each
query's candidates are its ``coverage.grouping.CANDIDATES`` nearest earlier queries by the
MiniLM cosine (the worker searches every grouped claim, so a group is found through any
member), each scored by ``coverage.matching.grouping.probability`` and picked by
``coverage.matching.grouping.choose`` with the differences of ``factcheck.extraction.compare``.
The folds split the gold groups (a verified claim's queries stay in one fold).

Word rarity (``grouping.Idf``) is what the worker has: the counts of the earlier queries
of the replayed subset, plus the query itself; the pair model is fitted with the counts of
all its training queries (no labels). For each held-out fold the pair model is fitted on
the pairs of the other folds (each query with its 20 nearest, ``fit``), and the thresholds are the grid point with the best
recall at pairwise precision ``--min-precision`` on those folds, scored there with
probabilities out of fold (a model fitted without the fold of the pair), so the
thresholds are not chosen on pairs the model was fitted on.

Printed, each as the mean and spread over the folds:

- ``fused``: the earlier score, (1 - w) x cosine + w x content-word overlap, the best
  candidate only (``w`` in the grid);
- ``model``: the pair model with ``choose``;

each with the difference check (the production rule) and without it (what the similarity
alone reaches: an upper bound, not a candidate). Then the model fitted on all of train
(the coefficients to ship as ``grouping.MODEL``), its thresholds, and the suggestions
at several ``suggest`` values.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from collections import Counter
from pathlib import Path

import numpy as np

WEIGHTS = (0.0, 0.2, 0.4, 0.6)  # lexical weights of the fused score's grid
AUTOS = tuple(round(float(a), 2) for a in np.arange(0.05, 0.99, 0.01))
MIN_WORDS = (3, 4, 5, 6, 8)
NEIGHBOURS = 20  # training pairs: each query with this many nearest by cosine
# The held-out fold's word counts start from its training folds' texts (no labels): a
# fold alone is too few texts to tell a rare word, where a desk has every past claim.
BACKGROUND = True
PENALTY = 1.0  # L2 penalty of the logistic regression (intercept not penalised)


def load(queries: Path, qrels: Path) -> tuple[list[str], list[str], dict[str, str]]:
    ids, texts = [], []
    for line in queries.read_text().splitlines():
        if line.strip():
            row = json.loads(line)
            ids.append(str(row["id"]))
            texts.append(row["text"])
    gold: dict[str, str] = {}
    for line in qrels.read_text().splitlines():
        if line.strip():
            q, d = line.split("\t")[:2]
            gold.setdefault(q.strip(), d.strip())
    return ids, texts, gold


def fit(x: np.ndarray, y: np.ndarray, penalty: float = PENALTY, steps: int = 50) -> np.ndarray:
    """Logistic regression by Newton's method: intercept first, then one weight per column."""
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    reg = np.eye(xb.shape[1]) * penalty
    reg[0, 0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-np.clip(xb @ w, -30, 30)))
        grad = xb.T @ (p - y) + reg @ w
        hess = (xb * (p * (1 - p))[:, None]).T @ xb + reg
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w


class Data:
    """The queries with every pair quantity the replay needs, computed once."""

    def __init__(self, ids, texts, gold, folds, seed, candidates):
        from core import embedding
        from coverage.matching import grouping
        from factcheck.extraction import compare

        self.grouping, self.compare = grouping, compare
        self.n = len(ids)
        self.candidates = candidates
        self.prepared = [grouping.prepared(t) for t in texts]
        vecs = embedding.embed(self.prepared)
        self.cos = (vecs @ vecs.T).astype(np.float64)
        np.fill_diagonal(self.cos, -np.inf)
        self.signals = [grouping.signals(t) for t in texts]
        self.words = np.array([s.words for s in self.signals])
        self._facts = [compare.facts(t) for t in self.prepared]
        self._blocked: dict[tuple[int, int], bool] = {}
        label = [gold.get(q, q) for q in ids]
        codes = {g: k for k, g in enumerate(sorted(set(label)))}
        self.group = np.array([codes[g] for g in label])
        groups = sorted(set(label))
        random.Random(seed).shuffle(groups)
        fold_of = {g: k % folds for k, g in enumerate(groups)}
        self.fold = np.array([fold_of[g] for g in label])

    def idf(self, subset) -> object:
        """Word rarity over the texts of ``subset`` (no labels)."""
        return self.grouping.Idf(Counter(w for i in subset for w in self.signals[i].terms), len(subset))

    def features(self, i: int, j: int, idf) -> np.ndarray:
        values = self.grouping.features(float(self.cos[i, j]), self.signals[i], self.signals[j], idf)
        return np.array([values[f] for f in self.grouping.FEATURES])

    def blocked(self, i: int, j: int) -> bool:
        key = (min(i, j), max(i, j))
        if key not in self._blocked:
            self._blocked[key] = bool(self.compare.differences(self._facts[i], self._facts[j]))
        return self._blocked[key]

    def earlier(self, subset: np.ndarray) -> list[np.ndarray]:
        """Each query's candidates: its nearest earlier queries of ``subset`` by cosine."""
        out = []
        for k, i in enumerate(subset):
            before = subset[:k]
            near = before[np.argsort(-self.cos[i, before], kind="stable")[: self.candidates]]
            out.append(near)
        return out

    def training_pairs(self, subset: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        pairs = set()
        for i in subset:
            others = subset[subset != i]
            for j in others[np.argsort(-self.cos[i, others], kind="stable")[:NEIGHBOURS]]:
                pairs.add((min(i, int(j)), max(i, int(j))))
        ordered = sorted(pairs)
        idf = self.idf(subset)
        x = np.array([self.features(i, j, idf) for i, j in ordered])
        y = np.array([float(self.group[i] == self.group[j]) for i, j in ordered])
        return x, y

    def model(self, subset: np.ndarray) -> np.ndarray:
        return fit(*self.training_pairs(subset))


class Replay:
    """One subset in arrival order with its candidates scored: outcomes for any thresholds."""

    def __init__(self, data: Data, subset: np.ndarray, score, rule: str, check: bool, background=()):
        from coverage.matching import grouping

        self.data, self.subset = data, subset
        self.rows = []  # per query: candidates, sorted by score descending, as (score, j, ok by min_words)
        # Word counts of the texts stored before each query, as the worker has them: the
        # ``background`` texts (stored earlier, never candidates here), then the earlier queries.
        stored: Counter[str] = Counter(w for b in background for w in data.signals[b].terms)
        for k, (i, near) in enumerate(zip(subset, data.earlier(subset), strict=True)):
            idf = grouping.Idf(stored, len(background) + k, data.signals[i].terms)
            stored.update(data.signals[i].terms)
            row = []
            for j in near:
                s = score(int(i), int(j), idf)
                blocked = check and data.blocked(int(i), int(j))
                few = min(data.words[i], data.words[j])
                row.append((s, int(j), blocked, few))
            row.sort(key=lambda t: -t[0])
            if rule == "best":
                row = row[:1]
            self.rows.append(row)

    def groups(self, auto: float, min_words: int) -> dict[int, int]:
        canon: dict[int, int] = {}
        for i, row in zip(self.subset, self.rows, strict=True):
            target = (
                next(
                    (j for s, j, blocked, few in row if s >= auto and not blocked and few >= min_words),
                    None,
                )
                if row and row[0][0] >= auto
                else None
            )
            canon[int(i)] = canon[target] if target is not None else int(i)
        return canon

    def suggestions(self, auto: float, min_words: int, suggest: float) -> list[tuple[int, int]]:
        canon = self.groups(auto, min_words)
        return [
            (int(i), row[0][1])
            for i, row in zip(self.subset, self.rows, strict=True)
            if row and canon[int(i)] == int(i) and row[0][0] >= suggest
        ]

    def pairwise(self, auto: float, min_words: int) -> tuple[float, float, int, int]:
        canon = self.groups(auto, min_words)
        gold = self.data.group[self.subset]
        mine = np.array([canon[int(i)] for i in self.subset])

        def pairs(counts) -> int:
            return sum(c * (c - 1) // 2 for c in counts)

        predicted = pairs(Counter(mine.tolist()).values())
        tp = pairs(Counter(zip(mine.tolist(), gold.tolist(), strict=True)).values())
        truth = pairs(Counter(gold.tolist()).values())
        return (tp / predicted if predicted else 1.0), (tp / truth if truth else 0.0), predicted, truth


def best_point(replays: dict, min_precision: float):
    """The (key, auto, min_words) with the best recall at ``min_precision``."""
    best, best_key = None, None
    for key, replay in replays.items():
        for w in MIN_WORDS:
            for a in AUTOS:
                p, r, _, _ = replay.pairwise(a, w)
                rank = (p >= min_precision, r if p >= min_precision else p, p)
                if best_key is None or rank > best_key:
                    best, best_key = (key, a, w), rank
    return best


def out_of_fold(data: Data, subset: np.ndarray):
    """A score function for pairs of ``subset``: each pair by a model fitted without its fold."""
    models = {g: data.model(subset[data.fold[subset] != g]) for g in sorted(set(data.fold[subset]))}

    def score(i: int, j: int, idf) -> float:
        w = models[min(data.fold[i], data.fold[j])]
        return float(1.0 / (1.0 + np.exp(-(w[0] + data.features(i, j, idf) @ w[1:]))))

    return score, models


def fused_score(data: Data, weight: float):
    from coverage.matching import grouping

    def score(i: int, j: int, idf) -> float:
        lexical = grouping.overlap(data.signals[i], data.signals[j])
        return (1 - weight) * float(data.cos[i, j]) + weight * lexical

    return score


def model_score(data: Data, weights: np.ndarray):
    def score(i: int, j: int, idf) -> float:
        return float(1.0 / (1.0 + np.exp(-(weights[0] + data.features(i, j, idf) @ weights[1:]))))

    return score


def cross_validate(data: Data, similarity: str, check: bool, folds: int, min_precision: float, verbose):
    ps, rs = [], []
    for k in range(folds):
        train = np.where(data.fold != k)[0]
        held = np.where(data.fold == k)[0]
        if similarity == "fused":
            choosing = {w: Replay(data, train, fused_score(data, w), "best", check) for w in WEIGHTS}
            key, auto, min_words = best_point(choosing, min_precision)
            final = Replay(data, held, fused_score(data, key), "best", check)
        else:
            score, _ = out_of_fold(data, train)
            key, auto, min_words = best_point(
                {"model": Replay(data, train, score, "choose", check)}, min_precision
            )
            background = train if BACKGROUND else ()
            final = Replay(data, held, model_score(data, data.model(train)), "choose", check, background)
        p, r, npred, ntrue = final.pairwise(auto, min_words)
        ps.append(p)
        rs.append(r)
        if verbose:
            print(
                f"  fold {k}: {key} auto {auto} min_words {min_words} -> held-out P {p:.3f} R {r:.3f} "
                f"({npred} pairs, {ntrue} gold)"
            )
    return float(np.mean(ps)), float(np.std(ps)), float(np.mean(rs)), float(np.std(rs))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--qrels", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--min-precision", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--only", choices=["fused", "model"], help="cross-validate one similarity only")
    parser.add_argument("--quiet", action="store_true", help="no per-fold lines")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from coverage.grouping import CANDIDATES
    from coverage.matching import grouping

    ids, texts, gold = load(args.queries, args.qrels)
    data = Data(ids, texts, gold, args.folds, args.seed, CANDIDATES)
    for similarity in ("fused", "model"):
        if args.only and similarity != args.only:
            continue
        for check in (True, False):
            label = f"{similarity}, {'difference check (production rule)' if check else 'no difference check (ceiling)'}"
            print(label)
            p, sp, r, sr = cross_validate(
                data, similarity, check, args.folds, args.min_precision, None if args.quiet else True
            )
            print(f"CV {label}: precision {p:.3f} ± {sp:.3f}, recall {r:.3f} ± {sr:.3f}", flush=True)
    everything = np.arange(data.n)
    weights = data.model(everything)
    print("model fitted on all of train (grouping.MODEL):")
    print(
        json.dumps(
            dict(zip(("intercept", *grouping.FEATURES), (round(float(w), 4) for w in weights), strict=True))
        )
    )
    score, _ = out_of_fold(data, everything)
    oof = Replay(data, everything, score, "choose", True)
    _, auto, min_words = best_point({"model": oof}, args.min_precision)
    p, r, npred, ntrue = oof.pairwise(auto, min_words)
    print(
        f"thresholds chosen on all of train (out of fold): auto {auto} min_words {min_words} "
        f"(precision {p:.3f} recall {r:.3f}, {npred} pairs, {ntrue} gold)"
    )
    shipped = Replay(data, everything, model_score(data, weights), "choose", True)
    p, r, npred, _ = shipped.pairwise(auto, min_words)
    print(f"the fitted model on all of train with them: precision {p:.3f} recall {r:.3f} ({npred} pairs)")
    for s in (0.2, 0.3, 0.4, 0.5, 0.6, 0.7):
        sugg = shipped.suggestions(auto, min_words, s)
        right = sum(1 for i, j in sugg if data.group[i] == data.group[j])
        print(f"suggest at {s:.2f}: {len(sugg)} suggestions, precision {right / max(1, len(sugg)):.3f}")


if __name__ == "__main__":
    main()
