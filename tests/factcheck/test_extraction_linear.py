"""Extraction on hostile text: linear work (counted, not timed), exact offsets, bounded output."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck import extraction
from factcheck.extraction import MAX_SENTENCES, MAX_TEXT_CHARS, extract, segment
from factcheck.extraction import claimant as claimant_module
from factcheck.extraction.segment import MAX_SENTENCE_CHARS, sentence_spans

SIZES = (25_000, 50_000, 100_000, 200_000)
HOSTILE = {
    "bangs": "!",
    "questions": "?",
    "bang_paren": "!)",
    "bang_quote": '!"',
    "alternating": "!?",
    "dots": ".",
    "ellipses": "…",
    "spaced_bangs": "! ",
    "initials": "A. B ",
    "initials_only": "A. ",
    "yes": "Yes! ",
    "quotes": '"',
    "curly_quotes": "“",
    "digits": "1",
    "digit_commas": "1,",
    "capitalised_words": "Abc ",
    "inner_capitals": "aA",
    "newlines": "a\n",
}


def hostile(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


class RecordingSplitter:
    """Stands in for nupunkt: keeps every string handed to it, splits with the real one."""

    def __init__(self, real) -> None:
        self.real = real
        self.inputs: list[str] = []

    def sent_spans(self, text: str):
        self.inputs.append(text)
        return self.real.sent_spans(text)


_CHUNK = re.compile(r"\S+")
_END_CHARS = frozenset(".!?…")


def lookahead_chars(text: str) -> int:
    """What nupunkt's candidate scan reads: for every sentence-end character, the rest of
    its whitespace-free chunk."""
    total = 0
    for chunk in _CHUNK.finditer(text):
        s = chunk.group()
        total += sum(len(s) - i for i, ch in enumerate(s) if ch in _END_CHARS)
    return total


def splitter_work(monkeypatch, text: str) -> tuple[int, int]:
    """(characters handed to nupunkt, characters its candidate scan reads) for ``text``."""
    recorder = RecordingSplitter(segment._nupunkt)
    monkeypatch.setattr(segment, "_nupunkt", recorder)
    sentence_spans(text)
    monkeypatch.setattr(segment, "_nupunkt", recorder.real)
    return sum(map(len, recorder.inputs)), sum(lookahead_chars(s) for s in recorder.inputs)


@pytest.mark.skipif(segment._nupunkt is None, reason="nupunkt is not installed")
@pytest.mark.parametrize("unit", HOSTILE.values(), ids=HOSTILE.keys())
def test_splitter_work_is_linear_in_the_text(monkeypatch, unit):
    handed, scanned = zip(*(splitter_work(monkeypatch, hostile(unit, size)) for size in SIZES), strict=True)
    for size, chars in zip(SIZES, handed, strict=True):
        assert chars <= size  # every character is handed over at most once
    for smaller, larger in zip(scanned, scanned[1:], strict=False):
        assert larger <= 2.2 * smaller + 1_000, scanned  # doubling the text at most doubles the scan
    assert scanned[-1] <= 100 * SIZES[-1], scanned


def test_long_chunks_keep_their_length_and_their_ends():
    chunk = "!" * 500
    masked = segment._mask_long_chunks(f"Wow {chunk} next")
    assert len(masked) == len(f"Wow {chunk} next")
    assert masked.startswith("Wow " + "!" * segment._CHUNK_HEAD)
    assert masked.endswith("!" * segment._CHUNK_TAIL + " next")
    url = "https://example.org/" + "a/" * 40 + "page.html?id=1."
    assert segment._mask_long_chunks(f"See {url} Then")[-7:] == "1. Then"  # its sentence end stays


def check_spans(text: str) -> list[tuple[int, int]]:
    spans = sentence_spans(text)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
        assert end - start <= MAX_SENTENCE_CHARS
        previous_end = end
    return spans


@pytest.mark.parametrize("unit", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_text_keeps_exact_bounded_spans_and_every_word(unit):
    text = hostile(unit, 20_000)
    spans = check_spans(text)
    # Nothing but whitespace is left out: between the spans, before the first, after the last.
    bounds = [0, *(i for span in spans for i in span), len(text)]
    assert all(not text[a:b].strip() for a, b in zip(bounds[::2], bounds[1::2], strict=True))


RUNS = st.lists(
    st.tuples(
        st.sampled_from(
            [*HOSTILE.values(), "The rate rose 3% in 2023. ", "“We won,” he said. ", "\n\n", "x"]
        ),
        st.integers(1, 1_500),
    ),
    min_size=1,
    max_size=6,
).map(lambda runs: "".join(unit * n for unit, n in runs))


@settings(max_examples=60, deadline=None)
@given(RUNS)
def test_offsets_are_exact_on_runs_of_hostile_pieces(text):
    check_spans(text)
    for cand in extract(text):
        assert text[cand.start : cand.end] == cand.text
        assert len(cand.text) <= MAX_SENTENCE_CHARS


def test_a_long_unbroken_sentence_is_cut_at_whitespace():
    words = " ".join(["word"] * 1_000)  # 4,999 characters, no sentence end
    spans = check_spans(words)
    assert len(spans) > 1
    assert all(words[s:e].split() == words[s:e].split(" ") for s, e in spans)  # no word is cut
    assert " ".join(words[s:e] for s, e in spans) == words


def test_a_run_without_whitespace_is_cut_hard():
    text = "x" * (3 * MAX_SENTENCE_CHARS + 5)
    assert [e - s for s, e in check_spans(text)] == [MAX_SENTENCE_CHARS] * 3 + [5]


def test_work_per_article_is_capped():
    text = hostile("Yes! ", 5 * MAX_TEXT_CHARS)
    candidates = extract(text)
    assert len(candidates) == MAX_SENTENCES
    long_text = hostile("The rate rose by 3% in 2023. ", 2 * MAX_TEXT_CHARS)
    candidates = extract(long_text)
    assert candidates[-1].end <= MAX_TEXT_CHARS
    assert all(long_text[c.start : c.end] == c.text for c in candidates)


def test_the_extracted_part_ends_at_whitespace():
    text = "word " * MAX_TEXT_CHARS
    part = extraction.extracted_part(text)
    assert len(part) <= MAX_TEXT_CHARS and text.startswith(part) and part.endswith("word")


# The patterns as they were before they started only at run starts: the same matches.
_CAP = claimant_module._CAP
_OLD_PERSON_MENTION = re.compile(rf"{_CAP}(?:\s+(?:of\s+)?{_CAP}){{1,5}}")
_OLD_FALLBACK_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
PIECES = [
    "A",
    "Ab",
    "aB",
    "of",
    "é",
    "É",
    "'",
    "’",
    "-",
    ".",
    "!",
    "?",
    "…",
    '"',
    ")",
    " ",
    "\n",
    "1",
    "_",
    "x",
]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_run_start_patterns_find_what_the_plain_ones_find(text):
    old = [(m.start(), m.group()) for m in _OLD_PERSON_MENTION.finditer(text)]
    new = [(m.start("name"), m.group("name")) for m in claimant_module._PERSON_MENTION.finditer(text)]
    assert new == old
    assert [m.span() for m in segment._FALLBACK_END.finditer(text)] == [
        m.span() for m in _OLD_FALLBACK_END.finditer(text)
    ]
