"""Plain dictionaries the public templates render: no queries, no logic in templates."""

from django.utils.safestring import SafeString, mark_safe

from core.links import safe_url
from factcheck import ratings
from factcheck.models import Claim, Verdict
from public.claimreview import (
    claimreview_build,
    factcheck_dates,
    factcheck_slug,
    jsonld_dumps,
    published_versions,
)


def rating_badge(key: str) -> dict:
    """Label, colour and number of a rating; the label is always shown, colour only adds."""
    info = ratings.rating_for(key)
    if info is None:
        return {"key": key, "label": key or "Unrated", "colour": "#57606a", "value": None}
    return {"key": info.key, "label": info.label, "colour": info.colour, "value": info.value}


def factcheck_card(claim: Claim) -> dict:
    verdict = claim.current_verdict
    first, last = factcheck_dates(claim=claim)
    return {
        "slug": factcheck_slug(claim=claim),
        "text": claim.text,
        "claimant": claim.claimant,
        "rating": rating_badge(verdict.rating if verdict else ""),
        "published": first,
        "updated": last if last and first and last > first else None,
    }


def factcheck_detail(claim: Claim) -> dict:
    """Everything the fact-check page shows, with the one ClaimReview JSON-LD block."""
    verdict = claim.current_verdict
    card = factcheck_card(claim)
    review = claimreview_build(claim=claim)
    return {
        **card,
        "url": review["url"],
        "quote": claim.quote,
        "appearance": _appearance(claim),
        "summary": verdict.summary,
        "version": verdict.version,
        "sources": [_source(s) for s in verdict.sources.all()],
        "corrections": corrections_log(claim),
        "jsonld": jsonld_block(review),
    }


def jsonld_block(review: dict) -> SafeString:
    # Safe because jsonld_dumps escapes <, > and & inside the JSON (see ``public.claimreview``).
    return mark_safe(jsonld_dumps(review))  # noqa: S308


def _appearance(claim: Claim) -> dict:
    article = claim.article
    if article is None:
        return {"url": safe_url(claim.appearance_url), "title": "", "outlet": "", "date": None}
    return {
        "url": safe_url(article.url),
        "title": article.title,
        "outlet": article.outlet.name if article.outlet else "",
        "date": article.published_at,
    }


def _source(source) -> dict:
    return {
        "title": source.title or source.url,
        "publisher": source.publisher,
        "url": safe_url(source.url),
        "raw_url": source.url,
        "accessed": source.accessed_at,
        "note": source.note,
    }


def corrections_log(claim: Claim) -> list[dict]:
    """Each published correction, oldest first: its date, its note and the verdict it replaced."""
    versions = published_versions(claim=claim)
    log = []
    for earlier, later in zip(versions, versions[1:], strict=False):
        log.append(
            {
                "date": later.published_at,
                "note": later.correction_note,
                "version": later.version,
                "previous": _previous(earlier),
                "rating_changed": earlier.rating != later.rating,
            }
        )
    return log


def _previous(verdict: Verdict) -> dict:
    return {
        "version": verdict.version,
        "rating": rating_badge(verdict.rating),
        "summary": verdict.summary,
        "published": verdict.published_at,
    }
