"""The whole desk flow in a real browser (Debian's chromium driven by Playwright).

A fact-checker selects a claim, starts research, writes a verdict with a source and
submits it; a second user, an Editor, approves and publishes. The claim page then shows
the claim as published with its history; a screenshot of it is kept under artifacts/.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from factcheck.models import Claim, ClaimState, ReviewEvent, Verdict
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory, FactCheckerFactory
from tests.support import admin_login

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "browser"
BODY = (
    "Ministers met on Monday. The minister said unemployment fell to 4.2% in March. "
    "Critics <script>alert('x')</script> disagreed."
)
SENTENCE = "The minister said unemployment fell to 4.2% in March."

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _click_transition(page, name: str, expect: str):
    page.click(f"#transition-{name} button[type=submit]")
    page.wait_for_selector(f"ul.messagelist li.success:has-text('{expect}')")


def test_fact_checker_and_editor_take_a_claim_to_published(browser, live_server):
    start = BODY.index(SENTENCE)
    claim = ClaimFactory(
        article=ArticleFactory(body=BODY), text=SENTENCE, start=start, end=start + len(SENTENCE)
    )
    checker, editor = FactCheckerFactory(username="fiona"), EditorFactory(username="edward")
    claim_url = f"{live_server.url}{reverse('admin:factcheck_claim_change', args=[claim.pk])}"

    # The fact-checker finds the claim in the list and opens it.
    page = admin_login(browser, live_server, checker)
    page.goto(f"{live_server.url}{reverse('admin:factcheck_claim_changelist')}?state__exact=candidate")
    page.click(f"#result_list a:has-text('{SENTENCE[:30]}')")
    page.wait_for_url(f"{claim_url}*")  # the list's filters ride along in the query string
    assert page.inner_text("mark.desk-hl-current") == SENTENCE
    assert page.locator("#transition-publish").count() == 0  # not a fact-checker's button
    _click_transition(page, "select", "now selected")
    _click_transition(page, "start_research", "now researching")

    page.fill("#id_verdict-headline", "Unemployment rose in March")
    page.select_option("#id_verdict-rating", "false")
    page.fill("#id_verdict-summary", "Official statistics show unemployment rose to 5.1% in March.")
    page.fill("#id_sources-0-url", "https://stats.example.org/labour-market/march")
    page.fill("#id_sources-0-title", "Labour market statistics, March")
    page.click("#verdict_form input[type=submit]")
    page.wait_for_selector("ul.messagelist li.success:has-text('Verdict saved.')")
    _click_transition(page, "submit", "now in review")
    assert page.locator("#transition-approve").count() == 0

    # A second user, an Editor, approves and publishes.
    desk = admin_login(browser, live_server, editor)
    desk.goto(claim_url)
    assert "Labour market statistics, March" in desk.inner_text("#desk-verdict")
    _click_transition(desk, "approve", "now approved")
    _click_transition(desk, "publish", "now published")

    assert desk.inner_text("#desk-context .desk-badge") == "Published"
    history = desk.inner_text("#desk-history")
    for step in [
        "Select for checking",
        "Start research",
        "Verdict edited",
        "Submit for review",
        "Approve",
        "Publish",
    ]:
        assert step in history
    assert "fiona" in history and "edward" in history
    assert "<script>" not in desk.content().split("<body", 1)[1].split("</mark>", 1)[0]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    desk.screenshot(path=str(ARTIFACTS / "claim_page.png"), full_page=True)

    claim.refresh_from_db()
    assert claim.state == ClaimState.PUBLISHED
    verdict = Verdict.objects.get(claim=claim, is_current=True)
    assert (verdict.author, verdict.reviewer) == (checker, editor) and verdict.published_at
    assert list(ReviewEvent.objects.filter(claim=claim).values_list("transition", flat=True)) == [
        "select",
        "start_research",
        "verdict_edit",
        "submit",
        "approve",
        "publish",
    ]
    assert Claim.objects.filter(state=ClaimState.PUBLISHED).count() == 1
