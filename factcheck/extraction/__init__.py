"""Claim pre-extraction over plain text. No Django imports: easy to test and time.

First simple version (foundation): regex sentence split with exact offsets and a
hand-set feature score. The real segmenter, trained scorer, claimant and typing replace
it (issue 4) behind the same ``extract(text) -> list[Candidate]``.
"""

import re
from dataclasses import dataclass, field

__all__ = ["Candidate", "extract"]


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


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’]?|$)", re.MULTILINE)
_NUMBER = re.compile(r"\d")
_NAME = re.compile(r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)+")
_REPORTING = re.compile(r"\b(said|stated|confirmed|announced|claimed|noted|described)\b", re.I)


def extract(text: str) -> list[Candidate]:
    candidates = []
    for match in _SENTENCE.finditer(text):
        raw = match.group(0)
        lead = len(raw) - len(raw.lstrip())
        sentence = raw.strip()
        if len(sentence.split()) < 4:
            continue
        start = match.start() + lead
        features = {
            "number": bool(_NUMBER.search(sentence)),
            "named_entity": bool(_NAME.search(sentence)),
            "reporting_verb": bool(_REPORTING.search(sentence)),
        }
        score = (
            0.2
            + 0.35 * features["number"]
            + 0.25 * features["named_entity"]
            + 0.2 * features["reporting_verb"]
        )
        candidates.append(
            Candidate(
                start=start,
                end=start + len(sentence),
                text=sentence,
                checkworthiness=min(score, 1.0),
                features=features,
            )
        )
    return candidates
