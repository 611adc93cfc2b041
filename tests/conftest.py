"""Shared fixtures, and the rules for tests that need real services.

Tests marked ``postgres`` need the configured database to be PostgreSQL, and those marked
``celery_worker`` need a real broker and worker. When the run is not configured for them
they are deselected and the summary says so (CI runs them in its later stages); when it is
configured but the service cannot be reached, they fail: nothing is skipped silently.
"""

import os
import shutil

import pytest
from django.conf import settings

from tests import factories

_deselected: dict[str, int] = {}


def _uses_postgres() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"


def _has_broker() -> bool:
    return not settings.CELERY_TASK_ALWAYS_EAGER


def pytest_collection_modifyitems(config, items):
    rules = {
        "postgres": (_uses_postgres(), "PostgreSQL-only (set DATABASE_URL=postgres://...)"),
        "celery_worker": (_has_broker(), "real-worker (set CELERY_BROKER_URL and start a worker)"),
    }
    keep, dropped = [], []
    for item in items:
        reason = next(
            (why for mark, (ok, why) in rules.items() if item.get_closest_marker(mark) and not ok), None
        )
        if reason:
            dropped.append(item)
            _deselected[reason] = _deselected.get(reason, 0) + 1
        else:
            keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


def pytest_terminal_summary(terminalreporter):
    for reason, count in _deselected.items():
        terminalreporter.write_line(f"NOTE: deselected {count} {reason} test(s); .ci/run runs them.")


@pytest.fixture
def chromium_path():
    """Debian's chromium for Playwright; fails under CI=true when it is missing."""
    path = shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed (apt-get install chromium); .ci/run installs it")
        pytest.skip("chromium not installed: browser test skipped outside CI")
    return path


@pytest.fixture
def outlet(db):
    return factories.OutletFactory()


@pytest.fixture
def article(db):
    return factories.ArticleFactory()
