"""Read queries shared by the admin, the partner API and the public pages."""

from datetime import timedelta

from django.db.models import Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from editorial.models import Article
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
    """Prefetch every verdict version with its sources, and the appearances, so lists stay
    at a fixed query count."""
    return queryset.select_related("article__outlet").prefetch_related(
        Prefetch(
            "verdicts",
            queryset=Verdict.objects.order_by("-version").prefetch_related(
                Prefetch("sources", queryset=Source.objects.order_by("id"))
            ),
        ),
        appearances_prefetch(),
    )


def appearances_prefetch() -> Prefetch:
    """A canonical claim's appearances with their article and outlet (one query for a list)."""
    return Prefetch(
        "appearances", queryset=Claim.objects.select_related("article__outlet").order_by("created_at", "pk")
    )


def appearances_in_order(claim: Claim) -> list[Claim]:
    """Where a canonical claim was seen: the claim itself and its appearances, first seen
    first (an article's publication, else the arrival). Uses ``appearances_prefetch``."""
    cache = getattr(claim, "_prefetched_objects_cache", {})
    members = (
        list(cache["appearances"])
        if "appearances" in cache
        else list(claim.appearances.select_related("article__outlet").order_by("created_at", "pk"))
    )
    return sorted([claim, *members], key=lambda c: (c.seen_at, c.pk))


def verdict_next_version(*, claim_id: int) -> int:
    """The version number a new verdict of this claim gets (1 for its first)."""
    return (Verdict.objects.filter(claim_id=claim_id).aggregate(v=Max("version"))["v"] or 0) + 1


def articles_pending_extraction(*, older_than: timedelta) -> QuerySet[Article]:
    """Articles whose current text was never extracted, last changed before ``older_than`` ago."""
    cutoff = timezone.now() - older_than
    done = Q(extraction__extracted_hash=F("content_hash"))
    return Article.objects.exclude(done).filter(updated_at__lte=cutoff).order_by("updated_at", "pk")


def article_is_extracted(article: Article) -> bool:
    """Whether claims were extracted from the article's current text."""
    return Article.objects.filter(pk=article.pk, extraction__extracted_hash=F("content_hash")).exists()
