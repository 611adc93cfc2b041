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

from tests import factories, support

_deselected: dict[str, int] = {}


def pytest_configure(config):
    """MD5 password hashing for the whole suite: PBKDF2 costs ~0.5 s per user created here.

    Only the hasher changes; every test still logs in with real passwords.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    # Under pytest-xdist collection happens in the workers, so the controller decides
    # from the configuration alone; counts are known only in a single-process run.
    rules = [(_uses_postgres(), "PostgreSQL-only (set DATABASE_URL=postgres://...)")]
    rules.append((_has_broker(), "real-worker (set CELERY_BROKER_URL and start a worker)"))
    for available, reason in rules:
        if not available:
            count = _deselected.get(reason)
            what = f"{count} " if count else "the "
            terminalreporter.write_line(f"NOTE: deselected {what}{reason} test(s); .ci/run runs them.")


@pytest.fixture(autouse=True)
def _fresh_vector_cache():
    """The matcher caches stored vectors (and grouping word counts) per process; a test's rolled-back rows must not linger."""
    from coverage.matching import terms, vectors

    vectors.clear_caches()
    terms.clear_caches()
    yield
    vectors.clear_caches()
    terms.clear_caches()


@pytest.fixture(autouse=True)
def _fresh_rate_counters():
    """API rate counters live in the cache, and every test client calls from 127.0.0.1: the
    per-address budget for requests without valid credentials starts empty in each test."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def auth_request(rf):
    """A login request for ``authenticate(auth_request, ...)``: django-axes counts failures
    per address, so its backend needs the request (``client.force_login`` needs none)."""
    return rf.post("/admin/login/", REMOTE_ADDR="127.0.0.1")


@pytest.fixture
def lexical_only(settings):
    """The embedding extra switched off, as on an install without requirements-embeddings.txt."""
    from core import embedding

    settings.FACTCHECK_DISABLE_EMBEDDINGS = True
    embedding.reset()
    yield
    settings.FACTCHECK_DISABLE_EMBEDDINGS = False
    embedding.reset()


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


@pytest.fixture(scope="session")
def celery_worker_session(django_db_setup, django_db_blocker, tmp_path_factory):
    """A real ``celery -A config worker`` process on the configured broker and test database.

    Session-scoped: started once, shared by the ``celery_worker`` tests. Its log is kept so a
    test can prove a task ran in the worker, not eagerly in the test process.
    """
    import signal
    import subprocess
    import sys
    import time

    from django.db import connection

    from config.celery import app

    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("celery_worker tests need PostgreSQL (the worker must share the test database)")
    database_url = support.database_url(db)
    try:
        app.control.purge()
    except Exception as exc:  # noqa: BLE001 - any broker failure means the service is unreachable
        pytest.fail(f"broker {settings.CELERY_BROKER_URL} unreachable: {exc}")
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": settings.CELERY_BROKER_URL}
    log = open(log_path, "w")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-l",
            "info",
            "-c",
            "2",
            "-Q",
            ",".join(settings.CELERY_TASK_QUEUES),  # extraction etc. and matching, as in the README
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"pytest-{os.getpid()}@%h",
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"celery worker exited early:\n{log_path.read_text()}")
        if app.control.ping(timeout=0.5):
            break
    else:
        os.killpg(proc.pid, signal.SIGKILL)
        pytest.fail(f"celery worker did not answer a ping within 60 s:\n{log_path.read_text()}")
    yield type("Worker", (), {"process": proc, "log_path": log_path, "database_url": database_url})
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
    log.close()


@pytest.fixture
def celery_worker_process(celery_worker_session):
    """The shared worker, left idle when the test ends: follow-up tasks a test set off (grouping,
    matching after extraction) must not still hold rows when the test database is flushed."""
    yield celery_worker_session
    worker_wait_idle()


def worker_wait_idle(timeout: float = 60.0) -> None:
    import time

    import redis

    from config.celery import app

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    inspect = app.control.inspect(timeout=1.0)
    deadline, quiet = time.monotonic() + timeout, 0
    while time.monotonic() < deadline and quiet < 2:
        queued = sum(client.llen(q) for q in settings.CELERY_TASK_QUEUES)
        busy = any((inspect.active() or {}).values()) or any((inspect.reserved() or {}).values())
        scheduled = any((inspect.scheduled() or {}).values())
        quiet = quiet + 1 if not (queued or busy or scheduled) else 0
        time.sleep(0.5)
    client.close()


# --- workflow roles: one user per role, plus a second Editor for the two-person rule


@pytest.fixture
def reporter(db):
    return factories.ReporterFactory()


@pytest.fixture
def fact_checker(db):
    return factories.FactCheckerFactory()


@pytest.fixture
def editor(db):
    return factories.EditorFactory()


@pytest.fixture
def other_editor(db):
    return factories.EditorFactory()


@pytest.fixture
def superuser(db):
    return factories.SuperuserFactory()
