"""Read queries of prior coverage."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncMonth
from django.utils import timezone

from coverage.models import CoverageMatch, MatchStatus, SearchDoc, SearchKind
from factcheck.models import Claim, ClaimState, Verdict


def open_claim_ids(*, since_days: int | None = None) -> list[int]:
    """Claims the desk has not finished with, newest first: what a new prior item may cover."""
    days = since_days if since_days is not None else settings.FACTCHECK_REMATCH_WINDOW_DAYS
    since = timezone.now() - timedelta(days=days)
    rows = Claim.objects.filter(state__in=ClaimState.OPEN, created_at__gte=since).order_by("-created_at")
    return list(rows.values_list("pk", flat=True))


def claims_pending_matching(*, older_than: timedelta) -> QuerySet[Claim]:
    """Claims of any origin (extracted, added by hand, partner tips) never matched, created
    before ``older_than`` ago."""
    cutoff = timezone.now() - older_than
    return Claim.objects.filter(matched_at__isnull=True, created_at__lte=cutoff).order_by("created_at", "pk")


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


# --- the desk's decisions on matches -----------------------------------------------------


def decided_match_groups() -> list[dict]:
    """Per claim, its decided matches that carry the re-ranker's features, best rank first.

    ``[{"claim_id", "matches": [{"id", "rank", "confirmed", "names", "values"}]}]``: the
    training data ``train_matcher --with-desk-decisions`` adds (features as stored, since
    some are relative to the candidate list the desk saw).
    """
    rows = (
        CoverageMatch.objects.filter(status__in=[MatchStatus.CONFIRMED, MatchStatus.REJECTED])
        .exclude(features={})
        .order_by("claim_id", "rank", "pk")
        .values("pk", "claim_id", "rank", "status", "features")
    )
    groups: dict[int, list[dict]] = {}
    for row in rows.iterator():
        feats = row["features"] or {}
        if not isinstance(feats.get("values"), list) or not isinstance(feats.get("names"), list):
            continue
        groups.setdefault(row["claim_id"], []).append(
            {
                "id": row["pk"],
                "rank": row["rank"],
                "confirmed": row["status"] == MatchStatus.CONFIRMED,
                "names": feats["names"],
                "values": feats["values"],
            }
        )
    return [{"claim_id": claim_id, "matches": items} for claim_id, items in groups.items()]


def match_quality_by_month(*, months: int = 12) -> list[dict]:
    """Per month of suggestion (newest first): how many suggestions and strong matches were
    made, the share confirmed and rejected, and the desk's MAP@5 and precision at the
    strong threshold over its decided matches.

    MAP@5: per claim with a confirmed match, its decided matches in the matcher's rank
    order, AP@5 with the confirmed ones as relevant; a month's figure is the mean over its
    claims (None when the desk confirmed nothing that month). Precision at the strong
    threshold: the share of decided strong matches that were confirmed (None without any).
    Two queries whatever the number of matches.
    """
    decided = [MatchStatus.CONFIRMED, MatchStatus.REJECTED]
    counts = (
        CoverageMatch.objects.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(
            made=Count("pk"),
            strong=Count("pk", filter=Q(is_strong=True)),
            confirmed=Count("pk", filter=Q(status=MatchStatus.CONFIRMED)),
            rejected=Count("pk", filter=Q(status=MatchStatus.REJECTED)),
            strong_decided=Count("pk", filter=Q(is_strong=True, status__in=decided)),
            strong_confirmed=Count("pk", filter=Q(is_strong=True, status=MatchStatus.CONFIRMED)),
        )
        .order_by("-month")[:months]
    )
    out = [dict(row) for row in counts]
    if not out:
        return []
    oldest = min(row["month"] for row in out)
    rows = (
        CoverageMatch.objects.filter(status__in=decided, created_at__gte=oldest)
        .annotate(month=TruncMonth("created_at"))
        .order_by("month", "claim_id", "rank", "pk")
        .values_list("month", "claim_id", "status")
    )
    per_claim: dict[tuple, list[bool]] = {}
    for month, claim_id, status in rows.iterator():
        per_claim.setdefault((month, claim_id), []).append(status == MatchStatus.CONFIRMED)
    aps: dict = {}
    for (month, _), flags in per_claim.items():
        if any(flags):
            aps.setdefault(month, []).append(_ap_at_5(flags))
    for row in out:
        made = row["made"]
        row["confirmed_share"] = row["confirmed"] / made if made else None
        row["rejected_share"] = row["rejected"] / made if made else None
        values = aps.get(row["month"], [])
        row["map5"] = sum(values) / len(values) if values else None
        row["map5_claims"] = len(values)
        sd = row["strong_decided"]
        row["strong_precision"] = row["strong_confirmed"] / sd if sd else None
    return out


def _ap_at_5(flags: list[bool]) -> float:
    """AP@5 of one ranked list of relevance flags (denominator: all relevant in the list)."""
    hits, total = 0, 0.0
    for i, relevant in enumerate(flags[:5], 1):
        if relevant:
            hits += 1
            total += hits / i
    return total / sum(flags)
