"""The Content-Security-Policy in a real browser (Debian's chromium driven by Playwright).

The admin's claim page, the public list and a fact-check page, and the API docs (Swagger
UI from the sidecar's static files) are served with the policy and render without one
violation: none reported to the page (``securitypolicyviolation``) nor in the console.
A screenshot of the docs is kept under artifacts/.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from public.claimreview import factcheck_slug
from tests.factories import ArticleFactory, ClaimFactory, EditorFactory
from tests.public.conftest import build_factcheck

PASSWORD = "pw-for-tests-123"  # tests.factories.UserFactory
ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "browser"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs before any page script; the browser fires this event for every blocked load or
# inline script/style, whether or not it also logs it.
COLLECT_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`);
});
"""


def _visit(page, url: str, ready: str) -> list[str]:
    """Open ``url``, wait for ``ready`` to be visible; the CSP violations seen on the way."""
    console: list[str] = []
    page.on("console", lambda message: console.append(f"{message.type}: {message.text}"))
    page.on("pageerror", lambda error: console.append(f"pageerror: {error}"))
    response = page.goto(url)
    assert response.status == 200, url
    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(ready, state="visible")
    page.wait_for_load_state("networkidle")
    reported = page.evaluate("window.__cspViolations")
    logged = [line for line in console if "Content Security Policy" in line or line.startswith("pageerror")]
    return reported + logged


def test_admin_public_pages_and_api_docs_render_under_the_policy(browser, live_server):
    claim = ClaimFactory(
        article=ArticleFactory(body="The minister said unemployment fell to 4.2% in March."),
        text="The minister said unemployment fell to 4.2% in March.",
    )
    published = build_factcheck(text="Bus fares have doubled since 2020.", rating="misleading")
    editor = EditorFactory()
    base = live_server.url

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(COLLECT_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(20_000)
    assert _visit(page, f"{base}{reverse('admin:login')}", "#id_username") == []
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{base}{reverse('admin:index')}")

    claim_page = f"{base}{reverse('admin:factcheck_claim_change', args=[claim.pk])}"
    assert _visit(page, claim_page, "#content h1") == []
    # The admin's own scripts ran (its inline-action forms and the desk styles apply).
    assert page.evaluate("typeof django !== 'undefined' && typeof django.jQuery === 'function'")

    assert _visit(page, f"{base}/fact-checks/", "main") == []
    assert page.get_by_text("Bus fares have doubled since 2020.").count() >= 1
    detail = f"{base}/fact-checks/{factcheck_slug(claim=published)}/"
    assert _visit(page, detail, ".verdict-banner") == []
    assert page.locator("script[type='application/ld+json']").count() == 1

    assert _visit(page, f"{base}/api/v1/docs/", ".swagger-ui .opblock") == []
    # Swagger UI's script ran, fetched the schema and listed the operations.
    assert page.locator(".swagger-ui .opblock").count() >= 7
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-docs-under-csp.png"), full_page=False)
    context.close()
