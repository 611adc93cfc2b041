"""Plain dictionaries the public templates render: no queries, no logic in templates."""

from django.utils.safestring import SafeString, mark_safe

from core.links import safe_url
from core.markup import markdown_to_html
from factcheck import ratings
from factcheck.models import Claim, Verdict, public_name
from factcheck.selectors import appearances_in_order
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
        "headline": verdict.headline if verdict else "",
        "text": claim.checked_text,
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
        "said": claim.text,
        "appearance": _appearance(claim),
        "appearances": [
            _appearance(c) | {"text": c.text, "claimant": c.claimant, "date": c.seen_at}
            for c in appearances_in_order(claim)
        ],
        "summary": verdict.summary,
        # Markdown through the allow-list sanitizer (core.markup): safe to mark.
        "body_html": mark_safe(markdown_to_html(verdict.body)),  # noqa: S308
        "version": verdict.version,
        "sources": [_source(s) for s in verdict.sources.all()],
        **byline(claim),
        "corrections": corrections_log(claim),
        "jsonld": jsonld_block(review),
    }


def byline(claim: Claim) -> dict:
    """Who wrote the fact-check and who approved it: the first published version's author and
    reviewer (a correction's proposer and approver are named in the corrections log)."""
    versions = published_versions(claim=claim)
    first = versions[0] if versions else claim.current_verdict
    if first is None:
        return {"author": "", "reviewer": ""}
    return {"author": public_name(first.author), "reviewer": public_name(first.reviewer)}


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
    """Each published correction, oldest first: its date, its note, what changed (before →
    after) and the verdict it replaced. Uses the ``verdicts`` and ``sources`` prefetches."""
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
                "changes": verdict_changes(earlier, later),
            }
        )
    return log


def verdict_changes(before: Verdict, after: Verdict) -> list[dict]:
    """What a correction changed, in words: ``{"what", "before", "after"}`` per change.

    The rating shows its labels ("Half true → False"); a text shows both versions; the
    sources say which were added and removed.
    """
    changes = []
    if before.rating != after.rating:
        changes.append(
            {
                "what": "Rating",
                "before": rating_badge(before.rating)["label"],
                "after": rating_badge(after.rating)["label"],
            }
        )
    for field, what in (("headline", "Headline"), ("summary", "Short answer"), ("body", "Explanation")):
        old, new = getattr(before, field).strip(), getattr(after, field).strip()
        if old != new:
            changes.append({"what": what, "before": old or "(none)", "after": new or "(none)"})
    old_sources = {s.url: s for s in before.sources.all()}
    new_sources = {s.url: s for s in after.sources.all()}
    added = [new_sources[url].title or url for url in new_sources if url not in old_sources]
    removed = [old_sources[url].title or url for url in old_sources if url not in new_sources]
    if added:
        changes.append({"what": "Sources added", "before": "", "after": "; ".join(added)})
    if removed:
        changes.append({"what": "Sources removed", "before": "; ".join(removed), "after": ""})
    return changes


def _previous(verdict: Verdict) -> dict:
    return {
        "version": verdict.version,
        "rating": rating_badge(verdict.rating),
        "summary": verdict.summary,
        "published": verdict.published_at,
    }
