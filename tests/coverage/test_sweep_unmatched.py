"""A claim whose matching task was lost is matched by the periodic sweep, whatever its
origin: extracted, added by hand at the desk, or sent as a partner tip."""

from datetime import timedelta

import pytest

from coverage.selectors import claims_pending_matching
from coverage.sweeps import claims_sweep_unmatched
from factcheck.models import Claim, ClaimOrigin
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("origin", [ClaimOrigin.EXTRACTED, ClaimOrigin.MANUAL, ClaimOrigin.PARTNER])
def test_the_sweep_matches_a_lost_claim_of_any_origin(origin, lexical_only):
    lost = ClaimFactory(origin=origin, text="Waiting lists fell by 12 percent last year.")
    assert lost.matched_at is None  # created without its task running
    assert list(claims_pending_matching(older_than=timedelta(0))) == [lost]

    assert claims_sweep_unmatched(older_than=timedelta(0)).queued == 1  # eager: runs here

    assert Claim.objects.get(pk=lost.pk).matched_at is not None
    assert not claims_pending_matching(older_than=timedelta(0)).exists()
