"""Service time of one uncached ``fact-checks/`` page in-process, against a plain-DRF baseline.

    .venv/bin/python -m bench.api_page --db fc_bench_api              # a database bench.api_load seeded
    .venv/bin/python -m bench.api_page --db fc_bench_api --profile    # and where the time goes (cProfile)
    .venv/bin/python -m bench.api_page --db fc_bench_api --what search   # uncached searches instead
    .venv/bin/python -m bench.api_page --db fc_bench_api --what hit      # the cached first page

Each request goes through Django's whole handler and middleware (the test client, no
network, no gunicorn), with ``bench.api_settings``, PostgreSQL and the Redis cache
(``--cache``, emptied first so no answer is served from it): pages at random depths of the
feed (a cursor at a random instant, never asked before), and the baseline of
``bench.api_urls`` alternately; medians and their ratio printed, with the process's CPU time
per request (``--what search``: reworded searches as ``bench.api_load`` sends, never asked
before; ``--what hit``: the first page, served from the cache after its first request).
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api_load import BENCH_SECRET_KEY, PG, claim_text  # noqa: E402


def median_ms(call, count: int) -> tuple[float, float]:
    """Median wall time and mean process CPU time of ``call``, in ms."""
    times = []
    cpu = time.process_time()
    for _ in range(count):
        t0 = time.perf_counter()
        call()
        times.append(time.perf_counter() - t0)
    cpu = time.process_time() - cpu
    times.sort()
    return times[len(times) // 2] * 1000, cpu / count * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="fc_bench_api")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--cache", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--what", default="page", choices=["page", "search", "hit"])
    args = parser.parse_args()
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.api_settings",
            "DATABASE_URL": PG + args.db,
            "CACHE_URL": args.cache,
            "DEBUG": "0",
            "SECRET_KEY": BENCH_SECRET_KEY,
            "ALLOWED_HOSTS": "testserver",
            "API_THROTTLE_READ": "10000000/min",
            "DB_CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
        }
    )
    import django

    django.setup()
    import redis
    from django.db.models import Max, Min
    from django.test import Client

    from partners import services as partners
    from partners.selectors import factcheck_keys

    redis.Redis.from_url(args.cache).flushdb()
    partner, _ = partners.partner_ensure(name="Bench Partner")
    key = partners.api_key_create(partner=partner, name="bench", scopes="read")[1]
    span = factcheck_keys().aggregate(oldest=Min("first_published_at"), newest=Max("first_published_at"))
    low, high = (int(span[end].timestamp() * 1_000_000) for end in ("oldest", "newest"))
    client = Client(HTTP_AUTHORIZATION=f"Api-Key {key}", HTTP_ACCEPT="application/json")
    rnd = random.Random()

    def path() -> str:
        if args.what == "search":
            words = claim_text(rnd.randrange(10**9)).rstrip(".").split()[2:]
            return "/api/v1/claims/search/?" + urlencode({"q": " ".join(words), "limit": 10})
        if args.what == "hit":
            return "/api/v1/fact-checks/?page_size=20"
        return f"/api/v1/fact-checks/?page_size=20&cursor={rnd.randrange(low, high)}_0_0"

    def page():
        response = client.get(path())
        assert response.status_code == 200, response.content[:300]

    def baseline():
        assert client.get("/bench/baseline/").status_code == 200

    for _ in range(20):
        page()
        baseline()
    (page_ms, page_cpu), (baseline_ms, baseline_cpu) = (
        median_ms(page, args.requests),
        median_ms(baseline, args.requests),
    )
    print(
        f"{factcheck_keys().count()} published fact-checks, {args.requests} requests each, medians: "
        f"{args.what} {page_ms:.2f} ms, baseline {baseline_ms:.2f} ms, ratio {page_ms / baseline_ms:.2f}; "
        f"CPU of this process a request: {args.what} {page_cpu:.2f} ms, baseline {baseline_cpu:.2f} ms"
    )
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(100):
            page()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(60)
        print(out.getvalue())


if __name__ == "__main__":
    main()
