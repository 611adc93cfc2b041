"""The admin claim list at newsroom scale: page time and query count with 200,000 claims.

    python -m bench.admin_claim_list [--claims 200000] [--baseline 2000] [--repeat 5] [--search-terms 2000]

Needs PostgreSQL (the server ``DATABASE_URL`` names; default postgres://postgres@127.0.0.1:5432).
Creates a fresh database (dropped at the end) and migrates it, then:

1. seeds ``--baseline`` claims (10 per article, 20 outlets, a verdict on every 10th, a
   prior-coverage match on every 5th) and times the claim list pages below as a superuser
   through Django's test client: median and p95 of ``--repeat`` runs, and queries per page;
2. grows the same data to ``--claims`` and times the same pages again;
3. prints both and the ratio: the list should cost about the same at 100x the rows
   (bounded queries, indexed ordering); search is the one that scans;
4. times the large pages through Django's own paginator (``paging django``): the claim
   list's id-first paginator is measured against it in the same run;
5. drops the list-order index (``claim_list_order_idx``) and times the large pages again:
   the same run's figures without it, so the index's effect is a ratio on one machine;
6. times the search pages three ways at the large size: as shipped (bounded terms, the
   trigram indexes), with Django's own search over the same bounded terms (no index can
   serve it), and with ``--search-terms N`` unbounded too (every word searched, as before
   the bound): the web's statement timeout (``DB_STATEMENT_TIMEOUT_MS``) ends that one with
   a 503, which is printed as the status.

Pages: the default list (check-worthiness order), state filter, assignee "unassigned",
has prior coverage, a text search, the last page (the deepest OFFSET); with
``--search-terms N`` also a search of N distinct words (a pasted text: the admin searches
the first ``desk.admin.search.MAX_SEARCH_TERMS`` of them and says so).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

PAGES = [
    ("default list", "/admin/factcheck/claim/"),
    ("state=candidate", "/admin/factcheck/claim/?state__exact=candidate"),
    ("sorted by updated", "/admin/factcheck/claim/?o=-9"),
    ("search 'nurses'", "/admin/factcheck/claim/?q=nurses"),
    ("search 'article 1234'", "/admin/factcheck/claim/?q=article+1234"),
    ("last page", "/admin/factcheck/claim/?p={last}"),
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--baseline", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--search-terms", type=int, default=0, metavar="N", help="also a search of N words")
    args = parser.parse_args(argv)
    if args.search_terms:
        words = " ".join(f"word{n}" for n in range(args.search_terms))
        PAGES.append((f"search {args.search_terms} words", f"/admin/factcheck/claim/?q={words}"))
    server = os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    name = f"fc_bench_admin_{os.getpid()}"
    parts = urlsplit(server)
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    subprocess.run(["psql", admin_url, "-q", "-c", f'CREATE DATABASE "{name}"'], check=True)
    os.environ.update(
        {
            "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")),
            "CELERY_BROKER_URL": "",
            "LOG_LEVEL": "WARNING",
        }
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        return _run(args)
    finally:
        from django.db import connections

        connections.close_all()
        subprocess.run(
            ["psql", admin_url, "-q", "-c", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True
        )


def _run(args) -> int:
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "bench-password-123")
    client = Client()
    client.force_login(user)
    rng = random.Random(8)
    _seed(args.baseline, rng, start=0)
    small = _measure(client, args.repeat, total=args.baseline)
    started = time.monotonic()
    _seed(args.claims - args.baseline, rng, start=args.baseline)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # the steady state autovacuum keeps: index-only scans
    print(f"seeded {args.claims} claims in {time.monotonic() - started:.0f} s")
    large = _measure(client, args.repeat, total=args.claims)
    plain = _with_django_paginator(lambda: _measure(client, args.repeat, total=args.claims))
    searches = [(label, page) for label, page in PAGES if "?q=" in page]
    django_search = _with_django_search(
        lambda: _measure(client, args.repeat, total=args.claims, pages=searches)
    )
    unbounded = {}
    if args.search_terms:
        unbounded = _with_django_search(
            lambda: _measure(client, 1, total=args.claims, pages=searches[-1:]), terms=args.search_terms
        )
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX claim_list_order_idx")
    unindexed = _measure(client, args.repeat, total=args.claims)
    print(
        f"{'page':<20} {'claims':>8} {'index':>6} {'paging':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8}"
    )
    for label, _ in PAGES:
        rows = (
            (args.baseline, "yes", "ids", small),
            (args.claims, "yes", "ids", large),
            (args.claims, "yes", "django", plain),
            (args.claims, "no", "ids", unindexed),
        )
        for count, index, paging, figures in rows:
            median, p95, queries, _ = figures[label]
            print(f"{label:<20} {count:>8} {index:>6} {paging:>8} {median:>10.1f} {p95:>8.1f} {queries:>8}")
        print(
            f"{'':<20} {'ratios':>8} {large[label][0] / small[label][0]:>16.2f}x the small list, "
            f"{large[label][0] / plain[label][0]:.2f}x Django's paginator, "
            f"{large[label][0] / unindexed[label][0]:.2f}x without the index"
        )
    print(
        f"\n{'search at ' + str(args.claims) + ' claims':<34} {'median ms':>10} {'p95 ms':>8} {'status':>7}"
    )
    for label, _ in searches:
        for how, figures in (
            ("shipped", large),
            ("Django's search", django_search),
            ("unbounded", unbounded),
        ):
            if label in figures:
                median, p95, _, status = figures[label]
                print(f"{label + ', ' + how:<34} {median:>10.1f} {p95:>8.1f} {status:>7}")
        print(f"{'':<34} ratio {django_search[label][0] / large[label][0]:.1f}x Django's search / shipped")
    return 0


def _with_django_search(measure, terms: int | None = None):
    """The same pages with Django's own admin search (no trigram index serves it) and, with
    ``terms``, as many words searched as that."""
    from desk.admin import search

    saved = search.indexed_search, search.MAX_SEARCH_TERMS
    search.indexed_search = lambda *args: None
    if terms:
        search.MAX_SEARCH_TERMS = terms
    try:
        return measure()
    finally:
        search.indexed_search, search.MAX_SEARCH_TERMS = saved


def _with_django_paginator(measure):
    """The same pages through Django's own paginator (slices the annotated query)."""
    from django.contrib import admin
    from django.core.paginator import Paginator

    from factcheck.models import Claim

    model_admin = admin.site._registry[Claim]
    ours = model_admin.paginator
    model_admin.paginator = Paginator
    try:
        return measure()
    finally:
        model_admin.paginator = ours


def _measure(client, repeat: int, *, total: int, pages=None) -> dict[str, tuple]:
    """Median ms, p95 ms, queries and status per page; a 503 (statement timeout) is kept."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    figures = {}
    for label, page in pages or PAGES:
        url = page.format(last=max(1, total // 50))
        client.get(url)  # warm caches
        times = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code in (200, 503), (url, response.status_code)
        times.sort()
        figures[label] = (
            statistics.median(times),
            times[int(0.95 * (len(times) - 1))],
            len(queries),
            response.status_code,
        )
    return figures


def _seed(count: int, rng: random.Random, *, start: int) -> None:
    from coverage.models import CoverageMatch, PriorFactCheck
    from editorial.models import Article, Outlet
    from factcheck.models import Claim, ClaimOrigin, Verdict

    outlets = [Outlet.objects.get_or_create(name=f"Outlet {n}")[0] for n in range(20)]
    states = ["candidate"] * 6 + ["selected", "researching", "in_review", "dismissed"]
    words = ["unemployment", "nurses", "deficit", "crime", "schools", "prices", "wages", "exports"]
    batch = 5000
    for offset in range(start, start + count, batch):
        size = min(batch, start + count - offset)
        articles = Article.objects.bulk_create(
            Article(
                outlet=outlets[n % 20],
                title=f"Article {n}",
                body="Body.",
                external_key=f"bench:{n}",
                content_hash="x",
            )
            for n in range(offset // 10, (offset + size + 9) // 10)
        )
        claims = Claim.objects.bulk_create(
            Claim(
                article=articles[(n - offset) // 10 % len(articles)],
                text=f"The minister said {rng.choice(words)} changed by {rng.randint(1, 99)}% in {2000 + n % 24}.",
                claimant=rng.choice(["Jane Roe", "The minister", "Police", ""]),
                checkworthiness=rng.random(),
                state=rng.choice(states),
                origin=ClaimOrigin.EXTRACTED,
                fingerprint=f"{n}",
            )
            for n in range(offset, offset + size)
        )
        Verdict.objects.bulk_create(
            Verdict(claim=c, rating="false", summary="Checked.") for c in claims[::10]
        )
        priors = PriorFactCheck.objects.bulk_create(
            PriorFactCheck(claim_reviewed=c.text, url=f"https://other.example/{c.pk}") for c in claims[::5]
        )
        CoverageMatch.objects.bulk_create(
            CoverageMatch(claim=c, prior_factcheck=p, score=0.8, method="lexical")
            for c, p in zip(claims[::5], priors, strict=True)
        )


if __name__ == "__main__":
    sys.exit(main())
