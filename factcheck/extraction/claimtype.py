"""Full Fact's claim typology, heuristically, from a sentence's features.

Types (the values of ``factcheck.models.ClaimType``): ``quantity``, ``causal``,
``prediction``, ``rules``, ``personal``, ``quote``, ``other``. Checked in this order:
a forecast with a number is still a prediction (not checkable yet), a quoted statistic
is a quantity. ``opinion`` is not a type but a flag that lowers the score.
"""

from __future__ import annotations

import re

QUANTITY, CAUSAL, PREDICTION, RULES, PERSONAL, QUOTE, OTHER = (
    "quantity",
    "causal",
    "prediction",
    "rules",
    "personal",
    "quote",
    "other",
)

_FUTURE = re.compile(
    r"\b(?:will|won't|shall|going to|is expected to|are expected to|plans? to|"
    r"intends? to|forecasts?|projected to|set to|would)\b|'ll\b",
    re.IGNORECASE,
)
_CAUSAL = re.compile(
    r"\b(?:because|caused|causes|cause of|led to|leads to|lead to|due to|result(?:ed|s)? in|"
    r"as a result|triggered|linked to|blamed|responsible for|thanks to|contributed to)\b",
    re.IGNORECASE,
)
_RULES = re.compile(
    r"\b(?:law|laws|legal|illegal|unconstitutional|regulations?|legislation|bill|banned?|"
    r"court|ruled|statute|treaty|constitution|mandatory|required by|prohibit\w*|signed into)\b",
    re.IGNORECASE,
)
_PERSONAL = re.compile(r"\b(?:I|I've|I'm|I was|my|me)\b")
_QUANTITY_WORDS = re.compile(
    r"\b(?:\d[\d,.]*|percent|per cent|million|millions|billion|billions|trillion|thousands?|"
    r"hundreds|dozens?|half|twice|doubled|tripled|majority|minority)\b|%|[$€£]\s?\d",
    re.IGNORECASE,
)


def classify(text: str, signals: dict[str, float], *, quote: str, claimant: str) -> str:
    """One claim type for a sentence (``signals`` are the ``f:*`` features)."""
    if _FUTURE.search(text) and "f:past_number" not in signals:
        return PREDICTION
    if _QUANTITY_WORDS.search(text):
        return QUANTITY
    if _CAUSAL.search(text):
        return CAUSAL
    if _RULES.search(text):
        return RULES
    if _PERSONAL.search(quote or text):
        return PERSONAL
    if quote and claimant:
        return QUOTE
    return OTHER


def is_opinion(signals: dict[str, float]) -> bool:
    """Evaluative words and nothing checkable (no number, date or comparison)."""
    checkable = ("f:number", "f:number_word", "f:percent", "f:year", "f:comparative")
    return "f:opinion" in signals and not any(k in signals for k in checkable)
