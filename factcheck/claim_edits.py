"""Edits of a claim's desk fields (not its state) with optimistic locking.

A form carries the ``version`` it was loaded at; the write is a compare-and-set on
``(id, version)``, so of two people saving the same claim the second is told, not
silently overwritten. State changes never come through here: see ``factcheck.workflow``.
"""

from django.db.models import F
from django.utils import timezone

from factcheck.models import Claim

EDITABLE_FIELDS = frozenset({"text", "claimant", "claim_type", "quote", "priority", "due_date"})


class StaleClaimEdit(Exception):
    """The claim changed since the form was loaded; the message says so in plain words."""


def claim_update(*, claim_id: int, expected_version: int | None, fields: dict) -> Claim:
    """Write ``fields`` if the claim is still at ``expected_version``; bump the version.

    Raises ``StaleClaimEdit`` when someone else wrote first and ``ValueError`` for a field
    that is not editable here (``state``, ``assignee``, ``version`` …).
    """
    forbidden = set(fields) - EDITABLE_FIELDS
    if forbidden:
        raise ValueError(f"Not editable on a claim form: {', '.join(sorted(forbidden))}")
    updated = Claim.objects.filter(pk=claim_id, version=expected_version).update(
        **fields, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        current = Claim.objects.filter(pk=claim_id).values_list("updated_at", flat=True).first()
        when = f" at {timezone.localtime(current):%H:%M}" if current else ""
        raise StaleClaimEdit(
            f"This claim was changed by another editor{when}; your changes were not saved. "
            "Reload the page and try again."
        )
    return Claim.objects.get(pk=claim_id)
