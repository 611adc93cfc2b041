"""``claims/search``: "has this been checked?" over our published fact-checks and imported ones.

Ranking belongs to ``coverage.matching.search``. This module only
turns its matches into API rows, drops anything of ours that is not published, and keeps
the order.
"""

import hashlib
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core.compiled import CompiledRows
from coverage.matching import search
from coverage.matching.text import clean
from coverage.models import PriorFactCheck
from factcheck import ratings
from partners.selectors import factcheck_search_rows
from public.claimreview import factcheck_url_of

OURS, PRIOR = "claim", "factcheck"  # SearchDoc kinds


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    score: float


def claims_search(
    *, text: str, limit: int, min_score: float | None = None, as_of: date | None = None
) -> list[dict]:
    """Ranked rows for the API, at most ``limit``, best first (bounded: 5 queries).

    The claim is taken as seen on ``as_of`` (default today): of two checks that fit it
    alike, the re-ranker prefers the one nearer that day.
    """
    as_of = as_of or timezone.localdate()
    hits = [h for h in _rank(text, limit=limit * 2, as_of=as_of) if min_score is None or h.score >= min_score]
    ours = factcheck_search_rows([h.object_id for h in hits if h.kind == OURS])
    prior = {p["id"]: p for p in _prior_rows.rows([h.object_id for h in hits if h.kind == PRIOR])}
    rows = []
    for hit in hits:
        if hit.kind == OURS and hit.object_id in ours:
            rows.append(_ours_row(ours[hit.object_id], hit.score))
        elif hit.kind == PRIOR and hit.object_id in prior:
            rows.append(_prior_row(prior[hit.object_id], hit.score))
        if len(rows) == limit:
            break
    return rows


def search_key(*, text: str, limit: int, min_score: float | None, version: int, as_of: date) -> str:
    """One cache key per query as the matcher reads it (``text.clean``, spaces collapsed),
    limit, minimum score, day and data version."""
    normal = " ".join(clean(text).split())
    raw = f"{normal}|{limit}|{min_score!r}|{as_of.isoformat()}"
    return f"api-search:{version}:{hashlib.sha256(raw.encode()).hexdigest()}"


def claims_search_cached(*, text: str, limit: int, min_score: float | None, version: int) -> list[dict]:
    """``claims_search``, its rows cached per normalised query and data version (a publish,
    a correction, an unpublish, an import or an index change bumps the version)."""
    today = timezone.localdate()
    key = search_key(text=text, limit=limit, min_score=min_score, version=version, as_of=today)
    rows = cache.get(key)
    if rows is None:
        rows = claims_search(text=text, limit=limit, min_score=min_score, as_of=today)
        cache.set(key, rows, timeout=settings.API_ANSWER_CACHE_SECONDS)
    return rows


def _rank(text: str, *, limit: int, as_of: date) -> list[Hit]:
    # The answer shows neither a match's strength nor the figures that differ.
    matches = search(text, limit=limit, kinds=(OURS, PRIOR), judge=False, as_of=as_of)
    return [Hit(kind=str(m.kind), object_id=int(m.object_id), score=_unit(m.score)) for m in matches]


def _unit(score: float) -> float:
    return round(min(1.0, max(0.0, float(score))), 4)


def _ours_row(claim: dict, score: float) -> dict:
    rating = ratings.rating_for(claim["rating"])
    published = claim["first_published_at"]
    return {
        "text": claim["text"],
        "claimant": claim["claimant"],
        "score": score,
        "kind": "fact_check",
        "fact_check_id": claim["id"],
        "claim_review": {
            "publisher": {"name": settings.ORGANISATION_NAME, "site": settings.SITE_URL},
            "url": factcheck_url_of(pk=claim["id"], text=claim["text"]),
            "title": claim["text"],
            "review_date": published.date() if published else None,
            "textual_rating": rating.label if rating else claim["rating"],
            "rating_value": rating.value if rating else None,
        },
    }


_prior_rows = CompiledRows(
    lambda ids: PriorFactCheck.objects.filter(pk__in=ids).values(
        "id",
        "claim_reviewed",
        "claimant",
        "publisher",
        "url",
        "title",
        "review_date",
        "rating_text",
        "rating_value",
    )
)


def _prior_row(prior: dict, score: float) -> dict:
    return {
        "text": prior["claim_reviewed"],
        "claimant": prior["claimant"],
        "score": score,
        "kind": "prior_fact_check",
        "fact_check_id": None,
        "claim_review": {
            "publisher": {"name": prior["publisher"], "site": ""},
            "url": prior["url"],
            "title": prior["title"],
            "review_date": prior["review_date"],
            "textual_rating": prior["rating_text"],
            "rating_value": prior["rating_value"],
        },
    }
