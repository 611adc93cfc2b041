"""ClaimReview JSON-LD and public links for the API.

The public-pages issue owns the builder (``factcheck.claimreview_export``), so the API, the
pages and the DataFeed publish one and the same ClaimReview for a fact-check.
"""

from factcheck.claimreview_export import claimreview_build, factcheck_url


def public_url(claim) -> str:
    """The fact-check's public page on SITE_URL."""
    return factcheck_url(claim=claim)


def claimreview_for_claim(claim) -> dict:
    """The document for a claim loaded with ``factcheck_feed()`` (no further queries)."""
    return claimreview_build(claim=claim)
