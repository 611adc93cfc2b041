"""What two claim texts state differently: figures, dates and names. Pure text, no Django.

Two sentences can read almost alike and still be different claims: "crime fell 18%" and
"crime fell 40%", "in 2023" and "in 2019", "Smith said" and "Jones said". ``differences``
lists such conflicts in words an editor reads ("figure: 18% / 40%"); grouping never joins
two claims automatically while the list is not empty, and prior-coverage ranking can use
it too.

A conflict is a substitution, not an addition: each text must state a figure (or a date,
or a name) that the other lacks. "Crime fell 18%" and "crime fell 18% last year, police
say" do not conflict; "crime fell 18%" and "crime fell 40%" do. Figures are normalised
first, so "12 percent", "12 per cent" and "12%" agree, and so do "4,000" and "4000" and
"4 million" and "4,000,000". Names are compared against every word of the other text,
whatever its case, so "Hospital waiting lists" and "hospital waiting lists" agree.

The line an embedded tweet ends with ("— Name (@handle) January 6, 2020") is who posted
it and when, not what it claims: it is dropped before comparing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_TWEET_FOOTER = re.compile(
    r"[—–-]+\s*[^—–\n]{0,80}\(@\w{1,30}\)\s*" + _MONTH + r"\w*\.?\s+\d{1,2},\s+\d{4}\s*$", re.I
)
_URL = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|www\.\S+", re.I)
_YEAR = re.compile(r"(?<![\d.,£$€])(1[89]\d\d|20\d\d)s?(?![\d%]|[.,]\d|\s?(?:percent|per cent)\b)")
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b|\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*%)",
    re.I,
)
_MONTH_ALONE = re.compile(rf"\b({_MONTH})\b\.?", re.I)
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9}
_FIGURE = re.compile(
    r"(?<![\w.,])([$€£])?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s?(thousand|million|billion|bn|mn|k|m|b)\b)?"
    r"\s?(%|percent\b|per\s?cent\b|percentage points?\b)?",
    re.I,
)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*", re.UNICODE)
# Capitalised words that name nothing: pronouns, determiners, days and months, and the
# words a sentence or headline often starts with.
# A word right after the start or a sentence end is capitalised anyway: not taken as a name.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;…\"“”(\n])[\s\"“”'‘’(\-–—]*$")
_NOT_NAMES = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "it",
        "its",
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "our",
        "my",
        "your",
        "his",
        "her",
        "their",
        "me",
        "us",
        "them",
        "and",
        "or",
        "but",
        "if",
        "so",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "to",
        "with",
        "without",
        "after",
        "before",
        "since",
        "until",
        "while",
        "when",
        "where",
        "why",
        "how",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "not",
        "no",
        "yes",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "shall",
        "also",
        "just",
        "only",
        "even",
        "still",
        "then",
        "than",
        "all",
        "any",
        "some",
        "each",
        "every",
        "many",
        "more",
        "most",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "tomorrow",
        "breaking",
        "fact",
        "check",
        "news",
        "update",
        "report",
        "video",
        "photo",
        "rt",
        "via",
        "new",
        "says",
        "said",
    ]
)
_NOT_NAMES |= {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}
_NOT_NAMES |= set(_MONTHS)


# Which way a quantity went: "crime rose" and "crime fell" are not one claim.
_UP = frozenset(
    [
        "rise",
        "rises",
        "rose",
        "risen",
        "rising",
        "increase",
        "increases",
        "increased",
        "increasing",
        "grew",
        "grow",
        "grows",
        "growing",
        "up",
        "higher",
        "soared",
        "soaring",
        "doubled",
        "tripled",
        "jumped",
        "surged",
        "climbed",
        "gained",
    ]
)
_DOWN = frozenset(
    [
        "fall",
        "falls",
        "fell",
        "fallen",
        "falling",
        "decrease",
        "decreases",
        "decreased",
        "decreasing",
        "drop",
        "drops",
        "dropped",
        "dropping",
        "down",
        "lower",
        "shrank",
        "shrunk",
        "shrinking",
        "halved",
        "plunged",
        "plummeted",
        "declined",
        "declining",
        "slumped",
        "lost",
        "cut",
    ]
)


@dataclass(frozen=True)
class Facts:
    """What a text states that must agree for two texts to be one claim."""

    figures: frozenset[str]
    dates: frozenset[str]
    names: frozenset[str]
    words: frozenset[str]  # every word, lower-cased: what a name is looked up in

    @property
    def direction(self) -> str:
        """ "up", "down" or "" (none, or both): which way the text says something went."""
        up, down = bool(self.words & _UP), bool(self.words & _DOWN)
        return "up" if up and not down else "down" if down and not up else ""


def strip_furniture(text: str) -> str:
    """The text without links and without an embedded tweet's closing byline."""
    text = _URL.sub(" ", text or "")
    return _TWEET_FOOTER.sub(" ", text.strip()).strip()


def _number(digits: str, scale: str | None) -> str:
    value = float(digits.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)
    if value >= 1e15:
        return digits
    return f"{int(value):,}" if value == int(value) else f"{value:,.6g}"


def facts(text: str) -> Facts:
    """The figures, dates and names of ``text`` (after ``strip_furniture``)."""
    text = strip_furniture(text)
    dates: set[str] = set()
    masked = text
    for m in _DAY_MONTH.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        dates.add(f"{month[:3].title()} {int(day)}")
        masked = masked.replace(m.group(0), " ", 1)
    for m in _YEAR.finditer(masked):
        dates.add(m.group(0))
    masked = _YEAR.sub(" ", masked)
    with_day = {d.split()[0] for d in dates if " " in d}
    dates |= {
        m.group(1)[:3].title()
        for m in _MONTH_ALONE.finditer(masked)
        if m.group(1)[0].isupper()
        and m.group(1)[:3].title() not in with_day
        and (m.group(1) != "May" or masked[: m.start()].lower().endswith(("in ", "of ", "since ")))
    }
    figures: set[str] = set()
    for m in _FIGURE.finditer(masked):
        currency, digits, scale, percent = m.groups()
        unit = (
            "%" if percent and not percent.lower().startswith("percentage") else (" pts" if percent else "")
        )
        figures.add(f"{currency or ''}{_number(digits, scale)}{unit}")
    words = list(_WORD.finditer(text))
    lowered = frozenset(w.group(0).lower().strip("'’-") for w in words)
    names = {
        w.group(0).lower().strip("'’-")
        for w in words
        if _is_name(w.group(0)) and not _SENTENCE_START.search(text, 0, w.start())
    }
    return Facts(frozenset(figures), frozenset(dates), frozenset(names - _NOT_NAMES), lowered)


def _is_name(word: str) -> bool:
    """Capitalised, and not a shouted word: all capitals only for short acronyms (NHS, FBI)."""
    if len(word) < 2 or not word[0].isupper() or word.lower() in _NOT_NAMES:
        return False
    return not word.isupper() or len(word) <= 4


def differences(a: str | Facts, b: str | Facts) -> list[str]:
    """How the two texts conflict, one short phrase per kind: ``[]`` when they do not.

    >>> differences("crime fell 18%", "crime fell 40%")
    ['figure: 18% / 40%']
    """
    fa = a if isinstance(a, Facts) else facts(a)
    fb = b if isinstance(b, Facts) else facts(b)
    out = []
    for label, left, right in (("figure", fa.figures, fb.figures), ("date", fa.dates, fb.dates)):
        only_a, only_b = left - right, right - left
        if only_a and only_b:
            out.append(f"{label}: {', '.join(sorted(only_a))} / {', '.join(sorted(only_b))}")
    if fa.direction and fb.direction and fa.direction != fb.direction:
        out.append(f"direction: {fa.direction} / {fb.direction}")
    names_a = {n for n in fa.names if n not in fb.words}
    names_b = {n for n in fb.names if n not in fa.words}
    if names_a and names_b:
        out.append(f"name: {', '.join(sorted(names_a))} / {', '.join(sorted(names_b))}")
    return out
