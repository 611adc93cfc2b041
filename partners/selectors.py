"""The API's querysets: public fact-checks by their stored feed fields, and partners' tips."""

from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.compiled import CompiledRows
from factcheck.models import Claim, ClaimOrigin, ReviewEvent, Verdict
from factcheck.selectors import published_factchecks, with_verdicts


def factcheck_keys() -> QuerySet[Claim]:
    """Public fact-checks, read from the claim row alone: what the feed filters and sorts on.

    ``Claim.first_published_at`` is set exactly while a claim is public and
    ``Claim.modified_at`` is its last change (``factcheck.services.feed`` keeps both
    current), so a page in either order is one range scan of a partial index
    (``claim_feed_published_idx``, ``claim_feed_modified_idx``), whatever the feed's size.
    """
    return Claim.objects.filter(first_published_at__isnull=False)


def factcheck_feed() -> QuerySet[Claim]:
    """Published fact-checks with verdicts, sources and outlet loaded (fixed query count)."""
    return with_verdicts(factcheck_keys())


def factchecks_by_ids(ids: list[int]) -> list[Claim]:
    """Full rows for a page of ids, in the page's order (a page is sorted on the lean query)."""
    rows = {claim.pk: claim for claim in factcheck_feed().filter(pk__in=ids)}
    return [rows[pk] for pk in ids if pk in rows]


def factcheck_search_rows(ids: list[int]) -> dict[int, dict]:
    """The public fact-checks among ``ids`` as search answers show them, by id: their own
    columns and their current verdict's rating, in one query of plain rows."""
    return {row["id"]: row for row in _search_rows.rows(ids)}


_search_rows = CompiledRows(
    lambda ids: (
        factcheck_keys()
        .filter(pk__in=ids, verdicts__is_current=True)
        .order_by()
        .values("id", "text", "claimant", "first_published_at", rating=F("verdicts__rating"))
    )
)


def factcheck_withdrawn(*, pk: int) -> bool:
    """Not public now but public once: a verdict version went out, or it was unpublished.

    The rule of the public page's 410 (``public.selectors.was_published``), in one query.
    """
    went_out = Verdict.objects.filter(claim=OuterRef("pk"), published_at__isnull=False)
    unpublished = ReviewEvent.objects.filter(claim=OuterRef("pk"), transition="unpublish")
    return (
        Claim.objects.filter(pk=pk, first_published_at__isnull=True)
        .filter(Exists(went_out) | Exists(unpublished))
        .exists()
    )


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
            tip_part_of=F("tip__part_of__claim_id"),
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


# The columns the feed's answers show, read as plain rows (``partners.api.presenters``).
CLAIM_COLUMNS = (
    "id",
    "same_as_id",
    "text",
    "claimant",
    "appearance_url",
    "created_at",
    "first_published_at",
    "modified_at",
    "article_id",
    "article__title",
    "article__url",
    "article__published_at",
    "article__outlet_id",
    "article__outlet__name",
    "article__outlet__domain",
)
VERDICT_COLUMNS = (
    "id",
    "claim_id",
    "version",
    "rating",
    "summary",
    "published_at",
    "correction_note",
    "is_current",
    "sources__id",
    "sources__url",
    "sources__title",
    "sources__publisher",
    "sources__accessed_at",
)


def factcheck_rows(ids: list[int]) -> tuple[list[dict], list[dict]]:
    """What the answers for the fact-checks ``ids`` show, in two queries of plain rows:

    - the claims: the public ones among ``ids`` and every appearance of them (any state,
      as ``appearances_prefetch``), each with its article and outlet columns;
    - their verdict versions joined to their sources (one row per source, one with empty
      source columns for a version without any), by verdict then source id.
    """
    low, high = connection.ops.integer_field_range(Claim._meta.pk.get_internal_type())
    ids = [pk for pk in ids if (low is None or pk >= low) and (high is None or pk <= high)]  # no such row
    claims = _claim_rows.rows(ids)
    wanted = set(ids)
    shown = [row["id"] for row in claims if row["id"] in wanted and row["first_published_at"] is not None]
    return claims, _verdict_rows.rows(shown)


_claim_rows = CompiledRows(
    lambda ids: (
        Claim.objects.filter(Q(pk__in=ids, first_published_at__isnull=False) | Q(same_as_id__in=ids))
        .order_by()
        .values(*CLAIM_COLUMNS)
    )
)
_verdict_rows = CompiledRows(
    lambda ids: (
        Verdict.objects.filter(claim_id__in=ids).order_by("id", "sources__id").values(*VERDICT_COLUMNS)
    )
)
