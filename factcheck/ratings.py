"""The rating scale: stable keys, labels, meanings and the ClaimReview number.

Keys are stored on ``Verdict.rating`` and exposed in the API and feeds, so they never
change; labels and meanings may be reworded. Ratings without a number (misleading,
unproven) are published with ``alternateName`` only, as Google's ClaimReview guide allows.
"""

from dataclasses import dataclass

BEST_RATING = 5
WORST_RATING = 1


@dataclass(frozen=True)
class Rating:
    key: str
    label: str
    value: int | None
    meaning: str
    colour: str


SCALE: tuple[Rating, ...] = (
    Rating("true", "True", 5, "The claim is accurate and nothing significant is missing.", "#1a7f37"),
    Rating(
        "mostly_true",
        "Mostly true",
        4,
        "The claim is accurate but needs clarification or additional information.",
        "#4c9a2a",
    ),
    Rating(
        "half_true",
        "Half true",
        3,
        "The claim is partially accurate but leaves out important details or takes things out of context.",
        "#b08800",
    ),
    Rating(
        "mostly_false",
        "Mostly false",
        2,
        "The claim contains an element of truth but ignores critical facts that would give a different impression.",
        "#d1661a",
    ),
    Rating("false", "False", 1, "The claim is not accurate.", "#cf222e"),
    Rating(
        "misleading",
        "Misleading",
        None,
        "The individual facts may be right, but the claim gives a false impression.",
        "#8250df",
    ),
    Rating(
        "unproven",
        "Unproven",
        None,
        "There is not enough evidence to say whether the claim is true or false.",
        "#57606a",
    ),
)

BY_KEY: dict[str, Rating] = {rating.key: rating for rating in SCALE}
CHOICES: list[tuple[str, str]] = [(rating.key, rating.label) for rating in SCALE]


def rating_for(key: str) -> Rating | None:
    return BY_KEY.get(key)
