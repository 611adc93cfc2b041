"""CPU time per request of each process under one workload of ``bench.api_load``.

    .venv/bin/python -m bench.api_cpu --tree . --db fc_bench_api --workloads walk,detail,search,mixed,hits

On a shared machine the requests/s of a run swing with what else runs, but the CPU a
request costs each process moves much less, and on 2 cores that all of them share, it is
what bounds the throughput. This starts gunicorn from ``--tree`` (its own virtualenv, as
``bench.api_ab`` does) on a database ``bench.api_load`` seeded, runs each workload with
``--clients`` clients for ``--seconds``, and prints per request the CPU (user + system,
from ``/proc``) of the gunicorn master and workers, of this database's PostgreSQL backends,
of Redis and of the load client itself. Workloads are those of ``bench.api_load``; each
draws requests of its own, so none is served answers an earlier one cached.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api_ab import start  # noqa: E402
from bench.api_load import WORKLOADS, prepare_database, read_feed, run_load  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def _ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # the process ended meanwhile
        return 0
    return int(fields[11]) + int(fields[12])  # utime, stime


def _pids(match) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode()
            except OSError:
                continue
            if match(int(entry), cmdline):
                found.append(int(entry))
    return found


def snapshot(server: int, db: str) -> dict[str, dict[int, int]]:
    workers = set(subprocess.run(["pgrep", "-P", str(server)], capture_output=True, text=True).stdout.split())
    groups = {
        "gunicorn": _pids(lambda pid, _cmd: pid == server or str(pid) in workers),
        "postgres": _pids(lambda _pid, cmd: cmd.startswith("postgres:") and f" {db} " in cmd),
        "redis": _pids(lambda _pid, cmd: cmd.startswith("redis-server") or "/redis-server" in cmd),
    }
    shot = {name: {pid: _ticks(pid) for pid in pids} for name, pids in groups.items()}
    usage = resource.getrusage(resource.RUSAGE_SELF)
    shot["client"] = {0: round((usage.ru_utime + usage.ru_stime) * TICKS)}
    return shot


def cpu_ms(before: dict, after: dict, requests: int) -> dict[str, float]:
    """CPU ms per request of each group (processes started meanwhile count from zero)."""
    return {
        name: sum(t - before[name].get(pid, 0) for pid, t in after[name].items()) / TICKS * 1000 / requests
        for name in after
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tree", type=Path, default=Path("."), help="A checkout (with its .venv).")
    parser.add_argument("--db", default="fc_bench_api", help="A database bench.api_load seeded.")
    parser.add_argument("--workloads", default="walk,detail,search,mixed,hits,baseline")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--cache", default="redis://127.0.0.1:6379/9")
    parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    workloads = args.workloads.split(",")
    if unknown := set(workloads) - set(WORKLOADS):
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    key = prepare_database(args.db, 0, reuse=True)
    from django.db import connections

    feed = read_feed()
    connections.close_all()
    import redis

    redis.Redis.from_url(args.cache).flushdb()
    proc, port = start(
        args.tree.resolve(),
        db=args.db,
        cache=args.cache,
        worker_class=args.worker_class,
        workers=args.workers,
        threads=args.threads,
    )
    try:
        run_load(port, key, feed, workload="mixed", clients=4, seconds=8, series=99)  # matcher loaded
        print(
            f"{args.tree} ({args.worker_class} {args.workers}x{args.threads}), {args.db}, {args.clients} clients"
        )
        print(
            f"{'':10}{'requests':>9}{'req/s':>8}{'p95 ms':>8}   CPU ms a request: gunicorn, postgres, redis, client"
        )
        for n, workload in enumerate(workloads):
            before = snapshot(proc.pid, args.db)
            table = run_load(
                port, key, feed, workload=workload, clients=args.clients, seconds=args.seconds, series=200 + n
            )
            row = table["all"]
            cpu = cpu_ms(before, snapshot(proc.pid, args.db), row["requests"])
            load = os.getloadavg()[0]
            print(
                f"{workload:10}{row['requests']:>9}{row['rps']:>8.1f}{row['p95']:>8.0f}   "
                f"{cpu['gunicorn']:6.2f} {cpu['postgres']:6.2f} {cpu['redis']:5.2f} {cpu['client']:5.2f}"
                f"   (load {load:.1f})",
                flush=True,
            )
    finally:
        proc.terminate()
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
