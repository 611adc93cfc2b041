"""Nothing typed is lost by leaving: the claim page asks before a navigation drops unsaved
verdict edits, and stays quiet when there are none. A desk user's public name, set in the
browser, is the byline readers see. Screenshots go to artifacts/browser/leave_page/ and
artifacts/browser/public_name/.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from factcheck.models import ClaimState, Verdict
from public.claimreview import factcheck_slug
from tests.factories import EditorFactory, FactCheckerFactory, claim_in_state
from tests.public.conftest import build_factcheck
from tests.support import admin_login

SHOTS = Path(settings.BASE_DIR) / "artifacts" / "browser"
EDITED = "Police figures show crime rose 3% in a year; it did not double."

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shot(page, folder: str, name: str):
    (SHOTS / folder).mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / folder / f"{name}.png"), full_page=True)


class Dialogs:
    """Every dialog the page raises, answered as ``answer`` says ("dismiss" stays, "accept" leaves)."""

    def __init__(self, page):
        self.seen: list[str] = []
        self.answer = "dismiss"
        page.on("dialog", self._handle)

    def _handle(self, dialog):
        self.seen.append(dialog.type)
        if self.answer == "accept":
            dialog.accept()
        else:
            dialog.dismiss()


def test_leaving_the_claim_page_with_unsaved_edits_asks_first(browser, live_server):
    checker = FactCheckerFactory(username="fiona", first_name="Fiona", last_name="Checker")
    claim = claim_in_state(ClaimState.RESEARCHING, author=checker, assignee=checker)
    saved_summary = Verdict.objects.get(claim=claim, is_current=True).summary
    claim_url = f"{live_server.url}{reverse('admin:factcheck_claim_change', args=[claim.pk])}"
    changelist = reverse("admin:factcheck_claim_changelist")
    claims_link = f"#user-tools a[href='{changelist}']"

    page = admin_login(browser, live_server, checker)
    dialogs = Dialogs(page)

    # No edit: leaving asks nothing.
    page.goto(claim_url)
    page.click(claims_link)
    page.wait_for_url(f"{live_server.url}{changelist}")
    assert dialogs.seen == []

    # An unsaved edit of the short answer: the browser asks; "stay" keeps the page and the edit.
    page.goto(claim_url)
    page.fill("#id_verdict-summary", EDITED)
    with page.expect_event("dialog", timeout=5_000):
        page.click(claims_link, no_wait_after=True)
    assert dialogs.seen == ["beforeunload"]
    assert page.url == claim_url
    assert page.input_value("#id_verdict-summary") == EDITED
    _shot(page, "leave_page", "01_stayed_with_unsaved_edit")

    # Asked again and told to leave: the navigation happens, nothing was saved.
    dialogs.answer = "accept"
    page.click(claims_link)
    page.wait_for_url(f"{live_server.url}{changelist}")
    assert dialogs.seen == ["beforeunload", "beforeunload"]
    assert Verdict.objects.get(claim=claim, is_current=True).summary == saved_summary
    _shot(page, "leave_page", "02_left_after_confirming")

    # Edited, then saved with "Save verdict": leaving asks nothing.
    page.goto(claim_url)
    page.fill("#id_verdict-summary", EDITED)
    page.click("#verdict_form input[type=submit]")
    page.wait_for_selector("ul.messagelist li.success:has-text('Verdict saved.')")
    assert page.input_value("#id_verdict-summary") == EDITED
    _shot(page, "leave_page", "03_saved_then_leaving")
    page.click(claims_link)
    page.wait_for_url(f"{live_server.url}{changelist}")
    assert dialogs.seen == ["beforeunload", "beforeunload"]
    assert Verdict.objects.get(claim=claim, is_current=True).summary == EDITED

    # An edit typed back to what was loaded is no edit.
    page.goto(claim_url)
    page.fill("#id_verdict-summary", "something else")
    page.fill("#id_verdict-summary", EDITED)
    page.click(claims_link)
    page.wait_for_url(f"{live_server.url}{changelist}")
    assert dialogs.seen == ["beforeunload", "beforeunload"]


def test_a_public_name_set_in_the_browser_is_the_byline(browser, live_server):
    checker = FactCheckerFactory(username="fiona", first_name="Fiona", last_name="Checker")
    reviewer = EditorFactory(username="edward", first_name="Edward", last_name="Editor")
    claim = build_factcheck()
    claim.verdicts.update(author=checker, reviewer=reviewer)
    public_url = (
        f"{live_server.url}{reverse('public:factcheck_detail', kwargs={'slug': factcheck_slug(claim=claim)})}"
    )

    page = admin_login(browser, live_server, checker)
    page.goto(f"{live_server.url}{reverse('admin:factcheck_claim_dashboard')}")
    page.click("#user-tools a:has-text('Public name')")
    assert page.inner_text("#desk-byline-preview").endswith("By Fiona Checker")
    _shot(page, "public_name", "01_public_name_page")
    page.fill("#id_display_name", "  F. Checker <i>desk</i> ")
    page.click("#desk-public-name-form input[type=submit]")
    page.wait_for_selector("ul.messagelist li.success")
    assert page.inner_text("ul.messagelist li.success") == (
        "Saved. Your bylines now read “By F. Checker <i>desk</i>”."
    )
    assert page.inner_text("#desk-byline-preview").endswith("By F. Checker <i>desk</i>")
    _shot(page, "public_name", "02_public_name_saved")

    page.fill("#id_display_name", "x" * 150 + "y")  # the input's maxlength stops at 150
    assert page.input_value("#id_display_name") == "x" * 150

    reader = browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    reader.goto(public_url)
    byline = reader.inner_text(".byline")
    assert "By F. Checker <i>desk</i>, reviewed by Edward Editor" in byline
    assert reader.locator(".byline i").count() == 0
    _shot(reader, "public_name", "03_public_byline")
