"""Worst-case text: time per size of the text paths on hostile input, against normal text.

    python -m bench.text_worst_case [--sizes 25000,50000,100000,200000] [--repeat 3]

For each path (the importer's title guessing, the extractor, the ClaimReview HTML
parser) and each input (a normal article or page of the same size, then hostile runs:
repeated abbreviations, runs of "!" or "?", ...), prints the median wall time of
``--repeat`` runs per size, the ratio to the normal input of the same size, and the
growth from the previous size (2.0 is linear). A size whose single run passes
``--max-seconds`` ends that row (the larger sizes would only take longer). Pure Python,
no database; one process, one core.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LD_OPEN = '<script type="application/ld+json">'
LD_BLOCK = (
    LD_OPEN
    + '{"@type": "ClaimReview", "url": "https://example.org/fc/1", "claimReviewed": "Crime fell by 20%.",'
    ' "reviewRating": {"alternateName": "False"}}</script>'
)


def repeat_to(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def normal_article(size: int) -> str:
    """News-like text of ``size`` characters (the articles of ``bench.extraction_speed``)."""
    from bench.extraction_speed import make_article

    rng, parts, total = random.Random(size), [], 0
    while total < size:
        parts.append(make_article(rng, 800))
        total += len(parts[-1]) + 2
    return "\n\n".join(parts)[:size].rsplit(" ", 1)[0]


def normal_page(size: int) -> str:
    """An HTML page of ``size`` characters: paragraphs, scripts, one ClaimReview block."""
    body = normal_article(size)
    paragraphs = "".join(f"<p>{p}</p><script>var x = 1;</script>" for p in body.split("\n\n"))
    return ("<html><head>" + LD_BLOCK + "</head><body>" + paragraphs)[:size] + "</body></html>"


def paths() -> dict[str, tuple[Callable[[str], object], Callable[[int], str], dict[str, str]]]:
    from coverage.claimreview import parse_html
    from editorial.importers import title_from_text
    from factcheck.extraction import extract

    return {
        "title_from_text": (
            title_from_text,
            normal_article,
            {"'A. B ' run": "A. B ", "'A. ' run": "A. ", "'Dr. Mr. ' run": "Dr. Mr. "},
        ),
        "extract": (
            extract,
            normal_article,
            {
                "'!' run": "!",
                "'?' run": "?",
                "'!)' run": "!)",
                "'Yes! ' run": "Yes! ",
                "'A. B ' run": "A. B ",
                "'aA' run": "aA",
                "'Abc ' run": "Abc ",
                "'\"' run": '"',
                "'1' run": "1",
            },
        ),
        "parse_html": (
            parse_html,
            normal_page,
            {"'<script' run": "<script", "ld+json openings": LD_OPEN},
        ),
    }


def median_seconds(func: Callable[[str], object], text: str, repeat: int, max_seconds: float) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func(text)
        times.append(time.perf_counter() - start)
        if times[-1] > max_seconds:
            break  # one run is figure enough for a size this slow
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="25000,50000,100000,200000")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--max-seconds", type=float, default=20.0, help="end a row after a run this long")
    ap.add_argument("--only", help="comma-separated paths to run (title_from_text, extract, parse_html)")
    args = ap.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    chosen = paths()
    if args.only:
        chosen = {k: v for k, v in chosen.items() if k in args.only.split(",")}

    header = "".join(f"{n:>18,}" for n in sizes)
    print(f"median of {args.repeat} runs, ms per size; xN = ratio to normal text of the same size")
    for name, (func, make_normal, hostile) in chosen.items():
        print(f"\n{name:<28}{header}   growth per doubling")
        normal: dict[int, float] = {}
        rows = {
            "normal text": make_normal,
            **{k: (lambda n, u=u: repeat_to(u, n)) for k, u in hostile.items()},
        }
        for label, make in rows.items():
            cells, figures = [], []
            for size in sizes:
                if figures and figures[-1] > args.max_seconds:
                    cells.append(f"{'-':>18}")
                    continue
                seconds = median_seconds(func, make(size), args.repeat, args.max_seconds)
                figures.append(seconds)
                ms = f"{seconds * 1000:.2f}" if seconds < 0.01 else f"{seconds * 1000:.0f}"
                if label == "normal text":
                    normal[size] = seconds
                    cells.append(f"{ms:>18}")
                else:
                    ratio = seconds / normal[size] if normal.get(size) else float("inf")
                    cells.append(
                        f"{ms} x{ratio:.1f}".rjust(18) if ratio < 10 else f"{ms} x{ratio:,.0f}".rjust(18)
                    )
            growth = " ".join(f"{b / a:.1f}" for a, b in zip(figures, figures[1:], strict=False) if a > 0)
            print(f"  {label:<26}{''.join(cells)}   {growth}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
