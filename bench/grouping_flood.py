"""A tipline flood: many tips of a few rumours at once, grouped by several Celery workers.

    python -m bench.grouping_flood [--rumours 4] [--variants 20] [--workers 2]

Needs PostgreSQL (the server ``DATABASE_URL`` names, default postgres://postgres@127.0.0.1:5432)
and ``redis-server`` on the PATH; everything it uses is its own (``bench.services``).

Each rumour arrives ``--variants`` times in slightly different words ("Forwarded: ...",
"Please share! ..."), all rumours interleaved, each tip stored as a partner claim as
``tip_submit`` stores it (``claim_add``, whose ``claims_created`` queues ``group_claim``),
while ``--workers`` worker processes group them. Prints how long the grouping took, how
many canonical claims the tips became (the rumours' number when every repeat was found) and
how many groups mix two rumours (0 when no wrong join happened). Exit status 1 when a
claim was never grouped.
"""

from __future__ import annotations

import argparse
import sys
import time

from bench.services import bench_services

RUMOURS = [
    "The new 5G towers are spreading the virus across the city",
    "The mayor's office confirmed that schools will close for the whole of March",
    "Drinking hot water every fifteen minutes kills the coronavirus in the throat",
    "The army is sending text messages to enrol young men in a military draft",
    "A shark was photographed swimming on the flooded motorway after the storm",
    "The central bank will withdraw all fifty-euro notes from circulation next month",
]
PREFIXES = ["", "Forwarded: ", "Please share! ", "BREAKING: ", "My cousin says ", "Heard today: ",
            "Read this: ", "Warning: ", "Urgent: ", "From a friend: "]  # fmt: skip
ENDINGS = (".", "!!")


def tips(rumours: int, variants: int) -> list[tuple[int, str]]:
    """(rumour, text) pairs, the rumours interleaved as a flood would bring them."""
    return [(r, _form(v, RUMOURS[r])) for v in range(variants) for r in range(rumours)]


def _form(v: int, rumour: str) -> str:
    """The ``v``-th wording: a prefix, the rumour, an ending."""
    prefix = PREFIXES[v % len(PREFIXES)]
    return prefix + rumour + ENDINGS[(v // len(PREFIXES)) % len(ENDINGS)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rumours", type=int, default=4, choices=range(1, len(RUMOURS) + 1))
    parser.add_argument(
        "--variants", type=int, default=20, choices=range(1, len(PREFIXES) * len(ENDINGS) + 1)
    )
    parser.add_argument("--workers", type=int, default=2, help="worker processes (concurrency 1 each)")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args(argv)
    with bench_services("flood") as services:
        for n in range(args.workers):
            services.worker(f"flood{n}")
        time.sleep(8)  # the workers are up and have loaded the model
        return _run(args)


def _run(args) -> int:
    from collections import defaultdict

    from django.db import transaction

    from factcheck.models import Claim, ClaimOrigin
    from factcheck.services.claims import claim_add

    rumour_of: dict[int, int] = {}
    started = time.monotonic()
    for rumour, text in tips(args.rumours, args.variants):
        with transaction.atomic():
            rumour_of[claim_add(text=text, origin=ClaimOrigin.PARTNER).pk] = rumour
    pending = Claim.objects.filter(grouped_at__isnull=True)
    while pending.exists() and time.monotonic() - started < args.timeout:
        time.sleep(0.05)
    took = time.monotonic() - started
    left = pending.count()
    groups: dict[int, set[int]] = defaultdict(set)
    for pk, same_as in Claim.objects.values_list("pk", "same_as_id"):
        groups[same_as or pk].add(rumour_of[pk])
    mixed = sum(1 for found in groups.values() if len(found) > 1)
    n = len(rumour_of)
    print(
        f"{n} tips of {args.rumours} rumours, {args.workers} workers: grouped in {took:.1f} s "
        f"({n / took:.1f} a second, storing included); {len(groups)} canonical claims "
        f"({args.rumours} if every repeat was found), {mixed} mixing two rumours, {left} never grouped"
    )
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
