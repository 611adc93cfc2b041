"""JSON-LD blocks of an HTML page: the page is read about once, and the blocks are the
ones a single block regex finds."""

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coverage import claimreview
from coverage.claimreview import ld_json_blocks, parse_html

SIZES = (25_000, 50_000, 100_000, 200_000)
LD_OPEN = '<script type="application/ld+json">'
BLOCK = LD_OPEN + '{"@type": "ClaimReview"}</script>'
HOSTILE = {
    "openings_without_end": "<script",
    "ld_openings_without_closing": LD_OPEN,
    "plain_scripts": "<script>x</script>",
    "closed_blocks": BLOCK,
    "type_without_value": "<script type=  ",
}


class CountingPattern:
    """A compiled pattern that adds up the characters its searches read (to the match's
    end, or to the end of the window without one)."""

    def __init__(self, pattern: re.Pattern, counter: list[int]) -> None:
        self.pattern = pattern
        self.counter = counter

    def search(self, string, pos=0, endpos=sys.maxsize):
        m = self.pattern.search(string, pos, endpos)
        self.counter[0] += (m.end() if m else min(endpos, len(string))) - pos
        return m


def blocks_work(monkeypatch, page: str) -> int:
    counter = [0]
    for name in ("_SCRIPT_OPEN", "_SCRIPT_CLOSE", "_LD_TYPE"):
        monkeypatch.setattr(claimreview, name, CountingPattern(getattr(claimreview, name), counter))
    ld_json_blocks(page)
    monkeypatch.undo()
    return counter[0]


@pytest.mark.parametrize("unit", HOSTILE.values(), ids=HOSTILE.keys())
def test_a_hostile_page_is_read_about_once(monkeypatch, unit):
    for size in SIZES:
        page = (unit * (size // len(unit) + 1))[:size]
        assert blocks_work(monkeypatch, page) <= 2 * len(page)


def test_blocks_of_a_long_page_are_all_found():
    page = "<p>text</p>" * 1_000 + BLOCK * 3 + LD_OPEN * 1_000
    result = parse_html(page)
    assert len(ld_json_blocks(page)) == 3
    assert not result.records and len(result.errors) == 3  # each block parsed, none valid


_BLOCK_REGEX = re.compile(
    r"<script[^>]*type\s*=\s*[\"']application/ld\+json[\"'][^>]*>(.*?)</script>", re.I | re.S
)
PIECES = ["<script", "<SCRIPT", ">", "</script>", "</Script>", " type=", "type =", '"application/ld+json"']
PIECES += ["'application/ld+json'", "application/ld+json", '"', " ", "x", "{}", "\n"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_blocks_are_the_ones_a_block_regex_finds(page):
    assert ld_json_blocks(page) == _BLOCK_REGEX.findall(page)
