"""One sentence of a text as a possible claim: where it is, what it says, how it scored.

A module of its own so that ``select`` can import it without importing the package
``__init__`` that imports ``select`` (``from factcheck.extraction import Candidate`` works too).
"""

from dataclasses import dataclass, field


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
