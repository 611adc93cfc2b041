"""Where a claim sits in a news article: the title, the lede, background and rebuttals.

News states its claim in the title and the first sentences; the debate transcripts the
model learned from have neither, so these signals are added on top of its score, for
articles only (``extract``; ``score_turns`` does not use them). Each is a shift of the
score's logit, shown to editors under its name (``n:*``) in "Why this score":

* ``n:lede``: the article's first sentence; ``n:first_paragraph``: the rest of its first
  paragraph;
* ``n:title``: the share of the title's content words the sentence repeats (0 to 1);
* ``n:dated``: the sentence's only numbers are dates ("As of March 2, 2022, fighting
  was ongoing"): background, which the model's number weights over-rank;
* ``n:rebuttal``: the sentence reports a denial or a rebuttal rather than the claim;
* ``n:hedged``: it reports a rumour ("reportedly", "allegedly").

The weights were chosen by leave-one-article-out cross-validation on the hand-written
news of ``bench/data/claimants/train.txt`` (``python -m bench.news_ranking --cv``; the
figures: ``docs/decisions/checkworthiness-model.md``).
"""

from __future__ import annotations

import math

from .claimtype import counts_something
from .features import lower_tokens

NEWS_WEIGHTS: dict[str, float] = {
    "n:lede": 1.5,
    "n:first_paragraph": 0.0,
    "n:title": 2.0,
    "n:dated": 0.0,
    "n:rebuttal": -0.5,
    "n:hedged": -0.5,
}
REBUTTAL_WORDS = frozenset(
    [
        "denied",
        "denies",
        "deny",
        "rejected",
        "rejects",
        "dismissed",
        "dismisses",
        "disputed",
        "disputes",
        "debunked",
        "refuted",
        "refutes",
        "contradicted",
    ]
)
HEDGE_WORDS = frozenset(["reportedly", "allegedly", "purportedly", "rumoured", "rumored", "supposedly"])
_TITLE_STOP = frozenset(
    [
        "the",
        "a",
        "an",
        "of",
        "to",
        "in",
        "on",
        "for",
        "and",
        "or",
        "but",
        "with",
        "by",
        "at",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "will",
        "would",
        "says",
        "said",
        "say",
        "its",
        "it",
        "this",
        "that",
        "after",
        "over",
        "new",
    ]
)


def title_words(title: str | None) -> frozenset[str]:
    """The title's content words (lower-cased), what ``n:title`` counts."""
    if not title:
        return frozenset()
    return frozenset(t for t in lower_tokens(title) if len(t) > 2 and t not in _TITLE_STOP)


def news_signals(
    text: str,
    signals: dict[str, float],
    *,
    index: int,
    paragraph: int,
    title: frozenset[str],
    low: set[str] | None = None,
) -> dict[str, float]:
    """The ``n:*`` signals of the ``index``-th sentence (0-based), in paragraph ``paragraph``
    (``low``: its lower-cased tokens, when already at hand). An index of -1 says the
    sentence has no place in an article: no lede or first-paragraph signal."""
    low = set(lower_tokens(text)) if low is None else low
    out: dict[str, float] = {}
    if index == 0:
        out["n:lede"] = 1.0
    elif paragraph == 0:
        out["n:first_paragraph"] = 1.0
    if title:
        share = len(title & low) / len(title)
        if share:
            out["n:title"] = round(share, 3)
    if "f:number" in signals and not counts_something(text.lower(), signals):
        out["n:dated"] = 1.0
    if not low.isdisjoint(REBUTTAL_WORDS) or "no evidence" in text.lower():
        out["n:rebuttal"] = 1.0
    if not low.isdisjoint(HEDGE_WORDS):
        out["n:hedged"] = 1.0
    return out


def shifted(score: float, signals: dict[str, float], weights: dict[str, float]) -> tuple[float, dict]:
    """``score`` with its logit moved by the weighted signals; and each one's share."""
    contributions = {k: round(weights.get(k, 0.0) * v, 3) for k, v in signals.items()}
    contributions = {k: v for k, v in contributions.items() if v}
    if not contributions:
        return score, {}
    p = min(max(score, 1e-6), 1 - 1e-6)
    z = math.log(p / (1 - p)) + sum(contributions.values())
    return 1.0 / (1.0 + math.exp(-z)), contributions
