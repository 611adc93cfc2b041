"""An Editor sees where a claim appeared and answers a suggestion, in a real browser.

The claim page lists the canonical claim's appearances; the Editor opens a claim that
grouping only suggested (a different figure), sees what differs, and merges it anyway
from the suggestion. Screenshots are kept under artifacts/.
"""

import pytest
from django.urls import reverse

from coverage.grouping import claim_group
from factcheck.models import Claim
from tests.browser.test_claim_flow import ARTIFACTS
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory, OutletFactory
from tests.support import admin_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_sees_appearances_and_merges_a_suggestion(browser, live_server):
    editor = EditorFactory()
    outlet = OutletFactory(name="Morning Post")
    texts = [
        "Waiting lists fell by 12 percent last year, the health secretary said.",
        "Hospital waiting lists fell by 12% last year.",
        "Waiting lists fell by 40 percent last year, the health secretary said.",
    ]
    claims = [
        ClaimFactory(text=t, article=ArticleFactory(outlet=outlet, title=f"Health story {n}"))
        for n, t in enumerate(texts)
    ]
    for claim in claims:
        claim_group(claim_id=claim.pk)
    canonical, repeat, other = (Claim.objects.get(pk=c.pk) for c in claims)
    assert repeat.same_as_id == canonical.pk and other.same_as_id is None

    page = admin_login(browser, live_server, editor)
    page.goto(f"{live_server.url}{reverse('admin:factcheck_claim_change', args=[canonical.pk])}")
    panel = page.locator("#desk-appearances")
    assert "Seen 2 times" in panel.inner_text() and "Hospital waiting lists" in panel.inner_text()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "claim-appearances.png"), full_page=True)

    page.goto(f"{live_server.url}{reverse('admin:factcheck_claim_change', args=[other.pk])}")
    suggestion = page.locator(".desk-suggestions li").first
    assert "Differs: figure: 40% / 12%" in suggestion.inner_text()
    page.screenshot(path=str(ARTIFACTS / "claim-suggestion.png"), full_page=True)
    suggestion.locator("button", has_text="Same claim: merge").click()
    page.wait_for_load_state()
    assert Claim.objects.get(pk=other.pk).same_as_id == canonical.pk
