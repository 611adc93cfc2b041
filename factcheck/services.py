"""Write operations of the fact-check desk that are not workflow transitions."""

import hashlib
import re

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from editorial.models import Article
from factcheck.extraction import Candidate, extract
from factcheck.models import Claim, ClaimOrigin, ClaimState

_SPACE = re.compile(r"\s+")


def sentence_fingerprint(text: str) -> str:
    """Stable key of a sentence within an article: whitespace and case do not matter."""
    return hashlib.sha256(_SPACE.sub(" ", text).strip().lower().encode()).hexdigest()[:32]


def select_candidates(candidates: list[Candidate]) -> list[Candidate]:
    """Keep the worthy ones: above the threshold, best first, capped, duplicates merged."""
    threshold = settings.FACTCHECK_CLAIM_THRESHOLD
    seen: set[str] = set()
    chosen = []
    for candidate in sorted(candidates, key=lambda c: -c.checkworthiness):
        key = sentence_fingerprint(candidate.text)
        if candidate.checkworthiness < threshold or key in seen:
            continue
        seen.add(key)
        chosen.append(candidate)
    return chosen[: settings.FACTCHECK_MAX_CLAIMS_PER_ARTICLE]


def claims_extract(*, article_id: int) -> list[Claim]:
    """Extract claims from an article; safe to run twice. Returns the newly created claims.

    1. score every sentence and keep the worthy ones;
    2. replace claims still in ``candidate`` (nobody has worked on them);
    3. re-anchor claims already in the workflow to their sentence, or flag
       ``text_changed`` when it is gone; never delete them;
    4. record which text was extracted, so the sweep knows it is done.
    """
    with transaction.atomic():
        article = Article.objects.select_for_update().get(pk=article_id)
        chosen = {sentence_fingerprint(c.text): c for c in select_candidates(extract(article.body))}
        existing = list(article.claims.filter(origin=ClaimOrigin.EXTRACTED))
        keep: set[str] = set()
        for claim in existing:
            candidate = chosen.get(claim.fingerprint)
            if claim.state == ClaimState.CANDIDATE and candidate is None:
                claim.delete()
                continue
            keep.add(claim.fingerprint)
            if claim.state != ClaimState.CANDIDATE:
                _reanchor(claim, article.body)
        created = Claim.objects.bulk_create(
            [_claim_from(article, fp, c) for fp, c in chosen.items() if fp not in keep]
        )
        Article.objects.filter(pk=article.pk).update(
            extracted_hash=article.content_hash, extracted_at=timezone.now()
        )
    return created


def _reanchor(claim: Claim, body: str) -> None:
    position = body.find(claim.text)
    if position < 0:
        claim.text_changed = True
        claim.save(update_fields=["text_changed", "updated_at"])
    elif (claim.start, claim.end, claim.text_changed) != (position, position + len(claim.text), False):
        claim.start, claim.end, claim.text_changed = position, position + len(claim.text), False
        claim.save(update_fields=["start", "end", "text_changed", "updated_at"])


def _claim_from(article: Article, fingerprint: str, candidate: Candidate) -> Claim:
    return Claim(
        article=article,
        text=candidate.text,
        start=candidate.start,
        end=candidate.end,
        quote=candidate.quote,
        claimant=candidate.claimant[:300],
        claim_type=candidate.claim_type,
        checkworthiness=max(0.0, min(1.0, candidate.checkworthiness)),
        features=candidate.features,
        fingerprint=fingerprint,
        origin=ClaimOrigin.EXTRACTED,
    )
