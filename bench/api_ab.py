"""Two checkouts of the partner API under the same load, in alternating slices.

    .venv/bin/python -m bench.api_ab --a /work/main --b . --db fc_bench_api --workloads hits,mixed,baseline

On a shared machine the load other processes put on the cores moves every figure of a
``bench.api_load`` run by more than a change to the API does, so two runs one after the
other cannot be compared. This starts one gunicorn per checkout (``--a``, ``--b``: their
own virtualenvs, the same database that ``bench.api_load`` seeded, a Redis cache database
each, emptied first) and runs each workload of ``bench.api_load`` (``--clients`` clients for
``--seconds``) on A and B in turn, ``--rounds`` times (ABBA order), so both see the same
load; it prints each slice's requests/s, the medians and their ratio B/A.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.api_load import PG, WORKLOADS, free_port, prepare_database, read_feed, run_load, server_env  # noqa: E402


def start(tree: Path, *, db: str, cache: str, worker_class: str, workers: int, threads: int):
    port = free_port()
    env = server_env(PG + db, cache)
    command = [str(tree / ".venv/bin/python"), "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads)]
    log = open(f"/tmp/api_ab_{port}.log", "w")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(command, cwd=tree, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"gunicorn in {tree} did not start; see /tmp/api_ab_{port}.log")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", type=Path, required=True, help="A checkout (with its .venv).")
    parser.add_argument("--b", type=Path, required=True)
    parser.add_argument("--db", default="fc_bench_api", help="A database bench.api_load seeded.")
    parser.add_argument("--workloads", default="hits,mixed,baseline")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--caches", default="redis://127.0.0.1:6379/10,redis://127.0.0.1:6379/11")
    for side in ("a", "b"):
        parser.add_argument(f"--{side}-worker-class", default="gthread", choices=["sync", "gthread"])
        parser.add_argument(f"--{side}-workers", type=int, default=2)
        parser.add_argument(f"--{side}-threads", type=int, default=4)
    args = parser.parse_args()
    if unknown := set(args.workloads.split(",")) - set(WORKLOADS):
        parser.error(f"unknown workloads: {', '.join(sorted(unknown))}")
    key = prepare_database(args.db, 0, reuse=True)
    from django.db import connections

    feed = read_feed()
    connections.close_all()
    import redis

    caches = args.caches.split(",")
    servers = {}
    try:
        for side, cache in zip("ab", caches, strict=True):
            redis.Redis.from_url(cache).flushdb()
            servers[side] = start(
                getattr(args, side).resolve(),
                db=args.db,
                cache=cache,
                worker_class=getattr(args, f"{side}_worker_class"),
                workers=getattr(args, f"{side}_workers"),
                threads=getattr(args, f"{side}_threads"),
            )
        for _proc, port in servers.values():  # each worker loads the matcher on its first search
            run_load(port, key, feed, workload="mixed", clients=4, seconds=8, series=99)
        for workload in args.workloads.split(","):
            compare(workload, servers, key, feed, args)
    finally:
        for proc, _port in servers.values():
            proc.terminate()
            proc.wait(timeout=20)


def compare(workload: str, servers: dict, key: str, feed: dict, args) -> None:
    rps: dict[str, list[float]] = {"a": [], "b": []}
    p95: dict[str, list[float]] = {"a": [], "b": []}
    for round_ in range(args.rounds):
        for side in "ab" if round_ % 2 == 0 else "ba":
            # Each round asks for other details and searches (the same ones on A and B), so a
            # slice is not served the answers an earlier slice had cached.
            table = run_load(
                servers[side][1],
                key,
                feed,
                workload=workload,
                clients=args.clients,
                seconds=args.seconds,
                series=100 + round_,
            )
            rps[side].append(table["all"]["rps"])
            p95[side].append(table["all"]["p95"])
    med = {side: statistics.median(rps[side]) for side in "ab"}
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n{workload}, {args.clients} clients, {args.rounds} x {args.seconds:.0f} s each (load average: {load})"
    )
    for side in "ab":
        slices = " ".join(f"{x:.0f}" for x in rps[side])
        setup = f"{getattr(args, f'{side}_worker_class')} {getattr(args, f'{side}_workers')}x{getattr(args, f'{side}_threads')}"
        print(
            f"  {side.upper()} {getattr(args, side)} ({setup}): req/s {slices}; median {med[side]:.1f}, "
            f"p95 median {statistics.median(p95[side]):.0f} ms"
        )
    print(f"  B/A {med['b'] / med['a']:.2f}", flush=True)


if __name__ == "__main__":
    main()
