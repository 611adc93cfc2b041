"""Speed and query counts of the public pages, feeds and sitemap on a throwaway database.

    python -m bench.public_pages --factchecks 500 --repeat 15

Builds N published fact-checks (a third of them corrected, two sources per version) in a
fresh SQLite file (or the database in ``BENCH_DATABASE_URL``), then prints for each URL
the median and p90 wall time of a full GET through Django's test client, the SQL query
count, the response size, and the median of a conditional GET (If-None-Match) that
answers 304, with its ratio to the full GET measured in the same run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api_load import BENCH_SECRET_KEY  # noqa: E402


def _setup(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    # Production settings (DEBUG off) need a key; the figures are of the production path.
    os.environ.setdefault("SECRET_KEY", BENCH_SECRET_KEY)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _populate(n: int) -> str:
    import datetime as dt

    from editorial.models import Article, Outlet
    from factcheck.models import Claim, Source, Verdict
    from public.claimreview import factcheck_slug

    outlet = Outlet.objects.create(name="Bench Outlet")
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    claim = None
    for i in range(n):
        article = Article.objects.create(
            outlet=outlet,
            title=f"Article {i}",
            body="x",
            url=f"https://bench.example/{i}",
            external_key=f"bench:{i}",
            content_hash=str(i),
            published_at=base,
        )
        claim = Claim.objects.create(
            article=article,
            text=f"Claim number {i}: unemployment fell to {i % 10}% in March.",
            claimant="A minister",
            state="published",
        )
        versions = 2 if i % 3 == 0 else 1
        for v in range(1, versions + 1):
            verdict = Verdict.objects.create(
                claim=claim,
                version=v,
                rating="false" if v == 1 else "mostly_false",
                summary="Because.",
                correction_note="Fixed." if v > 1 else "",
                is_current=v == versions,
                published_at=base + dt.timedelta(hours=i, days=v - 1),
            )
            Source.objects.bulk_create(
                Source(verdict=verdict, url=f"https://src.example/{i}/{k}", title="Stats", publisher="Office")
                for k in range(2)
            )
    return f"/fact-checks/{factcheck_slug(claim=claim)}/"


def _measure(client, url: str, repeat: int) -> dict:
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        first = client.get(url)
    assert first.status_code == 200, (url, first.status_code)
    queries = executed
    full, cond = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        client.get(url)
        full.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        again = client.get(url, headers={"If-None-Match": first["ETag"]})
        cond.append(time.perf_counter() - t0)
        assert again.status_code == 304
    full.sort()
    return {
        "median_ms": statistics.median(full) * 1000,
        "p90_ms": full[int(len(full) * 0.9) - 1] * 1000,
        "queries": len(queries),
        "kb": len(first.content) / 1024,
        "304_ms": statistics.median(cond) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factchecks", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench_public_")
    _setup(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{tmp}/bench.sqlite3")
    from django.test import Client

    detail = _populate(args.factchecks)
    client = Client()
    urls = [
        "/fact-checks/",
        "/fact-checks/?q=unemployment&rating=mostly_false&page=3",
        detail,
        "/fact-checks/rating-scale/",
        "/fact-checks/feed.json",
        "/fact-checks/feed.xml",
        "/sitemap.xml",
    ]
    print(f"{args.factchecks} published fact-checks, {args.repeat} runs each")
    print(f"{'url':58} {'median ms':>9} {'p90 ms':>7} {'queries':>7} {'KB':>7} {'304 ms':>7} {'304/full':>8}")
    for url in urls:
        m = _measure(client, url, args.repeat)
        ratio = m["304_ms"] / m["median_ms"]
        print(
            f"{url[:58]:58} {m['median_ms']:9.1f} {m['p90_ms']:7.1f} {m['queries']:7d} {m['kb']:7.1f} "
            f"{m['304_ms']:7.1f} {ratio:8.2f}"
        )


if __name__ == "__main__":
    main()
