"""Our fact-checks as schema.org ClaimReview, and the DataFeed of them.

One builder serves the public pages (the JSON-LD block), ``/fact-checks/feed.json`` and the
partner API, so every consumer sees the same ClaimReview. The functions are pure: they read
a claim whose verdicts (with ``published_at``) and article are already loaded — use
``factcheck.selectors.with_verdicts`` — and the site settings passed in; no queries, no
request. Field choices follow Google's ClaimReview guide and the Data Commons feed:
https://developers.google.com/search/docs/appearance/structured-data/factcheck
"""

import datetime as dt
import json
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify

from core.links import safe_url
from factcheck import ratings
from factcheck.models import Claim, Verdict
from factcheck.selectors import appearances_in_order

CLAIM_REVIEWED_MAX = 75  # Google: "try to keep claimReviewed under 75 characters"
SLUG_TEXT_MAX = 60

# JSON inside <script> must not contain "</script>", "<!--" or an "&" entity: escape the
# characters as JSON \u escapes, which any JSON parser turns back into the same text.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def jsonld_dumps(data: dict, *, compact: bool = False) -> str:
    """JSON for a ``<script type="application/ld+json">`` block: inert whatever the text holds.

    ``compact`` drops the indentation (the feed: a third smaller, nobody reads it raw).
    """
    layout = {"separators": (",", ":")} if compact else {"indent": 2}
    return json.dumps(data, ensure_ascii=False, **layout).translate(_SCRIPT_ESCAPES)


def factcheck_slug(*, claim: Claim) -> str:
    """``<slugified claim text>-<pk>``: derived on the fly, so no transition has to store it."""
    return factcheck_slug_of(pk=claim.pk, text=claim.text)


def factcheck_slug_of(*, pk: int, text: str) -> str:
    """``factcheck_slug`` of a claim known by its id and text (no model instance needed)."""
    text = slugify(text)
    if len(text) > SLUG_TEXT_MAX:
        text = (
            text[: SLUG_TEXT_MAX + 1].rsplit("-", 1)[0]
            if "-" in text[:SLUG_TEXT_MAX]
            else text[:SLUG_TEXT_MAX]
        )
    return f"{text.strip('-') or 'fact-check'}-{pk}"


def factcheck_url(*, claim: Claim, site_url: str | None = None) -> str:
    """The absolute public URL of a fact-check, on ``SITE_URL``."""
    return factcheck_url_of(pk=claim.pk, text=claim.text, site_url=site_url)


def factcheck_url_of(*, pk: int, text: str, site_url: str | None = None) -> str:
    """``factcheck_url`` of a claim known by its id and text (no model instance needed)."""
    base = (site_url if site_url is not None else settings.SITE_URL).rstrip("/")
    return base + reverse("public:factcheck_detail", kwargs={"slug": factcheck_slug_of(pk=pk, text=text)})


def claim_reviewed_text(text: str) -> str:
    """The claim, cut at a word boundary to at most 75 characters (ellipsis included).

    Built from the claim text alone: the rating is published only in ``reviewRating``.
    """
    text = " ".join(text.split())
    if len(text) <= CLAIM_REVIEWED_MAX:
        return text
    cut = text[: CLAIM_REVIEWED_MAX - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.-") + "…"


def published_versions(*, claim: Claim) -> list[Verdict]:
    """Verdict versions that went public, oldest first (uses the ``verdicts`` prefetch)."""
    return sorted((v for v in claim.verdicts.all() if v.published_at), key=lambda v: v.version)


def factcheck_dates(*, claim: Claim) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(first published, last published): the first version's date and the current one's.

    ``datePublished`` is when the fact-check first went out; a correction moves
    ``dateModified`` (schema.org semantics), and the lists sort by the latter.
    """
    current = claim.current_verdict
    last = current.published_at if current else None
    versions = published_versions(claim=claim)
    first = versions[0].published_at if versions else last
    return first, last


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat(timespec="seconds")
    return value.isoformat()


def organisation(*, name: str, site_url: str) -> dict:
    return {"@type": "Organization", "name": name, "url": site_url.rstrip("/") + "/"}


def review_rating(*, verdict: Verdict) -> dict:
    """``reviewRating``: the number on our 1–5 scale where the rating has one, always the label."""
    info = ratings.rating_for(verdict.rating)
    rating: dict = {"@type": "Rating"}
    if info and info.value is not None:
        rating.update(
            ratingValue=info.value, bestRating=ratings.BEST_RATING, worstRating=ratings.WORST_RATING
        )
    rating["alternateName"] = info.label if info else verdict.rating
    if verdict.summary:
        rating["ratingExplanation"] = verdict.summary
    return rating


def item_reviewed(*, claim: Claim) -> dict:
    """The ``Claim`` as it was made: who said it, when, and everywhere it appeared (the
    canonical claim and its appearances, first seen first; ``firstAppearance`` the first)."""
    item: dict = {"@type": "Claim", "name": claim.text}
    if claim.claimant:
        item["author"] = {"@type": "Person", "name": claim.claimant}
    article = claim.article
    if article is not None and article.published_at:
        item["datePublished"] = _iso(article.published_at)
    appearances = [a for a in (_appearance(c) for c in appearances_in_order(claim)) if a]
    if appearances:
        item["appearance"] = appearances
        item["firstAppearance"] = appearances[0]
    return item


def _appearance(claim: Claim) -> dict | None:
    article = claim.article
    if article is None:
        url = safe_url(claim.appearance_url)
        return {"@type": "CreativeWork", "url": url} if url else None
    work: dict = {"@type": "CreativeWork", "headline": article.title}
    if safe_url(article.url):
        work["url"] = safe_url(article.url)
    if article.published_at:
        work["datePublished"] = _iso(article.published_at)
    if article.outlet is not None:
        work["publisher"] = {"@type": "Organization", "name": article.outlet.name}
    if article.language:
        work["inLanguage"] = article.language
    return work


def review_language(*, claim: Claim) -> str:
    """We write a fact-check in the language of the claim, else the site's language."""
    article = claim.article
    return (article.language if article is not None and article.language else "") or (
        settings.LANGUAGE_CODE.split("-")[0]
    )


def claimreview_build(
    *,
    claim: Claim,
    site_url: str | None = None,
    organisation_name: str | None = None,
    context: bool = True,
    full_claim: bool = False,
) -> dict:
    """The ClaimReview of a published claim (verdicts prefetched).

    ``context`` adds ``@context`` (off inside a DataFeed). ``full_claim`` puts the whole
    claim in ``claimReviewed`` instead of Google's 75-character summary: the feed does, so
    another desk importing it gets the claim as said; the full text is in
    ``itemReviewed.name`` either way.
    """
    site_url = site_url if site_url is not None else settings.SITE_URL
    organisation_name = organisation_name if organisation_name is not None else settings.ORGANISATION_NAME
    verdict = claim.current_verdict
    if verdict is None:
        raise ValueError(f"claim {claim.pk} has no current verdict to publish")
    first, last = factcheck_dates(claim=claim)
    review: dict = {"@context": "https://schema.org"} if context else {}
    review.update(
        {
            "@type": "ClaimReview",
            "url": factcheck_url(claim=claim, site_url=site_url),
            "claimReviewed": (
                " ".join(claim.checked_text.split())
                if full_claim
                else claim_reviewed_text(claim.checked_text)
            ),
            "author": organisation(name=organisation_name, site_url=site_url),
            "datePublished": _iso(first),
            "inLanguage": review_language(claim=claim),
        }
    )
    if verdict.headline:
        review["headline"] = verdict.headline
    if last and first and last > first:
        review["dateModified"] = _iso(last)
    review["reviewRating"] = review_rating(verdict=verdict)
    review["itemReviewed"] = item_reviewed(claim=claim)
    return review


def datafeed_build(
    *,
    claims: Iterable[Claim],
    feed_url: str,
    site_url: str | None = None,
    organisation_name: str | None = None,
) -> dict:
    """The schema.org DataFeed of ClaimReviews (``dataFeedElement[].item[]``), as Data Commons reads it.

    Each element is one fact-check; ``claimReviewed`` carries the full claim (see above).
    """
    site_url = site_url if site_url is not None else settings.SITE_URL
    organisation_name = organisation_name if organisation_name is not None else settings.ORGANISATION_NAME
    elements, newest = [], None
    for claim in claims:
        first, last = factcheck_dates(claim=claim)
        review = claimreview_build(
            claim=claim,
            site_url=site_url,
            organisation_name=organisation_name,
            context=False,
            full_claim=True,
        )
        elements.append(
            {
                "@type": "DataFeedItem",
                "dateCreated": _iso(first),
                "dateModified": _iso(last),
                "item": [review],
            }
        )
        newest = max(newest, last) if newest and last else (last or newest)
    feed = {
        "@context": "https://schema.org",
        "@type": "DataFeed",
        "name": f"{organisation_name} fact-checks",
        "url": feed_url,
        "publisher": organisation(name=organisation_name, site_url=site_url),
        "dataFeedElement": elements,
    }
    if newest:
        feed["dateModified"] = _iso(newest)
    return feed
