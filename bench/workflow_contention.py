"""Workflow transitions on PostgreSQL: latency alone, and under contention.

    .venv/bin/python -m bench.workflow_contention                  # 200 claims, 4 threads
    .venv/bin/python -m bench.workflow_contention --claims 200 --threads 4

1. creates a fresh PostgreSQL database (``--db``, default ``fc_bench_workflow``), migrates
   it, and seeds ``--claims`` approved claims with a complete verdict, an author and a
   second Editor;
2. publishes a quarter of them one after another from one thread (the baseline);
3. publishes the next quarter from ``--threads`` threads, each its own claims
   (parallel throughput, as a ratio to the baseline);
4. races ``--threads`` threads on each claim of the next quarter (all publish the same
   claim at once): counts winners per claim (must be exactly 1) and event rows;
5. the same race with ``expected_version`` (the admin's buttons send it).
Prints medians and p95 per transition, the throughput ratio, and the race tallies.

Follow-up tasks go to an in-memory broker nobody consumes, so only the transition itself
(lock, checks, writes, event row) is timed. The machine has 2 cores shared with others:
compare ratios measured in the same run, not absolute figures across runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = "postgres://postgres@127.0.0.1:5432/"


def _setup(db: str) -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", db], check=True)
    os.environ.update(
        DATABASE_URL=PG + db,
        CELERY_BROKER_URL="memory://",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _seed(n: int):
    from django.contrib.auth.hashers import make_password

    from desk.roles import desk_user_set_role
    from factcheck.models import Claim, ClaimState, Source, Verdict

    author, _ = desk_user_set_role(username="bench_author", role="Fact-checker")
    editors = [desk_user_set_role(username=f"bench_editor{i}", role="Editor")[0] for i in range(8)]
    for user in [author, *editors]:
        user.password = make_password(None)
        user.save(update_fields=["password"])
    claims = Claim.objects.bulk_create(
        Claim(text=f"Claim {i}: unemployment fell to {i}% in March.", state=ClaimState.APPROVED)
        for i in range(n)
    )
    verdicts = Verdict.objects.bulk_create(
        Verdict(claim=c, rating="false", summary="Official statistics show it rose instead.", author=author)
        for c in claims
    )
    Source.objects.bulk_create(Source(verdict=v, url=f"https://stats.example.org/{v.pk}") for v in verdicts)
    return [c.pk for c in claims], editors


def _publish(claim_id: int, editor, expected: int | None = None):
    from django.db import connections

    from factcheck import workflow
    from factcheck.models import Claim

    started = time.perf_counter()
    try:
        workflow.transition(Claim.objects.get(pk=claim_id), "publish", user=editor, expected_version=expected)
        won = True
    except workflow.TransitionNotAllowed:
        won = False
    finally:
        connections["default"].close_if_unusable_or_obsolete()
    return won, time.perf_counter() - started


def _p95(values):
    return sorted(values)[max(0, int(len(values) * 0.95) - 1)]


def _threads(work) -> None:
    threads = [threading.Thread(target=w) for w in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=200)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--db", default="fc_bench_workflow")
    args = parser.parse_args()
    _setup(args.db)
    ids, editors = _seed(args.claims)
    for editor in editors:
        editor.get_all_permissions()
    q = len(ids) // 4
    baseline_ids, parallel_ids, race_ids, cas_ids = (
        ids[:q],
        ids[q : 2 * q],
        ids[2 * q : 3 * q],
        ids[3 * q : 4 * q],
    )

    started = time.perf_counter()
    baseline = [_publish(cid, editors[0])[1] for cid in baseline_ids]
    baseline_rate = len(baseline_ids) / (time.perf_counter() - started)
    print(
        f"sequential publish: {len(baseline)} claims, median {statistics.median(baseline) * 1000:.1f} ms, "
        f"p95 {_p95(baseline) * 1000:.1f} ms, {baseline_rate:.0f} transitions/s"
    )

    chunks = [parallel_ids[i :: args.threads] for i in range(args.threads)]
    times: list[float] = []

    def worker(chunk, editor):
        from django.db import connections

        for cid in chunk:
            times.append(_publish(cid, editor)[1])
        connections.close_all()

    started = time.perf_counter()
    _threads([lambda c=c, e=editors[i]: worker(c, e) for i, c in enumerate(chunks)])
    rate = len(parallel_ids) / (time.perf_counter() - started)
    print(
        f"parallel publish ({args.threads} threads, distinct claims): median {statistics.median(times) * 1000:.1f} ms, "
        f"{rate:.0f} transitions/s = {rate / baseline_rate:.2f}x sequential"
    )

    from factcheck.models import Claim, ReviewEvent

    for label, race, use_version in (
        ("race", race_ids, False),
        ("race with expected_version", cas_ids, True),
    ):
        tallies: list[int] = []
        latencies: list[float] = []
        for cid in race:
            expected = Claim.objects.get(pk=cid).version if use_version else None
            outcomes: list = []

            def contender(editor, cid=cid, expected=expected, outcomes=outcomes):
                from django.db import connections

                outcomes.append(_publish(cid, editor, expected))
                connections.close_all()

            _threads([lambda e=e: contender(e) for e in editors[: args.threads]])
            tallies.append(sum(won for won, _ in outcomes))
            latencies += [t for _, t in outcomes]
        events = ReviewEvent.objects.filter(claim_id__in=race, transition="publish").count()
        print(
            f"{label}: {len(race)} claims x {args.threads} threads: winners per claim "
            f"min {min(tallies)} max {max(tallies)}, publish events {events} (expected {len(race)}), "
            f"median attempt {statistics.median(latencies) * 1000:.1f} ms, p95 {_p95(latencies) * 1000:.1f} ms"
        )


if __name__ == "__main__":
    try:
        main()
    finally:
        from django.db import connections

        connections.close_all()
        db = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[-1]
        if db.startswith("fc_bench_"):
            subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", db], check=False)
