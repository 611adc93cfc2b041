"""Throughput of the intake: feeds and pages from a local server, fetched, parsed, extracted.

    python -m bench.intake --items 1000                      # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc python -m bench.intake --items 1000

A server on 127.0.0.1 (the tests' ``tests/intake_server.py``) serves ``--feeds`` feeds in
turn RSS, Atom, JSON Feed and sitemap, listing ``--items`` article pages between them
(~``--words`` words each, navigation and footer around the text, seeded). Half the feeds
send an ETag (answered 304 when unchanged), half do not (answered 200, then parsed). Then:

1. baseline: a plain GET of every page through the intake's fetcher (robots, host slot,
   ``core.outbound``), nothing parsed: what the network and server cost here;
2. extraction alone: trafilatura over the fetched pages, no database;
3. end to end: ``feed_fetch`` of every feed, its items fetched and stored inline
   (``article_ingest``); claim extraction is not run (its receiver is disconnected, the
   signals counted), ``bench.extraction_speed`` measures it;
4. a second run over the unchanged feeds, ``--repeat`` times: requests, writes, time.

Prints medians and items/s for each, and each against the baseline of step 1. The database
is a throw-away test database, never the project's own. One process, one core.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

WORDS = [
    *("minister", "said", "deficit", "fell", "percent", "economy", "growth", "jobs", "nurses"),
    *("hospital", "budget", "report", "inflation", "figures", "government", "opposition"),
    *("election", "parliament", "treasury", "forecast", "interest", "rates", "investment"),
    *("households", "spending", "council", "city", "housing", "rents", "energy", "prices"),
]
KINDS = ("rss", "atom", "jsonfeed", "sitemap")


def page_text(rng: random.Random, words: int) -> list[str]:
    paragraphs = []
    while sum(len(p.split()) for p in paragraphs) < words:
        sentences = [
            " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize()
            + f" by {rng.randint(1, 40)}.{rng.randint(0, 9)}%."
            for _ in range(rng.randint(3, 6))
        ]
        paragraphs.append(" ".join(sentences))
    return paragraphs


def serve(server, items: int, feeds: int, words: int, seed: int) -> list[str]:
    from tests.intake_server import article_html, atom, jsonfeed, rss, sitemap

    rng = random.Random(seed)
    urls = [
        server.add(f"/a/{i}", article_html(f"Story {i}", page_text(rng, words), published="2025-03-04"))
        for i in range(items)
    ]
    for f in range(feeds):
        kind = KINDS[f % len(KINDS)]
        mine = urls[f::feeds]
        listed = [(f"Story {u.rsplit('/', 1)[1]}", u) for u in mine]
        if kind == "sitemap":
            body, ctype = sitemap(mine), "application/xml"
        else:
            build = {"rss": rss, "atom": atom, "jsonfeed": jsonfeed}[kind]
            body, ctype = build(listed), f"application/{'feed+json' if kind == 'jsonfeed' else kind + '+xml'}"
        server.add(f"/feed{f}", body, content_type=ctype, etag=f'"f{f}"' if f % 2 == 0 else "")
    return urls


def setup_database():
    import django
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
    django.setup()
    from django.db import connection

    return connection, connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)


class Writes:
    """Counts INSERT, UPDATE and DELETE statements (an execute wrapper); the host slot's
    last-request times (``FETCH_HOST_SLOT = "postgres"``) apart, in ``slot``; every statement
    in ``statements``."""

    def __init__(self) -> None:
        self.count = 0
        self.slot = 0
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        if "INSERT INTO editorial_fetchhost" in sql:
            self.slot += 1
        elif sql.lstrip().split(" ", 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            self.count += 1
        return execute(sql, params, many, context)


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s" if seconds > 0 else "n/a"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", type=int, default=1000)
    ap.add_argument("--feeds", type=int, default=8)
    ap.add_argument("--words", type=int, default=600)
    ap.add_argument("--repeat", type=int, default=5, help="second runs over the unchanged feeds")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    if args.items < 1 or args.feeds < 1 or args.repeat < 1:
        ap.error("--items, --feeds and --repeat must be >= 1")

    connection, old_name = setup_database()
    logging.getLogger("celery").setLevel(logging.WARNING)
    logging.getLogger("editorial").setLevel(logging.WARNING)
    from django.conf import settings

    settings.DEBUG = False
    settings.OUTBOUND_ALLOW_PRIVATE = True  # the bench's own server on 127.0.0.1
    settings.FETCH_HOST_DELAY_SECONDS = 0.0
    from editorial.intake.extract import extract_article
    from editorial.intake.fetcher import ACCEPT_HTML, fetch
    from editorial.intake.services import feed_add, feed_fetch
    from editorial.models import Article, Feed
    from editorial.signals import article_text_changed
    from tests.intake_server import IntakeServer

    receivers = article_text_changed.receivers[:]
    article_text_changed.receivers.clear()  # claim extraction is bench.extraction_speed's
    signals = []
    article_text_changed.connect(lambda sender, article, **kw: signals.append(article.pk), weak=False)
    server = IntakeServer().start()
    try:
        urls = serve(server, args.items, args.feeds, args.words, args.seed)
        print(
            f"database: {connection.vendor}; {args.items} pages of ~{args.words} words in {args.feeds} feeds "
            f"({', '.join(KINDS)} in turn; half with ETag); one process"
        )
        start = time.perf_counter()
        bodies = [(u, fetch(u, accept=ACCEPT_HTML)) for u in urls]
        baseline = time.perf_counter() - start
        print(f"1 baseline, plain GET of every page: {baseline:.2f} s, {rate(len(urls), baseline)}")

        per_page = []
        for url, fetched in bodies:
            t = time.perf_counter()
            extract_article(fetched.body, url=url, content_type=fetched.content_type)
            per_page.append(time.perf_counter() - t)
        extraction = sum(per_page)
        print(
            f"2 extraction alone (trafilatura): {extraction:.2f} s, {rate(len(urls), extraction)}, "
            f"median {statistics.median(per_page) * 1000:.1f} ms/page; x{extraction / baseline:.1f} the baseline"
        )

        for f in range(args.feeds):
            feed_add(url=server.url(f"/feed{f}"))
        asked = len(server.requests)
        writes = Writes()
        start = time.perf_counter()
        with connection.execute_wrapper(writes):
            results = [feed_fetch(feed_id=pk) for pk in Feed.objects.values_list("pk", flat=True)]
        first = time.perf_counter() - start
        new = sum(r.new for r in results)
        print(
            f"3 end to end, first run: {first:.2f} s, {rate(new, first)} items fetched, parsed, extracted and "
            f"stored; {new} new articles, {len(server.requests) - asked} requests, {writes.count} writes "
            f"(+{writes.slot} host-slot times), {writes.statements} statements "
            f"({writes.statements / max(new, 1):.1f} per item), {len(signals)} article_text_changed; x{first / baseline:.1f} the baseline"
        )
        assert Article.objects.count() == args.items, Article.objects.count()

        times, requests, written, slot_times = [], [], [], []
        signals.clear()
        for _ in range(args.repeat):
            asked, writes = len(server.requests), Writes()
            start = time.perf_counter()
            with connection.execute_wrapper(writes):
                again = [feed_fetch(feed_id=pk) for pk in Feed.objects.values_list("pk", flat=True)]
            times.append(time.perf_counter() - start)
            requests.append(len(server.requests) - asked)
            written.append(writes.count)
            slot_times.append(writes.slot)
            assert all(r.status == "unchanged" for r in again), again
        second = statistics.median(times)
        print(
            f"4 second run, unchanged (median of {args.repeat}): {second * 1000:.0f} ms, "
            f"{requests[0]} requests (one per feed: 304 with ETag, 200 parsed without), "
            f"{written[0]} writes (the feeds' own health rows) and {slot_times[0]} host-slot times, "
            f"{len(signals)} article_text_changed; "
            f"{second / first * 100:.1f}% of the first run, x{second / baseline:.2f} the baseline"
        )
    finally:
        server.stop()
        article_text_changed.receivers[:] = receivers
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
