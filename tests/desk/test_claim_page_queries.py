"""The claim page costs the same number of queries with 10 claims on the desk as with 10,000."""

import pytest
from django.urls import reverse

from factcheck.models import Claim, ClaimState
from tests.factories import ClaimFactory, SourceFactory, VerdictFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("others", [10, 10_000])
def test_claim_page_queries_do_not_grow_with_the_desk(client, editor, others, django_assert_max_num_queries):
    Claim.objects.bulk_create(
        Claim(text=f"Claim number {n} about the budget.", fingerprint=f"fp{n}", state=ClaimState.CANDIDATE)
        for n in range(others)
    )
    claim = ClaimFactory(state=ClaimState.IN_REVIEW)
    SourceFactory(verdict=VerdictFactory(claim=claim, body="Some **explanation**."))
    client.force_login(editor)
    url = reverse("admin:factcheck_claim_change", args=[claim.pk])
    client.get(url)  # warm the session and permission caches
    with django_assert_max_num_queries(20) as captured:
        assert client.get(url).status_code == 200
    print(f"claim page with {others} other claims: {len(captured.captured_queries)} queries")
