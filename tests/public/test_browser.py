"""The public pages in a real browser (Debian chromium through Playwright): screenshots,
and proof that hostile text never runs as script."""

import contextlib
import os
from pathlib import Path

import pytest

from public.claimreview import factcheck_slug
from tests.public.conftest import build_factcheck
from tests.support import CHROMIUM_ARGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "public"
HOSTILE = "</script><script>alert(1)</script>"


@pytest.fixture
def launch(chromium_path, monkeypatch):
    """``with launch() as browser:`` — call it after the test data is written.

    Playwright's sync API runs its loop in a greenlet with its own context, so ORM calls
    made while it runs would open (and leak) a second database connection.
    """
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    @contextlib.contextmanager
    def _launch():
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()

    return _launch


def _open(browser, url: str, *, width: int = 1280, height: int = 900):
    page = browser.new_page(viewport={"width": width, "height": height})
    dialogs, errors = [], []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(url)
    assert response.status == 200
    return page, dialogs, errors


def test_fact_check_page_screenshot_desktop_and_mobile(live_server, launch):
    claim = build_factcheck(
        state="corrected",
        text="Unemployment fell to 4.2% in March, the lowest rate for a decade, the minister said.",
        quote="Unemployment is down to 4.2 per cent, the lowest in ten years.",
        sources=3,
    )
    build_factcheck(
        text="Bus fares have doubled since 2020.", rating="misleading", claimant="Cllr Ann Leader"
    )
    build_factcheck(text="The new bridge cost less than planned.", rating="true", claimant="Transport office")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    url = f"{live_server.url}/fact-checks/{factcheck_slug(claim=claim)}/"

    with launch() as browser:
        page, dialogs, errors = _open(browser, url)
        assert page.locator("h1").inner_text() == "Unemployment rose in March, it did not fall"
        assert page.locator(".factcheck__claim").inner_text().startswith("Unemployment fell to 4.2%")
        assert page.locator(".verdict-banner .rating__label").inner_text() == "Mostly false"
        assert page.locator("ol.sources > li").count() == 3
        assert page.locator(".correction").count() == 1
        details = page.locator("details.correction__previous")
        assert details.evaluate("d => d.open") is False
        page.locator("details.correction__previous summary").click()  # no script of ours needed
        assert details.evaluate("d => d.open") is True
        # The stylesheet loaded: the badge has its border.
        badge = page.locator(".verdict-banner .rating")
        assert badge.evaluate("e => getComputedStyle(e).borderTopStyle") == "solid"
        page.screenshot(path=str(ARTIFACTS / "factcheck-desktop.png"), full_page=True)
        assert not dialogs and not errors

        page, _, _ = _open(browser, url, width=390, height=844)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, "the page scrolls sideways on a phone"
        page.screenshot(path=str(ARTIFACTS / "factcheck-mobile.png"), full_page=True)

        page, _, _ = _open(browser, f"{live_server.url}/fact-checks/")
        assert page.locator("li.card").count() == 3
        page.screenshot(path=str(ARTIFACTS / "list-desktop.png"), full_page=True)
        page, _, _ = _open(browser, f"{live_server.url}/fact-checks/rating-scale/")
        page.screenshot(path=str(ARTIFACTS / "rating-scale-desktop.png"), full_page=True)
    assert os.path.getsize(ARTIFACTS / "factcheck-desktop.png") > 10_000


def test_pages_have_no_axe_accessibility_violations(live_server, launch):
    """axe-core (WCAG 2.1 A/AA rules, colour contrast included) on every public page."""
    from axe_playwright_python.sync_playwright import Axe

    claim = build_factcheck(state="corrected", quote="Unemployment is down to 4.2 per cent.")
    build_factcheck(text="Bus fares have doubled since 2020.", rating="half_true")
    urls = [
        "/fact-checks/",
        "/fact-checks/?q=nothing-matches",
        f"/fact-checks/{factcheck_slug(claim=claim)}/",
        "/fact-checks/rating-scale/",
    ]
    axe = Axe()
    with launch() as browser:
        for url in urls:
            for width in (1280, 390):
                page, _, _ = _open(browser, live_server.url + url, width=width)
                page.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
                results = axe.run(page)
                assert results.violations_count == 0, f"{url} at {width}px:\n{results.generate_report()}"
                checked = {rule["id"] for rule in results.response["passes"]}
                assert {"color-contrast", "heading-order", "landmark-one-main"} <= checked
                page.close()


def test_hostile_claim_never_runs_in_the_browser(live_server, launch):
    claim = build_factcheck(
        text=f"Claim {HOSTILE}",
        claimant=f"Mr {HOSTILE}",
        summary=f"Summary {HOSTILE} <img src=x onerror=alert(2)>",
        article_title=f"Title {HOSTILE}",
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with launch() as browser:
        page, dialogs, errors = _open(
            browser, f"{live_server.url}/fact-checks/{factcheck_slug(claim=claim)}/"
        )
        assert page.locator(".factcheck__claim").inner_text() == f"Claim {HOSTILE}"
        data = page.evaluate(
            "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
        )
        assert data["itemReviewed"]["author"]["name"] == f"Mr {HOSTILE}"
        assert page.evaluate("document.scripts.length") == 1
        page.screenshot(path=str(ARTIFACTS / "factcheck-hostile.png"), full_page=True)
        assert dialogs == [] and errors == []
