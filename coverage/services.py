"""Prior coverage services: import fact-checks by others, match claims, editors' decisions.

Admin, tasks and commands call these; nothing here is confirmed automatically. The
search itself is ``coverage.matching.search``; this module turns its results into
``CoverageMatch`` rows and keeps the search index in step with the source tables.
"""

from __future__ import annotations

import logging
import re
import textwrap
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from core.dataversion import data_version_bump
from core.errors import ApplicationError
from coverage.claimreview import ClaimReviewRecord
from coverage.matching import index, rerank, search
from coverage.matching.retrieve import reranker_version
from coverage.models import CoverageMatch, MatchStatus, PriorFactCheck, SearchDoc, SearchKind
from coverage.tasks import EMBED_TASK_BATCH
from coverage.tasks import embed_and_rematch as embed_and_rematch_task
from editorial.models import Article
from factcheck.models import Claim, ClaimState, Verdict
from factcheck.services.verdicts import verdict_save

logger = logging.getLogger(__name__)

_TARGET_FIELD = {
    SearchKind.FACTCHECK: "prior_factcheck_id",
    SearchKind.CLAIM: "prior_claim_id",
    SearchKind.ARTICLE: "prior_article_id",
}
_PRIOR_FIELDS = (
    "claim_reviewed",
    "claimant",
    "rating_text",
    "rating_value",
    "publisher",
    "review_date",
    "claim_date",
    "language",
    "title",
)


class CoverageError(ApplicationError):
    """An editor's action on a match that cannot be done; ``reason`` says why."""


# --- imported fact-checks -----------------------------------------------------------------


@dataclass
class ImportReport:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    stale_doc_ids: list[int] = field(default_factory=list)


def prior_factchecks_import(*, records: list[ClaimReviewRecord], batch_size: int = 1000) -> ImportReport:
    """Create or update PriorFactCheck rows keyed by review URL, and index them.

    Idempotent: a re-import of the same feed changes nothing; a changed review is
    updated in place. Each batch is one transaction (nothing half-imported). The
    caller queues the vectors of ``stale_doc_ids`` (``searchdocs_queue_embedding``).
    """
    report = ImportReport()
    latest = {r.url: r for r in records}  # a URL twice in one feed: the last one wins
    urls = list(latest)
    for start in range(0, len(urls), batch_size):
        with transaction.atomic():
            _import_batch([latest[u] for u in urls[start : start + batch_size]], report)
    return report


def _import_batch(records: list[ClaimReviewRecord], report: ImportReport) -> None:
    existing = {p.url: p for p in PriorFactCheck.objects.filter(url__in=[r.url for r in records])}
    new, changed = [], []
    for record in records:
        values = {name: getattr(record, name) for name in _PRIOR_FIELDS}
        row = existing.get(record.url)
        if row is None:
            new.append(PriorFactCheck(url=record.url, raw=record.raw, **values))
        elif any(getattr(row, k) != v for k, v in values.items()) or row.raw != record.raw:
            for name, value in values.items():
                setattr(row, name, value)
            row.raw, row.updated_at = record.raw, timezone.now()
            changed.append(row)
        else:
            report.unchanged += 1
    created = PriorFactCheck.objects.bulk_create(new)
    PriorFactCheck.objects.bulk_update(changed, [*_PRIOR_FIELDS, "raw", "updated_at"])
    if new or changed:
        data_version_bump()  # claim search shows these rows: cached answers are dropped
    report.created += [p.pk for p in created]
    report.updated += [p.pk for p in changed]
    report.stale_doc_ids += index.searchdocs_upsert(items=[_factcheck_item(p) for p in [*created, *changed]])


def searchdocs_queue_embedding(*, doc_ids: list[int]) -> int:
    """Queue the vectors of ``doc_ids`` after commit, ``EMBED_TASK_BATCH`` items per task,
    then one re-match of the open claims behind the last batch; how many embedding tasks.

    Bounded tasks on their own queue (``embedding``) let extraction and matching run between
    a large import's batches, and the open claims are re-matched once per import, not once
    per batch. The queue is first-in first-out, so the re-match starts after the last
    batch did.
    """
    ids = sorted(set(doc_ids))
    batches = [ids[start : start + EMBED_TASK_BATCH] for start in range(0, len(ids), EMBED_TASK_BATCH)]
    for batch in batches:
        embed_and_rematch_task.delay_on_commit(batch, rematch=False)
    if batches:
        # An empty batch on the same (embedding) queue: the re-match follows the vectors.
        embed_and_rematch_task.delay_on_commit([], rematch=True)
    return len(batches)


def _factcheck_item(prior: PriorFactCheck) -> index.IndexItem:
    return index.IndexItem(
        kind=SearchKind.FACTCHECK,
        object_id=prior.pk,
        text=prior.claim_reviewed,
        context=prior.title,
        item_date=prior.review_date or prior.claim_date,
        claimant=prior.claimant,
    )


# --- our own published fact-checks and articles -------------------------------------------


def published_claim_index(*, claim_id: int) -> list[int]:
    """Add (or refresh, or remove) one of our claims in the index after publish/unpublish."""
    claim = Claim.objects.filter(pk=claim_id).select_related("article").first()
    verdict = (
        Verdict.objects.filter(claim_id=claim_id, is_current=True, published_at__isnull=False).first()
        if claim
        else None
    )
    if claim is None or claim.state != ClaimState.PUBLISHED or verdict is None:
        index.searchdocs_delete(kind=SearchKind.CLAIM, object_ids=[claim_id])
        return []
    item = index.IndexItem(
        kind=SearchKind.CLAIM,
        object_id=claim.pk,
        text=claim.text,
        context=verdict.summary[:500],
        item_date=timezone.localdate(verdict.published_at),
        claimant=claim.claimant,
    )
    stale = index.searchdocs_upsert(items=[item])
    # An unchanged row keeps its time; mark it as current for this publication, so the
    # sweep (``claims_pending_indexing``) finds only claims whose indexing never ran.
    SearchDoc.objects.filter(
        kind=SearchKind.CLAIM, object_id=claim.pk, updated_at__lt=verdict.published_at
    ).update(updated_at=timezone.now())
    return stale


def article_index(*, article_id: int) -> list[int]:
    """Index one of our articles by its headline ("what we reported before"), or drop it."""
    article = Article.objects.filter(pk=article_id).only("title", "published_at").first()
    if article is None or not article.title.strip():
        index.searchdocs_delete(kind=SearchKind.ARTICLE, object_ids=[article_id])
        return []
    published = article.published_at.date() if article.published_at else None
    item = index.IndexItem(SearchKind.ARTICLE, article.pk, article.title, "", published)
    return index.searchdocs_upsert(items=[item])


def search_index_sync() -> list[int]:
    """Re-derive every SearchDoc from the source tables; returns ids needing a vector.

    Own articles are searchable by headline (what we reported before); own claims
    only once published with a current verdict.
    """
    stale: list[int] = []
    priors = PriorFactCheck.objects.only("claim_reviewed", "title", "review_date", "claim_date").iterator(
        chunk_size=2000
    )
    stale += _sync_kind(SearchKind.FACTCHECK, (_factcheck_item(p) for p in priors))
    published = Verdict.objects.filter(
        is_current=True, published_at__isnull=False, claim__state=ClaimState.PUBLISHED
    ).select_related("claim")
    stale += _sync_kind(
        SearchKind.CLAIM,
        (
            index.IndexItem(
                SearchKind.CLAIM,
                v.claim_id,
                v.claim.text,
                v.summary[:500],
                timezone.localdate(v.published_at),
            )
            for v in published.iterator(chunk_size=2000)
        ),
    )
    articles = Article.objects.only("title", "published_at").iterator(chunk_size=2000)
    stale += _sync_kind(
        SearchKind.ARTICLE,
        (
            index.IndexItem(
                SearchKind.ARTICLE, a.pk, a.title, "", a.published_at.date() if a.published_at else None
            )
            for a in articles
            if a.title
        ),
    )
    return stale


def _sync_kind(kind: str, items) -> list[int]:
    seen: set[int] = set()
    stale: list[int] = []
    batch: list[index.IndexItem] = []
    for item in items:
        seen.add(item.object_id)
        batch.append(item)
        if len(batch) >= 2000:
            stale += index.searchdocs_upsert(items=batch)
            batch = []
    stale += index.searchdocs_upsert(items=batch)
    gone = set(SearchDoc.objects.filter(kind=kind).values_list("object_id", flat=True)) - seen
    index.searchdocs_delete(kind=kind, object_ids=gone)
    return stale


# --- matching claims ------------------------------------------------------------------------


def claim_match_by_id(*, claim_id: int) -> int:
    """Match one claim by id (the task's work): index its article as prior coverage for
    later claims (a no-op once indexed), then store its suggestions; how many were stored."""
    claim = Claim.objects.select_related("article").filter(pk=claim_id).first()
    if claim is None:
        logger.info("Claim %s is gone; nothing to match", claim_id)
        return 0
    if claim.article_id:
        index.searchdocs_embed(doc_ids=article_index(article_id=claim.article_id))
    return len(claim_match(claim=claim))


def claim_match(*, claim: Claim, limit: int | None = None) -> list[CoverageMatch]:
    """Store the claim's top matches as ``suggested`` CoverageMatch rows; idempotent.

    Re-running replaces the suggested rows (new scores, stale ones removed) and never
    touches rows an editor confirmed or rejected. Returns the current suggested rows.
    """
    limit = limit or settings.FACTCHECK_MATCH_KEEP
    matches = [
        m
        for m in search(
            claim.text, claimant=claim.claimant, limit=limit + 5, as_of=timezone.localdate(claim.seen_at)
        )
        if m.strength and not _is_self(claim, m)
    ]
    wanted = {(m.kind, m.object_id): m for m in matches[:limit]}
    with transaction.atomic():
        Claim.objects.select_for_update().filter(pk=claim.pk).first()
        rows = list(CoverageMatch.objects.filter(claim=claim))
        decided = {_key(r) for r in rows if r.status != MatchStatus.SUGGESTED}
        CoverageMatch.objects.filter(claim=claim, status=MatchStatus.SUGGESTED).delete()
        fresh = [
            _match_row(claim, m, rank)
            for rank, m in enumerate(wanted.values(), 1)
            if (m.kind, m.object_id) not in decided
        ]
        created = CoverageMatch.objects.bulk_create(fresh)
        Claim.objects.filter(pk=claim.pk).update(matched_at=timezone.now())  # for the sweep
        return created


def _is_self(claim: Claim, match) -> bool:
    if match.kind == SearchKind.CLAIM:
        return match.object_id == claim.pk
    return match.kind == SearchKind.ARTICLE and match.object_id == claim.article_id


def _key(row: CoverageMatch) -> tuple[str, int]:
    for kind, name in _TARGET_FIELD.items():
        if getattr(row, name):
            return kind, getattr(row, name)
    raise ValueError("coverage match without a target")


def _match_row(claim: Claim, match, rank: int) -> CoverageMatch:
    return CoverageMatch(
        claim=claim,
        score=max(0.0, min(1.0, match.score)),
        method=match.method,
        rank=rank,
        is_strong=match.strength == "strong",
        status=MatchStatus.SUGGESTED,
        differences=match.differences[:500],
        features=match_features(match),
        **{_TARGET_FIELD[match.kind]: match.object_id},
    )


def match_features(match) -> dict:
    """The re-ranker's view of a match, stored with the row so the desk's decision on it
    becomes a training example (``train_matcher --with-desk-decisions``)."""
    if not match.features:
        return {}
    return {
        "names": list(rerank.FEATURE_NAMES),
        "values": [round(float(v), 6) for v in match.features],
        "model": reranker_version(),
    }


# --- editors' decisions -------------------------------------------------------------------


def _decide(*, match: CoverageMatch, actor, status: str) -> CoverageMatch:
    if not actor.has_perm("coverage.change_coveragematch"):
        raise CoverageError("You may not confirm or reject coverage matches.")
    with transaction.atomic():
        row = CoverageMatch.objects.select_for_update().get(pk=match.pk)
        row.status, row.decided_by, row.decided_at = status, actor, timezone.now()
        row.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    return row


def coverage_match_confirm(*, match: CoverageMatch, actor) -> CoverageMatch:
    """An editor says: yes, this was checked before. Kept across re-matching."""
    return _decide(match=match, actor=actor, status=MatchStatus.CONFIRMED)


def coverage_match_reject(*, match: CoverageMatch, actor) -> CoverageMatch:
    """An editor says: not the same claim. Never suggested again for this claim."""
    return _decide(match=match, actor=actor, status=MatchStatus.REJECTED)


def _is_web_address(url: str) -> bool:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        return False
    return True


def _appearances(raw, *, exclude: str) -> list[dict]:
    """Where the checked claim appeared, from the ClaimReview's ``itemReviewed`` (http(s) only)."""
    item = raw.get("itemReviewed") if isinstance(raw, dict) else None
    if not isinstance(item, dict):
        return []
    found = []
    for key in ("firstAppearance", "appearance"):
        values = item.get(key)
        for value in values if isinstance(values, list) else [values]:
            url = value.get("url") if isinstance(value, dict) else value
            if isinstance(url, str) and len(url) <= 2000 and _is_web_address(url):
                found.append(url)
    unique = [u for u in dict.fromkeys(found) if u != exclude][:5]
    return [
        {"url": u, "title": "Where the claim appeared", "note": "cited by the earlier fact-check"}
        for u in unique
    ]


# Checked in order, first hit wins: qualified ratings before the bare words they contain.
_RATING_WORDS = (
    (re.compile(r"not (true|correct|accurate)", re.I), "false"),
    (re.compile(r"mostly false|largely false", re.I), "mostly_false"),
    (re.compile(r"half[ -]true|mixture|mixed|partly|partially", re.I), "half_true"),
    (re.compile(r"mostly true|largely true|mostly accurate", re.I), "mostly_true"),
    (re.compile(r"misleading|missing context|out of context|distort|exaggerat", re.I), "misleading"),
    (re.compile(r"unproven|unverified|unsupported|no evidence|unsubstantiated", re.I), "unproven"),
    (re.compile(r"pants on fire|\bfalse\b|fake|hoax|incorrect|wrong|pinocchios", re.I), "false"),
    (re.compile(r"\btrue\b|correct|accurate", re.I), "true"),
)


def rating_key_for(text: str) -> str:
    """Our scale's key for another organisation's rating text, or '' when unsure."""
    return next((key for pattern, key in _RATING_WORDS if pattern.search(text or "")), "")


def verdict_draft_from_match(*, match: CoverageMatch, actor) -> Verdict:
    """Copy the prior verdict's rating and sources into the claim's draft verdict.

    Goes through ``verdict_save``, so its permission, state and locking rules apply
    (the claim must be Selected or Researching). The match is not confirmed by this.
    """
    rating, summary, sources = _prior_verdict(match)
    return verdict_save(claim=match.claim, user=actor, rating=rating, summary=summary, sources=sources)


REWRITE_NOTE = "[Drafted from the earlier check: rewrite with our own findings before submitting.]"


def _prior_verdict(match: CoverageMatch) -> tuple[str, str, list[dict]]:
    """Rating, a summary naming the earlier check and its link, and its sources.

    The summary is a draft for the fact-checker to rewrite, and says so.
    """
    if (prior := match.prior_factcheck) is not None:
        who = prior.publisher or "Another fact-checker"
        when = f" on {prior.review_date:%d %B %Y}" if prior.review_date else ""
        rated = f"rated it “{prior.rating_text}”" if prior.rating_text else "gave no rating"
        claim = textwrap.shorten(prior.claim_reviewed, width=300, placeholder=" …")
        summary = f"{who} checked the claim “{claim}”{when} and {rated}. Their fact-check: {prior.url} {REWRITE_NOTE}"
        sources = [
            {
                "url": prior.url,
                "title": (prior.title or prior.claim_reviewed)[:500],
                "publisher": prior.publisher,
                "note": f"Earlier fact-check{when}: {prior.rating_text or 'no rating'}"[:500],
            },
            *_appearances(prior.raw, exclude=prior.url),
        ]
        return rating_key_for(prior.rating_text), summary, sources
    if (prior_claim := match.prior_claim) is not None:
        verdict = prior_claim.current_verdict
        if verdict is None:
            raise CoverageError("The matched claim has no verdict to copy.")
        sources = [
            {"url": s.url, "title": s.title, "publisher": s.publisher, "note": s.note}
            for s in verdict.sources.all()
        ]
        when = f" of {verdict.published_at:%d %B %Y}" if verdict.published_at else ""
        summary = (
            f"Our earlier fact-check{when} of “{prior_claim.text[:300]}”: {verdict.summary} {REWRITE_NOTE}"
        )
        return verdict.rating, summary, sources
    raise CoverageError("An article match has no verdict to copy; open the article instead.")
