"""Full Fact's claim typology, heuristically, from a sentence's features.

Types (the values of ``factcheck.models.ClaimType``): ``quantity``, ``causal``,
``prediction``, ``rules``, ``personal``, ``quote``, ``other``. Checked in this order:
a forecast with a number is still a prediction (not checkable yet), a quoted statistic
is a quantity, a number that only dates the sentence ("in 2022", "on Feb. 12") is not.
``opinion`` is not a type but a flag that lowers the score.
"""

from __future__ import annotations

import re

from .features import YEAR_PATTERN

QUANTITY, CAUSAL, PREDICTION, RULES, PERSONAL, QUOTE, OTHER = (
    "quantity",
    "causal",
    "prediction",
    "rules",
    "personal",
    "quote",
    "other",
)

# Single words are set lookups on the sentence's lower-cased tokens; phrases are
# substring tests on the lower-cased text (both far cheaper than one regex per type).
FUTURE_WORDS = frozenset({"will", "won't", "shall", "would", "forecast", "forecasts"})
FUTURE_PHRASES = (
    "going to",
    "expected to",
    "plan to",
    "plans to",
    "intend",
    "projected to",
    "set to",
    "'ll ",
    "’ll ",
)
QUANTITY_WORDS = frozenset(
    {
        "percent",
        "million",
        "millions",
        "billion",
        "billions",
        "trillion",
        "thousand",
        "thousands",
        "hundreds",
        "dozen",
        "dozens",
        "half",
        "twice",
        "doubled",
        "tripled",
        "majority",
        "minority",
    }
)
# A change in a quantity is a quantity claim even without its figure ("crime rose"), unless
# the sentence says why (causal) or what the law is (rules).
TREND_WORDS = frozenset({"rose", "fell", "increased", "decreased", "grew", "dropped", "declined", "halved"})
CAUSAL_WORDS = frozenset({"because", "caused", "causes", "triggered", "blamed"})
CAUSAL_PHRASES = (
    "cause of",
    "led to",
    "leads to",
    "lead to",
    "due to",
    "resulted in",
    "results in",
    "result in",
    "as a result",
    "linked to",
    "responsible for",
    "thanks to",
    "contributed to",
)
RULES_WORDS = frozenset(
    {
        "law",
        "laws",
        "legal",
        "illegal",
        "unconstitutional",
        "regulation",
        "regulations",
        "legislation",
        "bill",
        "ban",
        "banned",
        "court",
        "ruled",
        "statute",
        "treaty",
        "constitution",
        "mandatory",
        "prohibit",
        "prohibits",
        "prohibited",
        "prohibition",
    }
)
RULES_PHRASES = ("required by", "signed into")
PERSONAL_WORDS = frozenset({"i", "i've", "i’ve", "i'm", "i’m", "my", "me"})
_TOKEN = re.compile(r"[a-z][a-z'’\-]*")
# Numbers that only say when: years ("2022", "1990s") and days of a month ("Feb. 12",
# "12 February", "March 3rd").
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_WHEN_RE = re.compile(
    rf"{YEAR_PATTERN}|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}"
)
_DIGIT_RE = re.compile(r"\d")
_MONTH_STEMS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def counts_something(ltext: str, signals: dict[str, float]) -> bool:
    """Whether the sentence has a number that is not just a date: "Russia's 2022 invasion"
    is not a statistic, "lasted 90 minutes" is."""
    if "f:number" not in signals:
        return False
    if "f:year" not in signals and not any(m in ltext for m in _MONTH_STEMS):
        return True  # no date in sight: skip the regex
    return bool(_DIGIT_RE.search(_WHEN_RE.sub(" ", ltext)))


# An announcement or confirmation of what will happen ("announced that key officials
# would lead the talks") is a checkable statement of a decision, not a forecast.
DECISION_WORDS = frozenset({"announced", "announces", "confirmed", "confirms", "appointed", "named"})
# "described the call as “lengthy and highly productive”": a characterisation in quotes.
_CHARACTERISATION = re.compile(
    r"\b(?:described|describes|called|calls|hailed|hails|labelled|labeled|branded|termed)\b"
    r"[^.“\"]{0,60}?\bas\s+[“\"]"
)


def is_characterisation(text: str) -> bool:
    """The sentence reports how someone judged something, in their quoted words."""
    return "as " in text and bool(_CHARACTERISATION.search(text))


def classify(
    text: str, signals: dict[str, float], *, quote: str, claimant: str, low: set[str] | None = None
) -> str:
    """One claim type for a sentence (``signals`` are its ``f:*`` features)."""
    ltext = text.lower()
    low = set(_TOKEN.findall(ltext)) if low is None else low
    future = low & FUTURE_WORDS
    decision = future <= {"would"} and not low.isdisjoint(DECISION_WORDS)
    if (
        "f:past_number" not in signals
        and not decision
        and (future or any(p in ltext for p in FUTURE_PHRASES))
    ):
        return PREDICTION
    if "f:percent" in signals or not low.isdisjoint(QUANTITY_WORDS) or counts_something(ltext, signals):
        return QUANTITY
    if not low.isdisjoint(CAUSAL_WORDS) or any(p in ltext for p in CAUSAL_PHRASES):
        return CAUSAL
    if not low.isdisjoint(RULES_WORDS) or any(p in ltext for p in RULES_PHRASES):
        return RULES
    if not low.isdisjoint(TREND_WORDS):
        return QUANTITY
    personal = set(_TOKEN.findall(quote.lower())) if quote else low
    if not personal.isdisjoint(PERSONAL_WORDS):
        return PERSONAL
    if quote and claimant:
        return QUOTE
    return OTHER


def is_opinion(signals: dict[str, float]) -> bool:
    """Evaluative words and nothing checkable (no number, date or comparison)."""
    checkable = ("f:number", "f:number_word", "f:percent", "f:year", "f:comparative")
    return "f:opinion" in signals and not any(k in signals for k in checkable)
