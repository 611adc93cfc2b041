"""Fetch feeds now: ``manage.py fetch_feeds [--feed ID ...] [--due] [--all]``.

Items are fetched in this process, so the summary counts the articles:
``feeds N, new articles N, updated N, unchanged N, failed N`` (unchanged and failed count
feeds). Exits non-zero when any feed failed.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.tasks import track_unqueued
from editorial.intake.services import feed_fetch, feed_item_fetch, feeds_due, items_due
from editorial.models import Feed


class Command(BaseCommand):
    help = "Fetch feeds (default: the due ones) and take in their new and changed articles."

    def add_arguments(self, parser):
        parser.add_argument("--feed", type=int, nargs="+", action="extend", default=[], metavar="ID")
        parser.add_argument("--due", action="store_true", help="Feeds whose interval has passed (default).")
        parser.add_argument("--all", action="store_true", help="Every active feed, due or not.")

    def handle(self, *args, feed, due, all, **options):
        feeds = self._select(feed, due=due, every=all)
        totals = {"feeds": 0, "new": 0, "updated": 0, "unchanged": 0, "failed": 0}
        with track_unqueued():
            for one in feeds:
                self._fetch_one(one, totals)
            if due or not (feed or all):
                self._retry_items(totals)
        self.stdout.write(
            f"feeds {totals['feeds']}, new articles {totals['new']}, updated {totals['updated']}, "
            f"unchanged {totals['unchanged']}, failed {totals['failed']}"
        )
        if totals["failed"]:
            raise CommandError(f"{totals['failed']} feed(s) failed; see the messages above")

    def _select(self, ids: list[int], *, due: bool, every: bool) -> list[Feed]:
        chosen: dict[int, Feed] = {}
        if ids:
            found = Feed.objects.in_bulk(ids)
            missing = sorted(set(ids) - set(found))
            if missing:
                raise CommandError(f"no feed with id {', '.join(map(str, missing))}")
            chosen.update(found)
        if every:
            chosen.update({f.pk: f for f in Feed.objects.filter(active=True)})
        if due or not (ids or every):
            chosen.update({f.pk: f for f in feeds_due()})
        return sorted(chosen.values(), key=lambda f: f.pk)

    def _fetch_one(self, feed: Feed, totals: dict[str, int]) -> None:
        result = feed_fetch(feed_id=feed.pk, inline_items=True)
        totals["feeds"] += 1
        totals["new"] += result.new
        totals["updated"] += result.updated
        if result.status == "failed":
            totals["failed"] += 1
            self.stderr.write(f"FAILED feed #{feed.pk} {feed.url}: {result.reason}")
            return
        if result.status == "unchanged":
            totals["unchanged"] += 1
        self.stdout.write(
            f"feed #{feed.pk} {feed.url}: {result.status}, {result.new} new, {result.updated} updated"
        )
        for error in result.item_errors:
            self.stderr.write(f"ITEM {error.where}: {error.reason}")

    def _retry_items(self, totals: dict[str, int]) -> None:
        for item_id in items_due(now=timezone.now()).values_list("pk", flat=True):
            outcome = feed_item_fetch(item_id=item_id)
            if outcome.status == "new":
                totals["new"] += 1
            elif outcome.status == "updated":
                totals["updated"] += 1
            elif outcome.reason:
                self.stderr.write(f"ITEM {outcome.url}: {outcome.reason}")
