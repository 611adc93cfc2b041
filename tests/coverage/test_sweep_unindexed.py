"""A claim published without the workflow (a data load) is indexed by the periodic sweep
(``coverage.tasks.sweep_unindexed``), so prior-coverage search finds it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from coverage import tasks
from coverage.matching import search
from coverage.matching.index import searchdocs_embed
from coverage.models import SearchDoc, SearchKind
from coverage.selectors import claims_pending_indexing
from coverage.services import published_claim_index
from factcheck.models import Claim, ClaimState
from tests.factories import ClaimFactory, VerdictFactory

pytestmark = pytest.mark.django_db

TUNNEL = "The harbour tunnel cost four times its original budget of two billion."


def _loaded(text: str, published_minutes_ago: int) -> Claim:
    """A claim and its verdict as a data load writes them: published, never transitioned."""
    claim = ClaimFactory(text=text)
    VerdictFactory(claim=claim, rating="false", summary="Checked against the audit office report.")
    Claim.objects.filter(pk=claim.pk).update(state=ClaimState.PUBLISHED)
    claim.verdicts.update(
        is_current=True, published_at=timezone.now() - timedelta(minutes=published_minutes_ago)
    )
    return claim


def _found(text: str) -> set[tuple[str, int]]:
    return {(m.kind, m.object_id) for m in search(text, limit=5)}


def test_sweep_indexes_a_claim_published_by_a_data_load():
    claim = _loaded(TUNNEL, published_minutes_ago=60)
    recent = _loaded("Ferry fares doubled within a single year of the new contract.", published_minutes_ago=1)
    assert (SearchKind.CLAIM, claim.pk) not in _found("harbour tunnel budget")

    assert tasks.sweep_unindexed.apply(kwargs={"older_than_minutes": 15}).get() == 1

    assert (SearchKind.CLAIM, claim.pk) in _found("harbour tunnel budget")
    assert not SearchDoc.objects.filter(kind=SearchKind.CLAIM, object_id=recent.pk).exists()
    assert list(claims_pending_indexing(older_than=timedelta(minutes=15))) == []
    assert tasks.sweep_unindexed.apply(kwargs={"older_than_minutes": 15}).get() == 0


def test_a_row_older_than_the_current_publication_is_refreshed_once():
    claim = _loaded(TUNNEL, published_minutes_ago=60)
    first = (timezone.now() - timedelta(days=2)).replace(hour=10, minute=0)
    claim.verdicts.update(published_at=first)
    searchdocs_embed(doc_ids=published_claim_index(claim_id=claim.pk))  # indexed, with its vector
    # Published again the same day (a correction with the same text) without the index
    # being told: the row is older than the publication, though nothing in it changes.
    claim.verdicts.update(published_at=first + timedelta(hours=1))
    SearchDoc.objects.filter(object_id=claim.pk).update(updated_at=first + timedelta(minutes=30))
    assert [c.pk for c in claims_pending_indexing(older_than=timedelta(minutes=15))] == [claim.pk]

    assert tasks.sweep_unindexed.apply(kwargs={"older_than_minutes": 15}).get() == 1
    assert tasks.sweep_unindexed.apply(kwargs={"older_than_minutes": 15}).get() == 0


def test_sweep_pending_command_reports_the_indexing_line(capsys):
    claim = _loaded(TUNNEL, published_minutes_ago=60)
    call_command("sweep_pending", "--older-than", "15")
    out = capsys.readouterr().out
    assert "1 published claim(s) pending indexing for 15+ min; queued 1" in out
    assert (SearchKind.CLAIM, claim.pk) in _found("harbour tunnel budget")
