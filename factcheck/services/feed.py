"""The stored feed fields of a claim (``Claim.first_published_at``, ``Claim.modified_at``).

They are derived from the claim's state and its verdict versions; this module alone writes
them, in one UPDATE, and every service that changes a claim's state, its verdicts or a public
claim's text calls ``claim_feed_refresh`` inside its transaction. The data migration
``factcheck/0013`` filled them for the rows that existed before, with the same rules.
"""

import datetime as dt
from collections.abc import Iterable

from django.db.models import Case, Exists, Expression, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, Greatest

from core.dataversion import data_version_bump
from factcheck.models import Claim, ClaimState, Verdict


def _versions():
    return Verdict.objects.filter(claim=OuterRef("pk"), published_at__isnull=False).order_by()


def _earliest() -> Subquery:
    return Subquery(_versions().order_by("published_at").values("published_at")[:1])


def _live() -> Exists:
    return Exists(_versions().filter(is_current=True))


def _modified(updated_at: Expression | dt.datetime | str = "updated_at") -> Greatest:
    current = Verdict.objects.filter(claim=OuterRef("pk"), is_current=True).order_by()
    claim_time = updated_at if isinstance(updated_at, Expression | str) else Value(updated_at)
    return Greatest(claim_time, Coalesce(Subquery(current.values("updated_at")[:1]), claim_time))


def feed_values(*, state: str, updated_at: dt.datetime) -> dict:
    """The feed fields as expressions for an UPDATE of a claim that will be in ``state``
    with ``updated_at``.

    For a write that sets the state in the same statement (a transition): SQL evaluates
    every expression against the row as it was, so the new values are given here. The
    verdict rows must already be as they will be (the subqueries read them).
    """
    first: Case | None = None
    if state == ClaimState.PUBLISHED:
        first = Case(When(_live(), then=_earliest()), default=None)
    return {"first_published_at": first, "modified_at": _modified(updated_at)}


def feed_changed(*, was_public: bool, is_public: bool) -> None:
    """A claim public before or after a write changes what the API answers: bump the
    data version after commit (``core.dataversion``)."""
    if was_public or is_public:
        data_version_bump()


def claim_feed_refresh(*, claim_ids: Iterable[int]) -> None:
    """Recompute the stored feed fields of these claims from their rows (3 queries).

    When any of them is public before or after, the data version is bumped after commit,
    so no cached API answer from before the change is served again.
    """
    ids = list(claim_ids)
    if not ids:
        return
    public = Claim.objects.filter(pk__in=ids, first_published_at__isnull=False)
    was_public = public.exists()
    first = Case(When(Q(state=ClaimState.PUBLISHED) & _live(), then=_earliest()), default=None)
    Claim.objects.filter(pk__in=ids).update(first_published_at=first, modified_at=_modified())
    feed_changed(was_public=was_public, is_public=public.exists())
