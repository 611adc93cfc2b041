"""Read queries shared by the admin, the partner API and the public pages."""

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from factcheck.models import Claim, ClaimState, Source, Verdict


def published_factchecks() -> QuerySet[Claim]:
    """Claims the public and partners may see.

    A published fact-check is any claim in state ``published`` whose current verdict has
    ``published_at`` set, however it got there: nothing here depends on fields only the
    ``publish`` transition fills in.
    """
    live_verdict = Verdict.objects.filter(claim=OuterRef("pk"), is_current=True, published_at__isnull=False)
    return Claim.objects.filter(Exists(live_verdict), state=ClaimState.PUBLISHED)


def with_verdicts(queryset: QuerySet[Claim]) -> QuerySet[Claim]:
    """Prefetch every verdict version with its sources, so lists stay at a fixed query count."""
    return queryset.select_related("article__outlet").prefetch_related(
        Prefetch(
            "verdicts",
            queryset=Verdict.objects.order_by("-version").prefetch_related(
                Prefetch("sources", queryset=Source.objects.order_by("id"))
            ),
        )
    )
