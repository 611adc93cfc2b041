"""Grouping of repeated claims: is a new claim an appearance of one already stored?

``claim_group`` runs once per new claim, whatever its origin, after extraction and before
prior-coverage matching (the ``group_claim`` task). It searches every grouped claim that
is not dismissed (kind ``appearance`` of the search index: canonical claims and their
appearances, so a group is found through any of its members), scores its ten
nearest (``coverage.matching.grouping.probability``) and lets
``coverage.matching.grouping.choose`` pick one and the outcome:

- ``auto``: ``factcheck.services.grouping.claim_join`` makes the claim an appearance;
- ``suggest``: a ``SameClaimSuggestion`` row, with what differs, for an editor;
- nothing: the claim stays canonical.

Then the claim itself is indexed (with the vector computed here, so the next claim finds
it at once) and ``grouped_at`` is set; all of that in one transaction, so a worker killed
mid-way leaves the claim ungrouped for the sweep, never half-grouped. Running it again
for a grouped claim does nothing. The search and the writes hold the grouping lock
(``_one_at_a_time``), so claims arriving together, on any worker, are compared with each
other in turn.

Similarity is a probability from the cosine of the MiniLM vectors and the cosine of the
content words weighted by their rarity among the stored claims (``grouping.probability``,
with the counts of ``coverage.matching.terms``); without the embedding extra it is the
content-word overlap alone, of the lexical candidates.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from typing import NamedTuple

from django.db import connection, transaction
from django.utils import timezone

from core import embedding
from coverage.matching import backends, grouping, index, terms, vectors
from coverage.models import SameClaimSuggestion, SearchDoc, SearchKind
from factcheck.extraction import compare
from factcheck.models import Claim, ClaimState
from factcheck.services.grouping import claim_join

logger = logging.getLogger(__name__)
CANDIDATES = 10
# The advisory lock key of ``_one_at_a_time`` (a fixed signed 64-bit number).
GROUPING_LOCK = int.from_bytes(
    hashlib.blake2b(b"coverage:grouping", digest_size=8).digest(), "big", signed=True
)


@dataclass(frozen=True)
class GroupResult:
    outcome: str  # "joined", "suggested", "canonical", "done" (grouped before), "gone"
    canonical_id: int | None = None
    score: float = 0.0
    differences: tuple[str, ...] = ()


class _Member(NamedTuple):
    """A stored claim as the search needs it."""

    pk: int
    text: str
    same_as_id: int | None


def prepared(claim_text: str) -> str:
    """The text both the stored vectors and the queries are made of."""
    return grouping.prepared(claim_text)


def claim_group(
    *, claim_id: int, thresholds: grouping.Thresholds = grouping.DEFAULT_THRESHOLDS
) -> GroupResult:
    """Group one claim (the task's work); see the module docstring."""
    claim = Claim.objects.filter(pk=claim_id).first()
    if claim is None:
        return GroupResult("gone")
    if claim.grouped_at is not None:
        return GroupResult("done", claim.same_as_id)
    query = prepared(claim.text)
    vector = embedding.embed([query])[0] if embedding.available() else None
    mine = grouping.signals(claim.text)
    stated = compare.facts(query)
    with transaction.atomic():
        _one_at_a_time()
        locked = Claim.objects.select_for_update().filter(pk=claim_id).first()
        if locked is None or locked.grouped_at is not None:
            return GroupResult("done" if locked else "gone", locked.same_as_id if locked else None)
        # Every claim grouped before this one has committed: the caches read it now.
        counts = terms.counts_for()
        counts.refresh(force=True)
        candidates = _candidates(locked, query, vector, mine, counts.idf(mine.terms))
        chosen = grouping.choose(
            [(similarity, theirs.words) for _, similarity, theirs in candidates],
            lambda i: compare.differences(stated, prepared(candidates[i][0].text)),
            words=mine.words,
            thresholds=thresholds,
            lexical=vector is None,
        )
        result = GroupResult("canonical")
        if chosen is not None and chosen[1].outcome is not None:
            member = candidates[chosen[0]][0]
            result = _apply(claim_id, member.same_as_id or member.pk, chosen[1])
        _index(locked, query, vector)
        Claim.objects.filter(pk=claim_id).update(grouped_at=timezone.now())
    return result


def _one_at_a_time() -> None:
    """Hold the grouping lock until this transaction ends (PostgreSQL; elsewhere nothing).

    Two workers grouping two tips of one rumour at the same moment would each search before
    the other's claim is stored, and both stay canonical. Under the lock a claim is compared
    with every claim grouped before it, by any process. It is held for the search and the
    writes only (the embedding is computed before), and goes with the transaction, so a
    worker killed mid-way releases it. SQLite, the embedded default of one process, takes no
    lock: there two requests grouping at the same instant can both stay canonical, and an
    editor merges them.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [GROUPING_LOCK])


def _apply(claim_id: int, canonical_id: int, decision: grouping.Decision) -> GroupResult:
    if decision.outcome == "auto" and claim_join(
        claim_id=claim_id, canonical_id=canonical_id, score=decision.score
    ):
        return GroupResult("joined", canonical_id, decision.score)
    SameClaimSuggestion.objects.get_or_create(
        claim_id=claim_id,
        canonical_id=canonical_id,
        defaults={"score": decision.score, "differences": decision.differences, "short": decision.short},
    )
    return GroupResult("suggested", canonical_id, decision.score, tuple(decision.differences))


def _candidates(
    claim: Claim, query: str, vector, mine: grouping.Signals, idf: grouping.Idf
) -> list[tuple[_Member, float, grouping.Signals]]:
    """The stored claims most like this one whose group is not dismissed, how alike each
    is (``grouping.probability``, or the overlap alone without vectors), and their signals."""
    if vector is not None:
        cache = vectors.cache_for()
        cache.refresh(force=True)
        hits = cache.search(vector, limit=CANDIDATES, kinds=(SearchKind.APPEARANCE,))
    else:
        lexical = backends.lexical_search(query, limit=CANDIDATES, kinds=(SearchKind.APPEARANCE,))
        hits = [(doc_id, 0.0) for doc_id, _ in lexical]
    if not hits:
        return []
    docs = SearchDoc.objects.filter(pk__in=[d for d, _ in hits]).values_list("pk", "kind", "object_id")
    object_of = {pk: object_id for pk, kind, object_id in docs if kind == SearchKind.APPEARANCE}
    rows = (
        Claim.objects.filter(pk__in=list(object_of.values()))
        .order_by()
        .values_list("pk", "text", "same_as_id", "state", "same_as__state")
    )
    members = {
        pk: _Member(pk, claim_text, same_as_id)
        for pk, claim_text, same_as_id, state, canonical_state in rows
        if (canonical_state if same_as_id else state) != ClaimState.DISMISSED
    }
    out = []
    for doc_id, cosine in hits:
        member = members.get(object_of.get(doc_id, -1))
        if member is None or member.pk == claim.pk or member.same_as_id == claim.pk:
            continue
        theirs = grouping.signals(member.text)
        if vector is None:
            similarity = grouping.overlap(mine, theirs)
        else:
            similarity = grouping.probability(grouping.features(cosine, mine, theirs, idf))
        out.append((member, similarity, theirs))
    return out


def _index(claim: Claim, query: str, vector) -> None:
    """The claim as a grouping entry, with its vector when there is one."""
    index.searchdocs_upsert(
        items=[index.IndexItem(kind=SearchKind.APPEARANCE, object_id=claim.pk, text=query, vector=vector)]
    )


def same_claim_suggestion_reject(*, suggestion_id: int, actor) -> SameClaimSuggestion:
    """An editor says the two claims are not the same: the suggestion is kept, as rejected."""
    with transaction.atomic():
        suggestion = SameClaimSuggestion.objects.select_for_update().get(pk=suggestion_id)
        suggestion.status, suggestion.decided_by, suggestion.decided_at = "rejected", actor, timezone.now()
        suggestion.save(update_fields=["status", "decided_by", "decided_at"])
    return suggestion


def same_claim_suggestions_confirm(*, claim_ids: list[int], canonical_id: int, actor) -> int:
    """After a merge: the suggestions it answered are confirmed; how many."""
    return SameClaimSuggestion.objects.filter(
        claim_id__in=claim_ids, canonical_id=canonical_id, status="suggested"
    ).update(status="confirmed", decided_by=actor, decided_at=timezone.now())
