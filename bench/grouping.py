"""Grouping of repeated claims, end to end on a fresh database.

    python -m bench.grouping --queries Q.jsonl --qrels R.tsv [--via tips|articles] [--scale N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python -m bench.grouping ...

Loads each query text, in file order, as a partner tip (default) or as the one sentence of
an article, into a new database of the configured kind (SQLite unless ``DATABASE_URL``
names PostgreSQL; dropped afterwards), and groups each claim with the production code the
``group_claim`` task runs (``coverage.grouping.claim_group``). Two queries are in the same
gold group when the qrels give them the same first verified claim. Prints the pairwise
precision, recall and F1 of the automatic groups, how many suggestions were made and how
many of them were right, and the grouping latency per claim (p50/p95).

``--scale N`` first stores N canonical claims (random sentences of the queries' words,
with random unit vectors: the cost of the search does not depend on what the vectors
mean) and reports the latency of grouping the queries against them.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import time
from pathlib import Path

import numpy as np

from bench.retrieval import _fresh_database, _setup_django


def _load(queries: Path, qrels: Path) -> tuple[list[tuple[str, str]], dict[str, str]]:
    rows = [json.loads(line) for line in queries.read_text(encoding="utf-8").splitlines() if line.strip()]
    gold: dict[str, str] = {}
    for line in qrels.read_text(encoding="utf-8").splitlines():
        if line.strip():
            q, d = line.split("\t")[:2]
            gold.setdefault(q.strip(), d.strip())
    return [(str(r["id"]), r["text"]) for r in rows], gold


def _store_claim(text: str, via: str):
    from editorial.models import Article, Outlet
    from factcheck.models import Claim, ClaimOrigin
    from factcheck.services.claims import claim_fingerprint

    if via == "tips":
        return Claim.objects.create(
            text=text, origin=ClaimOrigin.PARTNER, fingerprint=claim_fingerprint(text)
        )
    outlet, _ = Outlet.objects.get_or_create(name="Bench outlet", defaults={"domain": "bench.example"})
    article = Article.objects.create(
        outlet=outlet, title=text[:80], body=text, external_key=f"bench:{Article.objects.count()}"
    )
    return Claim.objects.create(
        text=text,
        article=article,
        start=0,
        end=len(text),
        origin=ClaimOrigin.EXTRACTED,
        fingerprint=claim_fingerprint(text),
    )


def _fill_scale(n: int, texts: list[str], seed: int) -> None:
    """``n`` canonical claims already grouped, with their index rows and vectors."""
    from django.db import transaction
    from django.utils import timezone

    from core import embedding
    from coverage.matching import terms, vectors
    from coverage.models import SearchDoc, SearchKind
    from factcheck.models import Claim, ClaimOrigin

    rng = random.Random(seed)
    words = sorted({w for t in texts for w in t.split() if w.isalpha()})
    vec_rng = np.random.default_rng(seed)
    now = timezone.now()
    for start in range(0, n, 5000):
        size = min(5000, n - start)
        sentences = [" ".join(rng.choices(words, k=14)) for _ in range(size)]
        with transaction.atomic():
            claims = Claim.objects.bulk_create(
                [Claim(text=s, origin=ClaimOrigin.MANUAL, grouped_at=now) for s in sentences]
            )
            matrix = vec_rng.standard_normal((size, embedding.DIM)).astype(np.float32)
            matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
            SearchDoc.objects.bulk_create(
                [
                    SearchDoc(
                        kind=SearchKind.APPEARANCE,
                        object_id=c.pk,
                        text=c.text,
                        embedding=vectors.encode(v),
                        embedding_model=embedding.MODEL_ID,
                    )
                    for c, v in zip(claims, matrix, strict=True)
                ]
            )
    vectors.cache_for().refresh()  # the worker's caches are warm after its first claim
    terms.counts_for().refresh()


def _pairwise(groups: dict[str, int], gold: dict[str, str]) -> tuple[float, float, float, int, int]:
    ids = list(groups)
    predicted = {(a, b) for a, b in itertools.combinations(ids, 2) if groups[a] == groups[b]}
    truth = {(a, b) for a, b in itertools.combinations(ids, 2) if gold.get(a) and gold.get(a) == gold.get(b)}
    tp = len(predicted & truth)
    precision = tp / len(predicted) if predicted else 1.0
    recall = tp / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, len(predicted), len(truth)


def run(args) -> None:
    from django.db import connection

    from coverage.grouping import claim_group
    from coverage.models import SameClaimSuggestion
    from factcheck.models import Claim

    queries, gold = _load(args.queries, args.qrels)
    if args.limit:
        queries = queries[: args.limit]
    if args.scale:
        started = time.perf_counter()
        _fill_scale(args.scale, [t for _, t in queries], args.seed)
        print(f"stored {args.scale:,} canonical claims in {time.perf_counter() - started:.0f} s")
    query_of: dict[int, str] = {}
    timings = []
    for qid, text in queries:
        claim = _store_claim(text, args.via)
        query_of[claim.pk] = qid
        started = time.perf_counter()
        claim_group(claim_id=claim.pk)
        timings.append((time.perf_counter() - started) * 1000)
    rows = Claim.objects.filter(pk__in=list(query_of)).values_list("pk", "same_as_id")
    groups = {query_of[pk]: (same or pk) for pk, same in rows}
    precision, recall, f1, npred, ntrue = _pairwise(groups, gold)
    suggestions = list(
        SameClaimSuggestion.objects.filter(claim_id__in=list(query_of)).values_list(
            "claim_id", "canonical_id"
        )
    )
    right = sum(
        1
        for claim_id, canonical_id in suggestions
        if canonical_id in query_of and gold.get(query_of[claim_id]) == gold.get(query_of[canonical_id])
    )
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(0.95 * len(timings)))]
    print(f"backend {connection.vendor}, via {args.via}, {len(queries)} claims")
    print(f"automatic groups: pairwise precision {precision:.3f} recall {recall:.3f} F1 {f1:.3f}")
    print(f"  ({npred} predicted pairs, {ntrue} gold pairs)")
    share = right / len(suggestions) if suggestions else 0.0
    print(f"suggestions: {len(suggestions)}, precision {share:.3f}")
    print(f"grouping latency per claim: p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--queries", type=Path, required=True)
    parser.add_argument("--qrels", type=Path, required=True)
    parser.add_argument("--via", choices=["tips", "articles"], default="tips")
    parser.add_argument("--scale", type=int, default=0, metavar="N", help="store N canonical claims first")
    parser.add_argument("--limit", type=int, default=0, help="group only the first N queries")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    database = _fresh_database()
    try:
        _setup_django()
        run(args)
    finally:
        database.drop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
