"""Load test of the partner API under gunicorn on PostgreSQL.

    .venv/bin/python -m bench.api_load                   # 10,000 fact-checks, 20 clients, 30 s
    .venv/bin/python -m bench.api_load --clients 20 --seconds 30 --factchecks 10000 --workers 2

1. creates a fresh PostgreSQL database (``--db``, default ``fc_bench_api`` on 127.0.0.1),
   migrates it and seeds ``--factchecks`` published fact-checks (claim, current verdict
   with ``published_at``, two sources, an article of one of 20 outlets) plus 2,000
   imported fact-checks, and builds the search index;
2. starts ``gunicorn config.wsgi`` with ``--workers`` sync workers on a loopback port
   (DEBUG off, throttles raised so the limit itself is not what is measured);
3. runs ``--clients`` threads for ``--seconds``, each picking in turn: a ``fact-checks/``
   page (first page or the next cursor of its own walk), a random ``fact-checks/{id}/``
   and a ``claims/search/`` for a seeded claim reworded;
4. prints requests/s and p50/p95/p99 latency per endpoint, and the error count, for a
   warm-up, a one-client run (service time without queueing) and the measured run.

The load client runs on the same 2-core machine as the server, so figures are a floor.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
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


def seed(count: int) -> str:
    from django.db import transaction
    from django.utils import timezone

    from coverage.models import PriorFactCheck
    from coverage.services import search_index_sync
    from editorial.models import Article, Outlet
    from factcheck.models import Claim, ClaimState, Source, Verdict
    from partners import services as partners

    now = timezone.now()
    with transaction.atomic():
        outlets = Outlet.objects.bulk_create(
            [Outlet(name=f"Outlet {i}", domain=f"outlet{i}.example") for i in range(20)]
        )
        articles = Article.objects.bulk_create(
            [
                Article(
                    outlet=outlets[i % 20],
                    title=f"Article {i}",
                    body="Body.",
                    url=f"https://outlet{i % 20}.example/a/{i}",
                    external_key=f"bench:{i}",
                    content_hash=f"{i:064x}",
                    published_at=now,
                )
                for i in range(count // 5 + 1)
            ],
            batch_size=1000,
        )
        claims = Claim.objects.bulk_create(
            [
                Claim(
                    text=claim_text(i),
                    claimant=random.Random(i).choice(SUBJECTS),
                    state=ClaimState.PUBLISHED,
                    article=articles[i // 5],
                    checkworthiness=0.7,
                )
                for i in range(count)
            ],
            batch_size=1000,
        )
        verdicts = Verdict.objects.bulk_create(
            [
                Verdict(
                    claim=claim,
                    rating=RATINGS[i % len(RATINGS)],
                    summary=f"Official figures contradict this ({i}).",
                    published_at=now - timezone.timedelta(minutes=i),
                    is_current=True,
                )
                for i, claim in enumerate(claims)
            ],
            batch_size=1000,
        )
        Source.objects.bulk_create(
            [
                Source(verdict=v, url=f"https://stats.example/{v.pk}/{j}", title="Release", publisher="Stats")
                for v in verdicts
                for j in range(2)
            ],
            batch_size=2000,
        )
        PriorFactCheck.objects.bulk_create(
            [
                PriorFactCheck(
                    claim_reviewed=claim_text(count + i),
                    rating_text="False",
                    publisher="Other Checkers",
                    url=f"https://other.example/review/{i}",
                )
                for i in range(2000)
            ],
            batch_size=1000,
        )
    search_index_sync()
    from django.db import connection

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


def start_server(db_url: str, workers: int, port: int, log_path: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdefghijkl",
        "ALLOWED_HOSTS": "127.0.0.1",
        "API_THROTTLE_READ": "10000000/min",
        "DB_CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    # The gunicorn of the interpreter running this (a venv's bin/ need not be on PATH).
    gunicorn = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or "gunicorn"
    log = open(log_path, "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [
            gunicorn,
            "config.wsgi",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"gunicorn did not start; see {log_path}")


# --- 3. load -----------------------------------------------------------------------------


class Client(threading.Thread):
    def __init__(self, n: int, port: int, key: str, ids: list[int], stop_at: float, results: dict):
        super().__init__(daemon=True)
        self.rnd = random.Random(n)
        self.port, self.key, self.ids, self.stop_at, self.results = port, key, ids, stop_at, results
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

    def next_request(self) -> tuple[str, str]:
        self.turn = (self.turn + 1) % 3
        if self.turn == 0:
            return "fact-checks/ (page)", self.cursor or "/api/v1/fact-checks/?page_size=20"
        if self.turn == 1:
            return "fact-checks/{id}/", f"/api/v1/fact-checks/{self.rnd.choice(self.ids)}/"
        words = claim_text(self.rnd.randrange(len(self.ids))).rstrip(".").split()[2:]
        return "claims/search/", "/api/v1/claims/search/?" + urlencode({"q": " ".join(words), "limit": 10})

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
            if name.startswith("fact-checks/ (page)") and status == 200:
                nxt = json.loads(body).get("next")
                self.cursor = (urlsplit(nxt).path + "?" + urlsplit(nxt).query) if nxt else None


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def run_load(port: int, key: str, ids: list[int], clients: int, seconds: float) -> None:
    per_client = [{} for _ in range(clients)]
    stop_at = time.monotonic() + seconds
    threads = [Client(n, port, key, ids, stop_at, per_client[n]) for n in range(clients)]
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
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"\n{clients} clients, {wall:.1f} s wall time (machine load average after: {load})")
    print(f"{'endpoint':<22}{'requests':>9}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'non-200':>9}")
    total = 0
    for name in sorted(merged):
        rows = merged[name]
        times = [t * 1000 for t, _status in rows]
        bad = sum(1 for _t, status in rows if status != 200)
        total += len(rows)
        print(
            f"{name:<22}{len(rows):>9}{len(rows) / wall:>9.1f}{percentile(times, 0.5):>9.1f}"
            f"{percentile(times, 0.95):>9.1f}{percentile(times, 0.99):>9.1f}{bad:>9}"
        )
    print(f"{'all':<22}{total:>9}{total / wall:>9.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="fc_bench_api")
    parser.add_argument("--factchecks", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="Keep the database of an earlier run.")
    args = parser.parse_args()
    key = prepare_database(args.db, args.factchecks, reuse=args.reuse)
    from factcheck.selectors import published_factchecks

    ids = list(published_factchecks().values_list("pk", flat=True))
    from django.db import connections

    connections.close_all()
    port = free_port()
    log_path = Path(f"/tmp/{args.db}_gunicorn.log")
    server = start_server(PG + args.db, args.workers, port, log_path)
    try:
        print(f"gunicorn: {args.workers} workers on 127.0.0.1:{port} (log {log_path})", flush=True)
        print("\nwarm-up (each worker loads the matcher's vectors and model on its first search):")
        run_load(port, key, ids, clients=2 * args.workers, seconds=15)
        print("\nservice time, one client at a time:")
        run_load(port, key, ids, clients=1, seconds=10)
        print("\nTHE RUN:")
        run_load(port, key, ids, clients=args.clients, seconds=args.seconds)
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
