"""Prior-coverage retrieval quality through the production path.

    python -m bench.retrieval --collection ../shared/benchmarks/ct2020_task2_tweets/verified_claims.jsonl \
        --queries ../shared/benchmarks/ct2020_task2_tweets/dev/queries.jsonl --out /tmp/run.tsv \
        --qrels ../shared/benchmarks/ct2020_task2_tweets/dev/qrels.tsv [--limit 100]

1. creates a fresh database of the configured kind (a temporary SQLite file, or a new
   PostgreSQL database next to the one ``DATABASE_URL`` names) and migrates it;
2. imports the collection as ``PriorFactCheck`` rows through ``prior_factchecks_import``
   (claim -> claim_reviewed, title -> title, speaker -> claimant, date -> review_date, or
   claim_date when it says when the claim was stated), then computes the vectors as
   the embedding task does: this is the "index build time";
3. runs ``coverage.matching.search`` for every query (when ``transcripts.jsonl`` sits
   beside the queries, a debate sentence's speaker is passed as its claimant, as the
   match task passes ``Claim.claimant``; previous lines as dense context are off: they
   lowered MAP on train), as of the day the query's claim appeared (``_query_date``, as
   the match task passes the claim's article date), and writes
   ``query_id<TAB>claim_id<TAB>rank<TAB>score``;
4. prints latency p50/p95 and, with ``--qrels``, MAP@1/3/5 from the shared ``score.py``.

Tuning on the train splits: add ``--embedding-cache /tmp/SOMEDIR`` (never a folder in the
repository) and a re-run reuses every text's vector, so it takes the import and the
searches only (about 1-2 minutes instead of 5-20 on two busy cores).
"""

from __future__ import annotations

import argparse
import calendar
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCORER = ROOT.parent / "shared" / "benchmarks" / "score.py"
URL_PREFIX = "https://checkthat.invalid/claim/"


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    db = _fresh_database()
    try:
        return _run(args)
    finally:
        db.drop()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--collection", required=True, type=Path)
    parser.add_argument("--queries", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--qrels", type=Path)
    parser.add_argument("--limit", type=int, default=100, help="results per query (max 1000)")
    parser.add_argument(
        "--context-lines",
        type=int,
        default=None,
        help="previous transcript lines given to the dense query (default: the tuned value)",
    )
    parser.add_argument("--scorer", type=Path, default=DEFAULT_SCORER)
    parser.add_argument(
        "--features", type=Path, help="also write per-candidate features (for bench.matching_tune)"
    )
    parser.add_argument(
        "--candidates",
        type=Path,
        help="also write each query's first-stage candidates with every input of the re-ranker "
        "(JSONL, one query a line; for train_matcher); implies the first stage alone",
    )
    parser.add_argument(
        "--first-stage-out",
        type=Path,
        help="also run every query through the first stage alone (no re-ranker) in the same run: "
        "its run file here, its latency and (with --qrels) its MAP printed beside the production one",
    )
    parser.add_argument(
        "--no-rerank",
        action="store_true",
        help="the first stage alone (fusion and calibration), as without a re-ranker model",
    )
    parser.add_argument(
        "--embedding-cache",
        type=Path,
        metavar="DIR",
        help="tuning aid: keep every text's embedding in DIR (a SQLite file keyed by the model and "
        "a hash of the text; use a folder under /tmp, never commit it) and reuse it on the next "
        "run, for the collection and the queries; the printed build time then excludes embedding",
    )
    return parser


class _Database:
    def __init__(self, url: str, drop):
        self.url, self.drop = url, drop


def _fresh_database() -> _Database:
    """Point DATABASE_URL at a new, empty database and return how to remove it."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        parts = urlsplit(url)
        name = f"{parts.path.lstrip('/') or 'postgres'}_bench_{os.getpid()}"
        admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))

        def drop():
            from django.db import connections

            connections.close_all()
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

        return _Database(os.environ["DATABASE_URL"], drop)
    handle, path = tempfile.mkstemp(prefix="bench_retrieval_", suffix=".sqlite3")
    os.close(handle)
    os.environ["DATABASE_URL"] = f"sqlite:///{path}"

    def drop_file():
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)

    return _Database(os.environ["DATABASE_URL"], drop_file)


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.pop("CELERY_BROKER_URL", None)  # nothing leaves this process
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _records(collection: list[dict]):
    from coverage.claimreview import ClaimReviewRecord

    for row in collection:
        title = row.get("title") or ""
        yield ClaimReviewRecord(
            url=URL_PREFIX + quote(str(row["id"]), safe=""),
            claim_reviewed=row["claim"] or title,
            title=title,
            claimant=(row.get("speaker") or "")[:300],
            **_item_dates(row),
        )


_MONTHS = list(calendar.month_name)[1:]
_MONTH = "|".join(_MONTHS)
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}}) ({_MONTH}) ((?:19|20)\d\d)\b")
_MONTH_DAY_YEAR = re.compile(rf"\b({_MONTH}) (\d{{1,2}}), ((?:19|20)\d\d)\b")
# An embedded tweet ends with its byline: "— Name (@handle) January 6, 2020".
_BYLINE_DATE = re.compile(rf"\(@\w+\)\s+({_MONTH}) (\d{{1,2}}), ((?:19|20)\d\d)\s*$")


def _date(value):
    """A date written as the collections write them, or None.

    ISO ("2019-10-22", possibly with a time), "26 May 2015" (Snopes) or "stated on
    October 22, 2019 in a speech" (PolitiFact: the day the claim was made).
    """
    if not value:
        return None
    value = str(value)
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    if m := _DAY_MONTH_YEAR.search(value):
        day, month, year = m.groups()
    elif m := _MONTH_DAY_YEAR.search(value):
        month, day, year = m.groups()
    else:
        return None
    return _calendar_date(year, month, day)


def _calendar_date(year, month, day):
    """That day, or None when there is none; ``month`` a number or an English name."""
    try:
        number = month if isinstance(month, int) else _MONTHS.index(month) + 1
        return date(int(year), number, int(day))
    except ValueError:
        return None


def _item_dates(row: dict) -> dict:
    """The collection's ``date`` as the review date, or as the claim's date when it says
    when the claim was stated (PolitiFact)."""
    value = row.get("date")
    field = "claim_date" if str(value or "").lower().startswith("stated on") else "review_date"
    return {field: _date(value)}


def _query_date(query: dict):
    """When the query's claim appeared, as an article's publication date would say.

    A ``date`` field when the set has one; a debate line: the debate's day (its id starts
    with it, "20121023_third_presidential_debate"); a tweet: its byline's date.
    """
    if query.get("date"):
        return _date(query["date"])
    debate = str(query.get("debate") or "")
    if len(debate) >= 8 and debate[:8].isdigit():
        return _calendar_date(debate[:4], int(debate[4:6]), debate[6:8])
    if m := _BYLINE_DATE.search(query.get("text") or ""):
        month, day, year = m.groups()
        return _calendar_date(year, month, day)
    return None


def _build_index(collection: list[dict]) -> tuple[dict[int, str], float, int]:
    from coverage.matching.index import searchdocs_embed
    from coverage.models import PriorFactCheck
    from coverage.services import prior_factchecks_import

    started = time.perf_counter()
    report = prior_factchecks_import(records=list(_records(collection)))
    embedded = searchdocs_embed(doc_ids=report.stale_doc_ids)
    elapsed = time.perf_counter() - started
    rows = PriorFactCheck.objects.values_list("pk", "url")
    return {pk: unquote(url[len(URL_PREFIX) :]) for pk, url in rows}, elapsed, embedded


class EmbeddingCache:
    """Embeddings of single texts on disk, keyed by (model, sha256 of the text).

    A tuning aid, not production: every run rebuilds the index, and embedding a
    19k-claim collection takes minutes on two cores, while the ranking code under
    test only needs the vectors. Keyed per text (not per collection), so changing
    how a document's vectors are combined (``index.item_vectors``) or how queries
    are cleaned still reuses whatever text was embedded before.
    """

    def __init__(self, folder: Path, model_id: str):
        import sqlite3
        import threading

        folder.mkdir(parents=True, exist_ok=True)
        self.model_id = model_id
        # ``search`` embeds the query on a worker thread (while the lexical SQL runs): one
        # connection shared by every thread, one caller at a time.
        self.db = sqlite3.connect(folder / "embeddings.sqlite3", check_same_thread=False)
        self.lock = threading.Lock()
        self.db.execute("CREATE TABLE IF NOT EXISTS vec (key TEXT PRIMARY KEY, v BLOB NOT NULL)")
        self.hits = self.misses = 0

    def key(self, text: str) -> str:
        import hashlib

        return hashlib.sha256(f"{self.model_id}\x00{text}".encode()).hexdigest()

    def wrap(self, embed):
        """``embed`` with the cache in front: same signature, same output."""
        import numpy as np

        def cached_embed(texts: list[str], **kwargs):
            with self.lock:
                return lookup(texts, **kwargs)

        def lookup(texts: list[str], **kwargs):
            keys = [self.key(t) for t in texts]
            found: dict[str, bytes] = {}
            for start in range(0, len(keys), 500):
                chunk = keys[start : start + 500]
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT key, v FROM vec WHERE key IN ({marks})"  # noqa: S608 (placeholders only)
                found.update(self.db.execute(sql, chunk))
            missing = [i for i, k in enumerate(keys) if k not in found]
            self.hits += len(texts) - len(missing)
            self.misses += len(missing)
            if missing:
                fresh = embed([texts[i] for i in missing], **kwargs)
                rows = [(keys[i], fresh[n].astype(np.float32).tobytes()) for n, i in enumerate(missing)]
                self.db.executemany("INSERT OR REPLACE INTO vec VALUES (?, ?)", rows)
                self.db.commit()
                found.update(rows)
            if not texts:
                return embed(texts, **kwargs)
            return np.stack([np.frombuffer(found[k], dtype=np.float32) for k in keys])

        return cached_embed


def _use_embedding_cache(folder: Path | None) -> EmbeddingCache | None:
    from core import embedding

    if folder is None or not embedding.available():
        return None
    cache = EmbeddingCache(folder, embedding.MODEL_ID)
    embedding.embed = cache.wrap(embedding.embed)
    return cache


def _transcript_context(queries: list[dict], queries_path: Path, lines: int) -> dict[str, tuple[str, str]]:
    """Per debate query: (previous ``lines`` lines, the line's speaker) from transcripts.jsonl."""
    transcripts = queries_path.parent / "transcripts.jsonl"
    if not transcripts.exists():
        return {}
    by_line = {(t["debate"], int(t["line"])): t for t in _read_jsonl(transcripts)}
    out = {}
    for q in queries:
        if "debate" in q and "line" in q:
            key = (q["debate"], int(q["line"]))
            before = [by_line.get((key[0], key[1] - i), {}).get("text", "") for i in range(lines, 0, -1)]
            out[q["id"]] = (" ".join(x for x in before if x), by_line.get(key, {}).get("speaker", ""))
    return out


def _run(args) -> int:
    _setup_django()
    from django.db import connection

    from coverage.matching import search, semantic_available
    from coverage.matching.ranking import DEFAULT_TUNING
    from coverage.matching.retrieve import reranker_status

    collection = _read_jsonl(args.collection)
    queries = _read_jsonl(args.queries)
    cache = _use_embedding_cache(args.embedding_cache)
    claim_of, build_seconds, embedded = _build_index(collection)
    lines = DEFAULT_TUNING.context_lines if args.context_lines is None else args.context_lines
    contexts = _transcript_context(queries, args.queries, lines)
    search("warm-up query", limit=1, kinds=("factcheck",))  # load the model and the vectors once
    latencies, first_latencies = [], []
    rerank_ms = _time_reranker()
    first_out = args.first_stage_out.open("w", encoding="utf-8") if args.first_stage_out else None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    features = args.features.open("w", encoding="utf-8") if args.features else None
    candidates = args.candidates.open("w", encoding="utf-8") if args.candidates else None
    rerank = not (args.no_rerank or args.candidates)
    with args.out.open("w", encoding="utf-8") as out:
        for q in queries:
            context, speaker = contexts.get(q["id"], ("", ""))
            as_of = _query_date(q)
            started = time.perf_counter()
            matches = search(
                q["text"],
                limit=min(args.limit, 1000),
                kinds=("factcheck",),
                context=context,
                claimant=speaker,
                rerank=rerank,
                as_of=as_of,
            )
            latencies.append((time.perf_counter() - started) * 1000)
            for m in matches:
                out.write(f"{q['id']}\t{claim_of[m.object_id]}\t{m.rank}\t{m.score:.6f}\n")
                if features:
                    cos = "" if m.cosine is None else f"{m.cosine:.5f}"
                    features.write(
                        f"{q['id']}\t{claim_of[m.object_id]}\t{m.rank}\t{cos}\t{m.lexical_rel:.5f}\t{m.fused:.5f}\n"
                    )
            if candidates:
                candidates.write(_candidate_line(q, speaker, as_of, matches, claim_of) + "\n")
            if first_out:
                started = time.perf_counter()
                first = search(
                    q["text"],
                    limit=min(args.limit, 1000),
                    kinds=("factcheck",),
                    context=context,
                    claimant=speaker,
                    rerank=False,
                    as_of=as_of,
                )
                first_latencies.append((time.perf_counter() - started) * 1000)
                for m in first:
                    first_out.write(f"{q['id']}\t{claim_of[m.object_id]}\t{m.rank}\t{m.score:.6f}\n")
    if features:
        features.close()
    if candidates:
        candidates.close()
    if first_out:
        first_out.close()
    mode = "hybrid (lexical + semantic)" if semantic_available() else "LEXICAL ONLY (embedding extra missing)"
    speakers = "speaker as claimant" if contexts else "no transcripts"
    print(
        f"database: {connection.vendor}; mode: {mode}; context lines: {lines if contexts else 0}; {speakers}"
    )
    print(f"re-ranker: {reranker_status() if rerank else 'off (first stage only)'}")
    print(f"collection: {len(collection)} items; index build {build_seconds:.1f} s ({embedded} vectors)")
    if cache is not None:
        print(f"embedding cache {args.embedding_cache}: {cache.hits} texts reused, {cache.misses} embedded")
    print(
        f"queries: {len(queries)}; latency p50 {_pct(latencies, 50):.1f} ms, p95 {_pct(latencies, 95):.1f} ms"
    )
    if rerank_ms:
        print(
            f"re-ranker alone (features + trees, {len(rerank_ms)} queries): p50 {_pct(rerank_ms, 50):.1f} ms, "
            f"p95 {_pct(rerank_ms, 95):.1f} ms"
        )
    if first_latencies:
        print(
            f"first stage alone, same run: p50 {_pct(first_latencies, 50):.1f} ms, "
            f"p95 {_pct(first_latencies, 95):.1f} ms (it runs second: the query's embedding is "
            "cached by then with --embedding-cache)"
        )
    print(f"run written to {args.out}")
    if args.qrels and args.first_stage_out:
        print(f"first stage alone ({args.first_stage_out}):")
        subprocess.call(
            [
                sys.executable,
                str(args.scorer),
                "retrieval",
                "--qrels",
                str(args.qrels),
                "--run",
                str(args.first_stage_out),
            ]
        )
        print(f"production search ({args.out}):")
    if args.qrels:
        cmd = [
            sys.executable,
            str(args.scorer),
            "retrieval",
            "--qrels",
            str(args.qrels),
            "--run",
            str(args.out),
        ]
        return subprocess.call(cmd)
    return 0


def _time_reranker() -> list[float]:
    """Record the time of each re-ranking step (``retrieve._rerank``) of this run, in ms."""
    from coverage.matching import retrieve

    timings: list[float] = []
    inner = retrieve._rerank

    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            timings.append((time.perf_counter() - started) * 1000)

    retrieve._rerank = timed
    return timings


def _candidate_line(query: dict, claimant: str, as_of, matches, claim_of: dict[int, str]) -> str:
    """One query and its first-stage candidates, as ``coverage.matching.learn`` reads them."""
    return json.dumps(
        {
            "qid": query["id"],
            "text": query["text"],
            "claimant": claimant,
            "topic": query.get("debate", ""),
            "as_of": as_of.isoformat() if as_of else None,
            "candidates": [
                {
                    "doc": claim_of[m.object_id],
                    **m.pair_inputs(),
                }
                for m in matches
            ],
        },
        ensure_ascii=False,
    )


def _pct(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


if __name__ == "__main__":
    raise SystemExit(main())
