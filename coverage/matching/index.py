"""Keeping the search index current: SearchDoc rows from the source tables, vectors.

The full-text side follows by itself (database triggers); these functions decide what
is searchable and compute embeddings once per item. All are idempotent.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db import connections, transaction
from django.utils import timezone

from core import embedding
from core.dataversion import data_version_bump
from coverage.matching import terms, vectors
from coverage.models import SearchDoc

logger = logging.getLogger(__name__)
EMBED_BATCH = 256
CONTEXT_WEIGHT = 0.5


@dataclass(frozen=True)
class IndexItem:
    kind: str
    object_id: int
    text: str
    context: str = ""
    item_date: date | None = None
    claimant: str = ""
    # The item's vector when the caller computed it already (grouping does, for the
    # query): stored with the row, and this process's caches take it on commit.
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)


def searchdocs_upsert(*, items: Iterable[IndexItem], alias: str = "default") -> list[int]:
    """Create or update SearchDoc rows; returns ids whose embedding must be (re)computed.

    A changed text clears the stored vector, so the embedding task recomputes it.
    """

    items = list(items)
    docs = SearchDoc.objects.using(alias)
    stale: list[int] = []
    written = 0
    own: list[SearchDoc] = []  # rows written with the caller's vector
    with transaction.atomic(using=alias):
        for kind in {i.kind for i in items}:
            batch = {i.object_id: i for i in items if i.kind == kind}
            existing = {d.object_id: d for d in docs.filter(kind=kind, object_id__in=list(batch))}
            changed = []
            for object_id, item in batch.items():
                doc = existing.get(object_id)
                if doc is None:
                    continue
                if (doc.text, doc.context, doc.item_date, doc.claimant) != (
                    item.text,
                    item.context,
                    item.item_date,
                    item.claimant[:300],
                ):
                    if (doc.text, doc.context) != (item.text, item.context):
                        doc.embedding, doc.embedding_model = None, ""
                    doc.text, doc.context, doc.item_date = item.text, item.context, item.item_date
                    doc.claimant = item.claimant[:300]
                    doc.updated_at = timezone.now()
                    changed.append(doc)
                if not doc.embedding_model and item.vector is not None:
                    _set_vector(doc, item.vector)
                    if doc not in changed:
                        changed.append(doc)
                    own.append(doc)
                elif not doc.embedding_model:
                    stale.append(doc.pk)
            docs.bulk_update(
                changed,
                ["text", "context", "claimant", "item_date", "embedding", "embedding_model", "updated_at"],
            )
            fresh = [
                (
                    SearchDoc(
                        kind=kind,
                        object_id=i.object_id,
                        text=i.text,
                        context=i.context,
                        claimant=i.claimant[:300],
                        item_date=i.item_date,
                    ),
                    i.vector,
                )
                for object_id, i in batch.items()
                if object_id not in existing
            ]
            for doc, vector in fresh:
                if vector is not None:
                    _set_vector(doc, vector)
            created = docs.bulk_create([doc for doc, _ in fresh])
            stale += [d.pk for d, vector in fresh if vector is None]
            own += [d for d, vector in fresh if vector is not None]
            written += len(changed) + len(created)
        if written:
            data_version_bump()  # search answers may change: cached ones are dropped
        # Every row written came with its vector: this process's caches take them as
        # written, once committed, instead of reading them back on the next search.
        cached_on_commit = bool(written) and written == len(own)
        if cached_on_commit:
            transaction.on_commit(lambda: _cache_own(own, alias), using=alias)
    if not cached_on_commit:
        vectors.mark_dirty()
        terms.mark_dirty()
    return sorted(stale)


def _set_vector(doc: SearchDoc, vector: np.ndarray) -> None:
    doc.embedding, doc.embedding_model = vectors.encode(vector), embedding.MODEL_ID
    doc.updated_at = timezone.now()


def _cache_own(docs: list[SearchDoc], alias: str) -> None:
    vectors.cache_for(alias).put([(d.pk, d.kind, d.embedding, d.updated_at) for d in docs])
    terms.counts_for(alias).put([(d.pk, d.kind, d.text) for d in docs])


def searchdocs_delete(*, kind: str, object_ids: Iterable[int], alias: str = "default") -> int:

    deleted, _ = SearchDoc.objects.using(alias).filter(kind=kind, object_id__in=list(object_ids)).delete()
    if deleted:
        data_version_bump()
    vectors.mark_dirty()
    return deleted


def searchdocs_embed(*, doc_ids: Iterable[int] | None = None, alias: str = "default") -> int:
    """Compute and store vectors for rows that lack one for the current model.

    Returns how many were embedded; 0 (and a logged warning) without the extra.
    """

    if not embedding.available():
        return 0
    pending = SearchDoc.objects.using(alias).exclude(embedding_model=embedding.MODEL_ID)
    if doc_ids is not None:
        pending = pending.filter(pk__in=list(doc_ids))
    ids = list(pending.order_by("pk").values_list("pk", flat=True))
    done = 0
    for start in range(0, len(ids), EMBED_BATCH):
        rows = list(
            SearchDoc.objects.using(alias)
            .filter(pk__in=ids[start : start + EMBED_BATCH])
            .only("text", "context")
        )
        vecs = item_vectors([(r.text, r.context) for r in rows])
        now = timezone.now()
        for row, vec in zip(rows, vecs, strict=True):
            row.embedding, row.embedding_model, row.updated_at = vectors.encode(vec), embedding.MODEL_ID, now
        SearchDoc.objects.using(alias).bulk_update(rows, ["embedding", "embedding_model", "updated_at"])
        done += len(rows)
    if done:
        data_version_bump()
    vectors.mark_dirty()
    return done


def item_vectors(items: list[tuple[str, str]]) -> np.ndarray:
    """One unit vector per (text, context): claim vector + half the headline's, renormalised.

    On the train splits this beat one vector of the concatenated text and matched
    max(claim, title) at half the search cost (``docs/decisions/matching.md``).
    """
    vecs = embedding.embed([text for text, _ in items])
    with_context = [i for i, (_, context) in enumerate(items) if context.strip()]
    if with_context:
        ctx = embedding.embed([items[i][1] for i in with_context])
        vecs[with_context] += CONTEXT_WEIGHT * ctx
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs


def search_index_rebuild_fulltext(*, alias: str = "default") -> None:
    """Recreate the full-text structures from SearchDoc (after a restore or bulk SQL)."""
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO factcheck_searchdoc_fts(factcheck_searchdoc_fts) VALUES ('rebuild')")
        elif connection.vendor == "postgresql":
            cursor.execute("DELETE FROM factcheck_searchterm")
            cursor.execute(
                """INSERT INTO factcheck_searchterm (term, df)
                SELECT term, count(*) FROM factcheck_searchdoc, unnest(tsvector_to_array(tsv)) AS term
                GROUP BY term
                UNION ALL SELECT '', count(*) FROM factcheck_searchdoc
                UNION ALL SELECT ' len', coalesce(sum(length(tsv)), 0) FROM factcheck_searchdoc"""
            )
            cursor.execute("REINDEX INDEX factcheck_searchdoc_tsv_gin")
    vectors.clear_caches()
    terms.clear_caches()
