"""Throughput of claim pre-extraction: the extractor alone, and the task end to end.

    python -m bench.extraction_speed                       # SQLite (a temporary file)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fc python -m bench.extraction_speed

Generates N news-like articles (~800 words, seeded), then

1. runs ``extract()`` + selection over them (pure Python, no database);
2. inserts them and runs the Celery task ``extract_claims`` for each, in this process
   (``task.apply``: the task wrapper, the service, every query and bulk write; the
   follow-up work (grouping, which then queues matching) is queued on commit as in
   production, by the ``claims_created`` receiver of ``coverage``, counted but not run
   unless ``--with-matching``);
3. runs the task again over the same articles (idempotent: nothing to write).

The database is a throw-away test database (``test_<name>``), never the project's own.
Prints articles/s and sentences/s for each; one process, one core.

Runs with ``DEBUG`` off, as a production worker does: with it on (a fresh clone's default)
Django keeps every statement's SQL in ``connection.queries`` and, on SQLite, quotes its
parameters with an extra query each, about 2 ms per article here. ``--debug`` keeps it on.
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

FIRST = [
    "Maria",
    "James",
    "Ahmed",
    "Olga",
    "Chen",
    "Lucia",
    "Peter",
    "Amara",
    "Jonas",
    "Priya",
    "Tomas",
    "Ingrid",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Moreau",
    "Haddad",
    "Novak",
    "Tanaka",
    "Silva",
    "Brennan",
    "Kowalski",
    "Mensah",
]
TITLES = ["Finance Minister", "Senator", "Governor", "Mayor", "Health Secretary", "Dr."]
ORGS = ["the statistics office", "the central bank", "the health ministry", "the Treasury", "the agency"]
PLACES = ["Lagos", "Oslo", "Lyon", "Beirut", "Prague", "Osaka", "Recife", "Dublin"]
NOUNS = ["unemployment", "inflation", "crime", "exports", "hospital waiting times", "rents", "emissions"]
THINGS = ["jobs", "homes", "patients", "schools", "companies", "families"]
TEMPLATES = [
    "{title} {name} said {noun} had {moved} by {pct}% since {year}, the {sup} figure in a decade.",
    "According to {org}, {num} {things} were affected in {place} last year.",
    "“We have {moved2} {noun} by {pct} percent and created {num} {things},” {sname} said.",
    "{sname} added that the government spent ${money} billion on the programme in {year}.",
    "He also claimed that {noun} in {place} was {cmp} than in any other city.",
    "Critics called the plan {adj} and said it would not work.",
    "{Org} reported that {noun} fell to {pct}% in the first quarter of {year}.",
    "The new law, passed in {year}, makes it illegal to {act} without a licence.",
    "{sname} will travel to {place} next week to meet local leaders.",
    "Officials expect {noun} to rise again next year because of higher energy prices.",
    "The meeting took place in a hotel near the river on a rainy afternoon.",
    "I think this is a {adj} moment for our city, {sname} told reporters.",
    "Since {year}, more than {num} {things} have left the region, data from {org} show.",
    "The opposition leader, {name}, disputed those numbers in a statement on Tuesday.",
]


def make_article(rng: random.Random, words: int = 800) -> str:
    """One news-like article: paragraphs of 1-4 sentences, ~``words`` words."""
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    paragraphs, count = [], 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(1, 4)):
            s = rng.choice(TEMPLATES).format(
                title=rng.choice(TITLES),
                name=name,
                sname=name.split()[-1],
                noun=rng.choice(NOUNS),
                moved=rng.choice(["fallen", "risen", "dropped", "grown"]),
                moved2=rng.choice(["cut", "reduced", "doubled"]),
                pct=round(rng.uniform(0.5, 40), 1),
                year=rng.randint(1995, 2024),
                sup=rng.choice(["lowest", "highest", "best", "worst"]),
                org=rng.choice(ORGS),
                Org=rng.choice(ORGS).capitalize(),
                num=f"{rng.randint(2, 900):,}",
                things=rng.choice(THINGS),
                place=rng.choice(PLACES),
                money=round(rng.uniform(1, 90), 1),
                cmp=rng.choice(["higher", "lower", "worse", "better"]),
                adj=rng.choice(["reckless", "historic", "wonderful", "unfair"]),
                act=rng.choice(["rent out a flat", "sell fireworks", "fish in the lake"]),
            )
            sentences.append(s)
            count += len(s.split())
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)


def rate(n: int, seconds: float) -> str:
    return f"{n / seconds:,.0f}/s" if seconds > 0 else "inf"


class Clock:
    """Wall and CPU time of a block: this machine is shared, CPU time shows one core's worth."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def report(label: str, n: int, sentences: int, clock: Clock, extra: str = "") -> None:
    print(
        f"{label:<20} {n} articles: {rate(n, clock.wall)} articles, {rate(sentences, clock.wall)} sentences "
        f"(wall {clock.wall:.2f}s); per CPU second {rate(n, clock.cpu)} articles, "
        f"{rate(sentences, clock.cpu)} sentences{extra}"
    )


def bench_extractor(texts: list[str], *, threshold: float, limit: int) -> int:
    from factcheck.extraction import explain, extract, select

    sentences = 0
    with Clock() as clock:
        for text in texts:
            cands = extract(text)
            for cand in select(cands, threshold=threshold, limit=limit):
                explain(cand)
            sentences += len(cands)
    report(
        "extractor alone:", len(texts), sentences, clock, f" ({sentences / len(texts):.0f} sentences/article)"
    )
    return sentences


class QueryCounter:
    """Counts the statements the task sends (a Django execute wrapper, no logging cost)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def bench_task(ids: list[int], sentences: int, label: str) -> None:
    from django.db import connection

    from factcheck.models import Claim
    from factcheck.tasks import extract_claims

    per_article = []
    counter = QueryCounter()
    with connection.execute_wrapper(counter), Clock() as clock:
        for pk in ids:
            t = time.perf_counter()
            extract_claims.apply(args=[pk], throw=True)
            per_article.append(time.perf_counter() - t)
    report(
        label,
        len(ids),
        sentences,
        clock,
        f"; median {statistics.median(per_article) * 1000:.1f} ms/article, "
        f"{counter.count / len(ids):.1f} statements/article; {Claim.objects.count()} claims in the database",
    )


class QueuedOnly:
    """Stands in for ``coverage.tasks.group_claim.delay_or_note`` (what the ``claims_created``
    receiver's ``delay_on_commit`` calls on commit) so the follow-up work is queued (counted)
    but not run inline: with a broker grouping and matching run in their own tasks, and
    eager mode would time them as extraction."""

    def __init__(self) -> None:
        self.queued = 0

    def __call__(self, *args, **kwargs) -> bool:
        self.queued += 1
        return True


def follow_up_task():
    """The task new claims queue (``coverage``'s grouping, which queues matching), or None
    when that app is not installed."""
    from django.apps import apps

    if not apps.is_installed("coverage"):
        return None
    from coverage.tasks import group_claim

    return group_claim


def setup_database() -> tuple[object, str]:
    """A throw-away test database (a temporary file for SQLite, test_<db> for PostgreSQL)."""
    import django
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        db.setdefault("TEST", {})["NAME"] = os.path.join(tempfile.mkdtemp(), "bench.sqlite3")
    django.setup()
    from django.db import connection

    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    return connection, old_name


def insert_articles(texts: list[str]) -> list[int]:
    from editorial.models import Article, Outlet
    from editorial.services import content_hash

    outlet, _ = Outlet.objects.get_or_create(name="Bench Gazette", defaults={"domain": "bench.example"})
    rows = [
        Article(
            outlet=outlet,
            title=f"Bench article {i}",
            body=body,
            external_key=f"bench:{i}",
            content_hash=content_hash(title=f"Bench article {i}", body=body),
        )
        for i, body in enumerate(texts)
    ]
    return [a.pk for a in Article.objects.bulk_create(rows, batch_size=200)]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--words", type=int, default=800)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", action="store_true", help="print a cProfile of the end-to-end run")
    ap.add_argument(
        "--with-matching",
        action="store_true",
        help="run the follow-up grouping and matching tasks inline too",
    )
    ap.add_argument("--max-claims", type=int, help="override FACTCHECK_MAX_CLAIMS_PER_ARTICLE")
    ap.add_argument("--debug", action="store_true", help="keep DEBUG on (query logging) as configured")
    args = ap.parse_args(argv)
    if args.articles < 1 or args.words < 50:
        ap.error("--articles must be >= 1 and --words >= 50")

    connection, old_name = setup_database()
    logging.getLogger("celery").setLevel(logging.WARNING)  # one INFO line per task costs time
    from django.conf import settings

    if not args.debug:
        settings.DEBUG = False  # read per statement (connection.queries_logged)

    follow_up = follow_up_task()

    if args.max_claims is not None:
        if args.max_claims < 0:
            ap.error("--max-claims must be >= 0")
        settings.FACTCHECK_MAX_CLAIMS_PER_ARTICLE = args.max_claims
    stub = None
    if follow_up is not None and not args.with_matching:
        stub = follow_up.delay_or_note = QueuedOnly()
    rng = random.Random(args.seed)
    texts = [make_article(rng, args.words) for _ in range(args.articles)]
    words = sum(len(t.split()) for t in texts) / len(texts)
    print(
        f"database: {connection.vendor} ({connection.settings_dict['NAME']}); {len(texts)} articles, "
        f"{words:.0f} words each on average; at most {settings.FACTCHECK_MAX_CLAIMS_PER_ARTICLE} claims "
        f"per article above {settings.FACTCHECK_CLAIM_THRESHOLD}; DEBUG {'on' if settings.DEBUG else 'off'}; "
        "grouping and matching: "
        + ("not available" if follow_up is None else "queued, not run" if stub else "run inline")
    )
    try:
        sentences = bench_extractor(
            texts,
            threshold=settings.FACTCHECK_CLAIM_THRESHOLD,
            limit=settings.FACTCHECK_MAX_CLAIMS_PER_ARTICLE,
        )
        ids = insert_articles(texts)
        if args.profile:
            import cProfile
            import pstats

            prof = cProfile.Profile()
            prof.runcall(bench_task, ids, sentences, "end to end:")
            pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        else:
            bench_task(ids, sentences, "end to end:")
        bench_task(ids, sentences, "re-run (no change):")
        if stub is not None:
            print(f"grouping tasks queued on commit: {stub.queued}")
    finally:
        if stub is not None:
            del follow_up.delay_or_note  # the task's own method again
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
