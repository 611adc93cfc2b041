"""Reading the shared check-worthiness data (``sentences.jsonl``) into feature rows.

Used by training and by ``bench/checkworthiness.py`` so both build a sentence's context
(its speaker's turn and the previous sentences) exactly the way ``extract()`` does for an
article: previous sentences of the same document, most recent last.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from . import Analyser
from .scoring import hand_model


@dataclass(frozen=True, slots=True)
class DebateSentence:
    id: str
    debate: str
    line: int
    speaker: str
    text: str
    label: int


def read_sentences(path: str | Path) -> list[DebateSentence]:
    """Rows of a ``sentences.jsonl`` file, sorted by debate and line; clear errors on bad rows."""
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                d = json.loads(raw)
                rows.append(
                    DebateSentence(
                        id=str(d["id"]),
                        debate=str(d["debate"]),
                        line=int(d["line"]),
                        speaker=str(d.get("speaker") or ""),
                        text=str(d["text"]),
                        label=int(d.get("label") or 0),
                    )
                )
            except (ValueError, KeyError, TypeError) as exc:
                raise ValueError(f"{path}:{n}: not a sentence row ({exc})") from exc
    rows.sort(key=lambda r: (r.debate, r.line))
    return rows


def featurise(rows: list[DebateSentence]) -> Iterator[tuple[DebateSentence, dict, dict]]:
    """Yield (row, signals, all features), each debate read in order like an article."""
    analyser, prev_debate = None, None
    for row in rows:
        if analyser is None or row.debate != prev_debate:
            analyser, prev_debate = Analyser(hand_model()), row.debate
        signals, allf = analyser.features(row.text, speaker=row.speaker)
        yield row, signals, allf
