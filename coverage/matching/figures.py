"""Figures, dates and names in a claim and a stored item, and whether they agree: pure text.

"Crime fell 40 percent" and "crime fell 18 percent" share every word but one, so both
retrievers find them close; a fact-check of the second says nothing about the first. The
re-ranker sees the comparison as features, and ``coverage.matching.ranking.strength``
never calls a pair ``strong`` when a kind of figure present on both sides disagrees (too
few such pairs in the training data for a model to learn the rule alone).

Kinds compared: percentages, amounts of money, years, full dates (day and month) and other
numbers. A kind is compared only when both texts have it: a claim that gives a year and a
fact-check that does not is "absent", not a disagreement. Two values agree when they are
equal after normalising ("4.5 million" = "4,500,000") or within 1% of each other.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

PERCENT = "percent"
MONEY = "money"
YEAR = "year"
DATE = "date"
NUMBER = "number"
KINDS = (PERCENT, MONEY, YEAR, DATE, NUMBER)

AGREE = 1
ABSENT = 0
DISAGREE = -1

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+{_DAY}\b|{_DAY.replace('day>', 'day2>')}\s+(?:of\s+)?{_MONTH.replace('month>', 'month2>')})",
    re.IGNORECASE,
)
_SCALE = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
}
_WORD_NUMBERS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
}
# A number not glued to letters (COVID-19, 5G, MP3 and @user2020 are names, not figures).
_NUMBER = re.compile(
    r"(?<![\w@#.,])(?<![^\W\d_]-)(?P<cur>[$€£])?\s?(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<scale>thousand|million|billion|trillion|mn|bn|tn|[kmb])\b)?"
    r"(?P<pct>\s?%|\s?(?:percent|per\s?cent)\b|\s?percentage\s+points?\b)?"
    r"(?:\s?(?P<curword>dollars|euros|pounds|usd)\b)?"
    r"(?![\w])",
    re.IGNORECASE,
)
_SPELLED_PERCENT = re.compile(
    r"\b(?P<word>" + "|".join(_WORD_NUMBERS) + r")\s+(?:percent|per\s?cent)\b",
    re.IGNORECASE,
)
_CAPITALISED = re.compile(r"\b[A-Z][\w'’-]*(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’-]*)*")
_ENTITY_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "i",
        "we",
        "you",
        "he",
        "she",
        "it",
        "they",
        "my",
        "our",
        "your",
        "his",
        "her",
        "its",
        "their",
        "in",
        "on",
        "at",
        "by",
        "for",
        "from",
        "to",
        "of",
        "and",
        "or",
        "but",
        "if",
        "when",
        "while",
        "after",
        "before",
        "as",
        "so",
        "not",
        "no",
        "yes",
        "breaking",
        "watch",
        "rt",
        "just",
        "new",
        "says",
        "said",
    ]
)


_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class Figure:
    kind: str
    value: float
    shown: str  # as written, for the editor ("40%", "$1.2 billion", "2019")


@dataclass
class Comparison:
    """How the figures of two texts relate, kind by kind."""

    status: dict[str, int] = field(default_factory=dict)  # kind -> AGREE / ABSENT / DISAGREE
    differing: list[tuple[str, str]] = field(default_factory=list)  # (here, in the item)

    @property
    def disagrees(self) -> bool:
        return any(v == DISAGREE for v in self.status.values())

    @property
    def agrees(self) -> int:
        return sum(1 for v in self.status.values() if v == AGREE)

    def describe(self, where: str = "the fact-check") -> str:
        """ "40% here, 18% in the fact-check" (every differing kind, "; "-separated)."""
        return "; ".join(f"{here} here, {there} in {where}" for here, there in self.differing)


@functools.lru_cache(maxsize=50_000)
def figures(text: str) -> tuple[Figure, ...]:
    """The figures of ``text`` in order of appearance (percentages, money, years, dates, numbers).

    Cached per text: a stored item is compared with many claims.
    """
    low = (text or "").lower()
    if not _DIGIT.search(low) and "percent" not in low and "per cent" not in low:
        return ()  # every figure has a digit (dates a day) or spells out a percentage
    text = re.sub(r"https?://\S+|www\.\S+", " ", text or "")
    found: list[tuple[int, Figure]] = []
    taken: list[tuple[int, int]] = []
    for m in _DATE.finditer(text):
        month = _MONTHS[(m.group("month") or m.group("month2")).lower().rstrip(".")]
        day = int(m.group("day") or m.group("day2"))
        if 1 <= day <= 31:
            found.append((m.start(), Figure(DATE, month * 100 + day, m.group(0).strip())))
            taken.append(m.span())
    for m in _NUMBER.finditer(text):
        if any(start <= m.start("num") < end for start, end in taken):
            continue
        raw = m.group("num")
        value = float(raw.replace(",", ""))
        scale = (m.group("scale") or "").lower()
        is_money = bool(m.group("cur") or m.group("curword"))
        if scale in ("m", "b", "k") and not is_money:
            continue  # "5m" alone is as often minutes or metres as millions
        value *= _SCALE.get(scale, 1.0)
        shown = m.group(0).strip()
        if m.group("pct"):
            kind = PERCENT
            shown = f"{raw}%"
        elif is_money:
            kind = MONEY
        elif "," not in raw and "." not in raw and len(raw) == 4 and 1800 <= value <= 2100 and not scale:
            kind = YEAR
        else:
            kind = NUMBER
        found.append((m.start(), Figure(kind, value, shown)))
    for m in _SPELLED_PERCENT.finditer(text):
        value = float(_WORD_NUMBERS[m.group("word").lower()])
        found.append((m.start(), Figure(PERCENT, value, f"{value:g}%")))
    return tuple(f for _, f in sorted(found, key=lambda pair: pair[0]))


def _same(kind: str, a: float, b: float) -> bool:
    if kind in (YEAR, DATE):
        return a == b
    return a == b or abs(a - b) <= 0.01 * max(abs(a), abs(b))


def compare(here: str, there: str) -> Comparison:
    """Kind by kind: AGREE when a value is shared, DISAGREE when both have the kind and none is."""
    return compare_figures(figures(here), figures(there))


def compare_figures(mine: tuple[Figure, ...], theirs: tuple[Figure, ...]) -> Comparison:
    """``compare`` on figures already extracted (a claim's, against each candidate's)."""
    out = Comparison()
    for kind in KINDS:
        a = [f for f in mine if f.kind == kind]
        b = [f for f in theirs if f.kind == kind]
        if not a or not b:
            out.status[kind] = ABSENT
        elif any(_same(kind, x.value, y.value) for x in a for y in b):
            out.status[kind] = AGREE
        else:
            out.status[kind] = DISAGREE
            out.differing.append((_join(a), _join(b)))
    return out


def _join(items: list[Figure]) -> str:
    shown = list(dict.fromkeys(f.shown for f in items))
    return ", ".join(shown[:3])


@functools.lru_cache(maxsize=50_000)
def entities(text: str) -> frozenset[str]:
    """Capitalised names ("Joe Biden", "New York"), lower-cased, without sentence-initial words."""
    out: set[str] = set()
    text = text or ""
    for m in _CAPITALISED.finditer(text):
        if " " not in m.group(0) and _sentence_start(text, m.start()):
            continue  # "Crime fell ...": capitalised because it starts the sentence
        words = [w for w in m.group(0).lower().replace("’", "'").split() if w not in _ENTITY_STOP]
        out.update(w.strip("'-") for w in words if len(w) > 1 and not w.isdigit())
    return frozenset(out)


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip()
    return not before or before[-1] in '.!?:"“'


def entity_overlap(here: str, there: str) -> tuple[float, int, int]:
    """(Jaccard of the names, names only here, names only there)."""
    return entity_sets_overlap(entities(here), entities(there))


def entity_sets_overlap(a: frozenset[str], b: frozenset[str]) -> tuple[float, int, int]:
    """``entity_overlap`` on names already extracted."""
    if not a and not b:
        return 0.0, 0, 0
    return len(a & b) / len(a | b), len(a - b), len(b - a)
