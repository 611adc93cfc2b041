"""Load test of the partner API under gunicorn on PostgreSQL, against a DRF baseline.

    .venv/bin/python -m bench.api_load                   # 20,000 fact-checks, 50 clients, 30 s
    .venv/bin/python -m bench.api_load --factchecks 200000 --clients 50 --seconds 30
    .venv/bin/python -m bench.api_load --worker-class sync --threads 1   # the other class

1. creates a fresh PostgreSQL database (``--db``, default ``fc_bench_api`` on 127.0.0.1),
   migrates it and seeds ``--factchecks`` published fact-checks (claim, current verdict
   with ``published_at``, two sources, an article of one of 20 outlets) plus 2,000
   imported fact-checks with PostgreSQL's COPY (200,000 in about a minute), and builds the
   search index;
2. starts ``gunicorn`` (the one installed beside this interpreter, run as ``python -m
   gunicorn``, so the virtualenv's ``bin`` need not be on ``PATH``) with ``--workers``
   workers of ``--worker-class`` on a loopback port, DEBUG off, throttles raised so the
   limit itself is not what is measured, and the baseline view of ``bench.api_urls``;
3. measures, one client at a time (service time, no queueing): an uncached page at a
   random depth of the feed (a cursor at a random instant), the first page (cached), a
   detail, a search, and the baseline (a minimal DRF list of the same 20 rows, no auth,
   filters, throttles or cache);
4. then ``--clients`` threads for ``--seconds`` on: the mixed workload (each client in
   turn: the next page of its own walk, a random detail, a reworded search), cache hits
   only (the first page, 10 details, 5 searches), and the baseline; all printed side by
   side, with each one's requests/s as a ratio of the baseline's.

The load client runs on the same 2-core machine as the server, so figures are a floor.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PG = "postgres://postgres@127.0.0.1:5432/"
BENCH_SECRET_KEY = "bench-only-secret-key-not-for-production-0123456789abcdefghijkl"
SUBJECTS = ["The minister", "The mayor", "A viral post", "The opposition leader", "The health agency"]
TOPICS = [
    "unemployment fell to {n} percent last year",
    "the new bridge cost {n} million pounds",
    "crime in the capital rose by {n} percent",
    "vaccines caused {n} deaths in the trial",
    "the hospital waiting list grew to {n} thousand patients",
    "exports to China doubled to {n} billion",
    "the school budget was cut by {n} percent",
    "{n} thousand migrants crossed the border in March",
    "electricity prices rose {n} percent after the reform",
    "the city planted {n} thousand trees this spring",
]
RATINGS = ["true", "mostly_true", "half_true", "mostly_false", "false", "misleading", "unproven"]


def claim_text(i: int) -> str:
    rnd = random.Random(i)
    return f"{rnd.choice(SUBJECTS)} said {rnd.choice(TOPICS).format(n=rnd.randint(2, 950))}."


# --- 1. database -------------------------------------------------------------------------


def prepare_database(db: str, factchecks: int, *, reuse: bool = False) -> str:
    if not reuse:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db], check=True)
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
    url = PG + db
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", BENCH_SECRET_KEY)  # production settings need one
    os.environ["DB_STATEMENT_TIMEOUT_MS"] = "0"  # seeding runs long statements (COPY)
    import django

    django.setup()
    if reuse:
        from partners import services as partners

        partner, _ = partners.partner_ensure(name="Bench Partner")
        return partners.api_key_create(partner=partner, name="bench", scopes="read")[1]
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    key = seed(factchecks)
    print(f"seeded {factchecks} published fact-checks in {time.perf_counter() - t0:.1f} s", flush=True)
    return key


def copy_rows(model, objs) -> list[int]:
    """Insert model instances with COPY, every column as bulk_create would write it (field
    defaults, ``auto_now``); the new ids in order (the database is fresh: they follow)."""
    from django.db import connection

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608 - a model's table
        first = cursor.fetchone()[0] + 1
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            count = 0
            for obj in objs:
                copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
                count += 1
    return list(range(first, first + count))


def seed(count: int) -> str:
    from django.db import connection, transaction
    from django.utils import timezone

    from coverage.models import PriorFactCheck
    from coverage.services import search_index_sync
    from editorial.models import Article, Outlet
    from factcheck.models import Claim, ClaimState, Source, Verdict
    from partners import services as partners

    now = timezone.now()
    published = [now - timezone.timedelta(minutes=i) for i in range(count)]
    with transaction.atomic():
        outlets = copy_rows(
            Outlet, (Outlet(name=f"Outlet {i}", domain=f"outlet{i}.example") for i in range(20))
        )
        articles = copy_rows(
            Article,
            (
                Article(
                    outlet_id=outlets[i % 20],
                    title=f"Article {i}",
                    body="Body.",
                    url=f"https://outlet{i % 20}.example/a/{i}",
                    external_key=f"bench:{i}",
                    content_hash=f"{i:064x}",
                    published_at=now,
                )
                for i in range(count // 5 + 1)
            ),
        )
        # The stored feed fields are written as factcheck.services.feed would compute them:
        # public, first published when the verdict was, last changed now.
        claims = copy_rows(
            Claim,
            (
                Claim(
                    text=claim_text(i),
                    claimant=random.Random(i).choice(SUBJECTS),
                    state=ClaimState.PUBLISHED,
                    article_id=articles[i // 5],
                    checkworthiness=0.7,
                    first_published_at=published[i],
                    modified_at=now,
                )
                for i in range(count)
            ),
        )
        verdicts = copy_rows(
            Verdict,
            (
                Verdict(
                    claim_id=claim,
                    rating=RATINGS[i % len(RATINGS)],
                    summary=f"Official figures contradict this ({i}).",
                    published_at=published[i],
                    is_current=True,
                )
                for i, claim in enumerate(claims)
            ),
        )
        copy_rows(
            Source,
            (
                Source(verdict_id=v, url=f"https://stats.example/{v}/{j}", title="Release", publisher="Stats")
                for v in verdicts
                for j in range(2)
            ),
        )
        copy_rows(
            PriorFactCheck,
            (
                PriorFactCheck(
                    claim_reviewed=claim_text(count + i),
                    rating_text="False",
                    publisher="Other Checkers",
                    url=f"https://other.example/review/{i}",
                )
                for i in range(2000)
            ),
        )
    t0 = time.perf_counter()
    search_index_sync()
    print(f"search index built in {time.perf_counter() - t0:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give a long-running site
    partner, _ = partners.partner_ensure(name="Bench Partner")
    _key, full = partners.api_key_create(partner=partner, name="bench", scopes="read")
    return full


# --- 2. server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(db_url: str, cache_url: str) -> dict[str, str]:
    """The environment the bench's gunicorn runs in: production settings, no throttle in the way."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "DATABASE_URL": db_url,
        "CACHE_URL": cache_url,
        "DEBUG": "0",
        "SECRET_KEY": BENCH_SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "API_THROTTLE_READ": "10000000/min",
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }


def start_server(
    db_url: str, workers: int, port: int, log_path: Path, *, worker_class: str, threads: int, cache_url: str
) -> subprocess.Popen:
    env = server_env(db_url, cache_url)
    # gunicorn as a module of the interpreter running this: the virtualenv's bin/ need not
    # be on PATH, and no other gunicorn is picked up.
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
    ]
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited with {proc.returncode}; see {log_path}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"gunicorn did not start; see {log_path}")


def read_feed() -> dict:
    """What the load clients pick from: the published ids, newest first, and the feed's
    first and last instants as cursor positions (microseconds since 1970, as in
    ``partners.api.filters``)."""
    from django.db.models import Max, Min

    from partners.selectors import factcheck_keys

    ids = list(factcheck_keys().order_by("-first_published_at", "-id").values_list("pk", flat=True))
    span = factcheck_keys().aggregate(oldest=Min("first_published_at"), newest=Max("first_published_at"))
    return {"ids": ids, **{end: int(span[end].timestamp() * 1_000_000) for end in ("oldest", "newest")}}


# --- 3. load -----------------------------------------------------------------------------


WORKLOADS = ("mixed", "hits", "baseline", "page", "first-page", "detail", "search", "walk")


class Client(threading.Thread):
    """One client: requests of its ``workload`` in a loop until ``stop_at``.

    ``mixed``: in turn the next page of its own walk (from the first page), a random detail,
    a reworded search. ``hits``: the first page, 10 details and 5 searches, the same for
    every client (cache hits after their first round). ``page``: a page at a random depth
    (a cursor at a random instant of the feed: never seen before, so never cached).
    ``baseline``: the minimal DRF view. The others (``walk``, ``detail``, ``search``,
    ``first-page``): one kind of request alone.
    """

    def __init__(
        self,
        n: int,
        port: int,
        key: str,
        feed: dict,
        workload: str,
        stop_at: float,
        results: dict,
        series: int = 0,
    ):
        super().__init__(daemon=True)
        self.rnd = random.Random(n + 1_000_000 * series)
        self.port, self.key, self.feed, self.workload = port, key, feed, workload
        self.stop_at, self.results = stop_at, results
        self.cursor: str | None = None
        self.turn = n % 3

    def get(self, path: str) -> tuple[int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(
                "GET", path, headers={"Authorization": f"Api-Key {self.key}", "Accept": "application/json"}
            )
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def search_path(self, i: int) -> str:
        words = claim_text(i).rstrip(".").split()[2:]
        return "/api/v1/claims/search/?" + urlencode({"q": " ".join(words), "limit": 10})

    def next_request(self) -> tuple[str, str]:
        ids = self.feed["ids"]
        kind = self.workload
        if kind == "mixed":
            self.turn = (self.turn + 1) % 3
            kind = ("walk", "detail", "search")[self.turn]
        if kind == "hits":
            pick = self.rnd.randrange(16)
            if pick == 0:
                return "hits: first page", "/api/v1/fact-checks/?page_size=20"
            if pick <= 10:
                return "hits: detail", f"/api/v1/fact-checks/{ids[pick]}/"
            return "hits: search", self.search_path(pick)
        if kind == "walk":
            return "fact-checks/ (walk)", self.cursor or "/api/v1/fact-checks/?page_size=20"
        if kind == "first-page":
            return "fact-checks/ (first)", "/api/v1/fact-checks/?page_size=20"
        if kind == "page":
            at = self.rnd.randrange(self.feed["oldest"], self.feed["newest"])
            return "fact-checks/ (any depth)", f"/api/v1/fact-checks/?page_size=20&cursor={at}_0_0"
        if kind == "detail":
            return "fact-checks/{id}/", f"/api/v1/fact-checks/{self.rnd.choice(ids)}/"
        if kind == "search":
            return "claims/search/", self.search_path(self.rnd.randrange(len(ids)))
        return "baseline (plain DRF)", "/bench/baseline/"

    def run(self):
        while time.monotonic() < self.stop_at:
            name, path = self.next_request()
            t0 = time.perf_counter()
            try:
                status, body = self.get(path)
            except OSError:
                status, body = 0, b""
            elapsed = time.perf_counter() - t0
            self.results.setdefault(name, []).append((elapsed, status))
            if name == "fact-checks/ (walk)" and status == 200:
                nxt = json.loads(body).get("next")
                self.cursor = (urlsplit(nxt).path + "?" + urlsplit(nxt).query) if nxt else None


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def run_load(
    port: int, key: str, feed: dict, *, workload: str, clients: int, seconds: float, series: int = 0
) -> dict:
    """Run one workload; per request kind and for all: count, req/s, p50/p95/p99 ms, non-200s.
    Clients draw their details, searches and depths from ``series``: a run of another series
    asks for other ones (not answers cached by an earlier run)."""
    per_client: list[dict] = [{} for _ in range(clients)]
    stop_at = time.monotonic() + seconds
    threads = [Client(n, port, key, feed, workload, stop_at, per_client[n], series) for n in range(clients)]
    t0 = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - t0
    merged: dict[str, list[tuple[float, int]]] = {}
    for results in per_client:
        for name, rows in results.items():
            merged.setdefault(name, []).extend(rows)
    merged["all"] = [row for rows in list(merged.values()) for row in rows]
    table = {}
    for name, rows in merged.items():
        times = [t * 1000 for t, _status in rows]
        table[name] = {
            "requests": len(rows),
            "rps": len(rows) / wall,
            "p50": percentile(times, 0.5),
            "p95": percentile(times, 0.95),
            "p99": percentile(times, 0.99),
            "errors": sum(1 for _t, status in rows if status != 200),
        }
    return table


def print_table(title: str, rows: dict[str, dict], baseline_rps: float | None = None) -> None:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{title} (load average after: {load})")
    header = f"{'':<28}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'non-200':>9}"
    print(header + (f"{'x baseline':>12}" if baseline_rps else ""))
    for name, row in rows.items():
        line = (
            f"{name:<28}{row['requests']:>9}{row['rps']:>9.1f}{row['p50']:>9.1f}"
            f"{row['p95']:>9.1f}{row['p99']:>9.1f}{row['errors']:>9}"
        )
        if baseline_rps:
            line += f"{row['rps'] / baseline_rps:>12.2f}"
        print(line, flush=True)


def explain_page() -> None:
    """The plan of an uncached page's key query (the API's own queryset), to show it is one
    range scan of the feed's index."""
    from partners.selectors import factcheck_keys

    query = (
        factcheck_keys()
        .only("pk", "first_published_at", "modified_at")
        .order_by("-first_published_at", "-id")
    )
    print("\nplan of a page's key query:")
    print(query[:21].explain())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="fc_bench_api")
    parser.add_argument("--factchecks", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    # gthread 2x4 is what the README recommends (measured against sync with this bench).
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4, help="Threads per gthread worker.")
    parser.add_argument("--cache", default="redis://127.0.0.1:6379/12", help="CACHE_URL of the server.")
    parser.add_argument("--reuse", action="store_true", help="Keep the database of an earlier run.")
    args = parser.parse_args()
    key = prepare_database(args.db, args.factchecks, reuse=args.reuse)
    feed = read_feed()
    explain_page()
    from django.db import connections

    connections.close_all()
    _flush_cache(args.cache)
    port = free_port()
    log_path = Path(f"/tmp/{args.db}_gunicorn.log")
    server = start_server(
        PG + args.db,
        args.workers,
        port,
        log_path,
        worker_class=args.worker_class,
        threads=args.threads,
        cache_url=args.cache,
    )
    try:
        print(
            f"\ngunicorn: {args.workers} {args.worker_class} workers x {args.threads} threads on "
            f"127.0.0.1:{port}, {len(feed['ids'])} published fact-checks (log {log_path})",
            flush=True,
        )
        warm = run_load(port, key, feed, workload="mixed", clients=2 * args.workers, seconds=15, series=1)
        print_table("warm-up (each worker loads the matcher on its first search)", warm)
        single = {}
        for workload in ("page", "first-page", "detail", "search", "baseline"):
            rows = run_load(port, key, feed, workload=workload, clients=1, seconds=8)
            single.update({name: row for name, row in rows.items() if name != "all"})
        print_table("service time, one client at a time", single)
        runs = {}
        for workload in ("baseline", "mixed", "hits"):
            rows = run_load(port, key, feed, workload=workload, clients=args.clients, seconds=args.seconds)
            runs[workload] = rows
        baseline_rps = runs["baseline"]["all"]["rps"]
        side = {f"{workload}: {name}": row for workload, rows in runs.items() for name, row in rows.items()}
        print_table(f"THE RUN: {args.clients} clients, {args.seconds:.0f} s each", side, baseline_rps)
    finally:
        server.terminate()
        server.wait(timeout=20)


def _flush_cache(url: str) -> None:
    """The server's cache starts empty (a Redis database of the benchmark's own)."""
    import redis

    redis.Redis.from_url(url).flushdb()


if __name__ == "__main__":
    main()
