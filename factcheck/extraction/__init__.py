"""Claim pre-extraction over plain text. No Django imports: easy to test and time.

``extract(text)`` splits an article into sentences with exact offsets and returns one
scored, attributed, typed ``Candidate`` per sentence; ``select(candidates, ...)`` picks
the ones that become claims. ``score_turns`` scores transcript sentences with a known
speaker (the benchmarks), through the same ``Analyser`` so both see the same features.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from .claimant import ClaimantState, find_claimant
from .claimtype import PREDICTION, classify, is_opinion
from .features import sentence_features
from .scoring import Model, load_model
from .segment import paragraph_spans, sentence_spans
from .select import select

__all__ = ["Analyser", "Candidate", "extract", "score_turns", "select"]

CONTEXT_SIZE = 3
# Predictions cannot be checked yet; opinions cannot be checked at all (Full Fact).
PREDICTION_FACTOR = 0.6
OPINION_FACTOR = 0.7
_QUOTED = re.compile(r"“([^”]{2,})”|\"([^\"]{2,})\"")


@dataclass
class Candidate:
    start: int
    end: int
    text: str
    quote: str = ""
    claimant: str = ""
    claim_type: str = "other"
    checkworthiness: float = 0.0
    features: dict = field(default_factory=dict)


def quoted_words(sentence: str) -> str:
    """The quoted words of a sentence ('' if none), several quotes joined by ' … '."""
    parts = [(a or b).strip(" ,.") for a, b in _QUOTED.findall(sentence)]
    return " … ".join(p for p in parts if p)


class Analyser:
    """Scores the sentences of one document in order, carrying its context along."""

    def __init__(self, model: Model | None = None) -> None:
        self.model = model or load_model()
        self.claimants = ClaimantState()
        self.history: list[dict[str, float]] = []
        self.prev_speaker: str | None = None

    def features(self, text: str, *, speaker: str | None = None, turn_start: bool = False):
        """(signals, all features) of the next sentence; ``speaker`` for transcripts."""
        if speaker is not None:
            turn_start = speaker != self.prev_speaker
            self.prev_speaker = speaker
        signals, allf = sentence_features(text, previous=self.history[-CONTEXT_SIZE:], turn_start=turn_start)
        if speaker is not None and speaker.strip().upper() == "SYSTEM":
            allf["c:system"] = signals["c:system"] = 1.0
        self.history.append(signals)
        return signals, allf

    def candidate(
        self, text: str, start: int, *, speaker: str | None = None, turn_start: bool = False
    ) -> Candidate:
        signals, allf = self.features(text, speaker=speaker, turn_start=turn_start)
        found = find_claimant(text, self.claimants)
        claimant = found or (speaker or "")
        quote = quoted_words(text)
        ctype = classify(text, signals, quote=quote, claimant=claimant)
        factor = PREDICTION_FACTOR if ctype == PREDICTION else 1.0
        if is_opinion(signals):
            factor *= OPINION_FACTOR
        score = self.model.probability(allf) * factor
        return Candidate(
            start=start,
            end=start + len(text),
            text=text,
            quote=quote,
            claimant=claimant,
            claim_type=ctype,
            checkworthiness=round(score, 4),
            features=self.explain(signals, factor),
        )

    def explain(self, signals: dict[str, float], factor: float) -> dict:
        contrib = self.model.contributions(signals)
        top = sorted(contrib.items(), key=lambda kv: -abs(kv[1]))[:6]
        return {
            "signals": sorted(signals),
            "top": [[k, v] for k, v in top if v],
            "factor": factor,
            "model": "trained" if self.model.source != "hand-set" else "hand-set",
        }


def extract(text: str, *, model: Model | None = None) -> list[Candidate]:
    """One candidate per sentence of ``text``, in text order; ``text[c.start:c.end] == c.text``."""
    if not isinstance(text, str) or not text.strip():
        return []
    analyser = Analyser(model)
    para_starts = {s for s, _ in paragraph_spans(text)}
    para_bounds = sorted(para_starts)
    out, p = [], 0
    for start, end in sentence_spans(text):
        turn_start = False
        while p < len(para_bounds) and para_bounds[p] <= start:
            turn_start, p = True, p + 1
        out.append(analyser.candidate(text[start:end], start, turn_start=turn_start))
    return out


def score_turns(turns: Iterable[tuple[str, str]], *, model: Model | None = None) -> list[Candidate]:
    """Score transcript sentences ``(speaker, text)`` of one document, in order."""
    analyser = Analyser(model)
    return [analyser.candidate(text, 0, speaker=speaker) for speaker, text in turns]
