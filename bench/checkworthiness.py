"""Score a ``sentences.jsonl`` file with the production check-worthiness scorer.

    python -m bench.checkworthiness --sentences ../shared/benchmarks/ct2020_task5_debates/dev/sentences.jsonl \
        --out /tmp/cw_dev.tsv --gold ../shared/benchmarks/ct2020_task5_debates/dev/sentences.jsonl

Each debate is read in line order through ``factcheck.extraction.score_turns`` (the code
path of the extraction task: same features, same context of previous sentences, the
speaker as claimant), and ``sentence_id<TAB>score`` is written. With ``--gold`` the run is
scored by the shared ``score.py`` (MAP, P@k, ...). No Django needed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from itertools import groupby
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.extraction import score_turns  # noqa: E402
from factcheck.extraction.debates import read_sentences  # noqa: E402
from factcheck.extraction.scoring import load_model  # noqa: E402

DEFAULT_SCORER = ROOT.parent / "shared" / "benchmarks" / "score.py"


def score_file(sentences: Path, out: Path, *, model_path: str | None = None) -> tuple[int, float]:
    """Write the run file; return (sentences scored, seconds)."""
    model = load_model(model_path)
    rows = read_sentences(sentences)
    t0 = time.perf_counter()
    lines = []
    for _debate, group in groupby(rows, key=lambda r: r.debate):
        group = list(group)
        for row, cand in zip(
            group, score_turns(((r.speaker, r.text) for r in group), model=model), strict=True
        ):
            lines.append(f"{row.id}\t{cand.checkworthiness:.6f}\n")
    seconds = time.perf_counter() - t0
    out.write_text("".join(lines), encoding="utf-8")
    print(f"model: {model.source}; scored {len(lines)} sentences in {seconds:.2f}s -> {out}")
    return len(lines), seconds


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sentences", type=Path, required=True, help="sentences.jsonl to score")
    ap.add_argument("--out", type=Path, required=True, help="run file to write (TSV)")
    ap.add_argument("--gold", type=Path, help="gold sentences.jsonl: also print MAP and P@k")
    ap.add_argument("--scorer", type=Path, default=DEFAULT_SCORER, help="path of score.py")
    ap.add_argument("--model", help="model JSON (default: the committed artifact)")
    args = ap.parse_args(argv)
    if not args.sentences.is_file():
        ap.error(f"no such file: {args.sentences}")
    score_file(args.sentences, args.out, model_path=args.model)
    if args.gold:
        if not args.scorer.is_file():
            ap.error(f"score.py not found at {args.scorer} (use --scorer)")
        cmd = [
            sys.executable,
            str(args.scorer),
            "checkworthiness",
            "--gold",
            str(args.gold),
            "--run",
            str(args.out),
        ]
        return subprocess.run(cmd, check=False).returncode
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
