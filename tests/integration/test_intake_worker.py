"""Beat's intake task on a real Celery worker: due feeds fetched, one task per feed and per item.

The worker reads its settings from its environment when the session-scoped
``celery_worker_process`` fixture starts it (after collection): this module lets it reach
the test's server on 127.0.0.1 and drops the per-host delay.
"""

import os
import re

import pytest

from editorial.intake.services import feed_add
from editorial.models import Article, FeedItem
from tests.intake_server import PARAGRAPHS, IntakeServer, article_html, atom, rss
from tests.support import wait_for

os.environ.setdefault("OUTBOUND_ALLOW_PRIVATE", "1")
os.environ.setdefault("FETCH_HOST_DELAY_SECONDS", "0")

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_beat_task_fetches_due_feeds_in_the_worker(celery_worker_process, settings):
    from editorial import tasks
    from editorial.intake.fetcher import robots_cache_clear

    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    settings.OUTBOUND_ALLOW_PRIVATE = True  # this process adds the feeds; the worker has it from env
    settings.FETCH_HOST_DELAY_SECONDS = 0.0
    robots_cache_clear()
    server = IntakeServer().start()
    try:
        urls = [
            server.add(f"/a/{n}", article_html(f"Story {n}", [f"{n}: {p}" for p in PARAGRAPHS]))
            for n in ("one", "two", "three")
        ]
        server.add("/rss", rss([("One", urls[0]), ("Two", urls[1])]))
        server.add("/atom", atom([("Two", urls[1]), ("Three", urls[2])]), content_type="application/atom+xml")
        feed_add(url=server.url("/rss"), outlet="The Daily")
        feed_add(url=server.url("/atom"), outlet="The Weekly")

        tasks.fetch_due_feeds.delay()

        log = celery_worker_process.log_path.read_text
        done = wait_for(
            lambda: (
                Article.objects.filter(extraction__isnull=False).count() == 3
                and not FeedItem.objects.exclude(status="fetched").exists()
            ),
            timeout=90,
        )
        assert done, log()[-4000:]
    finally:
        server.stop()

    assert set(Article.objects.values_list("url", flat=True)) == set(urls)
    assert FeedItem.objects.count() == 4  # "two" is in both feeds, and one article
    assert Article.objects.filter(claims__isnull=False).distinct().count() >= 1
    assert wait_for(
        lambda: len(re.findall(r"editorial\.tasks\.fetch_feed\[\S+\] succeeded", log())) == 2, timeout=10
    )
    assert wait_for(
        lambda: len(re.findall(r"editorial\.tasks\.fetch_feed_item\[\S+\] succeeded", log())) == 4, timeout=10
    )


def test_a_slow_outlet_does_not_hold_up_another_feed(celery_worker_process, settings):
    """While one outlet's server still holds its feed request, another feed is fetched in the
    worker and its article stored: each feed is its own task."""
    from editorial import tasks
    from editorial.intake.fetcher import robots_cache_clear

    settings.OUTBOUND_ALLOW_PRIVATE = True
    settings.FETCH_HOST_DELAY_SECONDS = 0.0
    robots_cache_clear()
    slow, fast = IntakeServer().start(), IntakeServer().start()
    try:
        slow_page = slow.add("/a/slow", article_html("Slow story", [f"Slow: {p}" for p in PARAGRAPHS]))
        fast_page = fast.add("/a/fast", article_html("Fast story", [f"Fast: {p}" for p in PARAGRAPHS]))
        slow.add("/rss", rss([("Slow", slow_page)]))
        fast.add("/rss", rss([("Fast", fast_page)]))
        feed_add(url=slow.url("/rss"), outlet="A Slow Outlet")  # sorts first: fetched first in a serial run
        feed_add(url=fast.url("/rss"), outlet="Z Fast Outlet")
        slow.routes["/rss"].delay = 10.0  # within the worker's 15 s fetch timeout

        tasks.fetch_due_feeds.delay()

        assert wait_for(lambda: Article.objects.filter(url=fast_page).exists(), timeout=60), (
            celery_worker_process.log_path.read_text()[-4000:]
        )
        # the slow server is still holding the slow feed's request, never answered yet
        assert slow.hits("/rss") >= 2 and slow.in_flight == 1
        assert not Article.objects.filter(url=slow_page).exists()

        assert wait_for(lambda: Article.objects.filter(url=slow_page).exists(), timeout=60)
    finally:
        slow.stop()
        fast.stop()
