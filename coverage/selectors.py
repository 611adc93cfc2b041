"""Read queries of prior coverage."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from coverage.models import SearchDoc, SearchKind
from factcheck.models import Claim, ClaimOrigin, ClaimState, Verdict


def open_claim_ids(*, since_days: int | None = None) -> list[int]:
    """Claims the desk has not finished with, newest first: what a new prior item may cover."""
    days = since_days if since_days is not None else settings.FACTCHECK_REMATCH_WINDOW_DAYS
    since = timezone.now() - timedelta(days=days)
    rows = Claim.objects.filter(state__in=ClaimState.OPEN, created_at__gte=since).order_by("-created_at")
    return list(rows.values_list("pk", flat=True))


def claims_pending_matching(*, older_than: timedelta) -> QuerySet[Claim]:
    """Extracted claims and partner tips never matched, created before ``older_than`` ago."""
    cutoff = timezone.now() - older_than
    return Claim.objects.filter(
        matched_at__isnull=True,
        origin__in=[ClaimOrigin.EXTRACTED, ClaimOrigin.PARTNER],
        created_at__lte=cutoff,
    ).order_by("created_at", "pk")


def claims_pending_grouping(*, older_than: timedelta) -> QuerySet[Claim]:
    """Claims of any origin never grouped (``grouped_at`` empty), created before ``older_than`` ago."""
    cutoff = timezone.now() - older_than
    return Claim.objects.filter(grouped_at__isnull=True, created_at__lte=cutoff).order_by("created_at", "pk")


def claims_pending_indexing(*, older_than: timedelta) -> QuerySet[Claim]:
    """Published claims the search index lacks, published before ``older_than`` ago.

    A claim is published with a current, published verdict; its index row (kind ``claim``)
    is missing or older than that verdict's ``published_at``: the publish's indexing task
    was lost, or a data load set the state without going through the workflow.
    """
    cutoff = timezone.now() - older_than
    published_at = Verdict.objects.filter(
        claim=OuterRef("pk"), is_current=True, published_at__isnull=False
    ).values("published_at")[:1]
    indexed = SearchDoc.objects.filter(
        kind=SearchKind.CLAIM, object_id=OuterRef("pk"), updated_at__gte=OuterRef("verdict_published_at")
    )
    return (
        Claim.objects.filter(state=ClaimState.PUBLISHED)
        .annotate(verdict_published_at=Subquery(published_at))
        .filter(verdict_published_at__lte=cutoff)
        .exclude(Exists(indexed))
        .order_by("verdict_published_at", "pk")
    )


def searchdocs_pending_embedding(*, older_than: timedelta) -> QuerySet[SearchDoc]:
    """Prior items whose vector was never computed, last changed before ``older_than`` ago.

    An empty ``embedding_model`` (new or changed text) goes through its index, so the
    sweep stays cheap at a million items.
    """
    cutoff = timezone.now() - older_than
    return SearchDoc.objects.filter(embedding_model="", updated_at__lte=cutoff).order_by("updated_at", "pk")
