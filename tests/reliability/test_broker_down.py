"""Broker down while articles are imported: the import commits, the user is told, the sweep
queues the articles once the broker is back.

The import and the sweep run as their own processes (as an operator would run them), with
``CELERY_BROKER_URL`` pointing at a port nobody listens on.
"""

import pytest
from django.db.models import F

from editorial.models import Article
from tests.reliability.harness import free_port, manage, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

ARTICLES = {
    "budget.txt": "Budget row\nThe finance minister said the deficit fell to 3.1% of GDP in 2024, "
    "according to the Treasury.",
    "nurses.txt": "Nurses\nOpposition leader Jane Roe said 40,000 nurses had left the NHS since 2019.",
    "crime.txt": "Crime figures\nPolice figures show crime rose by 12 percent in London last year.",
}


def _import_with_broker_down(tmp_path):
    for name, text in ARTICLES.items():
        (tmp_path / name).write_text(text)
    dead_broker = f"redis://127.0.0.1:{free_port()}/0"
    result = manage("import_seeds", str(tmp_path), broker_url=dead_broker)
    return result, dead_broker


def _extracted() -> int:
    return Article.objects.filter(extraction__extracted_hash=F("content_hash")).count()


@pytest.mark.postgres
def test_import_commits_and_warns_when_the_broker_is_down_then_the_sweep_catches_up(tmp_path):
    result, dead_broker = _import_with_broker_down(tmp_path)

    assert result.returncode == 0, result.stderr
    assert "imported 3, updated 0, unchanged 0, failed 0" in result.stdout
    assert "WARNING: 3 article(s) saved but not queued for claim extraction" in result.stderr
    assert "sweep_pending" in result.stderr
    assert Article.objects.count() == 3 and _extracted() == 0

    recent = manage("sweep_pending", broker_url=dead_broker)  # default: only older than 15 min
    assert recent.returncode == 0 and "0 article(s) pending" in recent.stdout, recent.stdout + recent.stderr

    still_down = manage("sweep_pending", "--older-than", "0", broker_url=dead_broker)
    assert still_down.returncode != 0
    assert "3 could not be queued: the task broker is unavailable" in still_down.stderr
    assert _extracted() == 0

    back = manage("sweep_pending", "--older-than", "0", broker_url="")  # eager: runs in-process
    assert back.returncode == 0, back.stderr
    assert "queued 3" in back.stdout
    assert _extracted() == 3
    assert all(a.claims.exists() for a in Article.objects.all())


@pytest.mark.celery_worker
def test_articles_imported_while_the_broker_was_down_are_extracted_by_a_worker_after_the_sweep(
    tmp_path, make_redis, make_worker
):
    result, _ = _import_with_broker_down(tmp_path)
    assert result.returncode == 0 and "WARNING: 3 article(s)" in result.stderr, result.stderr

    redis = make_redis(aof=False)
    worker = make_worker(redis.url)
    swept = manage("sweep_pending", "--older-than", "0", broker_url=redis.url)
    assert swept.returncode == 0 and "queued 3" in swept.stdout, swept.stdout + swept.stderr

    assert wait_for(lambda: _extracted() == 3, timeout=60), worker.log()[-3000:]
    assert "factcheck.tasks.extract_claims" in worker.log()
    assert all(a.claims.exists() for a in Article.objects.all())


@pytest.mark.celery_worker
def test_celery_beat_runs_the_sweep_without_anyone_asking(tmp_path, make_redis, make_worker):
    """The periodic part: beat queues the sweep, the worker re-queues and extracts."""
    import subprocess
    import sys

    from tests.reliability.harness import ROOT, env_for

    feed = tmp_path / "feed"
    feed.mkdir()
    result, _ = _import_with_broker_down(feed)
    assert result.returncode == 0 and _extracted() == 0

    redis = make_redis(aof=False)
    fast = {"FACTCHECK_SWEEP_EVERY_SECONDS": "1", "FACTCHECK_SWEEP_AFTER_MINUTES": "0"}
    worker = make_worker(redis.url, **fast)
    beat = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "beat",
            "-l",
            "info",
            "-s",
            str(tmp_path / "schedule"),
        ],
        cwd=ROOT,
        env=env_for(redis.url, **fast),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for(lambda: _extracted() == 3, timeout=90), worker.log()[-3000:]
    finally:
        beat.terminate()
        beat.wait(timeout=20)
    assert "factcheck.tasks.sweep_unextracted" in worker.log()
