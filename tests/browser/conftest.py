"""The browser of the flow tests: Debian chromium driven by Playwright."""

import pytest
from django.db import connections

from tests.support import CHROMIUM_ARGS


@pytest.fixture
def browser(chromium_path, monkeypatch):
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the test
    # makes between browser steps are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield browser
        # The connection those ORM calls opened belongs to Playwright's context (see
        # ``launch`` in tests/public/test_browser.py) and only closes from inside it: left
        # open, PostgreSQL refuses to drop the test database at the end of the run.
        connections.close_all()
        browser.close()
