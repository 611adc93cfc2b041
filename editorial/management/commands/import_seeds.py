"""Import seed articles: ``manage.py import_seeds [PATH ...] [--dry-run]``."""

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from core.tasks import track_unqueued
from editorial.importers import SUPPORTED_SUFFIXES, ImportFileError, parse_file
from editorial.services import article_ingest


class Command(BaseCommand):
    help = "Import articles from .txt, .md, .json and .jsonl files (default: seeds/). Idempotent."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="Files or folders (default: seeds/).")
        parser.add_argument("--dry-run", action="store_true", help="Parse and report, write nothing.")
        parser.add_argument(
            "--max-bytes",
            type=int,
            default=settings.IMPORT_MAX_FILE_BYTES,
            help="Refuse files larger than this (default: %(default)s).",
        )

    def handle(self, *args, paths, dry_run, max_bytes, **options):
        files, missing = collect_files(paths or [str(settings.BASE_DIR / "seeds")])
        counts: Counter[str] = Counter()
        for where in missing:
            self._fail(counts, where, "no such file or folder")
        show_progress = self.stdout.isatty() and len(files) > 1
        with track_unqueued() as unqueued:
            for done, path in enumerate(files, 1):
                self._import_file(path, counts, max_bytes=max_bytes, dry_run=dry_run)
                if show_progress:
                    self.stdout.write(f"\r{done}/{len(files)} files", ending="")
                    self.stdout.flush()
        if show_progress:
            self.stdout.write("")
        prefix = "dry run: would have " if dry_run else ""
        self.stdout.write(
            f"{prefix}imported {counts['imported']}, updated {counts['updated']}, "
            f"unchanged {counts['unchanged']}, failed {counts['failed']}"
        )
        if unqueued.total():
            # The articles are saved; only their follow-up work (claim extraction) waits.
            self.stderr.write(
                f"WARNING: {unqueued.total()} article(s) saved but not queued for claim extraction "
                "(task broker unavailable); the periodic sweep (manage.py sweep_pending) will queue them."
            )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} file(s) or record(s) failed; see the messages above")

    def _import_file(self, path: Path, counts: Counter, *, max_bytes: int, dry_run: bool) -> None:
        try:
            parsed = parse_file(path, max_bytes=max_bytes)
        except ImportFileError as exc:
            self._fail(counts, str(path), exc.reason)
            return
        except OSError as exc:
            self._fail(counts, str(path), f"cannot read: {exc.strerror or exc}")
            return
        for error in parsed.errors:
            self._fail(counts, error.where, error.reason)
        for record in parsed.records:
            try:
                result = article_ingest(data=record, dry_run=dry_run)
            except DatabaseError as exc:
                self._fail(counts, f"{path} ({record.external_key})", f"database refused it: {exc}")
                continue
            counts[result.status] += 1

    def _fail(self, counts: Counter, where: str, reason: str) -> None:
        counts["failed"] += 1
        self.stderr.write(f"FAILED {where}: {reason}")


def collect_files(paths: list[str]) -> tuple[list[Path], list[str]]:
    """Expand folders (recursively, supported suffixes only, hidden files skipped)."""
    files, missing = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                sorted(
                    p
                    for p in path.rglob("*")
                    if p.is_file()
                    and p.suffix.lower() in SUPPORTED_SUFFIXES
                    and not any(part.startswith(".") for part in p.relative_to(path).parts)
                )
            )
        elif path.is_file():
            files.append(path)
        else:
            missing.append(raw)
    return files, missing
