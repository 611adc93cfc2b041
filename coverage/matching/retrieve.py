"""The one search interface: the match task, the partner API and the benchmark call it.

``search(text, limit=..., kinds=...)`` runs lexical retrieval in the database and,
when the embedding extra is installed, exact dense retrieval over every stored vector,
fuses both lists (``ranking.fuse``) and returns ``Match`` objects best first. Without
the extra it is lexical-only and says so: ``semantic_available()`` is False (the API
exposes it) and a warning is logged once per process.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import connections
from django.utils import timezone

from core import embedding
from core.compiled import CompiledRows
from coverage.matching import backends, figures, ranking, rerank, text, vectors
from coverage.models import PRIOR_KINDS, SearchDoc

logger = logging.getLogger(__name__)


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
    claimant: str = ""  # who made the stored item's claim
    first_rank: int = 0  # rank in the first stage (fusion), before the re-ranker
    first_score: float = 0.0  # the first stage's calibrated score
    differences: str = ""  # figures that disagree: "40% here, 18% in the fact-check"
    features: tuple[float, ...] = ()  # what the re-ranker saw (empty without it)

    def pair_inputs(self) -> dict:
        """The first stage's view of this candidate: everything the re-ranker's features use."""
        return {
            "rank": self.first_rank or self.rank,
            "score": self.first_score or self.score,
            "cosine": self.cosine,
            "lexical_rank": self.lexical_rank,
            "dense_rank": self.dense_rank,
            "fused": self.fused,
            "lexical_rel": self.lexical_rel,
            "text": self.text,
            "context": self.context,
            "claimant": self.claimant,
            "item_date": self.item_date.isoformat() if self.item_date else None,
        }


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
    rerank: bool = True,
    judge: bool = True,
    as_of: date | None = None,
) -> list[Match]:
    """Prior coverage for ``query``, best first.

    ``claimant`` (who made the claim) is added to the lexical query only: matched
    against the claimants of stored items it helped on the debate train split
    (``docs/decisions/matching.md``). ``context`` (e.g. the sentences before a debate
    line) is added to the dense query only (it did not help on train; off by default).
    ``kinds`` restricts the result to some ``SearchKind`` values; by default every kind of
    prior coverage (``PRIOR_KINDS``: not the grouping entries). ``judge=False`` leaves out
    each match's ``strength`` and ``differences`` (the figures of the two texts compared),
    for a caller that shows neither; the order and the scores are the same. ``as_of`` is
    the claim's date (its article's publication, or when the tip came in): the re-ranker
    weighs how near a stored item's date is to it; without it that feature is "unknown".
    """
    query = text.clean(query)
    if not query:
        return []
    kinds = tuple(kinds) if kinds else PRIOR_KINDS
    depth = max(limit, tuning.lexical_depth)
    spelled = text.query_text(query)  # hashtags and @handles spelled out, for both retrievers
    lexical_text = f"{spelled} {text.claimant_terms(claimant)}".strip()
    dense_job = None
    semantic = semantic_available()
    if semantic:
        cache = vectors.cache_for(alias)
        cache.refresh()  # reads the database, so on this thread's connection
        # Embedding the query and the dense search need no database: they run on another
        # thread while the lexical SQL runs (onnxruntime, numpy and faiss release the GIL).
        # Without any stored vector (none computed yet) the embedding would go unused.
        if not cache.empty:
            dense_text, dense_depth = f"{context} {spelled}".strip(), max(limit, tuning.dense_depth)
            dense_job = _pool().submit(_dense, cache, dense_text, dense_depth, kinds)
    lexical = backends.lexical_search(lexical_text, limit=depth, kinds=kinds, alias=alias)
    dense, cosine_of = [], None
    if dense_job is not None:
        qvec, dense = dense_job.result()
        cosine_of = lambda ids: cache.cosines(qvec, ids)  # noqa: E731
    model = reranker() if rerank and semantic else None
    keep = max(limit, model.depth) if model is not None else limit
    fused = ranking.fuse(lexical, dense, cosine_of=cosine_of, tuning=tuning)[:keep]
    matches = _materialise(fused, query=query, alias=alias, tuning=tuning)
    if model is not None:
        matches = _rerank(model, matches, query=query, claimant=claimant, as_of=as_of)
    elif rerank and not semantic:
        _note_once("lexical", "re-ranker off: it needs the embedding extra; first stage only")
    if not judge:
        return [replace(m, rank=rank) for rank, m in enumerate(matches[:limit], 1)]
    return _with_figures(matches[:limit], query=query, tuning=tuning)


# --- the re-ranker ---------------------------------------------------------------------
_model_lock = threading.Lock()
_model: dict[Path, rerank.Reranker | None] = {}
_noted: set[str] = set()


def _note_once(key: str, message: str) -> None:
    if key not in _noted:
        _noted.add(key)
        logger.warning(message)


def reranker() -> rerank.Reranker | None:
    """The configured model (``FACTCHECK_RERANKER_MODEL``), loaded once per path; None
    (logged once) when the file is missing or unusable: search then works as the first stage."""
    path = Path(settings.FACTCHECK_RERANKER_MODEL)
    with _model_lock:
        if path not in _model:
            try:
                _model[path] = rerank.load(path)
                logger.info("re-ranker loaded from %s (top %d)", path, _model[path].depth)
            except FileNotFoundError:
                _model[path] = None
                _note_once(f"missing:{path}", f"re-ranker model {path} not found: first stage only")
            except rerank.ModelFileError as exc:
                _model[path] = None
                _note_once(f"bad:{path}", f"re-ranker model {path} unusable ({exc}): first stage only")
        return _model[path]


def reranker_status() -> str:
    """What search uses, for logs and benchmarks: "on (top 30, path)" or why it is off."""
    if not semantic_available():
        return "off (needs the embedding extra)"
    model = reranker()
    if model is None:
        return f"off (no usable model at {settings.FACTCHECK_RERANKER_MODEL})"
    return f"on (top {model.depth}, {settings.FACTCHECK_RERANKER_MODEL})"


def reranker_version() -> str:
    """The loaded model's fingerprint (sha256 of its file, first 12 digits), or ''."""
    model = reranker()
    return model.meta.get("sha256", "")[:12] if model is not None else ""


def reset_reranker() -> None:
    """Forget the loaded model (tests, or after train_matcher wrote a new file)."""
    with _model_lock:
        _model.clear()
        _noted.clear()


def _rerank(model: rerank.Reranker, matches: list[Match], *, query, claimant, as_of) -> list[Match]:
    """Re-order the top ``model.depth`` by the model; its calibrated probability is the score.

    The claim's day orders, within bounds, and does not judge: the score (and so
    ``strong`` / suggested / not shown) is the model's as if every candidate lay as near
    the claim's day as the nearest (``rerank.level``), and the real dates move a candidate
    by at most ``rerank.DATE_SHIFT`` of raw score in the order. Otherwise a
    check of this claim from years ago would score low, or fall below a newer check of
    another claim, whenever one came up beside it (the training sets' gold is mostly days
    from the claim).
    """
    head, tail = matches[: model.depth], matches[model.depth :]
    if not head:
        return matches
    pairs = [rerank.Pair.from_dict(m.pair_inputs()) for m in head]
    feats = rerank.features(query, claimant, pairs, as_of=as_of)
    rows = np.array([f.values for f in feats])
    level = model.raw(rerank.level(rows))
    prob = model.probability(level)
    key = rerank.date_ordered(model.raw(rows), level) if as_of is not None else level
    order = sorted(range(len(head)), key=lambda i: (-key[i], i))
    out, ceiling = [], 1.0
    for i in order:
        ceiling = min(ceiling, float(prob[i]))
        out.append(replace(head[i], score=round(ceiling, 6), features=feats[i].values))
    for m in tail:  # below every re-ranked candidate, first-stage order kept
        ceiling = min(ceiling, m.score)
        out.append(replace(m, score=round(ceiling, 6)))
    return out


def _with_figures(matches: list[Match], *, query: str, tuning) -> list[Match]:
    """Final ranks, strength (never strong when figures differ) and what differs."""
    today = timezone.localdate()
    words = text.word_count(query)
    out = []
    for rank, m in enumerate(matches, 1):
        cmp = figures.compare(query, f"{m.text} {m.context}")
        strength = ranking.strength(
            m.score,
            query_words=words,
            item_date=m.item_date,
            today=today,
            semantic=m.cosine is not None,
            figures_differ=cmp.disagrees,
            tuning=tuning,
        )
        out.append(replace(m, rank=rank, strength=strength, differences=cmp.describe(_where(m.kind))))
    return out


def _where(kind: str) -> str:
    return {"factcheck": "the fact-check", "claim": "our fact-check", "article": "the article"}.get(
        kind, "the fact-check"
    )


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


_doc_rows = CompiledRows(
    lambda ids: SearchDoc.objects.filter(pk__in=ids).values(
        "id", "kind", "object_id", "text", "context", "claimant", "item_date"
    )
)


def _materialise(fused, *, query, alias, tuning) -> list[Match]:
    by_id = {doc["id"]: doc for doc in _doc_rows.rows([c.doc_id for c in fused], using=alias)}
    out = []
    for cand in fused:
        doc = by_id.get(cand.doc_id)
        if doc is None:  # deleted since the vector cache loaded it
            continue
        out.append(
            Match(
                kind=doc["kind"],
                object_id=doc["object_id"],
                doc_id=doc["id"],
                rank=len(out) + 1,
                score=cand.score,
                strength=None,  # set by _with_figures, after any re-ranking
                method=cand.method,
                text=doc["text"],
                context=doc["context"],
                item_date=doc["item_date"],
                cosine=cand.cosine,
                lexical_rank=cand.lexical_rank,
                dense_rank=cand.dense_rank,
                fused=cand.fused,
                lexical_rel=cand.extra.get("lexical_rel", 0.0),
                claimant=doc["claimant"],
                first_rank=len(out) + 1,
                first_score=cand.score,
            )
        )
    return out


def vendor(alias: str = "default") -> str:
    return connections[alias].vendor
