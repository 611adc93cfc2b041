"""Prior-coverage search at scale, on PostgreSQL: index time, size and search latency.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        python -m bench.matching_scale [--sizes 10000,100000,1000000] [--queries 200] \
        [--database NAME]

For each size a database gets N synthetic items: sentences of 10-30 words drawn from a
Zipf-distributed vocabulary of 200k pseudo-words (the shape of real text: a few very
common words, a long tail of rare ones). Each item's stored vector is a bag of random
word vectors weighted by word rarity, normalised: similar texts get similar vectors, as
with a real sentence model, so ANN recall means something (embedding 1M texts with the
model would take hours; its cost per query is measured anyway: ``search`` embeds the
query for real). Rows go in through the ORM in batches, so the full-text triggers and
the GIN index do their real work. Queries are items with a third of their words dropped
and a few foreign words added.

Printed per size: insert (index build) time, database size (whole database, SearchDoc
table, its GIN and other indexes, the BM25 term table), vector cache load and ANN build
time, p50/p95 of the production ``search`` call (timed in a pass of its own, as a stream of
searches runs: every other query with the re-ranker, whose step is timed alone, the others
without it, ``first stage``) and, in a second pass, their parts (lexical SQL, query
embedding, dense search exact and ANN), and ANN recall@100 against exact search (on the
bag-of-words query vector), plus how often the query's source item is the dense top 1.

``--database NAME`` keeps each size's database (``NAME_<size>``) and reuses it on the
next run when it holds the same number of rows: re-measuring after a change to the
search code then skips the insert. Without it each size gets a fresh database, dropped
at the end.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from urllib.parse import urlsplit, urlunsplit

import numpy as np

from bench.retrieval import _fresh_database, _setup_django, _time_reranker

VOCAB = 200_000
DIM = 384
BATCH = 5000
MODEL_ID = "all-MiniLM-L6-v2-onnx-int8"


class Corpus:
    """The pseudo-word vocabulary, its word vectors and the sentence generator (seeded)."""

    def __init__(self, seed: int):
        rng = np.random.default_rng(seed)
        syllables = np.array(
            ["ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo", "ze", "pa", "qu", "dor", "len", "bri"]
        )
        parts = rng.integers(0, len(syllables), size=(VOCAB, 4))
        lengths = rng.integers(2, 5, size=VOCAB)
        self.words = np.array(
            ["".join(syllables[p[:n]]) + str(i) for i, (p, n) in enumerate(zip(parts, lengths, strict=True))]
        )
        self.index = {w: i for i, w in enumerate(self.words)}
        self.word_vectors = rng.standard_normal((VOCAB, DIM)).astype(np.float32)
        self.weights = np.log1p(np.arange(VOCAB, dtype=np.float32))  # rarer word, more weight

    def sentences(self, rng, n: int) -> tuple[list[str], np.ndarray]:
        lengths = rng.integers(10, 31, size=n)
        ids = np.minimum(rng.zipf(1.3, size=int(lengths.sum())) - 1, VOCAB - 1)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        texts = [" ".join(self.words[ids[s : s + k]]) for s, k in zip(starts, lengths, strict=True)]
        sums = np.add.reduceat(self.word_vectors[ids] * self.weights[ids, None], starts, axis=0)
        return texts, _unit(sums)

    def vector(self, text: str) -> np.ndarray:
        ids = np.array([self.index[w] for w in text.split() if w in self.index], dtype=np.int64)
        if not len(ids):
            return np.zeros(DIM, dtype=np.float32)
        return _unit((self.word_vectors[ids] * self.weights[ids, None]).sum(axis=0))

    def query(self, rng, text: str) -> str:
        kept = [w for w in text.split() if rng.random() > 0.33]
        extra = list(self.words[rng.integers(0, 5000, size=3)])
        return " ".join(kept + extra)


def _unit(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return (m / np.where(norms == 0, 1, norms)).astype(np.float32)


def _insert(n: int, corpus: Corpus, rng) -> float:
    from coverage.matching.vectors import encode
    from coverage.models import SearchDoc

    started = time.perf_counter()
    for start in range(0, n, BATCH):
        texts, vecs = corpus.sentences(rng, min(BATCH, n - start))
        SearchDoc.objects.bulk_create(
            [
                SearchDoc(
                    kind="factcheck",
                    object_id=start + i + 1,
                    text=t,
                    embedding=encode(v),
                    embedding_model=MODEL_ID,
                )
                for i, (t, v) in enumerate(zip(texts, vecs, strict=True))
            ]
        )
    return time.perf_counter() - started


def _pct(values, pct):
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def _mb(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


def database_sizes() -> dict[str, int]:
    """Bytes: whole database, SearchDoc heap+TOAST, its GIN index, its other indexes, term table."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT pg_database_size(current_database()),
                      pg_table_size('factcheck_searchdoc'),
                      pg_relation_size('factcheck_searchdoc_tsv_gin'),
                      pg_indexes_size('factcheck_searchdoc') - pg_relation_size('factcheck_searchdoc_tsv_gin'),
                      pg_total_relation_size('factcheck_searchterm')"""
        )
        names = ("database", "searchdoc_table", "gin_index", "other_indexes", "term_table")
        return dict(zip(names, cursor.fetchone(), strict=True))


def run_size(n: int, queries: int, seed: int, *, reuse: bool) -> None:
    from django.db import connection

    from core import embedding
    from coverage.matching import backends, search, vectors
    from coverage.models import SearchDoc

    corpus = Corpus(seed)
    rng = np.random.default_rng(seed + n)
    if reuse:
        insert = "reused"
    else:
        insert_s = _insert(n, corpus, rng)
        insert = f"{insert_s:7.1f} s ({n / insert_s:,.0f}/s)"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE factcheck_searchdoc")
    sizes = database_sizes()
    vectors.clear_caches()
    cache = vectors.cache_for()
    started = time.perf_counter()
    cache.refresh()
    load_s = time.perf_counter() - started
    cache.wait_for_ann()  # the index builds in a background thread; searches are exact meanwhile
    ann = cache.ann_stats()
    picks = rng.choice(n, size=min(queries, n), replace=False) + 1
    sources = dict(SearchDoc.objects.filter(object_id__in=picks.tolist()).values_list("id", "text"))
    search("warm up", limit=10)
    timing = {k: [] for k in ("search", "first stage", "re-ranker", "lexical", "embed", "exact", "ann")}
    recall, top1_exact, top1_ann = [], 0, 0
    queries_of = [(doc_id, corpus.query(rng, text)) for doc_id, text in list(sources.items())]
    asked = [queries_of[i % len(queries_of)] for i in range(queries)]
    # The production call first, on its own: the parts below (an exact scan of every
    # vector among them) would evict the caches a stream of searches keeps warm.
    # Every other query without the re-ranker: each query is asked once, so neither half
    # finds the other's pages cached. The re-ranking step is timed inside the searches.
    timing["re-ranker"] = _time_reranker()
    for i, (_, query) in enumerate(asked):
        with_reranker = i % 2 == 0
        t0 = time.perf_counter()
        search(query, limit=10, rerank=with_reranker)
        timing["search" if with_reranker else "first stage"].append((time.perf_counter() - t0) * 1000)
    for doc_id, query in asked:
        qvec = corpus.vector(query)
        t1 = time.perf_counter()
        backends.lexical_search(query, limit=100)
        t2 = time.perf_counter()
        embedding.embed([query])
        t3 = time.perf_counter()
        exact = cache.search(qvec, limit=100, exact=True)
        t4 = time.perf_counter()
        approx = cache.search(qvec, limit=100)
        t5 = time.perf_counter()
        for key, a, b in (
            ("lexical", t1, t2),
            ("embed", t2, t3),
            ("exact", t3, t4),
            ("ann", t4, t5),
        ):
            timing[key].append((b - a) * 1000)
        recall.append(len({d for d, _ in exact} & {d for d, _ in approx}) / max(len(exact), 1))
        top1_exact += bool(exact) and exact[0][0] == doc_id
        top1_ann += bool(approx) and approx[0][0] == doc_id
    parts = " | ".join(
        f"{k} p50 {_pct(v, 50):6.1f} p95 {_pct(v, 95):6.1f} ms" for k, v in timing.items() if v
    )
    print(
        f"{n:>9,} items | insert+index {insert} | db {_mb(sizes['database'])}: searchdoc"
        f" {_mb(sizes['searchdoc_table'])}, GIN {_mb(sizes['gin_index'])}, other indexes"
        f" {_mb(sizes['other_indexes'])}, terms {_mb(sizes['term_table'])}"
        f" | vector cache load {load_s:5.1f} s (ANN: {ann})\n    {parts}"
        f"\n    dense recall@100 ANN vs exact {statistics.mean(recall):.3f}; source item first:"
        f" exact {top1_exact / queries:.2f}, ANN {top1_ann / queries:.2f}",
        flush=True,
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--database", help="keep (and reuse) the databases as NAME_<size>")
    parser.add_argument(
        "--ann-min-rows", type=int, help="use the ANN index from this many vectors (default: production's)"
    )
    parser.add_argument(
        "--ann-codes",
        choices=["auto", "sq8"],
        default="auto",
        help="sq8: the 8-bit scalar lists at every size (the index before PQ fast scan), for A/B runs",
    )
    parser.add_argument("--build-only", action="store_true", help="with --database: fill them and stop")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL=postgres://... (this benchmark is about PostgreSQL)")
    base = os.environ["DATABASE_URL"]
    first = True
    for n in (int(s) for s in args.sizes.split(",")):
        drop, reuse = None, False
        if args.database:
            reuse = _named_database(base, f"{args.database}_{n}", n)
        else:
            drop = _fresh_database().drop
        try:
            if first:
                _setup_django()
                _override(ann_min_rows=args.ann_min_rows, ann_codes=args.ann_codes)
                from coverage.matching import retrieve

                print(f"re-ranker: {retrieve.reranker_status()}", flush=True)
                first = False
            else:
                _switch_database(os.environ["DATABASE_URL"])
            if args.build_only:
                if not reuse:
                    started = time.perf_counter()
                    _insert(n, Corpus(args.seed), np.random.default_rng(args.seed + n))
                    print(f"{n:>9,} items inserted in {time.perf_counter() - started:.1f} s", flush=True)
            else:
                run_size(n, args.queries, args.seed, reuse=reuse)
        finally:
            if drop:
                drop()
            os.environ["DATABASE_URL"] = base
    return 0


def _override(*, ann_min_rows: int | None, ann_codes: str) -> None:
    """Apply the ANN flags once Django is set up (the threshold is a setting, read per search)."""
    if ann_min_rows is not None:
        from django.conf import settings

        settings.FACTCHECK_ANN_MIN_ROWS = ann_min_rows
    if ann_codes == "sq8":
        from coverage.matching import ann

        ann.IvfIndex.PQ_MIN_ROWS = 1 << 62


def _named_database(base: str, name: str, n: int) -> bool:
    """Point DATABASE_URL at ``name``, created if missing; True when it already holds n items."""
    import psycopg

    parts = urlsplit(base)
    admin = urlunsplit(parts._replace(path="/postgres"))
    url = urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            with psycopg.connect(url) as db:
                try:
                    count = db.execute("SELECT count(*) FROM factcheck_searchdoc").fetchone()[0]
                except psycopg.errors.UndefinedTable:
                    count = -1
            if count == n:
                os.environ["DATABASE_URL"] = url
                return True
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url
    return False


def _switch_database(url: str) -> None:
    """Point the already configured Django connection at the next database."""
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    connections["default"].settings_dict["NAME"] = urlsplit(url).path.lstrip("/")
    call_command("migrate", verbosity=0)


if __name__ == "__main__":
    raise SystemExit(main())
