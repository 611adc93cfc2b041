"""Repeated claims: one canonical claim and its appearances (``Claim.same_as``).

Three writes, each in one transaction over locked rows, each leaving a ``ReviewEvent`` on
every claim it moved:

- ``claim_join``: automatic grouping (``coverage.grouping``) makes a new claim an
  appearance of a canonical one;
- ``claims_merge``: an Editor makes claims appearances of the one they pick as canonical;
  every appearance of a merged claim follows, so ``same_as`` never forms a chain;
- ``claim_split``: an Editor detaches an appearance, which becomes canonical itself.

Editors' writes carry the ``version`` of each claim as the page showed it and are refused,
all of them, when one changed meanwhile. A merge never loses a verdict: the canonical
claim's verdict is the one that covers the group, and a merged claim keeps its own
verdict versions as history (a merge that would leave the group without the only verdict
is refused). ``appearance_added`` is sent for every claim that joined a group.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from factcheck.models import Claim, ClaimState, ReviewEvent, Verdict
from factcheck.signals import appearance_added
from factcheck.workflow import WorkflowError, stale_reason

GROUP_PERMISSION = "factcheck.merge_claim"


class GroupingError(WorkflowError):
    """A merge or split that cannot be done; ``reason`` says why."""


def _event(claim: Claim, *, transition: str, actor, note: str) -> ReviewEvent:
    return ReviewEvent(
        claim=claim,
        actor=actor,
        transition=transition,
        from_state=claim.state,
        to_state=claim.state,
        note=note,
    )


def _check_actor(actor) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) or not actor.is_active:
        raise GroupingError("Sign in as an Editor to merge or split claims.")
    if not actor.has_perm(GROUP_PERMISSION):
        raise GroupingError("Only Editors can merge or split claims.")


def _check_versions(rows: dict[int, Claim], expected: dict[int, int]) -> None:
    for pk, version in expected.items():
        row = rows.get(pk)
        if row is None:
            raise GroupingError(f"Claim {pk} no longer exists; reload and try again.")
        if row.version != version:
            raise GroupingError(f"Claim {pk}: {stale_reason(row)} Nothing was merged or split.")


def _announce(claim_ids: Iterable[int], canonical_id: int) -> None:
    for claim_id in claim_ids:
        appearance_added.send(sender=Claim, claim_id=claim_id, canonical_id=canonical_id)


def claim_join(*, claim_id: int, canonical_id: int, score: float) -> bool:
    """Make ``claim_id`` (a new, canonical claim without appearances) an appearance of
    ``canonical_id``; whether it was done.

    Called by automatic grouping. Nothing is done when either claim changed meanwhile in
    a way that makes the join wrong: the claim already grouped or with appearances of its
    own, the target merged into another claim or dismissed.
    """
    with transaction.atomic():
        rows = {c.pk: c for c in Claim.objects.select_for_update().filter(pk__in=[claim_id, canonical_id])}
        claim, canonical = rows.get(claim_id), rows.get(canonical_id)
        if claim is None or canonical is None or claim.same_as_id or canonical.same_as_id:
            return False
        if canonical.state == ClaimState.DISMISSED or claim.appearances.exists():
            return False
        Claim.objects.filter(pk=claim_id).update(
            same_as_id=canonical_id, version=F("version") + 1, updated_at=timezone.now()
        )
        note = f"Grouped automatically as an appearance of claim {canonical_id} (similarity {score:.2f})."
        _event(claim, transition="group", actor=None, note=note).save()
        _announce([claim_id], canonical_id)
    return True


def claims_merge(
    *, canonical_id: int, claim_ids: list[int], actor, expected_versions: dict[int, int]
) -> Claim:
    """Make every claim of ``claim_ids`` (and their appearances) appearances of ``canonical_id``.

    ``expected_versions`` maps each claim named (the canonical too) to the version the
    editor saw. Refused, with nothing written, when: the actor is not an Editor; a claim
    changed meanwhile; the canonical is itself an appearance; a merged claim is published
    (unpublish it first, its page would vanish); or a merged claim has a verdict and the
    canonical has none (pick the claim whose verdict should stay as canonical).
    """
    _check_actor(actor)
    others = sorted(set(claim_ids) - {canonical_id})
    if not others:
        raise GroupingError("Pick at least one other claim to merge into the canonical one.")
    with transaction.atomic():
        rows = {c.pk: c for c in Claim.objects.select_for_update().filter(pk__in=[canonical_id, *others])}
        _check_versions(rows, {pk: expected_versions.get(pk, -1) for pk in [canonical_id, *others]})
        canonical = rows[canonical_id]
        if canonical.same_as_id:
            raise GroupingError(
                f"Claim {canonical_id} is an appearance of claim {canonical.same_as_id}; merge into that one."
            )
        merged = [rows[pk] for pk in others]
        _refuse_published(merged)
        with_verdict = set(
            Verdict.objects.filter(claim_id__in=[canonical_id, *others]).values_list("claim_id", flat=True)
        )
        if canonical_id not in with_verdict and with_verdict:
            raise GroupingError(
                f"Claim {min(with_verdict)} has a verdict and claim {canonical_id} has none: pick the claim "
                "whose verdict should stay as the canonical one."
            )
        followers = list(
            Claim.objects.select_for_update().filter(same_as_id__in=others).exclude(pk=canonical_id)
        )
        moved = [c for c in merged if c.same_as_id != canonical_id] + followers
        # A merged claim that was an appearance of another group leaves it.
        Claim.objects.filter(Q(pk__in=[c.pk for c in moved])).update(
            same_as_id=canonical_id, version=F("version") + 1, updated_at=timezone.now()
        )
        Claim.objects.filter(pk=canonical_id).update(version=F("version") + 1, updated_at=timezone.now())
        kept = " Its own verdict is kept in its history." if with_verdict - {canonical_id} else ""
        events = [
            _event(
                c,
                transition="merge",
                actor=actor,
                note=f"Merged into claim {canonical_id}.{kept if c.pk in with_verdict else ''}",
            )
            for c in moved
        ]
        ids = ", ".join(str(c.pk) for c in moved)
        events.append(
            _event(canonical, transition="merge", actor=actor, note=f"Claims {ids} merged into this one.")
        )
        ReviewEvent.objects.bulk_create(events)
        _announce([c.pk for c in moved], canonical_id)
    return Claim.objects.get(pk=canonical_id)


def _refuse_published(claims: list[Claim]) -> None:
    for claim in claims:
        if claim.state == ClaimState.PUBLISHED:
            raise GroupingError(
                f"Claim {claim.pk} is published: unpublish it before merging it into another claim."
            )


def claim_split(*, claim_id: int, actor, expected_version: int) -> Claim:
    """Detach the appearance ``claim_id`` from its group: it becomes a canonical claim.

    Refused when the actor is not an Editor, the claim changed meanwhile or is canonical.
    """
    _check_actor(actor)
    with transaction.atomic():
        claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
        rows = {claim.pk: claim} if claim else {}
        _check_versions(rows, {claim_id: expected_version})
        assert claim is not None
        if not claim.same_as_id:
            raise GroupingError(f"Claim {claim_id} is not an appearance of another claim; nothing to split.")
        canonical_id = claim.same_as_id
        Claim.objects.filter(pk__in=[claim_id, canonical_id]).update(
            version=F("version") + 1, updated_at=timezone.now()
        )
        Claim.objects.filter(pk=claim_id).update(same_as=None)
        canonical = Claim.objects.get(pk=canonical_id)
        ReviewEvent.objects.bulk_create(
            [
                _event(
                    claim,
                    transition="split",
                    actor=actor,
                    note=f"Split from claim {canonical_id}; now its own claim.",
                ),
                _event(canonical, transition="split", actor=actor, note=f"Claim {claim_id} split off."),
            ]
        )
    return Claim.objects.get(pk=claim_id)
