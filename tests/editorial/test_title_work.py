"""Title guessing: bounded work on hostile text, and the same titles as a full scan."""

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editorial import importers
from editorial.importers import TITLE_MAX, cut_at_word, title_from_text

SIZES = (25_000, 50_000, 100_000, 200_000)
HOSTILE = {
    "initials": "A. B ",
    "initials_no_space": "A. ",
    "titles": "Dr. Mr. ",
    "bangs": "!",
    "ends_lowercase": "x. y ",
    "one_letter_words": "a ",
    "spaces": " ",
}


class CountingPattern:
    """A compiled pattern that adds up the characters each call is given to examine."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern = pattern
        self.chars = 0

    def _count(self, string: str, pos: int, endpos: int) -> None:
        self.chars += max(0, min(endpos, len(string)) - pos)

    def search(self, string, pos=0, endpos=sys.maxsize):
        self._count(string, pos, endpos)
        return self.pattern.search(string, pos, endpos)

    def finditer(self, string, pos=0, endpos=sys.maxsize):
        self._count(string, pos, endpos)
        return self.pattern.finditer(string, pos, endpos)


def title_work(monkeypatch, text: str) -> int:
    counters = []
    for name in ("_SENTENCE_END", "_ABBREVIATION"):
        counter = CountingPattern(getattr(importers, name))
        monkeypatch.setattr(importers, name, counter)
        counters.append(counter)
    title_from_text(text)
    return sum(c.chars for c in counters)


@pytest.mark.parametrize("unit", HOSTILE.values(), ids=HOSTILE.keys())
def test_title_work_does_not_grow_with_the_text(monkeypatch, unit):
    works = []
    for size in SIZES:
        text = (unit * (size // len(unit) + 1))[:size]
        works.append(title_work(monkeypatch, text))
    # Nothing past the scanned prefix is read: the same work at every size, and at most
    # one abbreviation window per character of the prefix.
    assert len(set(works)) == 1, works
    assert works[0] <= importers.TITLE_SCAN * (1 + importers._ABBREVIATION_WINDOW), works


def test_a_text_of_repeated_initials_is_titled_from_its_start():
    title, body = title_from_text("A. B " * 20_000)
    assert title.startswith("A. B A. B") and len(title) <= TITLE_MAX
    assert body == ("A. B " * 20_000).strip()


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")


def full_scan_title(text: str) -> str:
    """The title as a scan of the whole text with a whole-prefix abbreviation test finds it."""
    text = text.strip()
    first_line, _, rest = text.partition("\n")
    first_line = first_line.strip().lstrip("#").strip()
    if rest.strip() and importers._looks_like_heading(first_line):
        return first_line
    first_sentence = first_line
    for match in _SENTENCE_END.finditer(text):
        if not importers._ABBREVIATION.search(text[: match.start()]):
            first_sentence = text[: match.start()]
            break
    return cut_at_word(first_sentence.strip(), TITLE_MAX)


PIECES = [
    "A",
    "B",
    "x",
    "Dr",
    "Prof",
    "e.g",
    "i.e",
    "Mr",
    "U.S",
    "No",
    "St",
    "1",
    " ",
    ".",
    "!",
    "?",
    '"',
    "”",
    ")",
    "\n",
    "#",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=120).map("".join))
def test_titles_match_a_full_scan(text):
    if not text.strip():
        return
    assert title_from_text(text)[0] == full_scan_title(text)
