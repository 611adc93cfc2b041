"""Read queries for the public pages and feeds, each a fixed number of SQL queries.

Built on ``factcheck.selectors.published_factchecks`` so the pages, the feeds and the
partner API agree on what is published. The public date is the current verdict's
``published_at``, annotated here rather than stored by a transition.
"""

import datetime as dt

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet, Subquery

from factcheck.models import Claim, ClaimState, ReviewEvent, Source, Verdict
from factcheck.selectors import appearances_prefetch, published_factchecks

SEARCH_MAX_CHARS = 200


def _current(field: str) -> Subquery:
    return Subquery(Verdict.objects.filter(claim=OuterRef("pk"), is_current=True).values(field)[:1])


def _with_versions(queryset: QuerySet[Claim], *, sources: bool) -> QuerySet[Claim]:
    """Article and outlet joined, every verdict version prefetched (with sources and the
    appearances if asked)."""
    versions = Verdict.objects.order_by("-version")
    if sources:
        # The page: sources, and the byline's names (author and reviewer with their profiles).
        versions = versions.select_related("author__desk_profile", "reviewer__desk_profile").prefetch_related(
            Prefetch("sources", queryset=Source.objects.order_by("id"))
        )
    lookups: list = [Prefetch("verdicts", queryset=versions)]
    if sources:  # a fact-check's page: it also lists where the claim appeared
        lookups.append(appearances_prefetch())
    return queryset.select_related("article__outlet").prefetch_related(*lookups)


def factchecks_listed(*, rating: str = "", search: str = "") -> QuerySet[Claim]:
    """Published fact-checks, newest (by current verdict) first, optionally filtered.

    ``search`` matches the claim, the claimant, the quote and the current verdict's summary.
    """
    queryset = published_factchecks().annotate(public_date=_current("published_at"))
    if rating:
        queryset = queryset.annotate(public_rating=_current("rating")).filter(public_rating=rating)
    search = " ".join(search.split())[:SEARCH_MAX_CHARS]
    if search:
        in_summary = Verdict.objects.filter(claim=OuterRef("pk"), is_current=True, summary__icontains=search)
        queryset = queryset.filter(
            Q(text__icontains=search)
            | Q(claimant__icontains=search)
            | Q(quote__icontains=search)
            | Exists(in_summary)
        )
    return _with_versions(queryset.order_by("-public_date", "-pk"), sources=False)


def factchecks_for_feed() -> QuerySet[Claim]:
    """Every published fact-check with its appearances, as the DataFeed lists them."""
    return factchecks_listed().prefetch_related(appearances_prefetch())


def factchecks_index() -> QuerySet[Claim]:
    """Just what a URL list needs (id, text for the slug, public date): the sitemap's query."""
    return (
        published_factchecks()
        .annotate(public_date=_current("published_at"))
        .only("pk", "text")
        .order_by("-public_date", "-pk")
    )


def factcheck_for_page(*, pk: int) -> Claim | None:
    """Any claim with its versions, sources and appearances (4 queries); the view decides 200/404/410."""
    return _with_versions(Claim.objects.filter(pk=pk), sources=True).first()


def is_published(claim: Claim) -> bool:
    current = claim.current_verdict
    return claim.state == ClaimState.PUBLISHED and current is not None and current.published_at is not None


def was_published(claim: Claim) -> bool:
    """Went public once and was withdrawn: a version kept ``published_at`` or it was unpublished."""
    if any(v.published_at for v in claim.verdicts.all()):
        return True
    return ReviewEvent.objects.filter(claim=claim, transition="unpublish").exists()


def listing_last_modified() -> dt.datetime | None:
    """Newest change that can alter a public list (conservative: any claim or verdict write).

    Unpublishing removes a claim from the list without touching the remaining rows, so the
    newest ``state_changed_at`` of any claim counts too.
    """
    claims = Claim.objects.aggregate(updated=Max("updated_at"), moved=Max("state_changed_at"))
    verdicts = Verdict.objects.aggregate(updated=Max("updated_at"), published=Max("published_at"))
    stamps = [*claims.values(), *verdicts.values()]
    return max((s for s in stamps if s is not None), default=None)


def factcheck_last_modified(claim: Claim) -> dt.datetime:
    """Newest write to the claim, its verdict versions or its appearances (from the prefetch)."""
    stamps = [claim.updated_at, claim.state_changed_at]
    stamps += [appearance.updated_at for appearance in claim.appearances.all()]
    for verdict in claim.verdicts.all():
        stamps += [verdict.updated_at, verdict.published_at]
    return max(s for s in stamps if s is not None)
