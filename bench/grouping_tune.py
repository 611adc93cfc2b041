"""Choose the grouping thresholds by cross-validation on a TRAIN split (never dev).

    python -m bench.grouping_tune --queries .../ct2021_task2a_en_tweets/train/queries.jsonl \
        --qrels .../ct2021_task2a_en_tweets/train/qrels.tsv [--folds 5] [--min-precision 0.9]

Replays the production rule (``coverage.matching.grouping.decide`` on the cosine of the
MiniLM vectors the grouping task computes, and ``factcheck.extraction.compare`` for what
differs) over the queries in file order, each against the canonical claims before it, as
the worker does. The folds split the gold groups (a verified claim's queries stay in one
fold). For each fold, the grid point with the best recall at pairwise precision
``--min-precision`` on the other folds is scored on the held-out fold; the printout is
the mean and spread over folds and the setting chosen on all of train.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
from pathlib import Path

import numpy as np

WEIGHTS = (0.0, 0.2, 0.4, 0.6)  # lexical weights of the grid


def load(queries: Path, qrels: Path) -> tuple[list[str], list[str], dict[str, str]]:
    import json

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


def gold_pairs(ids: list[str], gold: dict[str, str]) -> set[tuple[int, int]]:
    return {
        (i, j) for i, j in itertools.combinations(range(len(ids)), 2) if gold.get(ids[i]) == gold.get(ids[j])
    }


def replay(subset, sim, blocked, short, th):
    """Auto groups and suggestions of ``subset`` (query indices, in arrival order).

    Every earlier claim is searched (canonical claims and their appearances); a claim
    joins the group of its best earlier match when ``decide`` says ``auto``.
    """
    sub = np.asarray(subset)
    s = sim[np.ix_(sub, sub)].copy()
    s[np.triu_indices(len(sub))] = -1.0  # only claims that arrived before
    canon_of: dict[int, int] = {}
    suggestions = []
    for k, i in enumerate(subset):
        if k == 0:
            canon_of[i] = i
            continue
        j = int(sub[int(np.argmax(s[k, :k]))])
        best = float(s[k, :k].max())
        if best >= th.auto and not blocked[i, j] and not short[i, j]:
            canon_of[i] = canon_of[j]
        else:
            canon_of[i] = i
            if best >= th.suggest:
                suggestions.append((i, j))
    return canon_of, suggestions


def pairwise(subset, canon_of, gold_set):
    members: dict[int, list[int]] = {}
    for i in subset:
        members.setdefault(canon_of[i], []).append(i)
    predicted = {tuple(sorted(p)) for g in members.values() for p in itertools.combinations(g, 2)}
    sub = set(subset)
    truth = {p for p in gold_set if p[0] in sub and p[1] in sub}
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 0.0
    return precision, recall, len(predicted), len(truth)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--qrels", type=Path, required=True)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--min-precision", type=float, default=0.9)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from core import embedding
    from coverage.matching import grouping, text
    from factcheck.extraction import compare

    ids, texts, gold = load(args.queries, args.qrels)
    prepared = [text.query_text(compare.strip_furniture(t)) for t in texts]
    vecs = embedding.embed(prepared)
    cos = vecs @ vecs.T
    n = len(ids)
    terms = [set(text.query_terms(t)) for t in prepared]
    lex = np.zeros((n, n), dtype=np.float32)
    for i in range(n):
        for j in range(i):
            u = terms[i] | terms[j]
            lex[i, j] = lex[j, i] = len(terms[i] & terms[j]) / len(u) if u else 0.0
    facts = [compare.facts(t) for t in prepared]
    blocked = np.zeros((n, n), dtype=bool)
    for i in range(n):
        for j in range(i):
            if cos[i, j] >= 0.35 and compare.differences(facts[i], facts[j]):
                blocked[i, j] = blocked[j, i] = True
    words = np.array([len(t) for t in terms])
    pair_words = np.minimum(words[:, None], words[None, :])
    gold_set = gold_pairs(ids, gold)
    groups = sorted({gold.get(q, q) for q in ids})
    random.Random(args.seed).shuffle(groups)
    fold_of_group = {g: k % args.folds for k, g in enumerate(groups)}
    fold = [fold_of_group[gold.get(q, q)] for q in ids]
    grid = [
        grouping.Thresholds(auto=round(float(a), 3), suggest=0.6, min_words=w, lexical_weight=lw)
        for a in np.arange(0.25, 0.96, 0.01)
        for w in (3, 4, 5, 6, 8)
        for lw in WEIGHTS
    ]
    sims = {lw: (1 - lw) * cos + lw * lex for lw in WEIGHTS}

    def evaluate(subset, th):
        canon_of, _ = replay(subset, sims[th.lexical_weight], blocked, pair_words < th.min_words, th)
        return pairwise(subset, canon_of, gold_set)

    def choose(subset):
        best, best_key = None, None
        for th in grid:
            p, r, _, _ = evaluate(subset, th)
            key = (p >= args.min_precision, r if p >= args.min_precision else p, p)
            if best_key is None or key > best_key:
                best, best_key = th, key
        return best

    ps, rs = [], []
    for k in range(args.folds):
        train = [i for i in range(n) if fold[i] != k]
        held = [i for i in range(n) if fold[i] == k]
        th = choose(train)
        p, r, npred, ntrue = evaluate(held, th)
        ps.append(p)
        rs.append(r)
        print(f"fold {k}: {th} -> held-out precision {p:.3f} recall {r:.3f} ({npred} pairs, {ntrue} gold)")
    print(f"CV precision {np.mean(ps):.3f} ± {np.std(ps):.3f}, recall {np.mean(rs):.3f} ± {np.std(rs):.3f}")
    th = choose(list(range(n)))
    p, r, npred, ntrue = evaluate(list(range(n)), th)
    print(f"chosen on all of train: {th} (train precision {p:.3f} recall {r:.3f})")
    for s in (0.5, 0.55, 0.6, 0.65, 0.7):
        t2 = grouping.Thresholds(
            auto=th.auto, suggest=s, min_words=th.min_words, lexical_weight=th.lexical_weight
        )
        canon_of, sugg = replay(
            list(range(n)), sims[t2.lexical_weight], blocked, pair_words < t2.min_words, t2
        )
        right = sum(1 for i, c in sugg if gold.get(ids[i]) == gold.get(ids[c]))
        print(f"suggest at {s:.2f}: {len(sugg)} suggestions, precision {right / max(1, len(sugg)):.3f}")


if __name__ == "__main__":
    main()
