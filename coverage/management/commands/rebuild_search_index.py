"""Re-derive the prior-coverage search index: ``manage.py rebuild_search_index``."""

import time

from django.core.management.base import BaseCommand

from coverage.matching import semantic_available
from coverage.matching.index import search_index_rebuild_fulltext, searchdocs_embed
from coverage.services import search_index_sync


class Command(BaseCommand):
    help = (
        "Sync SearchDoc rows with prior fact-checks, published claims and articles, rebuild the "
        "full-text index (FTS5 / PostgreSQL term statistics) and compute missing vectors."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-embeddings", action="store_true", help="Skip computing missing vectors.")

    def handle(self, *args, no_embeddings, **options):
        started = time.perf_counter()
        stale = search_index_sync()
        search_index_rebuild_fulltext()
        self.stdout.write(f"index synced and rebuilt; {len(stale)} item(s) new or changed")
        if no_embeddings:
            self.stdout.write("vectors: skipped (--no-embeddings)")
        elif semantic_available():
            self.stdout.write(f"vectors: computed {searchdocs_embed()}")
        else:
            self.stdout.write("vectors: embedding extra not installed, matching is lexical only")
        self.stdout.write(f"done in {time.perf_counter() - started:.1f} s")
