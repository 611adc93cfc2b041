"""Sentence segmentation with exact character offsets.

nupunkt (Punkt with a model trained on legal and news text) does the hard part:
abbreviations (U.S., Dr., No., Gov., e.g.), initials and numbers. It is used rather than
pysbd, which splits inline lists better but is far too slow for the 100 articles/s
target (figures: ``docs/decisions/extraction-speed.md``). Around it:

1. paragraphs are hard boundaries (a blank line, or a newline not followed by a
   lower-case continuation of a hard-wrapped line);
2. a period after a plain lower-case word, before a capital, ends a sentence even where
   nupunkt's model took the word for an abbreviation (``_split_missed_ends``);
3. a split inside an open quotation is undone, so a quote spanning two sentences stays
   one candidate with one speaker;
4. spans are trimmed of surrounding whitespace, so ``text[start:end]`` is the sentence;
5. a span longer than ``MAX_SENTENCE_CHARS`` is cut at whitespace (or hard, in a run
   without any), so the per-sentence work downstream is bounded.

The work is linear in the text: nupunkt is handed each paragraph once, with the
sentence-end characters deep inside long whitespace-free chunks masked (same length, so
the offsets hold; why: ``_mask_long_chunks``).

If nupunkt is missing or fails on odd input, a small regex splitter takes over: the
contract (exact offsets, never raises) matters more than split quality there.
"""

from __future__ import annotations

import logging
import re

logger = logging.getLogger(__name__)

try:  # pragma: no cover - exercised implicitly when installed
    import nupunkt as _nupunkt
except ImportError:  # pragma: no cover
    _nupunkt = None  # type: ignore[assignment]  # optional dependency: None selects the regex splitter
    logger.warning("nupunkt is not installed; using the regex sentence splitter")

# A run of line breaks (with blanks between them). It is a paragraph break when it holds
# a blank line, or when the next line does not continue in lower case (hard wrapping).
_NEWLINE_RUN = re.compile(r"(?:\r\n?|\n)(?:[ \t\f\v]*(?:\r\n?|\n))*")
# Starts only at the first end character of a run: an attempt inside a run would read
# the same rest of the run and fail the same way.
_FALLBACK_END = re.compile(r"(?<![.!?…])[.!?…]++[\"'”’)\]]*+(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_MAX_QUOTE_MERGE = 4
# Longer spans are cut: no sentence an editor would check is this long, and the feature
# and claimant patterns then run on bounded strings.
MAX_SENTENCE_CHARS = 1_000
# nupunkt's candidate scan reads, after every sentence-end character, the rest of its
# whitespace-free chunk, so a chunk full of them ("!!!!…", "!)!)…") costs the square of its
# length. Inside a chunk longer than head + tail, the end characters past the first
# _CHUNK_HEAD and before the last _CHUNK_TAIL are handed to nupunkt as "_": at most
# head + tail candidates read each chunk, and the chunk's end (a sentence end after a
# long URL) looks the same to nupunkt.
_CHUNK_HEAD = 64
_CHUNK_TAIL = 8
_LONG_CHUNK = re.compile(rf"(?<!\S)\S{{{_CHUNK_HEAD + _CHUNK_TAIL + 1},}}")
_END_CHAR = re.compile(r"[.!?…]")
# nupunkt's model counts thousands of plain words as abbreviations ("month", "cent",
# "bank", "call"), learned from legal text, so "…jobs for the month. Ruiz added…" stayed
# one sentence. A period after a whole lower-case word of three letters or more, before a
# capital, ends a sentence unless the word is an abbreviation news text uses.
_MISSED_END = re.compile(r"(?<![\w.'’\-])(?P<word>[a-z]{3,})\.(?=\s+[\"'“‘(\[]?[A-Z])")
LOWERCASE_ABBREVIATIONS = frozenset(
    [
        "approx",
        "est",
        "etc",
        "dept",
        "govt",
        "univ",
        "assn",
        "assoc",
        "misc",
        "ave",
        "blvd",
        "bldg",
        "apt",
        "fig",
        "figs",
        "vol",
        "vols",
        "ibid",
        "resp",
        "viz",
        "seq",
        "nos",
        "pct",
        "yrs",
        "hrs",
        "mins",
        "sec",
        "secs",
        "cont",
        "incl",
        "excl",
    ]
)

Span = tuple[int, int]


def paragraph_spans(text: str) -> list[Span]:
    """Spans of paragraphs (untrimmed); their union covers ``text``."""
    spans, start, n = [], 0, len(text)
    for m in _NEWLINE_RUN.finditer(text):
        run = m.group()
        blank_line = run.count("\n") + run.count("\r") - run.count("\r\n") > 1
        if not blank_line:
            j = m.end()
            while j < n and text[j] in " \t":
                j += 1
            if j < n and "a" <= text[j] <= "z":
                continue  # a hard-wrapped line continues
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, n))
    return spans


def _trim(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def _mask_chunk(m: re.Match) -> str:
    chunk = m.group()
    middle = _END_CHAR.sub("_", chunk[_CHUNK_HEAD:-_CHUNK_TAIL])
    return chunk[:_CHUNK_HEAD] + middle + chunk[-_CHUNK_TAIL:]


def _mask_long_chunks(para: str) -> str:
    """``para`` with the end characters deep inside long whitespace-free chunks masked;
    the same length, so nupunkt's offsets are offsets into ``para``."""
    return _LONG_CHUNK.sub(_mask_chunk, para) if len(para) > _CHUNK_HEAD + _CHUNK_TAIL else para


def _raw_sentence_spans(para: str) -> list[Span]:
    if _nupunkt is not None:
        try:
            return list(_nupunkt.sent_spans(_mask_long_chunks(para)))
        except Exception:  # noqa: BLE001 - third-party failure must not stop extraction
            logger.exception("nupunkt failed; using the regex splitter for a paragraph")
    spans, start = [], 0
    for m in _FALLBACK_END.finditer(para):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(para)))
    return spans


def _split_missed_ends(text: str, start: int, end: int) -> list[Span]:
    """``(start, end)`` split after the sentence ends nupunkt took for abbreviations."""
    spans = []
    for m in _MISSED_END.finditer(text, start, end):
        if m.group("word") not in LOWERCASE_ABBREVIATIONS:
            piece = _trim(text, start, m.end())
            if piece:
                spans.append(piece)
            start = m.end()
    rest = _trim(text, start, end)
    return [*spans, rest] if rest else spans


def _quote_open(s: str) -> bool:
    """True when ``s`` leaves a quotation open (curly or straight double quotes)."""
    return s.count("“") > s.count("”") or s.count('"') % 2 == 1


def _merge_open_quotes(text: str, spans: list[Span]) -> list[Span]:
    merged: list[Span] = []
    i = 0
    while i < len(spans):
        start, end = spans[i]
        j = i
        while _quote_open(text[start:end]) and j + 1 < len(spans) and j - i < _MAX_QUOTE_MERGE:
            j += 1
            end = spans[j][1]
        if _quote_open(text[start:end]):  # never closed: keep the original split
            j, end = i, spans[i][1]
        merged.append((start, end))
        i = j + 1
    return merged


def _split_long(text: str, start: int, end: int) -> list[Span]:
    """``(start, end)`` cut into trimmed spans of at most ``MAX_SENTENCE_CHARS``, each
    cut at the last whitespace that keeps the piece within the limit (hard without one).

    Each scan back stops at whitespace it has not passed before or at the piece's start,
    so the cutting is linear in the span.
    """
    pieces: list[Span] = []
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = limit
        while cut > start and not text[cut].isspace():
            cut -= 1
        if cut == start:
            cut = limit
        piece = _trim(text, start, cut)
        if piece:
            pieces.append(piece)
        rest = _trim(text, cut, end)
        if rest is None:
            return pieces
        start = rest[0]
    pieces.append((start, end))
    return pieces


def sentence_spans(text: str, paragraphs: list[Span] | None = None) -> list[Span]:
    """Trimmed, non-empty, ordered sentence spans of at most ``MAX_SENTENCE_CHARS``:
    ``text[s:e]`` is each sentence."""
    out: list[Span] = []
    for p_start, p_end in paragraph_spans(text) if paragraphs is None else paragraphs:
        para = text[p_start:p_end]
        if not para.strip():
            continue
        raw = []
        for s, e in _raw_sentence_spans(para):
            # Clamp: a third-party splitter must not move offsets outside the paragraph.
            s, e = max(0, min(s, len(para))), max(0, min(e, len(para)))
            trimmed = _trim(text, p_start + s, p_start + e)
            if trimmed:
                raw.extend(_split_missed_ends(text, *trimmed))
        for start, end in _merge_open_quotes(text, raw):
            if end - start > MAX_SENTENCE_CHARS:
                out.extend(_split_long(text, start, end))
            else:
                out.append((start, end))
    return out
