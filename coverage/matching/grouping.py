"""When a new claim is the same claim as a stored one: pure functions, no Django.

``decide`` turns the similarity of a new claim to its best stored candidate into one of
three outcomes: ``auto`` (join that claim's group now), ``suggest`` (an editor decides)
or ``None``. The thresholds were chosen by cross-validation on the tweet-group train
split (``docs/decisions/grouping.md``; the README states them). Never automatic:

- when the texts state a different figure, date or name (``factcheck.extraction.compare``);
  the suggestion then says what differs;
- when either text is shorter than ``min_words`` content words: "Crime is up" matches
  too much to be trusted alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coverage.matching import text


@dataclass(frozen=True)
class Thresholds:
    auto: float = 0.40  # score at or above which a claim joins a group by itself
    suggest: float = 0.50  # score at or above which an editor is asked (when not automatic)
    min_words: int = 4  # content words both texts need before anything is automatic
    lexical_weight: float = 0.4  # weight of the content-word overlap in the score


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Decision:
    outcome: str | None  # "auto", "suggest" or None
    score: float
    differences: list[str] = field(default_factory=list)
    short: bool = False


def overlap(a: str, b: str) -> float:
    """Jaccard overlap of the two texts' content words (0..1)."""
    wa, wb = set(text.query_terms(a)), set(text.query_terms(b))
    return len(wa & wb) / len(wa | wb) if wa and wb else 0.0


def score(cosine: float, lexical: float, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> float:
    """The similarity ``decide`` compares: the cosine, mixed with the content-word overlap."""
    w = thresholds.lexical_weight
    return (1 - w) * cosine + w * lexical


def decide(
    *,
    similarity: float,
    words: tuple[int, int],
    differences: list[str],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Decision:
    """The outcome for a new claim and its best candidate (``similarity`` from ``score``)."""
    short = min(words) < thresholds.min_words
    if similarity >= thresholds.auto and not differences and not short:
        return Decision("auto", similarity)
    if similarity >= thresholds.suggest:
        return Decision("suggest", similarity, list(differences), short)
    return Decision(None, similarity, list(differences), short)


def content_words(claim_text: str) -> int:
    """Content words of a claim (stop words, links and tweet furniture left out)."""
    return len(text.query_terms(claim_text))
