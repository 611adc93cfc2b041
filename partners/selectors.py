"""The API's querysets: the shared selectors plus the few annotations the feed sorts on."""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest

from factcheck.models import Claim, ClaimOrigin, Verdict
from factcheck.selectors import published_factchecks, with_verdicts


def factcheck_keys() -> QuerySet[Claim]:
    """Published fact-checks with only what the feed filters and sorts on: cheap to sort.

    ``first_published_at`` is the earliest published verdict version; ``modified_at`` is the
    later of the claim's and its current verdict's last change, so a correction counts.
    """
    # Explicit order_by: Verdict's default ordering would join the claim table per row.
    published = Verdict.objects.filter(claim=OuterRef("pk"), published_at__isnull=False)
    current = Verdict.objects.filter(claim=OuterRef("pk"), is_current=True).order_by()
    return published_factchecks().annotate(
        first_published_at=Subquery(published.order_by("published_at").values("published_at")[:1]),
        modified_at=Greatest("updated_at", Subquery(current.values("updated_at")[:1])),
    )


def factcheck_feed() -> QuerySet[Claim]:
    """Published fact-checks with verdicts, sources and outlet loaded (fixed query count)."""
    return with_verdicts(factcheck_keys())


def factchecks_by_ids(ids: list[int]) -> list[Claim]:
    """Full rows for a page of ids, in the page's order (a page is sorted on the lean query)."""
    rows = {claim.pk: claim for claim in factcheck_feed().filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def partner_tips(partner) -> QuerySet[Claim]:
    """The claims of tips sent through the API (one partner's, or every partner's for staff),
    newest first, with their ``tip``; a tip's id in the API is its claim's."""
    tips = Claim.objects.filter(origin=ClaimOrigin.PARTNER, tip__isnull=False).select_related("tip")
    if partner is not None:
        tips = tips.filter(tip__partner=partner)
    # The fact-check that answers a tip: its own, or its canonical claim's once grouped.
    answer = published_factchecks().filter(pk=Coalesce(OuterRef("same_as_id"), OuterRef("pk")))
    verdict = Verdict.objects.filter(claim=OuterRef("factcheck_id"), is_current=True).order_by()
    return (
        tips.annotate(factcheck_id=Subquery(answer.values("pk")[:1]))
        .annotate(
            factcheck_text=Subquery(answer.values("text")[:1]),
            factcheck_rating=Subquery(verdict.values("rating")[:1]),
            factcheck_summary=Subquery(verdict.values("summary")[:1]),
        )
        .order_by("-created_at", "-id")
    )


def matches_text(terms: list[str]) -> Q:
    """Every term in the claim, its claimant or its current verdict's summary."""
    condition = Q()
    for term in terms:
        in_summary = Verdict.objects.filter(claim=OuterRef("pk"), is_current=True, summary__icontains=term)
        condition &= Q(text__icontains=term) | Q(claimant__icontains=term) | Q(Exists(in_summary))
    return condition
