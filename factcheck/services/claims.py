"""Claims outside the workflow: a new claim from elsewhere, and edits of a claim's desk fields.

An edit's form carries the ``version`` it was loaded at; the write is a compare-and-set on
``(id, version)``, so of two people saving the same claim the second is told, not silently
overwritten. State changes never come through here: see ``factcheck.workflow``.
"""

import hashlib
import re
import unicodedata

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from factcheck import extraction
from factcheck.models import Claim, ClaimOrigin, ClaimState
from factcheck.services.feed import claim_feed_refresh
from factcheck.signals import claims_created
from factcheck.workflow import WorkflowError, stale_reason

EDITABLE_FIELDS = frozenset(
    {"text", "checked_wording", "claimant", "claim_type", "quote", "priority", "due_date"}
)
_SPACE = re.compile(r"\s+")


class StaleClaimEdit(WorkflowError):
    """The claim changed since the form was loaded; ``reason`` says so in plain words."""


def claim_fingerprint(text: str) -> str:
    """The same claim, the same key: Unicode form, case, spacing and end punctuation ignored.

    ``Claim.fingerprint`` for every origin: one sentence of an article (unique per article
    for extracted claims) or a partner's tip (a repeated tip finds the open one).
    """
    normal = _SPACE.sub(" ", unicodedata.normalize("NFKC", text).casefold()).strip().rstrip(".!?;: ")
    return hashlib.sha256(normal.encode()).hexdigest()[:32]


def claim_analysis(text: str) -> dict:
    """Score, type, claimant and quoted words of a claim typed in or sent as a tip, as the
    extractor gives them for a sentence of an article (the first sentence when several)."""
    candidates = extraction.extract(text, news_weights={})
    if not candidates:
        return {}
    # The claim is the whole text: no place in a longer one.
    return {k: v for k, v in candidate_analysis(candidates[0]).items() if k not in ("start", "end")}


def candidate_analysis(candidate: extraction.Candidate) -> dict:
    """What ``claim_add`` stores of an extracted sentence: its score, type, claimant, quote,
    features and place in the text it was read in."""
    return {
        "checkworthiness": max(0.0, min(1.0, candidate.checkworthiness)),
        "claim_type": candidate.claim_type,
        "claimant": candidate.claimant[:300],
        "quote": candidate.quote,
        "features": candidate.features,
        "start": candidate.start,
        "end": candidate.end,
    }


def claim_add(
    *, text: str, origin: str, claimant: str = "", appearance_url: str = "", analysis: dict | None = None
) -> Claim:
    """A new candidate claim from outside an article (a tip, a hand entry): scored, typed and
    attributed like an extracted one; matching follows after commit (``claims_created``).

    ``analysis`` (``candidate_analysis`` of the sentence, read in the longer text it came
    from) replaces the analysis of ``text`` alone; ``start`` and ``end`` are then the
    sentence's place in that text."""
    if analysis is None:
        analysis = claim_analysis(text.strip())
    claim = Claim.objects.create(
        text=text.strip(),
        checkworthiness=analysis.get("checkworthiness", 0.0),
        claim_type=analysis.get("claim_type", ""),
        quote=analysis.get("quote", ""),
        features=analysis.get("features", {}),
        claimant=claimant.strip() or analysis.get("claimant", ""),
        appearance_url=appearance_url,
        origin=origin,
        state=ClaimState.CANDIDATE,
        fingerprint=claim_fingerprint(text),
        start=analysis.get("start"),
        end=analysis.get("end"),
    )
    claims_created.send(sender=Claim, claim_ids=[claim.pk])
    return claim


def claim_save_new(*, claim: Claim, user) -> Claim:
    """Store a claim a desk user typed in (the admin's add form) as ``claim_add`` stores a tip:
    what the user left empty (claimant, type, quote) comes from the analysis, the score always
    does, and ``claims_created`` queues its matching after commit."""
    analysis = claim_analysis(claim.text.strip())
    claim.text = claim.text.strip()
    claim.checkworthiness = analysis.get("checkworthiness", 0.0)
    claim.features = analysis.get("features", {})
    for field in ("claimant", "claim_type", "quote"):
        if not getattr(claim, field):
            setattr(claim, field, analysis.get(field, ""))
    claim.origin = ClaimOrigin.MANUAL
    claim.fingerprint = claim_fingerprint(claim.text)
    claim.created_by = user
    claim.save()
    claims_created.send(sender=Claim, claim_ids=[claim.pk])
    return claim


def claim_update(*, claim_id: int, expected_version: int | None, fields: dict) -> Claim:
    """Write ``fields`` if the claim is still at ``expected_version``; bump the version.

    Raises ``StaleClaimEdit`` when someone else wrote first and ``ValueError`` for a field
    that is not editable here (``state``, ``assignee``, ``version`` …).
    """
    forbidden = set(fields) - EDITABLE_FIELDS
    if forbidden:
        raise ValueError(f"Not editable on a claim form: {', '.join(sorted(forbidden))}")
    # A None version (a form without one) matches no row: the edit is refused as stale.
    with transaction.atomic():
        updated = Claim.objects.filter(pk=claim_id, version=expected_version).update(  # type: ignore[misc]
            **fields, version=F("version") + 1, updated_at=timezone.now()
        )
        if not updated:
            current = Claim.objects.filter(pk=claim_id).only("updated_at").first()
            raise StaleClaimEdit(f"{stale_reason(current)} Your changes were not saved.")
        claim_feed_refresh(claim_ids=[claim_id])
    return Claim.objects.get(pk=claim_id)
