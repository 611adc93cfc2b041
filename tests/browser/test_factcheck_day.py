"""A day at the desk in a real browser: write, review and publish a fact-check, then correct it.

A fact-checker writes headline, explanation (with a link and a ``<script>``) and two
sources, edits the short answer and submits without saving (the edit is kept); an Editor
requests changes, the fact-checker resubmits, the Editor approves, a second Editor
publishes; the public page shows the article; a correction adds a source and rates it
False. Screenshots of every screen go to artifacts/browser/day/.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from coverage.models import CoverageMatch
from factcheck.models import Claim, ClaimState, Verdict
from public.claimreview import factcheck_slug
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    EditorFactory,
    FactCheckerFactory,
    PriorFactCheckFactory,
    ReporterFactory,
)
from tests.support import admin_login

SHOTS = Path(settings.BASE_DIR) / "artifacts" / "browser" / "day"
SENTENCE = "The minister said crime doubled in a year."
BODY = f"Ministers met on Monday. {SENTENCE} Critics disagreed."
EXPLANATION = (
    "## What the figures show\n\nThe [police release](https://police.example.org/2026) shows a 3% rise.\n\n"
    "<script>document.title='pwned'</script>"
)
FIRST = "Police figures show a rise of 3%, nowhere near a doubling."
EDITED = "Police figures show crime rose 3% in a year; it did not double."

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, name: str):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _click(page, name: str, expect: str):
    page.click(f"form#transition-{name} button[type=submit]")
    page.wait_for_selector(f"ul.messagelist li:has-text('{expect}')")


def test_write_review_publish_and_correct_a_fact_check(browser, live_server):
    start = BODY.index(SENTENCE)
    claim = ClaimFactory(
        article=ArticleFactory(body=BODY), text=SENTENCE, start=start, end=start + len(SENTENCE)
    )
    CoverageMatch.objects.create(
        claim=claim, prior_factcheck=PriorFactCheckFactory(rating_text="False"), score=0.9, method="hybrid"
    )
    checker = FactCheckerFactory(username="fiona", first_name="Fiona", last_name="Checker")
    editor = EditorFactory(username="edward", first_name="Edward", last_name="Editor")
    second = EditorFactory(username="erica", first_name="Erica", last_name="Second")
    reporter = ReporterFactory(username="rita")
    claim_url = f"{live_server.url}{reverse('admin:factcheck_claim_change', args=[claim.pk])}"

    # A Reporter's claim page: no control that would lead to a refusal.
    desk = admin_login(browser, live_server, reporter)
    desk.goto(claim_url)
    assert desk.locator("button:has-text('Confirm'), button:has-text('Use this verdict')").count() == 0
    assert desk.locator("form.desk-action[id^=transition-]").count() == 0
    _shot(desk, "01_reporter_claim_page")

    # The fact-checker writes the fact-check.
    page = admin_login(browser, live_server, checker)
    page.goto(claim_url)
    _click(page, "select", "now selected")
    _click(page, "start_research", "now researching")
    assert page.inner_text("#reason-submit") == (
        "Write a verdict first: a headline, a rating, a summary and at least one source."
    )
    page.fill("#id_verdict-headline", "Crime rose 3%, it did not double")
    page.select_option("#id_verdict-rating", "half_true")
    page.fill("#id_verdict-summary", FIRST)
    page.fill("#id_verdict-body", EXPLANATION)
    page.fill("#id_sources-0-url", "https://police.example.org/2026")
    page.fill("#id_sources-0-title", "Police recorded crime 2026")
    page.click("#verdict_form input[type=submit]")
    page.wait_for_selector("ul.messagelist li.success:has-text('Verdict saved.')")
    page.fill("#id_sources-1-url", "https://stats.example.org/crime-survey")
    page.fill("#id_sources-1-title", "Crime survey")
    page.click("#verdict_form input[type=submit]")
    page.wait_for_selector("ul.messagelist li.success:has-text('Verdict saved.')")
    _shot(page, "02_fact_checker_verdict_written")
    # Edit the short answer and submit without saving: the edit rides along.
    page.fill("#id_verdict-summary", EDITED)
    _click(page, "submit", "now in review")
    assert Verdict.objects.get(claim=claim, is_current=True).summary == EDITED
    assert "Waiting for an Editor" in page.inner_text("#desk-next-step")
    _shot(page, "03_fact_checker_submitted")

    # The Editor sees it at once under "awaiting your review" and asks for changes.
    desk = admin_login(browser, live_server, editor)
    desk.goto(f"{live_server.url}{reverse('admin:factcheck_claim_dashboard')}")
    assert SENTENCE[:30] in desk.inner_text("#desk-awaiting-review")
    _shot(desk, "04_editor_dashboard")
    desk.click(f"#desk-awaiting-review a:has-text('{SENTENCE[:30]}')")
    desk.fill("form#transition-request_changes textarea[name=note]", "Name the survey's year in the answer.")
    _click(desk, "request_changes", "now researching")
    _shot(desk, "05_editor_requested_changes")

    # The fact-checker sees the note on the dashboard, fixes, resubmits.
    page.goto(f"{live_server.url}{reverse('admin:factcheck_claim_dashboard')}")
    assert "Name the survey's year in the answer." in page.inner_text("#desk-changes-requested")
    _shot(page, "06_fact_checker_dashboard_changes_requested")
    page.goto(claim_url)
    page.fill("#id_verdict-summary", EDITED + " The 2026 survey agrees.")
    _click(page, "submit", "now in review")

    # The Editor approves; the two-person rule leaves publishing to him or a second Editor.
    desk.goto(claim_url)
    _click(desk, "approve", "now approved")
    other = admin_login(browser, live_server, second)
    other.goto(claim_url)
    _click(other, "publish", "now published")
    _shot(other, "07_second_editor_published")

    # The public page.
    public_url = (
        f"{live_server.url}{reverse('public:factcheck_detail', kwargs={'slug': factcheck_slug(claim=claim)})}"
    )
    reader = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    reader.goto(public_url)
    assert reader.inner_text("h1") == "Crime rose 3%, it did not double"
    assert reader.title() != "pwned"
    link = reader.locator(".explanation a")
    assert link.get_attribute("href") == "https://police.example.org/2026"
    assert reader.locator(".explanation script").count() == 0
    assert reader.locator("ol.sources > li").count() == 2
    assert "By Fiona Checker, reviewed by Erica Second" in reader.inner_text(".byline")
    _shot(reader, "08_public_page")

    # A correction adds a source and changes the rating; another Editor approves it.
    other.goto(claim_url)
    form = other.locator("form#transition-correct")
    form.locator("select[name=rating]").select_option("false")
    form.locator("#correction-new-source-url").fill("https://police.example.org/2026-revised")
    form.locator("#correction-new-source-title").fill("Police recorded crime, revised")
    form.locator("textarea[name=note]").fill("The revised police release shows no rise at all.")
    _click(other, "correct", "Propose a correction: done")
    desk.goto(claim_url)
    _click(desk, "approve_correction", "Approve the correction: done")
    # A fresh reader: the first one's cache may keep the page for PUBLIC_PAGE_MAX_AGE.
    reader = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    reader.goto(public_url)
    corrections = reader.inner_text("ol.corrections")
    assert "Half true → False" in corrections
    assert "Police recorded crime, revised" in corrections
    assert reader.locator("ol.sources > li").count() == 3
    assert "By Fiona Checker, reviewed by Erica Second" in reader.inner_text(".byline")
    _shot(reader, "09_public_page_corrected")
    assert Claim.objects.get(pk=claim.pk).state == ClaimState.PUBLISHED
