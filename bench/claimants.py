"""Precision and recall of claimant attribution, and where the article's claim ranks.

    python -m bench.claimants                      # both splits of bench/data/claimants/
    python -m bench.claimants --split dev --show   # one split, printing every miss

The sets are hand-written news (``bench/data/claimants/{train,dev}.txt``; the format is at
the top of each file): each article is rebuilt as text (sentences of a paragraph joined by
a space, paragraphs by a blank line), run through ``extract`` with its title, and every
gold sentence compared with the candidate that has exactly its span.

* a claimant is right when it equals the gold one (or one of ``a|b``) after lower-casing,
  dropping a leading "the"/"a"/"an" and punctuation;
* precision: right / sentences given a claimant; recall: right / sentences with a gold
  claimant; a gold sentence the splitter did not return as one candidate counts as given
  no claimant (``split errors``);
* the claim: the rank of the sentence marked ``*`` among its article's candidates by
  check-worthiness (top-1 and top-3 share over the articles that mark one).

No Django needed.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from factcheck.extraction import extract  # noqa: E402

DATA = ROOT / "bench" / "data" / "claimants"
_PUNCT = re.compile(r"[^\w\s'’-]")


@dataclass
class GoldSentence:
    text: str
    claimants: tuple[str, ...]  # empty: the article asserts it
    claim: bool = False
    start: int = 0


@dataclass
class Article:
    title: str
    paragraphs: list[list[GoldSentence]] = field(default_factory=list)

    def text(self) -> str:
        """The body, with each gold sentence's start set."""
        out, pos = [], 0
        for p, para in enumerate(self.paragraphs):
            if p:
                out.append("\n\n")
                pos += 2
            for s, sentence in enumerate(para):
                if s:
                    out.append(" ")
                    pos += 1
                sentence.start = pos
                out.append(sentence.text)
                pos += len(sentence.text)
        return "".join(out)

    def sentences(self) -> list[GoldSentence]:
        return [s for para in self.paragraphs for s in para]


def parse(path: Path) -> list[Article]:
    """The articles of a set file; a line that is no sentence row is an error naming it."""
    articles: list[Article] = []
    para: list[GoldSentence] = []
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip("\n")
        if line.startswith("#"):
            continue
        if line.startswith("=== "):
            articles.append(Article(title=line[4:].strip()))
            para = []
            continue
        if not line.strip():
            para = []
            continue
        if not articles or "\t" not in line:
            raise ValueError(f"{path}:{n}: expected 'sentence<TAB>claimant' after an '=== title' line")
        text, gold = line.split("\t", 1)
        claim = text.startswith("*")
        sentence = GoldSentence(text.lstrip("*"), tuple(g for g in gold.split("|") if g.strip()), claim)
        if not para:
            articles[-1].paragraphs.append(para)
        para.append(sentence)
    return articles


def normalise(name: str) -> str:
    words = _PUNCT.sub(" ", name.lower().replace("’", "'")).split()
    while words and words[0] in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words)


@dataclass
class Tally:
    sentences: int = 0
    gold: int = 0
    predicted: int = 0
    right: int = 0
    split_errors: int = 0
    claims: int = 0
    claim_top1: int = 0
    claim_top3: int = 0
    misses: list[str] = field(default_factory=list)

    def line(self, label: str) -> str:
        p = self.right / self.predicted if self.predicted else 0.0
        r = self.right / self.gold if self.gold else 0.0
        return (
            f"{label}: {self.sentences} sentences, {self.gold} attributed; claimant precision "
            f"{p:.3f} ({self.right}/{self.predicted}), recall {r:.3f} ({self.right}/{self.gold}); "
            f"split errors {self.split_errors}; the claim ranked 1st in {self.claim_top1}/{self.claims}, "
            f"in the top 3 in {self.claim_top3}/{self.claims} articles"
        )


def score(articles: list[Article], *, use_title: bool = True) -> Tally:
    tally = Tally()
    for article in articles:
        text = article.text()
        candidates = extract(text, title=article.title if use_title else None)
        by_span = {(c.start, c.end): c for c in candidates}
        ranked = sorted(candidates, key=lambda c: (-c.checkworthiness, c.start))
        for sentence in article.sentences():
            tally.sentences += 1
            cand = by_span.get((sentence.start, sentence.start + len(sentence.text)))
            tally.split_errors += cand is None
            got = cand.claimant if cand else ""
            right = bool(got) and normalise(got) in {normalise(g) for g in sentence.claimants}
            tally.gold += bool(sentence.claimants)
            tally.predicted += bool(got)
            tally.right += right
            if not right and (got or sentence.claimants):
                tally.misses.append(
                    f"  {'/'.join(sentence.claimants) or '-'} <- {got or '-'}: {sentence.text}"
                )
            if sentence.claim and cand is not None:
                tally.claims += 1
                rank = ranked.index(cand)
                tally.claim_top1 += rank == 0
                tally.claim_top3 += rank < 3
    return tally


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["train", "dev", "both"], default="both")
    ap.add_argument("--data", type=Path, default=DATA, help="folder holding train.txt and dev.txt")
    ap.add_argument("--no-title", action="store_true", help="extract without the article titles")
    ap.add_argument("--show", action="store_true", help="print every wrong or missed claimant")
    args = ap.parse_args(argv)
    for split in ("train", "dev") if args.split == "both" else (args.split,):
        path = args.data / f"{split}.txt"
        if not path.is_file():
            ap.error(f"no such file: {path}")
        tally = score(parse(path), use_title=not args.no_title)
        print(tally.line(split))
        if args.show:
            print("\n".join(tally.misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
