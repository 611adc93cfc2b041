"""A prior fact-check's stored URL only becomes a link when it is http(s)."""

import pytest
from django.urls import reverse

from coverage.models import CoverageMatch
from tests.factories import ClaimFactory, PriorFactCheckFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("url", "linked"),
    [("javascript:alert(document.cookie)", False), ("https://factcheck.example.org/r/1", True)],
)
def test_match_link_on_claim_page_is_only_http(admin_client, url, linked):
    claim = ClaimFactory()
    prior = PriorFactCheckFactory(url=url, claim_reviewed="Vaccines contain microchips.")
    CoverageMatch.objects.create(claim=claim, prior_factcheck=prior, score=0.9, method="hybrid")

    page = admin_client.get(reverse("admin:factcheck_claim_change", args=[claim.pk]))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Vaccines contain microchips." in content
    assert 'href="javascript:' not in content
    assert (f'href="{url}"' in content) is linked
