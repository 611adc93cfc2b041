"""Reproduce the check-worthiness model artifact from the shared benchmark data.

Needs scikit-learn (requirements-dev.txt); the app itself only reads the JSON it writes.
"""

import statistics
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core import embedding
from factcheck.extraction import training
from factcheck.extraction.scoring import MODEL_PATH


def default_data_dir() -> Path:
    """``../shared/benchmarks`` next to the project, unless ``FACTCHECK_BENCHMARKS_DIR`` says."""
    return Path(settings.FACTCHECK_BENCHMARKS_DIR)


class Command(BaseCommand):
    help = "Train the check-worthiness model on the shared train splits and write its JSON."

    def add_arguments(self, parser):
        parser.add_argument("--data-dir", type=Path, default=None, help="benchmarks folder")
        parser.add_argument("--out", type=Path, default=MODEL_PATH, help="artifact to write")
        parser.add_argument("--no-ct2019", action="store_true", help="train on CheckThat! 2020 train only")
        parser.add_argument(
            "--cv",
            action="store_true",
            help="only print the leave-debates-out 5-fold CV MAP on the train rows (3 seeds); write nothing",
        )

    def handle(self, *args, data_dir, out, no_ct2019, cv=False, **options):
        data_dir = data_dir or default_data_dir()
        if not (data_dir / training.CT2020_TRAIN).is_file():
            raise CommandError(f"no training data at {data_dir / training.CT2020_TRAIN}")
        if not out.parent.is_dir():
            raise CommandError(f"output folder {out.parent} does not exist")
        try:
            import sklearn  # noqa: F401
        except ImportError as exc:
            raise CommandError(f"training needs scikit-learn (requirements-dev.txt): {exc}") from exc
        if not embedding.available():
            raise CommandError(
                "training needs the word vectors of the embedding extra (pip install -r "
                "requirements-embeddings.txt); the model it writes does not"
            )
        try:
            rows = training.training_rows(data_dir, with_ct2019=not no_ct2019)
        except (ValueError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        if cv:
            result = training.cross_validate(rows)
            seeds = " ".join(f"{m:.4f}" for m in result["per_seed"])
            folds = result["per_fold"]
            sd = statistics.pstdev(folds) if len(folds) > 1 else 0.0
            self.stdout.write(
                f"CV MAP {result['map']:.4f} ({result['folds']}-fold by debate event; per seed {seeds}); "
                f"over the {len(folds)} folds: sd {sd:.4f}, min {min(folds):.4f}, max {max(folds):.4f}"
            )
            return
        model = training.train(rows)
        command = "python manage.py train_checkworthiness" + ("".join(f" {a}" for a in sys.argv[2:]))
        training.write_model(model, out, data_dir=data_dir, with_ct2019=not no_ct2019, command=command)
        meta = model["meta"]
        self.stdout.write(
            f"trained on {meta['sentences']} sentences ({meta['positives']} positive, "
            f"{meta['debates']} debates); {len(model['weights'])} weights -> {out} "
            f"({out.stat().st_size // 1024} KiB)"
        )
