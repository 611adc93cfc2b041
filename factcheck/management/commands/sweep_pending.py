"""Re-queue lost work: ``manage.py sweep_pending [--older-than MINUTES] [--limit N]``.

The same sweep Celery beat runs every few minutes (``CELERY_BEAT_SCHEDULE``); run it by
hand after a broker outage to catch up at once.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from factcheck.sweeps import articles_sweep_unextracted


class Command(BaseCommand):
    help = "Queue claim extraction for articles whose extraction never ran (a lost task)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than",
            type=int,
            default=settings.FACTCHECK_SWEEP_AFTER_MINUTES,
            metavar="MINUTES",
            help="Only articles last changed at least this long ago (default: %(default)s).",
        )
        parser.add_argument(
            "--limit", type=int, default=1000, help="At most this many (default: %(default)s)."
        )

    def handle(self, *args, older_than, limit, **options):
        if older_than < 0 or limit < 1:
            raise CommandError("--older-than must be 0 or more and --limit at least 1")
        result = articles_sweep_unextracted(older_than=timedelta(minutes=older_than), limit=limit)
        if result.backlog is not None and result.backlog > limit:
            self.stdout.write(
                f"skipped: {result.backlog} messages already wait in the queue (more than {limit})"
            )
            return
        self.stdout.write(
            f"{result.found} article(s) pending extraction for {older_than}+ min; queued {result.queued}"
        )
        if result.failed:
            raise CommandError(f"{result.failed} could not be queued: the task broker is unavailable")
