"""A claim typed in by hand goes through the same scoring, typing, attribution and matching
as an extracted one."""

import pytest
from django.urls import reverse

from factcheck.models import Claim

pytestmark = pytest.mark.django_db


def test_a_claim_added_by_hand_is_scored_typed_attributed_and_matched(
    client, fact_checker, django_capture_on_commit_callbacks
):
    client.force_login(fact_checker)
    data = {
        "text": "The minister said unemployment fell to 4.2% in March.",
        "claimant": "",
        "claim_type": "",
        "quote": "",
        "priority": 3,
        "due_date": "",
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("admin:factcheck_claim_add"), data)
    assert response.status_code == 302
    claim = Claim.objects.get(text=data["text"])
    assert claim.origin == "manual" and claim.created_by == fact_checker
    assert claim.checkworthiness > 0 and claim.claim_type == "quantity"
    assert "minister" in claim.claimant.lower()
    assert claim.fingerprint and callbacks  # matching queued after commit
    claim.refresh_from_db()
    assert claim.matched_at is not None
