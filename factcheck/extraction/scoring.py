"""Check-worthiness score: a linear model over named features, loaded from JSON.

The artifact (``checkworthiness_model.json``, written by ``manage.py
train_checkworthiness``) is ``{"bias": float, "weights": {feature: weight}, "meta": {...}}``
so scoring is a dict lookup per feature: no numpy or scikit-learn at run time. Without the
artifact the hand-set weights below are used, and a warning says so once.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

MODEL_PATH = Path(__file__).with_name("checkworthiness_model.json")

# Hand-set fallback: what a fact-checker would weigh, roughly on the learned scale.
HAND_WEIGHTS: dict[str, float] = {
    "f:number": 1.2,
    "f:numbers": 0.6,
    "f:percent": 0.8,
    "f:year": 0.4,
    "f:number_word": 0.6,
    "f:money": 0.5,
    "f:date": 0.3,
    "f:entities": 0.8,
    "f:comparative": 0.5,
    "f:superlative": 0.5,
    "f:reporting": 0.3,
    "f:quote": 0.2,
    "f:past": 0.4,
    "f:past_number": 0.4,
    "f:topic": 0.5,
    "f:cause": 0.3,
    "f:law": 0.3,
    "f:hedge": -0.5,
    "f:future": -0.6,
    "f:promise": -0.5,
    "f:opinion": -0.5,
    "f:question": -1.5,
    "f:exclaim": -0.5,
    "f:civility": -1.5,
    "f:second_person": -0.4,
    "f:len_le4": -2.0,
    "f:len_5_9": -0.8,
    "f:len_20_39": 0.3,
}
HAND_BIAS = -1.2
# A sentence's word meaning is averaged over at least this many words (see ``Model.meaning``).
MEANING_MIN_WORDS = 5


@dataclass(frozen=True)
class Model:
    bias: float
    weights: dict[str, float]
    meta: dict = field(default_factory=dict)
    source: str = "hand-set"
    # Derived from ``weights`` in ``__post_init__``: not constructor arguments, and left out
    # of repr and equality (the weights already say all of it).
    word_weights: dict[str, float] = field(init=False, repr=False, compare=False)
    word_keys: frozenset[str] = field(init=False, repr=False, compare=False)
    pair_weights: dict[str, dict[str, float]] = field(init=False, repr=False, compare=False)
    mean_weights: dict[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Words ("w:") are looked up without their prefix: one set intersection per sentence
        # (set & frozenset walks the smaller). Word pairs ("b:first second") are indexed
        # by first word, then second: no pair string is built for a sentence.
        words = {k[2:]: v for k, v in self.weights.items() if k.startswith("w:")}
        pairs: dict[str, dict[str, float]] = {}
        for k, v in self.weights.items():
            if k.startswith("b:") and " " in k:
                first, second = k[2:].split(" ", 1)
                pairs.setdefault(first, {})[second] = v
        object.__setattr__(self, "word_weights", words)
        object.__setattr__(self, "word_keys", frozenset(words))
        object.__setattr__(self, "pair_weights", pairs)
        # Word meanings ("m:"): a scalar per word, averaged over the sentence's tokens.
        object.__setattr__(
            self, "mean_weights", {k[2:]: v for k, v in self.weights.items() if k.startswith("m:")}
        )

    def logit(self, features: dict[str, float]) -> float:
        w = self.weights
        return self.bias + sum(w.get(k, 0.0) * v for k, v in features.items())

    def probability(self, features: dict[str, float]) -> float:
        return _sigmoid(self.logit(features))

    def score(self, signals: dict[str, float], words: set[str], low_toks: Sequence[str] = ()) -> float:
        """Same as ``probability`` of signals plus ``w:`` words and the ``b:`` pairs of
        adjacent ``low_toks`` (lower-cased tokens in order), without building that dict."""
        w = self.weights
        z = self.bias + sum(w.get(k, 0.0) * v for k, v in signals.items())
        z += self.wording(words, low_toks)
        if self.mean_weights:
            z += self.meaning(low_toks)
        return _sigmoid(z)

    def wording(self, words: set[str], low_toks: Sequence[str]) -> float:
        """The ``w:`` words' and ``b:`` word pairs' share of the logit."""
        ww = self.word_weights
        z = sum(ww[t] for t in words & self.word_keys)
        if self.pair_weights:
            z += self._pairs(low_toks)
        return z

    def meaning(self, low_toks: Sequence[str]) -> float:
        """Mean ``m:`` weight over the tokens that have one, over at least
        ``MEANING_MIN_WORDS`` of them (0 when none has).

        The ``m:`` weights are a logistic regression on the sentence's mean static word
        vector, folded into one scalar per word (``w . mean(v) == mean(w . v)``): words
        never seen in training still count through what they mean, at the cost of a dict
        lookup per token (see ``training.semantic_weights``).

        The mean of one to four words is the meaning of a fragment ("Ninety-eight
        percent.", "Obamacare."), extreme because nothing averages it out; it ranked such
        fragments above whole claims. Dividing by at least five words counts what a
        fragment is about in proportion to the words it has (the missing ones as neutral).
        Applied at scoring only (the regression is fitted on the plain mean); the figures
        behind five: ``docs/decisions/checkworthiness-model.md``.
        """
        get = self.mean_weights.get
        total, n = 0.0, 0
        for tok in low_toks:
            weight = get(tok)
            if weight is not None:
                total += weight
                n += 1
        return total / max(n, MEANING_MIN_WORDS) if n else 0.0

    def _pairs(self, low_toks: Sequence[str]) -> float:
        """Sum of the weights of the distinct adjacent pairs (a feature counts once, as in training).

        One dict lookup per token (its pairs as a first word), one more when the previous
        token had pairs: the hot loop of scoring, kept to plain locals.
        """
        get = self.pair_weights.get
        total, seen, seconds, first = 0.0, None, None, ""
        for tok in low_toks:
            if seconds is not None:
                weight = seconds.get(tok)
                if weight is not None:
                    if seen is None:
                        seen = {(first, tok)}
                        total += weight
                    elif (first, tok) not in seen:
                        seen.add((first, tok))
                        total += weight
            seconds, first = get(tok), tok
        return total

    def contributions(self, features: dict[str, float]) -> dict[str, float]:
        """Per-feature share of the logit, for the explanation shown to editors."""
        return {k: round(self.weights.get(k, 0.0) * v, 3) for k, v in features.items()}


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def model_from_dict(data: dict, *, source: str) -> Model:
    """Validate an artifact's structure; raise ValueError with the reason."""
    if not isinstance(data, dict) or not isinstance(data.get("weights"), dict):
        raise ValueError(f"{source}: expected an object with a 'weights' object")
    try:
        weights = {str(k): float(v) for k, v in data["weights"].items()}
        bias = float(data.get("bias", 0.0))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{source}: weights must be numbers ({exc})") from exc
    return Model(bias=bias, weights=weights, meta=dict(data.get("meta") or {}), source=source)


def hand_model() -> Model:
    return Model(bias=HAND_BIAS, weights=dict(HAND_WEIGHTS), source="hand-set")


@lru_cache(maxsize=4)
def load_model(path: str | None = None) -> Model:
    """The trained model, or the hand-set one when the artifact is missing or broken."""
    path = path or str(MODEL_PATH)
    try:
        with open(path, encoding="utf-8") as fh:
            return model_from_dict(json.load(fh), source=path)
    except FileNotFoundError:
        logger.warning("No check-worthiness model at %s; using hand-set feature weights", path)
    except (ValueError, OSError) as exc:
        logger.warning("Unusable check-worthiness model (%s); using hand-set weights", exc)
    return hand_model()
