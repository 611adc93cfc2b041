"""Import fact-checks by other organisations: ``manage.py import_claimreview PATH ...``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from coverage.claimreview import EXTENSIONS, ParseResult, RecordError, parse_path
from coverage.services import prior_factchecks_import, searchdocs_queue_embedding


class Command(BaseCommand):
    help = (
        "Import schema.org ClaimReview (JSON-LD object/list/@graph, DataFeed, JSONL, HTML with "
        "JSON-LD) as prior fact-checks, keyed by review URL: a re-import updates, never duplicates."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="+", help="Files or folders (searched for .json, .jsonl, .html ...)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Parse and report, write nothing.")

    def handle(self, *args, paths, dry_run, **options):
        parsed = ParseResult()
        for path in _files(paths, parsed):
            part = parse_path(path)
            parsed.records += part.records
            parsed.errors += part.errors
        for error in parsed.errors:
            self.stderr.write(f"FAILED {error.where}: {error.reason}")
        if dry_run:
            self.stdout.write(f"dry run: {len(parsed.records)} valid record(s), failed {len(parsed.errors)}")
        else:
            report = prior_factchecks_import(records=parsed.records)
            searchdocs_queue_embedding(doc_ids=report.stale_doc_ids)
            self.stdout.write(
                f"imported {len(report.created)}, updated {len(report.updated)}, "
                f"unchanged {report.unchanged}, failed {len(parsed.errors)}"
            )
        if parsed.errors:
            raise CommandError(f"{len(parsed.errors)} file(s) or record(s) failed; see the messages above")


def _files(paths: list[str], parsed: ParseResult):
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in EXTENSIONS)
        elif path.is_file():
            yield path
        else:
            parsed.errors.append(RecordError(raw, "no such file or folder"))
