"""Add a feed: ``manage.py add_feed URL [--outlet NAME] [--kind KIND] [--interval MINUTES]``."""

from django.core.management.base import BaseCommand, CommandError

from core.errors import ApplicationError
from editorial.intake.formats import KINDS
from editorial.intake.services import feed_add


class Command(BaseCommand):
    help = "Add an outlet's RSS, Atom or JSON feed, sitemap or page; its kind is read from the answer."

    def add_arguments(self, parser):
        parser.add_argument("url", help="The feed's http(s) URL.")
        parser.add_argument("--outlet", default="", help="The outlet's name (created if new).")
        parser.add_argument(
            "--kind", choices=KINDS, default="", help="Insist on this kind (default: detect)."
        )
        parser.add_argument("--interval", type=int, default=None, help="Minutes between fetches.")

    def handle(self, *args, url, outlet, kind, interval, **options):
        try:
            feed, probe = feed_add(url=url, outlet=outlet, kind=kind, interval=interval)
        except ApplicationError as exc:
            raise CommandError(f"refused {url}: {exc.reason}") from None
        what = f"{probe.sitemaps} sitemaps" if probe.sitemaps else f"{probe.items} items"
        self.stdout.write(
            f"added feed #{feed.pk}: kind {probe.kind}, title {probe.title or '(none)'!r}, {what}, "
            f"every {feed.fetch_interval} min"
        )
