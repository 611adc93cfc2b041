"""The one search interface: the match task, the partner API and the benchmark call it.

``search(text, limit=..., kinds=...)`` runs lexical retrieval in the database and,
when the embedding extra is installed, exact dense retrieval over every stored vector,
fuses both lists (``ranking.fuse``) and returns ``Match`` objects best first. Without
the extra it is lexical-only and says so: ``semantic_available()`` is False (the API
exposes it) and a warning is logged once per process.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

from django.db import connections
from django.utils import timezone

from core import embedding
from coverage.matching import backends, ranking, text, vectors
from coverage.models import PRIOR_KINDS, SearchDoc


@dataclass(frozen=True)
class Match:
    kind: str  # SearchKind: factcheck / claim / article
    object_id: int
    doc_id: int
    rank: int
    score: float  # 0..1, calibrated on the train splits
    strength: str | None  # "strong", "suggested" or None (below the suggestion threshold)
    method: str  # hybrid / lexical / semantic
    text: str
    context: str
    item_date: date | None
    cosine: float | None
    lexical_rank: int | None
    dense_rank: int | None
    fused: float = 0.0  # reciprocal-rank fusion, 1.0 = first in both lists
    lexical_rel: float = 0.0  # lexical score relative to the query's best


def semantic_available() -> bool:
    """True when dense retrieval is on (the optional extra installed and loadable)."""
    return embedding.available()


def search(
    query: str,
    *,
    limit: int = 10,
    kinds: tuple[str, ...] | list[str] | None = None,
    context: str = "",
    claimant: str = "",
    alias: str = "default",
    tuning: ranking.Tuning = ranking.DEFAULT_TUNING,
) -> list[Match]:
    """Prior coverage for ``query``, best first.

    ``claimant`` (who made the claim) is added to the lexical query only: matched
    against the claimants of stored items it helped on the debate train split
    (``docs/decisions/matching.md``). ``context`` (e.g. the sentences before a debate
    line) is added to the dense query only (it did not help on train; off by default).
    ``kinds`` restricts the result to some ``SearchKind`` values; by default every kind of
    prior coverage (``PRIOR_KINDS``: not the grouping entries).
    """
    query = text.clean(query)
    if not query:
        return []
    kinds = tuple(kinds) if kinds else PRIOR_KINDS
    depth = max(limit, tuning.lexical_depth)
    spelled = text.query_text(query)  # hashtags and @handles spelled out, for both retrievers
    lexical_text = f"{spelled} {text.claimant_terms(claimant)}".strip()
    dense_job = None
    if semantic_available():
        cache = vectors.cache_for(alias)
        cache.refresh()  # reads the database, so on this thread's connection
        # Embedding the query and the dense search need no database: they run on another
        # thread while the lexical SQL runs (onnxruntime, numpy and faiss release the GIL).
        dense_text, dense_depth = f"{context} {spelled}".strip(), max(limit, tuning.dense_depth)
        dense_job = _pool().submit(_dense, cache, dense_text, dense_depth, kinds)
    lexical = backends.lexical_search(lexical_text, limit=depth, kinds=kinds, alias=alias)
    dense, cosine_of = [], None
    if dense_job is not None:
        qvec, dense = dense_job.result()
        cosine_of = lambda ids: cache.cosines(qvec, ids)  # noqa: E731
    fused = ranking.fuse(lexical, dense, cosine_of=cosine_of, tuning=tuning)[:limit]
    return _materialise(fused, query=query, alias=alias, tuning=tuning)


_executor: ThreadPoolExecutor | None = None
_executor_lock = threading.Lock()


def _pool() -> ThreadPoolExecutor:
    global _executor
    with _executor_lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="dense-search")
        return _executor


def _dense(cache, dense_text: str, depth: int, kinds):
    qvec = embedding.embed([dense_text])[0]
    return qvec, cache.search(qvec, limit=depth, kinds=kinds)


def _materialise(fused, *, query, alias, tuning) -> list[Match]:

    docs = SearchDoc.objects.using(alias).only("kind", "object_id", "text", "context", "item_date")
    by_id = docs.in_bulk([c.doc_id for c in fused])
    today = timezone.localdate()
    words = text.word_count(query)
    out = []
    for cand in fused:
        doc = by_id.get(cand.doc_id)
        if doc is None:  # deleted since the vector cache loaded it
            continue
        out.append(
            Match(
                kind=doc.kind,
                object_id=doc.object_id,
                doc_id=doc.pk,
                rank=len(out) + 1,
                score=cand.score,
                strength=ranking.strength(
                    cand.score,
                    query_words=words,
                    item_date=doc.item_date,
                    today=today,
                    semantic=cand.cosine is not None,
                    tuning=tuning,
                ),
                method=cand.method,
                text=doc.text,
                context=doc.context,
                item_date=doc.item_date,
                cosine=cand.cosine,
                lexical_rank=cand.lexical_rank,
                dense_rank=cand.dense_rank,
                fused=cand.fused,
                lexical_rel=cand.extra.get("lexical_rel", 0.0),
            )
        )
    return out


def vendor(alias: str = "default") -> str:
    return connections[alias].vendor
