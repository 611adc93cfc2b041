"""Re-queue lost work: ``manage.py sweep_pending [--older-than MINUTES] [--limit N]``.

The same sweeps Celery beat runs every few minutes (``CELERY_BEAT_SCHEDULE``): articles
whose extraction never ran, claims whose matching never ran, prior items whose vector
was never computed, then published claims missing from the search index. Run it by hand
after a broker outage (or a data load that published claims) to catch up at once.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from coverage.sweeps import (
    claims_sweep_ungrouped,
    claims_sweep_unindexed,
    claims_sweep_unmatched,
    searchdocs_sweep_unembedded,
)
from factcheck.sweeps import articles_sweep_unextracted

SWEEPS = (
    ("article(s) pending extraction", articles_sweep_unextracted),
    ("claim(s) pending grouping", claims_sweep_ungrouped),
    ("claim(s) pending matching", claims_sweep_unmatched),
    ("prior item(s) pending embedding", searchdocs_sweep_unembedded),
    ("published claim(s) pending indexing", claims_sweep_unindexed),
)


class Command(BaseCommand):
    help = "Queue extraction and matching whose task was lost (never ran), oldest first."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.FACTCHECK_SWEEP_AFTER_MINUTES,
            metavar="MINUTES",
            help="Only work last changed at least this long ago (default: %(default)s).",
        )
        parser.add_argument(
            "--limit", type=int, default=1000, help="At most this many of each (default: %(default)s)."
        )

    def handle(self, *args, older_than, limit, **options):
        if older_than < 0 or limit < 1:
            raise CommandError("--older-than must be 0 or more and --limit at least 1")
        for label, sweep in SWEEPS:
            result = sweep(older_than=timedelta(minutes=older_than), limit=limit)
            if result.backlog is not None and result.backlog > limit:
                self.stdout.write(
                    f"skipped: {result.backlog} messages already wait in the queue (more than {limit})"
                )
                return
            self.stdout.write(f"{result.found} {label} for {older_than}+ min; queued {result.queued}")
            if result.failed:
                raise CommandError(f"{result.failed} could not be queued: the task broker is unavailable")
