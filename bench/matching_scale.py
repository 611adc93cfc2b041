"""Prior-coverage search at scale, on PostgreSQL: index time and search latency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        python -m bench.matching_scale [--sizes 10000,100000,1000000] [--queries 200]

For each size a fresh database gets N synthetic items: sentences of 10-30 words drawn
from a Zipf-distributed vocabulary of 200k pseudo-words (the shape of real text: a few
very common words, a long tail of rare ones), each with a random unit vector standing
in for its embedding (embedding 1M texts would take hours; the model's cost per query
is measured and included anyway, the query is embedded for real). Rows go in through
the ORM in batches, so the full-text triggers and the GIN index do their real work.
Queries are items with a third of their words dropped and a few foreign words added,
and their vector perturbed. Printed per size: insert (index build) time, vector cache
load time, and p50/p95 of the production ``search`` call, plus its lexical part alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

from bench.retrieval import _fresh_database, _setup_django

VOCAB = 200_000
DIM = 384


def _words(rng: np.random.Generator) -> np.ndarray:
    syllables = np.array(
        ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qu", "dor", "len", "bri"]
    )
    parts = rng.integers(0, len(syllables), size=(VOCAB, 4))
    lengths = rng.integers(2, 5, size=VOCAB)
    words = [
        "".join(syllables[p[:n]]) + str(i % 97) for i, (p, n) in enumerate(zip(parts, lengths, strict=True))
    ]
    return np.array(words)


def _sentences(rng, words, n: int) -> list[str]:
    lengths = rng.integers(10, 31, size=n)
    ids = np.minimum(rng.zipf(1.3, size=int(lengths.sum())) - 1, VOCAB - 1)
    out, at = [], 0
    for length in lengths:
        out.append(" ".join(words[ids[at : at + length]]))
        at += length
    return out


def _insert(n: int, rng, words) -> tuple[float, list[tuple[str, np.ndarray]]]:
    from factcheck.matching.vectors import encode
    from factcheck.models import SearchDoc

    started = time.perf_counter()
    samples = []
    batch = 5000
    for start in range(0, n, batch):
        size = min(batch, n - start)
        texts = _sentences(rng, words, size)
        vecs = rng.standard_normal((size, DIM)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        SearchDoc.objects.bulk_create(
            [
                SearchDoc(
                    kind="factcheck",
                    object_id=start + i + 1,
                    text=t,
                    embedding=encode(v),
                    embedding_model="all-MiniLM-L6-v2-onnx-int8",
                )
                for i, (t, v) in enumerate(zip(texts, vecs, strict=True))
            ]
        )
        if len(samples) < 1000:
            samples += list(zip(texts[:50], vecs[:50], strict=True))
    return time.perf_counter() - started, samples


def _query(rng, words, text: str) -> str:
    kept = [w for w in text.split() if rng.random() > 0.33]
    extra = list(words[rng.integers(0, 5000, size=3)])
    return " ".join(kept + extra)


def _pct(values, pct):
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def run_size(n: int, queries: int, seed: int) -> None:
    from django.db import connection

    from factcheck.matching import backends, search, vectors

    rng = np.random.default_rng(seed)
    words = _words(rng)
    insert_s, samples = _insert(n, rng, words)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE factcheck_searchdoc")
    vectors.clear_caches()
    started = time.perf_counter()
    vectors.cache_for().refresh()
    load_s = time.perf_counter() - started
    search("warm up", limit=10)
    full, lexical = [], []
    for i in range(queries):
        text, _ = samples[i % len(samples)]
        query = _query(rng, words, text)
        t0 = time.perf_counter()
        search(query, limit=10)
        full.append((time.perf_counter() - t0) * 1000)
        t0 = time.perf_counter()
        backends.lexical_search(query, limit=100)
        lexical.append((time.perf_counter() - t0) * 1000)
    print(
        f"{n:>9,} items | insert+index {insert_s:7.1f} s ({n / insert_s:,.0f}/s) | vector cache load {load_s:5.1f} s"
        f" | search p50 {_pct(full, 50):6.1f} ms p95 {_pct(full, 95):6.1f} ms"
        f" | lexical p50 {_pct(lexical, 50):6.1f} ms p95 {_pct(lexical, 95):6.1f} ms",
        flush=True,
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL=postgres://... (this benchmark is about PostgreSQL)")
    for n in (int(s) for s in args.sizes.split(",")):
        base = os.environ["DATABASE_URL"]
        db = _fresh_database()
        try:
            if n == int(args.sizes.split(",")[0]):
                _setup_django()
            else:
                _switch_database(os.environ["DATABASE_URL"])
            run_size(n, args.queries, args.seed)
        finally:
            db.drop()
            os.environ["DATABASE_URL"] = base
    return 0


def _switch_database(url: str) -> None:
    """Point the already configured Django connection at the next fresh database."""
    from urllib.parse import urlsplit

    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = urlsplit(url).path.lstrip("/")
    call_command("migrate", verbosity=0)


if __name__ == "__main__":
    raise SystemExit(main())
