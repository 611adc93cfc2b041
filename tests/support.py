"""Small helpers shared by tests that wait on other processes (workers, browsers)."""

import re
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
