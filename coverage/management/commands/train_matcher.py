"""Retrain the prior-coverage re-ranker: ``manage.py train_matcher [--with-desk-decisions]``.

For each shared retrieval set (``FACTCHECK_BENCHMARKS_DIR``) it needs the first stage's
candidates on the TRAIN split; when ``--candidates-dir`` lacks them it runs
``bench.retrieval --candidates`` (a fresh database, the production search without the
re-ranker) to write them. Then ``coverage.matching.learn`` chooses every option by
cross-validation on train and writes the model file (``FACTCHECK_RERANKER_MODEL``).
Dev and test splits are never read here.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SETS = ("ct2020_task2_tweets", "ct2021_task2a_en_tweets", "ct2021_task2b_en_debates")
CANDIDATES_LIMIT = 50  # the largest depth the grid tries


class Command(BaseCommand):
    help = "Train the prior-coverage re-ranker on the train splits (options by cross-validation)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-desk-decisions",
            action="store_true",
            help="add the editors' confirmed and rejected matches (with their stored features) to the training data",
        )
        parser.add_argument(
            "--candidates-dir",
            type=Path,
            default=Path(tempfile.gettempdir()) / "train_matcher",
            help="where the first stage's train candidates are kept between runs (default: %(default)s)",
        )
        parser.add_argument("--out", type=Path, help="model file (default: FACTCHECK_RERANKER_MODEL)")
        parser.add_argument("--benchmarks", type=Path, help="default: FACTCHECK_BENCHMARKS_DIR")
        parser.add_argument("--sets", nargs="+", default=list(SETS), choices=SETS, metavar="SET")
        parser.add_argument(
            "--quick",
            action="store_true",
            help="one option per setting (smoke runs and tests; no choice made)",
        )

    def handle(self, *args, with_desk_decisions, candidates_dir, out, benchmarks, sets, quick, **options):
        from coverage.matching import learn

        bench_dir = Path(benchmarks or settings.FACTCHECK_BENCHMARKS_DIR)
        out = Path(out or settings.FACTCHECK_RERANKER_MODEL)
        queries = []
        for name in sets:
            train = bench_dir / name / "train"
            if not (train / "queries.jsonl").exists() or not (train / "qrels.tsv").exists():
                raise CommandError(f"no train split at {train} (set FACTCHECK_BENCHMARKS_DIR)")
            path = candidates_dir / f"{name}_train.jsonl"
            if not path.exists():
                self._write_candidates(bench_dir / name, path, candidates_dir)
            found = learn.read_candidates(path, train / "qrels.tsv", name)
            if not found:
                raise CommandError(f"{path} has no query of {train / 'qrels.tsv'}; delete it and rerun")
            queries += found
            self.stdout.write(f"{name}: {len(found)} train queries from {path}")
        extra = self._desk_queries() if with_desk_decisions else []
        if with_desk_decisions:
            self.stdout.write(f"desk decisions: {len(extra)} claim(s) with decided matches")
        self.stdout.write("cross-validation on train (MAP@5 mean ± spread over folds):")
        grid = learn.QUICK_GRID if quick else learn.GRID
        body, report = learn.train(queries, extra=extra, grid=grid, log=self.stdout.write)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(body, encoding="utf-8")
        self.stdout.write(f"chosen: {report.chosen}")
        for name in sorted(report.cv):
            mean, spread = report.cv[name]
            base_mean, base_spread = report.baseline[name]
            self.stdout.write(
                f"  {name}: re-ranked {mean:.4f} ± {spread:.4f}; first stage {base_mean:.4f} ± {base_spread:.4f}"
            )
        self.stdout.write(f"wrote {out} ({len(body)} bytes, sha256 {report.sha256[:12]})")
        from coverage.matching.retrieve import reset_reranker

        reset_reranker()

    def _write_candidates(self, folder: Path, path: Path, work: Path) -> None:
        work.mkdir(parents=True, exist_ok=True)
        self.stdout.write(f"first stage on {folder.name}/train (a few minutes: the collection is embedded)")
        cmd = [
            sys.executable,
            "-m",
            "bench.retrieval",
            "--collection",
            str(folder / "verified_claims.jsonl"),
            "--queries",
            str(folder / "train" / "queries.jsonl"),
            "--out",
            str(work / f"{folder.name}_train_run.tsv"),
            "--limit",
            str(CANDIDATES_LIMIT),
            "--candidates",
            str(path.with_suffix(".partial")),
            "--embedding-cache",
            str(work / "embeddings"),
        ]
        done = subprocess.run(cmd, cwd=settings.BASE_DIR, env={**os.environ}, check=False)  # noqa: S603
        if done.returncode != 0:
            raise CommandError(f"bench.retrieval failed on {folder.name} (exit {done.returncode})")
        path.with_suffix(".partial").rename(path)

    def _desk_queries(self):
        from coverage.matching import learn, rerank
        from coverage.selectors import decided_match_groups

        out = []
        for group in decided_match_groups():
            usable = [m for m in group["matches"] if tuple(m["names"]) == rerank.FEATURE_NAMES]
            if len(usable) < 2 or not any(m["confirmed"] for m in usable):
                continue  # a ranking example needs a confirmed match and another to rank it above
            out.append(
                learn.Query(
                    qid=f"desk:{group['claim_id']}",
                    dataset="desk",
                    text="",
                    claimant="",
                    docs=[str(m["id"]) for m in usable],
                    X=np.array([m["values"] for m in usable], dtype=np.float64),
                    relevant={str(m["id"]) for m in usable if m["confirmed"]},
                )
            )
        return out
