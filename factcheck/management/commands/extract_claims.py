"""``manage.py extract_claims [--article ID ...] [--all] [--since DATE] [--queue]``.

Runs claim pre-extraction for the chosen articles in this process (default, reporting
each failure and going on), or queues the Celery task for each with ``--queue``.
"""

from argparse import ArgumentTypeError
from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from editorial.models import Article
from factcheck import tasks
from factcheck.services import extraction as services


def positive_id(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise ArgumentTypeError(f"article ids are positive integers, not {value!r}")
    return number


def since_datetime(value: str) -> datetime:
    """Accept 2025-02-13 or an ISO date-time; naive values are in the project time zone."""
    parsed = parse_datetime(value)
    if parsed is None:
        day = parse_date(value) if len(value) == 10 else None
        if day is None:
            raise ArgumentTypeError(f"--since wants a date like 2025-02-13, not {value!r}")
        parsed = datetime.combine(day, time.min)
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


class Command(BaseCommand):
    help = "Extract claims from articles (given ids, all, or changed since a date)."

    def add_arguments(self, parser):
        parser.add_argument("--article", type=positive_id, nargs="+", default=[], metavar="ID")
        parser.add_argument("--all", dest="all_articles", action="store_true", help="every article")
        parser.add_argument("--since", type=since_datetime, help="articles updated since DATE")
        parser.add_argument("--queue", action="store_true", help="queue the task instead of running it here")

    def handle(self, *args, article, all_articles, since, queue, **options):
        if not (article or all_articles or since):
            raise CommandError("say which articles: --article ID ..., --all or --since DATE")
        if all_articles and (article or since):
            raise CommandError("--all cannot be combined with --article or --since")
        ids, missing = self._article_ids(article, since)
        for pk in missing:
            self.stderr.write(f"article {pk}: no such article")
        if queue:
            for pk in ids:
                tasks.extract_claims.delay(pk)
            self.stdout.write(f"queued {len(ids)} article(s), failed {len(missing)}")
            if missing:
                raise CommandError(f"{len(missing)} article id(s) not found")
            return
        done, created, failed = 0, 0, len(missing)
        for pk in ids:
            try:
                created += len(services.claims_extract(article_id=pk))
                done += 1
            except (Article.DoesNotExist, DatabaseError) as exc:
                failed += 1
                self.stderr.write(f"article {pk}: {exc}")
        self.stdout.write(f"extracted {done} article(s), {created} new claim(s), failed {failed}")
        if failed:
            raise CommandError(f"{failed} article(s) failed; see the messages above")

    def _article_ids(self, requested: list[int], since: datetime | None) -> tuple[list[int], list[int]]:
        """Ids to process, and requested ids that do not exist (not those --since filtered out)."""
        articles = Article.objects.order_by("pk")
        if since is not None:
            articles = articles.filter(updated_at__gte=since)
        if requested:
            articles = articles.filter(pk__in=requested)
        ids = list(articles.values_list("pk", flat=True))
        if since is not None and requested:
            existing = set(Article.objects.filter(pk__in=requested).values_list("pk", flat=True))
        else:
            existing = set(ids)
        return ids, sorted(set(requested) - existing)
