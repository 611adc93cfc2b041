"""Small helpers shared by tests that wait on other processes (workers, browsers)."""

import re
import threading
import time

# Debian's chromium as root on a machine with no outside network: no sandbox, and no
# background connections that would be refused at every start.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def wait_for(predicate, *, timeout: float, interval: float = 0.1) -> bool:
    """Poll ``predicate`` until it is true or ``timeout`` seconds pass; check once more at the end."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return bool(predicate())


def contender(call) -> tuple[threading.Thread, list]:
    """A thread (not started) that runs ``call`` on a database connection of its own, and the
    list its result, or the exception it raised, lands in."""
    from django.db import connections

    outcome: list = []

    def run():
        try:
            outcome.append(call())
        except Exception as exc:  # noqa: BLE001 - the caller's assertions report it
            outcome.append(exc)
        finally:
            connections.close_all()

    return threading.Thread(target=run), outcome


def pg_lock_waiters() -> int:
    """How many other connections to this PostgreSQL database wait on a lock right now."""
    from django.db import connection

    with connection.cursor() as cursor:
        # Statistics views are snapshotted per transaction; this one may run inside one.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def database_url(db: dict) -> str:
    """A ``DATABASE_URL`` for another process to reach the PostgreSQL database of ``db`` (a
    connection's settings_dict: the test database during the run)."""
    host = db.get("HOST") or "127.0.0.1"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db.get('USER') or 'postgres'}{password}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


def import_summary(stdout: str) -> dict[str, int]:
    """The counts of an import command's last line: ``imported N, updated N, unchanged N, failed N``."""
    match = re.search(r"imported (\d+), updated (\d+), unchanged (\d+), failed (\d+)", stdout)
    assert match, stdout
    return dict(zip(["imported", "updated", "unchanged", "failed"], map(int, match.groups()), strict=True))


def failure_lines(stderr: str) -> list[str]:
    """An import command's ``FAILED <where>: <reason>`` lines, each checked to be short and clear."""
    lines = [line for line in stderr.splitlines() if line.strip()]
    for line in lines:
        assert line.startswith("FAILED "), f"unexpected output: {line[:200]!r}"
        assert len(line) < 400, f"message echoes too much input: {line[:200]!r}…"
        where, sep, reason = line.partition(": ")
        assert sep and reason.strip(), line
    return lines


# tests.factories.UserFactory's password for every user it makes.
TEST_PASSWORD = "pw-for-tests-123"


def admin_login(browser, live_server, user, *, width: int = 1400):
    """A new browser page logged in to the admin as ``user`` (on the admin index)."""
    from django.urls import reverse

    page = browser.new_context(viewport={"width": width, "height": 1000}).new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}{reverse('admin:login')}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}{reverse('admin:index')}")
    return page
