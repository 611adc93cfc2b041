"""ClaimReview JSON-LD for one fact-check, as Google's fact-check markup guide describes it.

``claimreview_document`` is pure (plain values in, a dict out) so the public pages can
reuse it; ``claimreview_for_claim`` gathers those values from a claim loaded with
``factcheck_feed()``.
"""

from datetime import date, datetime

from django.conf import settings

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


def public_url(claim) -> str:
    """The fact-check's public page (the public-pages issue owns the route; this is its shape)."""
    from django.urls import NoReverseMatch, reverse

    for name in ("public:factcheck_detail", "public:factcheck-detail", "factcheck_detail"):
        try:
            return settings.SITE_URL + reverse(name, kwargs={"pk": claim.pk})
        except NoReverseMatch:
            continue
    return f"{settings.SITE_URL}/fact-checks/{claim.pk}/"


def claimreview_for_claim(claim) -> dict:
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
