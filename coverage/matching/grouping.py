"""When a new claim is the same claim as a stored one: pure functions, no Django.

``probability`` is how likely two claims are one claim, from two pair features
(``features``: the MiniLM cosine, and the cosine of the content words weighted by their
rarity among the stored claims, ``Idf``), by a logistic regression fitted on the
tweet-group train split and shipped as the coefficients of ``MODEL``. ``decide`` turns it into one of three
outcomes: ``auto`` (join that claim's group now), ``suggest`` (an editor decides) or
``None``. The coefficients and thresholds were chosen by cross-validation on that split
(``docs/decisions/grouping.md``; the README states them). Never automatic:

- when the texts state a different figure, date or name (``factcheck.extraction.compare``);
  the suggestion then says what differs;
- when either text is shorter than ``min_words`` content words: "Crime is up" matches
  too much to be trusted alone.

``choose`` applies ``decide`` to the candidates of a search: a claim joins the most likely
candidate that ``decide`` lets it join automatically, so a near-copy that states another
figure does not hide a true repeat behind it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from coverage.matching import text
from factcheck.extraction import compare


@dataclass(frozen=True)
class Thresholds:
    auto: float = 0.23  # probability at or above which a claim joins a group by itself
    suggest: float = 0.40  # probability at or above which an editor is asked (when not automatic)
    min_words: int = 3  # content words both texts need before anything is automatic
    # Without the embedding extra there is no cosine: the overlap alone is compared with
    # these (the values the earlier fused score used; no tuning data without vectors).
    lexical_auto: float = 0.40
    lexical_suggest: float = 0.50


DEFAULT_THRESHOLDS = Thresholds()

# Logistic regression over ``FEATURES`` (intercept first), fitted by ``bench.grouping_tune``.
FEATURES = ("cosine", "idf_cosine")
MODEL: dict[str, float] = {"intercept": -9.1009, "cosine": 11.1712, "idf_cosine": 9.0529}


@dataclass(frozen=True)
class Decision:
    outcome: str | None  # "auto", "suggest" or None
    score: float
    differences: list[str] = field(default_factory=list)
    short: bool = False


@dataclass(frozen=True)
class Signals:
    """What of one claim text the pair features compare."""

    terms: frozenset[str]  # content words (``text.query_terms`` of the prepared text)

    @property
    def words(self) -> int:
        return len(self.terms)


def prepared(claim_text: str) -> str:
    """The text both the stored vectors and the queries are made of."""
    return text.query_text(compare.strip_furniture(claim_text))


def signals(claim_text: str) -> Signals:
    """The ``Signals`` of a claim's raw text (links and a tweet's byline do not count)."""
    return Signals(terms=frozenset(text.query_terms(prepared(claim_text), limit=10_000)))


class Idf:
    """How rare a content word is among ``docs`` stored texts, ``counts`` of which hold it.

    ``extra`` are the words of one more text that is compared but not counted yet (a new
    claim): each counts once more, and so does the text. A word no count knows is as rare
    as a word of one text.
    """

    def __init__(self, counts: Mapping[str, int], docs: int, extra: frozenset[str] = frozenset()):
        self.counts, self.docs, self.extra = counts, docs + (1 if extra else 0), extra

    def __call__(self, word: str) -> float:
        df = self.counts.get(word, 0) + (1 if word in self.extra else 0)
        return math.log((self.docs + 1) / (max(df, 1) + 0.5))


def overlap(a: Signals, b: Signals) -> float:
    """Jaccard overlap of the two texts' content words (0..1)."""
    union = a.terms | b.terms
    return len(a.terms & b.terms) / len(union) if union else 0.0


def idf_cosine(a: Signals, b: Signals, idf: Callable[[str], float]) -> float:
    """Cosine of the two texts' content-word sets, each word weighted by ``idf`` (0..1)."""
    shared = sum(idf(w) ** 2 for w in a.terms & b.terms)
    if not shared:
        return 0.0
    norm_a = math.sqrt(sum(idf(w) ** 2 for w in a.terms))
    norm_b = math.sqrt(sum(idf(w) ** 2 for w in b.terms))
    return shared / (norm_a * norm_b)


def features(cosine: float, a: Signals, b: Signals, idf: Callable[[str], float]) -> dict[str, float]:
    """The pair features ``probability`` weighs, by name (``FEATURES``)."""
    return {"cosine": cosine, "idf_cosine": idf_cosine(a, b, idf)}


def probability(values: dict[str, float], model: dict[str, float] = MODEL) -> float:
    """How likely the two claims are one claim (0..1), from ``features``."""
    z = model["intercept"] + sum(model[name] * values[name] for name in FEATURES)
    return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0


def decide(
    *,
    similarity: float,
    words: tuple[int, int],
    differences: list[str],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    lexical: bool = False,
) -> Decision:
    """The outcome for a new claim and one candidate (``similarity`` from ``probability``,
    or the overlap alone when ``lexical``)."""
    auto, suggest = (
        (thresholds.lexical_auto, thresholds.lexical_suggest)
        if lexical
        else (thresholds.auto, thresholds.suggest)
    )
    short = min(words) < thresholds.min_words
    if similarity >= auto and not differences and not short:
        return Decision("auto", similarity)
    if similarity >= suggest:
        return Decision("suggest", similarity, list(differences), short)
    return Decision(None, similarity, list(differences), short)


def choose(
    scored: Sequence[tuple[float, int]],
    differences: Callable[[int], list[str]],
    *,
    words: int,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    lexical: bool = False,
) -> tuple[int, Decision] | None:
    """Which candidate a new claim goes with, and how.

    ``scored`` holds (similarity, content words) per candidate; ``differences(i)`` what
    candidate ``i`` states differently (called only for the candidates that could be
    automatic, and for the best one). The most likely candidate ``decide`` makes automatic
    wins; when none is, the outcome is ``decide``'s for the most likely candidate.
    """
    if not scored:
        return None
    order = sorted(range(len(scored)), key=lambda i: -scored[i][0])
    auto = thresholds.lexical_auto if lexical else thresholds.auto
    first: Decision | None = None
    for i in order:
        similarity, their_words = scored[i]
        if first is not None and similarity < auto:
            break
        decision = decide(
            similarity=similarity,
            words=(words, their_words),
            differences=differences(i),
            thresholds=thresholds,
            lexical=lexical,
        )
        if decision.outcome == "auto":
            return i, decision
        if first is None:
            first = decision
    return order[0], first  # type: ignore[return-value]
