"""Sentence segmentation with exact character offsets.

nupunkt (Punkt with a model trained on legal and news text) does the hard part:
abbreviations (U.S., Dr., No., Gov., e.g.), initials and numbers. It is used rather than
pysbd, which splits inline lists better but is far too slow for the 100 articles/s
target (figures: ``docs/decisions/extraction-speed.md``). Around it:

1. paragraphs are hard boundaries (a blank line, or a newline not followed by a
   lower-case continuation of a hard-wrapped line);
2. a split inside an open quotation is undone, so a quote spanning two sentences stays
   one candidate with one speaker;
3. spans are trimmed of surrounding whitespace, so ``text[start:end]`` is the sentence.

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
_FALLBACK_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9])")
_MAX_QUOTE_MERGE = 4

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


def _raw_sentence_spans(para: str) -> list[Span]:
    if _nupunkt is not None:
        try:
            return list(_nupunkt.sent_spans(para))
        except Exception:  # noqa: BLE001 - third-party failure must not stop extraction
            logger.exception("nupunkt failed; using the regex splitter for a paragraph")
    spans, start = [], 0
    for m in _FALLBACK_END.finditer(para):
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(para)))
    return spans


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


def sentence_spans(text: str, paragraphs: list[Span] | None = None) -> list[Span]:
    """Trimmed, non-empty, ordered sentence spans: ``text[s:e]`` is each sentence."""
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
                raw.append(trimmed)
        out.extend(_merge_open_quotes(text, raw))
    return out
