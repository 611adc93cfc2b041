"""A large ClaimReview import next to new work: how long a new article's matching waits
while a worker embeds a 65k-item feed.

    python -m bench.import_interleave [--items 65446] [--timeout 1800] [--benchmarks ../shared/benchmarks] [--drain]

Needs PostgreSQL (the server ``DATABASE_URL`` names, default postgres://postgres@127.0.0.1:5432),
``redis-server`` on the PATH and the embedding extra (requirements-embeddings.txt). Uses a
fresh database (dropped at the end), a private Redis on a free port and one worker
process of concurrency 1 on ``-Q celery,matching,embedding``, as the README runs it.

1. baseline, same run, idle worker: one article imported with ``import_seeds``; the time
   from its row being written to its first claim matched (extraction, then the first
   match task run), and to all of its claims matched;
2. ``import_claimreview`` of a DataFeed of ``--items`` real fact-checks (the verified
   claims of the shared retrieval benchmarks, 43,450 texts, repeated under new URLs up to
   the count): import time and embedding tasks queued;
3. once the worker is embedding, another article is imported; the same two times, with
   the embedding tasks still queued at that moment (what the match task did not wait
   behind) and the median time per embedding batch so far;
4. with ``--drain``, waits until every item has its vector: the worker's embedding rate.

The figure to read is (3) against (1): the first match of a new article waits for at most
the batch in progress (a few seconds), not for the whole feed (the queued batches times
the batch time, printed next to it for scale).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from bench.services import ROOT, Services, bench_services

BENCHMARKS = ROOT.parent / "shared" / "benchmarks"
SETS = ["ct2020_task2_tweets", "ct2021_task2a_en_tweets", "ct2021_task2b_en_debates"]
ARTICLE = (
    "Health minister Jane Roe said on Tuesday that waiting lists fell by 12 percent last year. "
    "The opposition leader said crime rose by 20 percent in 2025. "
    "According to the statistics office, 4,000 new nurses were hired since 2023."
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=65_446)
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--benchmarks", type=Path, default=BENCHMARKS, help="the shared benchmarks folder")
    parser.add_argument("--drain", action="store_true", help="wait until every item is embedded")
    args = parser.parse_args(argv)

    with bench_services("interleave") as services:
        from core import embedding

        if not embedding.available():
            print("the embedding extra is not installed: nothing to interleave with")
            return 1
        services.worker("interleave")
        return _run(args, services)


def _run(args, services: Services) -> int:
    from coverage.models import SearchDoc
    from coverage.tasks import EMBED_TASK_BATCH

    base_first, base_whole = _article_matched(services, "baseline", args.timeout)
    print(
        f"baseline, idle worker: first claim matched {base_first:.1f} s after the article was stored, all {base_whole:.1f} s"
    )

    feed = services.workdir / "datafeed.json"
    count = _write_feed(feed, args.items, args.benchmarks)
    started = time.monotonic()
    result = services.manage("import_claimreview", str(feed))
    print(
        f"import_claimreview: {count} items in {time.monotonic() - started:.1f} s: {result.stdout.strip()[-200:]}"
    )
    print(f"embedding tasks queued: {services.queue_length('embedding')}")

    embedded = SearchDoc.objects.exclude(embedding_model="")
    deadline = time.monotonic() + args.timeout
    while not embedded.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    window = (time.monotonic(), embedded.count())
    while embedded.count() < 3 * EMBED_TASK_BATCH and time.monotonic() < deadline:
        time.sleep(0.5)  # a few batches in: the worker is well into the feed
    waiting = services.queue_length("embedding")
    first, whole = _article_matched(services, "during", args.timeout)
    done = embedded.count()
    rate = (done - window[1]) / (time.monotonic() - window[0])
    batch = EMBED_TASK_BATCH / rate
    print(
        f"during the embedding ({waiting} batches still queued): first claim matched {first:.1f} s after the "
        f"article was stored ({first / base_first:.1f}x the baseline), all {whole:.1f} s ({whole / base_whole:.1f}x)"
    )
    print(
        f"embedding: {rate:.0f} items/s, {batch:.1f} s per batch; behind the whole feed on one queue the first "
        f"match would have waited about {waiting * batch:.0f} s ({waiting} x {batch:.1f} s)"
    )
    if args.drain:
        started = time.monotonic()
        while embedded.count() < count and time.monotonic() < deadline:
            time.sleep(5)
        done = embedded.count()
        print(f"drained: {done}/{count} embedded in {time.monotonic() - started:.0f} s more")
    return 0


def _article_matched(services: Services, name: str, timeout: float) -> tuple[float, float]:
    """Seconds from the article's row being written to its first claim matched, and to all
    (the database's own timestamps: the import command's start-up and exit do not count)."""
    from django.db.models import Max, Min

    from editorial.models import Article
    from factcheck.models import Claim

    folder = services.workdir / name
    folder.mkdir()
    (folder / f"{name}.txt").write_text(f"Ministers on the record ({name})\n{ARTICLE}\n")
    services.manage("import_seeds", str(folder))
    article = Article.objects.get(title__contains=f"({name})")
    claims = Claim.objects.filter(article=article)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if claims.exists() and not claims.filter(matched_at__isnull=True).exists():
            span = claims.aggregate(first=Min("matched_at"), last=Max("matched_at"))
            return (
                (span["first"] - article.created_at).total_seconds(),
                (span["last"] - article.created_at).total_seconds(),
            )
        time.sleep(0.1)
    raise SystemExit(f"{name}: the article's claims were not matched within {timeout:.0f} s")


def _write_feed(path: Path, items: int, benchmarks: Path) -> int:
    """A schema.org DataFeed of ``items`` ClaimReviews of real fact-checked claims."""
    claims = []
    for name in SETS:
        with open(benchmarks / name / "verified_claims.jsonl", encoding="utf-8") as handle:
            claims.extend(json.loads(line) for line in handle if line.strip())
    elements = []
    for n in range(items):
        claim = claims[n % len(claims)]
        elements.append(
            {
                "@context": "https://schema.org",
                "@type": "ClaimReview",
                "url": f"https://checks.example/{n}",
                "claimReviewed": claim["claim"],
                "reviewRating": {"@type": "Rating", "alternateName": claim.get("truth_label") or "False"},
                "itemReviewed": {
                    "@type": "Claim",
                    "author": {"@type": "Person", "name": claim.get("speaker", "")},
                },
                "headline": claim.get("title", ""),
            }
        )
    path.write_text(
        json.dumps({"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": elements})
    )
    return items


if __name__ == "__main__":
    sys.exit(main())
