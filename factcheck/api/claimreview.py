"""ClaimReview JSON-LD for one fact-check, as Google's fact-check markup guide describes it.

The public-pages issue owns the builder (``factcheck.claimreview_export``), so the API and
the pages publish the same document; this module uses it when present. The fallback below
(``claimreview_document``, pure) keeps the API whole on a tree without it.
"""

from datetime import date, datetime

from django.conf import settings
from django.urls import NoReverseMatch

from factcheck import ratings


def claimreview_document(
    *,
    review_url: str,
    claim_text: str,
    claimant: str,
    date_published: date | datetime | None,
    date_modified: date | datetime | None,
    rating_key: str,
    organisation_name: str,
    organisation_url: str,
    appearance_url: str = "",
    appearance_headline: str = "",
    claim_date: date | datetime | None = None,
) -> dict:
    rating = ratings.rating_for(rating_key)
    review_rating: dict = {"@type": "Rating", "alternateName": rating.label if rating else rating_key}
    if rating is not None and rating.value is not None:
        review_rating.update(
            ratingValue=rating.value, bestRating=ratings.BEST_RATING, worstRating=ratings.WORST_RATING
        )
    item: dict = {"@type": "Claim"}
    if claimant:
        item["author"] = {"@type": "Person", "name": claimant}
    if claim_date:
        item["datePublished"] = _iso(claim_date)
    if appearance_url:
        appearance = {"@type": "CreativeWork", "url": appearance_url}
        if appearance_headline:
            appearance["headline"] = appearance_headline
        item["appearance"] = [appearance]
    document = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": review_url,
        "claimReviewed": claim_text,
        "author": {"@type": "Organization", "name": organisation_name, "url": organisation_url},
        "itemReviewed": item,
        "reviewRating": review_rating,
    }
    if date_published:
        document["datePublished"] = _iso(date_published)
    if date_modified:
        document["dateModified"] = _iso(date_modified)
    return document


def _iso(value: date | datetime) -> str:
    return value.isoformat()


try:
    from factcheck.claimreview_export import claimreview_build, factcheck_url
except ImportError:  # pragma: no cover - only on a tree without the public pages
    claimreview_build = factcheck_url = None


def public_url(claim) -> str:
    """The fact-check's public page."""
    if factcheck_url is not None:
        try:
            return factcheck_url(claim=claim)
        except NoReverseMatch:  # the public URLs are not mounted in this project
            pass
    return f"{settings.SITE_URL}/fact-checks/{claim.pk}/"


def claimreview_for_claim(claim) -> dict:
    """The document for a claim loaded with ``factcheck_feed()`` (no further queries)."""
    if claimreview_build is not None:
        return claimreview_build(claim=claim)
    verdict = claim.current_verdict
    article = claim.article
    return claimreview_document(
        review_url=public_url(claim),
        claim_text=claim.text,
        claimant=claim.claimant,
        date_published=getattr(claim, "first_published_at", None) or verdict.published_at,
        date_modified=getattr(claim, "modified_at", None),
        rating_key=verdict.rating,
        organisation_name=settings.ORGANISATION_NAME,
        organisation_url=settings.SITE_URL + "/",
        appearance_url=article.url if article else claim.tip_url,
        appearance_headline=article.title if article else "",
        claim_date=article.published_at if article else None,
    )
