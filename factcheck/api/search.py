"""``claims/search``: "has this been checked?" over our published fact-checks and imported ones.

Ranking belongs to ``factcheck.matching.search`` (the matching issue). This module only
turns its matches into API rows, drops anything of ours that is not published, and keeps
the order. Until the matcher lands, a small word-overlap ranking stands in for it.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from factcheck.api.claimreview import public_url
from factcheck.api.queries import factcheck_feed
from factcheck.models import PriorFactCheck
from factcheck.selectors import published_factchecks

OURS, PRIOR = "claim", "factcheck"  # SearchDoc kinds


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    score: float


def claims_search(*, text: str, limit: int, min_score: float | None = None) -> list[dict]:
    """Ranked rows for the API, at most ``limit``, best first (bounded: 5 queries)."""
    hits = [h for h in _rank(text, limit=limit * 2) if min_score is None or h.score >= min_score]
    ours = {c.pk: c for c in factcheck_feed().filter(pk__in=[h.object_id for h in hits if h.kind == OURS])}
    prior = {
        p.pk: p for p in PriorFactCheck.objects.filter(pk__in=[h.object_id for h in hits if h.kind == PRIOR])
    }
    rows = []
    for hit in hits:
        if hit.kind == OURS and hit.object_id in ours:
            rows.append(_ours_row(ours[hit.object_id], hit.score))
        elif hit.kind == PRIOR and hit.object_id in prior:
            rows.append(_prior_row(prior[hit.object_id], hit.score))
        if len(rows) == limit:
            break
    return rows


def _rank(text: str, *, limit: int) -> list[Hit]:
    try:
        from factcheck.matching import search
    except ImportError:
        return _word_overlap(text, limit=limit)
    matches = search(text, limit=limit, kinds=(OURS, PRIOR))
    return [Hit(kind=str(m.kind), object_id=int(m.object_id), score=_unit(m.score)) for m in matches]


def _unit(score: float) -> float:
    return round(min(1.0, max(0.0, float(score))), 4)


def _ours_row(claim, score: float) -> dict:
    verdict = claim.current_verdict
    rating = verdict.rating_info
    return {
        "text": claim.text,
        "claimant": claim.claimant,
        "score": score,
        "kind": "fact_check",
        "fact_check_id": claim.pk,
        "claim_review": {
            "publisher": {"name": settings.ORGANISATION_NAME, "site": settings.SITE_URL},
            "url": public_url(claim),
            "title": claim.text,
            "review_date": claim.first_published_at.date() if claim.first_published_at else None,
            "textual_rating": rating.label if rating else verdict.rating,
            "rating_value": rating.value if rating else None,
        },
    }


def _prior_row(prior: PriorFactCheck, score: float) -> dict:
    return {
        "text": prior.claim_reviewed,
        "claimant": prior.claimant,
        "score": score,
        "kind": "prior_fact_check",
        "fact_check_id": None,
        "claim_review": {
            "publisher": {"name": prior.publisher, "site": ""},
            "url": prior.url,
            "title": prior.title,
            "review_date": prior.review_date,
            "textual_rating": prior.rating_text,
            "rating_value": prior.rating_value,
        },
    }


# --- stand-in ranking until factcheck.matching lands -------------------------------------
_WORD = re.compile(r"\w{3,}")
_CANDIDATES = 200


def _words(text: str) -> set[str]:
    return {w.casefold() for w in _WORD.findall(text)}


def _word_overlap(text: str, *, limit: int) -> list[Hit]:
    words = sorted(_words(text), key=len, reverse=True)[:8]
    if not words:
        return []
    ours_q, prior_q = Q(), Q()
    for word in words:
        ours_q |= Q(text__icontains=word)
        prior_q |= Q(claim_reviewed__icontains=word)
    query = set(words)
    scored = [
        Hit(OURS, pk, _overlap(query, body))
        for pk, body in published_factchecks().filter(ours_q).values_list("pk", "text")[:_CANDIDATES]
    ] + [
        Hit(PRIOR, pk, _overlap(query, body))
        for pk, body in PriorFactCheck.objects.filter(prior_q).values_list("pk", "claim_reviewed")[
            :_CANDIDATES
        ]
    ]
    scored.sort(key=lambda h: (-h.score, h.kind, h.object_id))
    return scored[:limit]


def _overlap(query: set[str], body: str) -> float:
    words = _words(body)
    return _unit(len(query & words) / len(query | words)) if words else 0.0
