"""Training the re-ranker: LambdaMART (LightGBM) chosen by cross-validation on train. Pure.

Input: per query, the first stage's candidates with every input of the features
(``bench.retrieval --candidates``; ``manage.py train_matcher`` writes them) and the
qrels of the train split. Folds leave whole topics out: queries are joined when they
share a gold item, the same text (the two tweet sets hold the same tweets), or a debate,
and a group never straddles two folds. Every option (the depth K, the trees, leaves,
learning rate) is chosen by mean CV MAP@5 over the sets; the calibration is a logistic fit
of out-of-fold scores. The final model is fitted on all of train and written as JSON
(``rerank.FORMAT``), deterministically: the same data gives the same file.

Needs lightgbm and scikit-learn (``requirements-dev.txt``); serving does not.
"""

from __future__ import annotations

import hashlib
import json
import statistics
from dataclasses import dataclass, field
from datetime import date
from itertools import product
from pathlib import Path

import numpy as np

from coverage.matching import rerank

SEED = 20
FOLDS = 5
# Small trees won on a first ct2020 sweep (docs/decisions/matching-reranker.md); the grid
# keeps one larger option of each so the choice stays the data's.
GRID = {
    "depth": (10, 20, 30),
    "num_leaves": (3, 7),
    "n_estimators": (100, 300),
    "learning_rate": (0.05,),
    "min_child_samples": (50,),
}
QUICK_GRID = {
    "depth": (10,),
    "num_leaves": (3,),
    "n_estimators": (50,),
    "learning_rate": (0.1,),
    "min_child_samples": (5,),
}


@dataclass
class Query:
    qid: str
    dataset: str
    text: str
    claimant: str
    docs: list[str]  # candidate item ids, first-stage order
    X: np.ndarray  # (candidates, features)
    relevant: set[str]
    topic: str = ""  # debate, when known

    def labels(self, depth: int) -> np.ndarray:
        return np.array([1 if d in self.relevant else 0 for d in self.docs[:depth]])


@dataclass
class Report:
    chosen: dict
    cv: dict[str, tuple[float, float]]  # dataset -> (mean, spread) of the re-ranked MAP@5
    baseline: dict[str, tuple[float, float]]  # the first stage on the same folds
    grid: list[dict] = field(default_factory=list)
    sha256: str = ""


def read_candidates(path: Path, qrels: Path, dataset: str) -> list[Query]:
    """Queries with their candidates' features; a query without qrels is skipped."""
    relevant: dict[str, set[str]] = {}
    for line in qrels.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].strip():
            relevant.setdefault(parts[0].strip(), set()).add(parts[1].strip())
    out = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            row = json.loads(line)
            qid = str(row["qid"])
            if qid not in relevant:
                continue
            pairs = [rerank.Pair.from_dict(c) for c in row["candidates"]]
            as_of = date.fromisoformat(row["as_of"]) if row.get("as_of") else None
            vectors = [f.values for f in rerank.features(row["text"], row.get("claimant", ""), pairs, as_of)]
            out.append(
                Query(
                    qid=qid,
                    dataset=dataset,
                    text=row["text"],
                    claimant=row.get("claimant", ""),
                    docs=[str(c["doc"]) for c in row["candidates"]],
                    X=np.array(vectors, dtype=np.float64).reshape(len(pairs), len(rerank.FEATURE_NAMES)),
                    relevant=relevant[qid],
                    topic=str(row.get("topic") or ""),
                )
            )
    return out


def fold_of(queries: list[Query], folds: int = FOLDS) -> list[int]:
    """A fold per query; queries linked by a gold item, a text or a debate share one."""
    parent = list(range(len(queries)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, q in enumerate(queries):
        keys = [f"text:{' '.join(q.text.lower().split())}", *(f"gold:{q.dataset}:{r}" for r in q.relevant)]
        if q.topic:
            keys.append(f"topic:{q.dataset}:{q.topic}")
        for key in keys:
            if key in first:
                parent[find(i)] = find(first[key])
            else:
                first[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(queries)):
        groups.setdefault(find(i), []).append(i)
    # Deterministic assignment, balanced within every dataset: largest groups first, each to
    # the fold where it leaves the fullest dataset share smallest (ties: seeded draw).
    order = sorted(groups.values(), key=lambda g: (-len(g), queries[g[0]].qid))
    totals: dict[str, int] = {}
    for q in queries:
        totals[q.dataset] = totals.get(q.dataset, 0) + 1
    rng = np.random.default_rng(SEED)
    load = [dict.fromkeys(totals, 0) for _ in range(folds)]
    fold = [0] * len(queries)
    for members in order:
        add: dict[str, int] = {}
        for i in members:
            add[queries[i].dataset] = add.get(queries[i].dataset, 0) + 1

        def cost(f: int, add=add) -> tuple[float, float]:
            after = [(load[f][d] + add.get(d, 0)) / totals[d] for d in totals]
            return max(after), sum(after)

        best = min(cost(f) for f in range(folds))
        options = [f for f in range(folds) if cost(f) == best]
        target = options[int(rng.integers(len(options)))]
        for i in members:
            fold[i] = target
        for d, n in add.items():
            load[target][d] += n
    return fold


def average_precision(ranked: list[str], relevant: set[str], k: int = 5) -> float:
    """AP@k as the benchmark's score.py computes it (denominator |relevant|)."""
    hits, total = 0, 0.0
    for i, doc in enumerate(ranked[:k], 1):
        if doc in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant) if relevant else 0.0


def reorder(query: Query, scores: np.ndarray, depth: int) -> list[str]:
    """The top ``depth`` by model score (ties: first-stage order), the rest as they were."""
    top = sorted(range(min(depth, len(query.docs))), key=lambda i: (-scores[i], i))
    return [query.docs[i] for i in top] + query.docs[depth:]


def _params(option: dict) -> dict:
    return {
        "objective": "lambdarank",
        "n_estimators": option["n_estimators"],
        "num_leaves": option["num_leaves"],
        "learning_rate": option["learning_rate"],
        "min_child_samples": option["min_child_samples"],
        "lambdarank_truncation_level": 10,
        "subsample": 1.0,
        "colsample_bytree": 1.0,
        "random_state": SEED,
        "deterministic": True,
        "force_row_wise": True,
        "num_threads": 1,
        "verbose": -1,
    }


def _stack(queries: list[Query], depth: int, weights: dict[str, float] | None = None):
    X = np.vstack([q.X[:depth] for q in queries]) if queries else np.zeros((0, len(rerank.FEATURE_NAMES)))
    y = np.concatenate([q.labels(depth) for q in queries]) if queries else np.zeros(0)
    group = [min(depth, len(q.docs)) for q in queries]
    return X, y, group


def fit(queries: list[Query], option: dict):
    import lightgbm

    trainable = [q for q in queries if q.labels(option["depth"]).any() and len(q.docs) > 1]
    X, y, group = _stack(trainable, option["depth"])
    model = lightgbm.LGBMRanker(**_params(option))
    model.fit(X, y, group=group)
    return model


def cross_validate(queries: list[Query], option: dict, folds: list[int]):
    """Per dataset and fold: AP@5 per held-out query (re-ranked, first stage); out-of-fold scores."""
    depth = option["depth"]
    per: dict[str, list[list[float]]] = {}
    base: dict[str, list[list[float]]] = {}
    oof: list[tuple[float, int]] = []
    datasets = sorted({q.dataset for q in queries})
    for f in sorted(set(folds)):
        train = [q for q, g in zip(queries, folds, strict=True) if g != f]
        held = [q for q, g in zip(queries, folds, strict=True) if g == f]
        model = fit(train, option)
        for name in datasets:
            mine = [q for q in held if q.dataset == name]
            if not mine:
                continue
            scores_ap, base_ap = [], []
            for q in mine:
                raw = model.predict(q.X[:depth]) if len(q.docs) else np.zeros(0)
                scores_ap.append(average_precision(reorder(q, raw, depth), q.relevant))
                base_ap.append(average_precision(q.docs, q.relevant))
                labels = q.labels(depth)
                oof += [(float(s), int(label)) for s, label in zip(raw[:5], labels[:5], strict=False)]
            per.setdefault(name, []).append(scores_ap)
            base.setdefault(name, []).append(base_ap)
    return per, base, oof


def _summary(per_fold: dict[str, list[list[float]]]) -> dict[str, tuple[float, float]]:
    """Per dataset: MAP@5 over all its held-out queries, and the spread (standard deviation)
    of the per-fold MAP@5."""
    return {
        name: (
            statistics.fmean(ap for fold in folds for ap in fold),
            statistics.pstdev(statistics.fmean(fold) for fold in folds),
        )
        for name, folds in per_fold.items()
    }


def choose(queries: list[Query], grid: dict | None = None, log=print) -> tuple[dict, Report, list]:
    """Every option of ``grid`` by mean CV MAP@5 over the datasets; the winner's report."""
    grid = grid or GRID
    folds = fold_of(queries)
    keys = sorted(grid)
    best = None
    rows = []
    for values in product(*(grid[k] for k in keys)):
        option = dict(zip(keys, values, strict=True))
        per, base, oof = cross_validate(queries, option, folds)
        cv = _summary(per)
        mean = statistics.fmean(m for m, _ in cv.values())
        rows.append({**option, "cv": {k: round(v[0], 4) for k, v in cv.items()}, "mean": round(mean, 4)})
        log(
            f"  {option} -> "
            + ", ".join(f"{k} {m:.4f}±{s:.4f}" for k, (m, s) in cv.items())
            + f" (mean {mean:.4f})"
        )
        if best is None or mean > best[0] + 1e-9:
            best = (mean, option, cv, _summary(base), oof)
    assert best is not None
    _, option, cv, baseline, oof = best
    return option, Report(chosen=option, cv=cv, baseline=baseline, grid=rows), oof


def calibrate(oof: list[tuple[float, int]]) -> tuple[float, float]:
    """Logistic fit P(relevant | raw score) on out-of-fold scores of the top 5."""
    from sklearn.linear_model import LogisticRegression

    if not oof or len({y for _, y in oof}) < 2:
        return 1.0, 0.0
    X = np.array([[s] for s, _ in oof])
    y = np.array([label for _, label in oof])
    model = LogisticRegression(C=1.0).fit(X, y)
    return round(float(model.coef_[0][0]), 6), round(float(model.intercept_[0]), 6)


def to_json(model, *, option: dict, calibration: tuple[float, float], meta: dict) -> str:
    """The model as ``rerank.FORMAT`` JSON: sorted keys, floats as written by repr."""
    dump = model.booster_.dump_model()
    trees = [rerank.tree_arrays(t["tree_structure"]) for t in dump["tree_info"]]
    data = {
        "format": rerank.FORMAT,
        "feature_names": list(rerank.FEATURE_NAMES),
        "depth": option["depth"],
        "max_depth": max(t.pop("depth") for t in trees),
        "trees": trees,
        "calibration": list(calibration),
        "meta": meta,
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":")) + "\n"


def train(
    queries: list[Query],
    *,
    extra: list[Query] | None = None,
    grid: dict | None = None,
    log=print,
) -> tuple[str, Report]:
    """Choose by CV on ``queries``, fit on them plus ``extra`` (the desk's decisions)."""
    option, report, oof = choose(queries, grid=grid, log=log)
    calibration = calibrate(oof)
    model = fit(queries + list(extra or []), option)
    meta = {
        "chosen": option,
        "cv_map5": {k: [round(m, 4), round(s, 4)] for k, (m, s) in report.cv.items()},
        "first_stage_cv_map5": {k: [round(m, 4), round(s, 4)] for k, (m, s) in report.baseline.items()},
        "train_queries": {
            name: sum(q.dataset == name for q in queries) for name in sorted({q.dataset for q in queries})
        },
        "desk_decisions": len(extra or []),
    }
    body = to_json(model, option=option, calibration=calibration, meta=meta)
    report.sha256 = hashlib.sha256(body.encode()).hexdigest()
    return body, report
