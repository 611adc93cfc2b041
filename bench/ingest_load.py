"""A newsroom's ingest load: 10,000 articles imported and extracted by 2 Celery worker
processes on PostgreSQL + Redis, with nothing lost.

    python -m bench.ingest_load [--articles 10000] [--workers 2] [--baseline 300] [--drain-matching]

Needs PostgreSQL (the server ``DATABASE_URL`` names, default postgres://postgres@127.0.0.1:5432)
and ``redis-server`` on the PATH. Everything it uses is its own: a fresh database (dropped at
the end), a private Redis on a free port, its own worker processes.

1. baseline, same run: ``claims_extract`` called in-process (no Celery) on ``--baseline``
   articles of the same generator: articles/s of the extraction itself;
2. ``manage.py import_seeds`` on the articles written as JSONL files, with the workers
   already consuming: import time and articles/s;
3. waits until every article is extracted: end-to-end articles/s and the ratio to (1);
4. checks nothing was lost: every article's ``ArticleExtraction`` has its current ``content_hash``,
   no claim twice, and the queue holds no extraction message. Matching tasks queued by the
   extraction (on their own queue, ``matching``) are counted, and with ``--drain-matching``
   waited for until every claim is matched; they are the slower stage (``bench.retrieval``
   and ``bench.matching_scale`` measure the search itself). ``CELERY_QUEUE_ORDER=round_robin``
   compares the workers' queue order.

Exit status 1 when any article was not extracted, a claim is duplicated or (with
``--drain-matching``) a claim was never matched.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time

from bench.services import Services, bench_services

PEOPLE = ["Jane Roe", "The finance minister", "Senator John Smith", "Dr. Amy Lee", "The mayor", "Police"]
FACTS = [
    "unemployment fell to {n}.{d}% in {year}",
    "{n},000 nurses have left the health service since {year}",
    "crime rose by {n} percent in the capital last year",
    "the deficit was cut to {n}.{d} billion euros in {year}",
    "{n} schools closed between {year} and 2024",
    "house prices went up by {n}% in the year to March",
]
FILLER = [
    "It was a long meeting on a grey afternoon.",
    "Reporters waited outside for hours.",
    "More to follow.",
]


def article(rng: random.Random, n: int) -> dict:
    sentences = []
    for _ in range(rng.randint(3, 8)):
        if rng.random() < 0.35:
            sentences.append(rng.choice(FILLER))
            continue
        fact = rng.choice(FACTS).format(
            n=rng.randint(2, 90), d=rng.randint(0, 9), year=rng.randint(2001, 2023)
        )
        sentences.append(f"{rng.choice(PEOPLE)} said {fact}, according to official figures.")
    return {
        "external_key": f"load:{n}",
        "title": f"Load article {n}",
        "body": " ".join(sentences),
        "outlet": f"Outlet {n % 20}",
        "published_at": f"2024-{1 + n % 12:02d}-{1 + n % 28:02d}",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (concurrency 1 each)")
    parser.add_argument("--baseline", type=int, default=300)
    parser.add_argument("--timeout", type=float, default=3600)
    parser.add_argument("--drain-matching", action="store_true")
    args = parser.parse_args(argv)

    with bench_services("ingest") as services:
        return _run(args, services)


def _run(args, services: Services) -> int:
    from django.db.models import Count, F

    from editorial.models import Article
    from factcheck.models import Claim

    rng = random.Random(8)
    baseline_rate = _baseline(args.baseline, rng)
    print(f"baseline: claims_extract in-process, {args.baseline} articles: {baseline_rate:.1f} articles/s")

    feed = services.workdir / "feed"
    feed.mkdir()
    rows = [article(rng, n) for n in range(args.articles)]
    for start in range(0, len(rows), 1000):
        lines = "\n".join(json.dumps(r) for r in rows[start : start + 1000])
        (feed / f"part{start // 1000:03d}.jsonl").write_text(lines + "\n")

    for n in range(args.workers):
        services.worker(f"load{n}")
    started = time.monotonic()
    result = services.manage("import_seeds", str(feed))
    imported_in = time.monotonic() - started
    print(
        f"import: {result.stdout.strip()} in {imported_in:.1f} s = {args.articles / imported_in:.1f} articles/s"
    )
    if result.stderr.strip():
        print("import stderr:", result.stderr.strip()[-500:])

    pending = Article.objects.exclude(extraction__extracted_hash=F("content_hash"))
    deadline = started + args.timeout
    while pending.exists() and time.monotonic() < deadline:
        time.sleep(1)
    total = time.monotonic() - started
    extracted = Article.objects.filter(extraction__extracted_hash=F("content_hash")).count()
    rate = extracted / total
    print(
        f"extracted: {extracted}/{args.articles} articles in {total:.1f} s (import included) = {rate:.1f} articles/s, "
        f"{rate / baseline_rate:.2f}x the in-process baseline with {args.workers} worker processes"
    )
    claims = Claim.objects.filter(article__isnull=False).count()
    duplicates = (
        Claim.objects.filter(article__isnull=False)
        .values("article_id", "fingerprint")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    print(f"claims: {claims} ({claims / max(1, extracted):.2f} per article), duplicated: {duplicates}")
    print(
        f"queues after extraction: celery {services.queue_length('celery')}, matching "
        f"{services.queue_length('matching')} message(s) left (match tasks queued for the new claims)"
    )
    unmatched = 0
    if args.drain_matching:
        # Every claim matched, not only empty queues: a retried task waits in a worker.
        waiting = Claim.objects.filter(article__isnull=False, matched_at__isnull=True)
        while (
            services.queue_length("celery") or services.queue_length("matching") or waiting.exists()
        ) and time.monotonic() < deadline:
            time.sleep(2)
        unmatched = waiting.count()
        print(
            f"queues fully drained after {time.monotonic() - started:.1f} s: "
            f"{services.queue_length('celery') + services.queue_length('matching')} left, "
            f"{unmatched} claim(s) never matched"
        )
    ok = extracted == args.articles and duplicates == 0 and unmatched == 0
    print("RESULT:", "nothing lost" if ok else "LOSS OR DUPLICATES")
    return 0 if ok else 1


def _baseline(count: int, rng: random.Random) -> float:
    from django.db import transaction

    from editorial.models import Article
    from editorial.services import content_hash
    from factcheck.services.extraction import claims_extract

    rows = [article(rng, -1 - n) for n in range(count)]
    created = Article.objects.bulk_create(
        Article(
            title=r["title"],
            body=r["body"],
            external_key=f"baseline:{n}",
            content_hash=content_hash(title=r["title"], body=r["body"]),
        )
        for n, r in enumerate(rows)
    )
    started = time.monotonic()
    for a in created:
        with transaction.atomic():  # matching is queued on commit: keep it out of the timing
            claims_extract(article_id=a.pk)
    rate = count / (time.monotonic() - started)
    from factcheck.models import Claim

    Claim.objects.filter(article_id__in=[a.pk for a in created]).delete()
    Article.objects.filter(pk__in=[a.pk for a in created]).delete()
    return rate


if __name__ == "__main__":
    sys.exit(main())
