"""Prior-coverage matches on the claim page in a real browser: what differs, the prior
check's rating, publisher and date, whole words with the full text on hover, and "Use
this verdict" filling the draft. Screenshots are kept under artifacts/browser/."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from coverage.claimreview import ClaimReviewRecord
from coverage.matching.index import searchdocs_embed
from coverage.models import CoverageMatch
from coverage.services import claim_match, prior_factchecks_import
from factcheck.models import Verdict
from tests.factories import FactCheckerFactory, claim_in_state
from tests.support import admin_login

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "browser"
CHECKED = (
    "Violent crime in Springfield fell 18 percent last year, the mayor said in a speech to the "
    "city council, crediting the new community policing programme and longer library hours."
)
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_claim_page_shows_matches_a_desk_can_trust(browser, live_server):
    report = prior_factchecks_import(
        records=[
            ClaimReviewRecord(
                url="https://statecheck.example/crime",
                claim_reviewed=CHECKED,
                rating_text="Half true",
                publisher="State Check",
                review_date=date(2026, 11, 20),
            ),
            ClaimReviewRecord(
                url="https://other.example/1", claim_reviewed="Eating carrots improves night vision."
            ),
        ]
    )
    searchdocs_embed(doc_ids=report.stale_doc_ids)
    claim = claim_in_state(
        "researching",
        verdict=False,
        text="Violent crime in Springfield fell 40 percent last year, the mayor said.",
    )
    claim_match(claim=claim)
    row = CoverageMatch.objects.get(claim=claim, prior_factcheck__url="https://statecheck.example/crime")
    assert not row.is_strong

    page = admin_login(browser, live_server, FactCheckerFactory(username="fran"))
    page.goto(f"{live_server.url}{reverse('admin:factcheck_claim_change', args=[claim.pk])}")
    table = page.locator(".inline-group:has-text('Prior coverage')")
    text = table.inner_text()
    assert "Figures differ: 40% here, 18% in the fact-check" in text
    assert "rated “Half true”" in text and "State Check" in text and "20 Nov 2026" in text
    assert f"{round(row.score * 100)}%" in text and "suggested" in text
    shown = table.locator(f"span[title='{CHECKED}']")
    assert shown.count() == 1 and shown.inner_text().endswith(" …”")
    assert CHECKED.startswith(shown.inner_text()[1:-3])  # cut where a word ends
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    table.screenshot(path=str(ARTIFACTS / "claim-matches.png"))

    table.locator(f"tr:has(span[title='{CHECKED}']) button:has-text('Use this verdict')").click()
    page.wait_for_selector("ul.messagelist li.success:has-text('Draft verdict filled')")
    verdict = Verdict.objects.get(claim=claim, is_current=True)
    assert verdict.rating == "half_true" and "State Check" in verdict.summary
    assert "https://statecheck.example/crime" in verdict.summary
    page.screenshot(path=str(ARTIFACTS / "claim-matches-verdict.png"), full_page=True)


def test_an_empty_match_table_says_how_much_was_searched(browser, live_server):
    report = prior_factchecks_import(
        records=[
            ClaimReviewRecord(
                url="https://other.example/1", claim_reviewed="Eating carrots improves night vision."
            )
        ]
    )
    searchdocs_embed(doc_ids=report.stale_doc_ids)
    claim = claim_in_state("researching", verdict=False)
    page = admin_login(browser, live_server, FactCheckerFactory(username="fred"))
    page.goto(f"{live_server.url}{reverse('admin:factcheck_claim_change', args=[claim.pk])}")
    assert page.locator("p.desk-empty-matches").inner_text() == "No prior coverage found among 1 item."


def test_match_quality_page(browser, live_server):
    from coverage.models import MatchStatus, PriorFactCheck
    from tests.factories import ClaimFactory, EditorFactory

    claim = ClaimFactory()
    for rank, status in ((1, MatchStatus.REJECTED), (2, MatchStatus.CONFIRMED)):
        prior = PriorFactCheck.objects.create(url=f"https://q.example/{rank}", claim_reviewed=f"Item {rank}")
        CoverageMatch.objects.create(
            claim=claim,
            prior_factcheck=prior,
            score=0.7,
            method="hybrid",
            rank=rank,
            is_strong=rank == 1,
            status=status,
        )
    page = admin_login(browser, live_server, EditorFactory(username="ellen"))
    page.goto(f"{live_server.url}{reverse('admin:coverage_coveragematch_changelist')}")
    page.click("a:has-text('Match quality')")
    row = page.locator("#match-quality tbody tr").first
    cells = [c.inner_text() for c in row.locator("td").all()]
    assert cells[1:] == ["2", "1", "50% (1)", "50% (1)", "0.50 (1 claim)", "0% of 1"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "match-quality.png"))
