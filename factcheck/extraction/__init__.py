"""Claim pre-extraction over plain text. No Django imports: easy to test and time.

``extract(text)`` splits an article into sentences with exact offsets and returns one
scored, attributed, typed ``Candidate`` per sentence; ``select(candidates, ...)`` picks
the ones that become claims. ``score_turns`` scores transcript sentences with a known
speaker (the benchmarks), through the same ``Analyser`` so both see the same features.
"""

from __future__ import annotations

from collections.abc import Iterable

from .candidate import Candidate
from .claimant import ClaimantState, find_claimant
from .claimtype import PREDICTION, classify, is_characterisation, is_opinion
from .features import (
    all_features,
    lower_tokens,
    role_interactions,
    sentence_signals,
    speaker_features,
    words_of,
)
from .news import NEWS_WEIGHTS, news_signals, shifted, title_words
from .scoring import Model, load_model
from .segment import MAX_SENTENCE_CHARS, paragraph_spans, sentence_spans
from .select import select

__all__ = ["Analyser", "Candidate", "explain", "extract", "score_turns", "select"]

CONTEXT_SIZE = 3
# Predictions cannot be checked yet; opinions cannot be checked at all (Full Fact). The
# model's own future/opinion weights already lower them some, so the factors are mild
# (how 0.9 was chosen: docs/decisions/checkworthiness-model.md).
PREDICTION_FACTOR = 0.9
OPINION_FACTOR = 0.9
_QUOTE_PAIRS = (("“", "”"), ('"', '"'))
# The most of one article that is extracted: its first MAX_TEXT_CHARS (about 30,000
# words, longer than any news article) and of those its first MAX_SENTENCES sentences
# (such a text has about 1,500 of ~130 characters). The work is linear in the text and in
# the sentences, so these bound the time one article holds a worker, also for text made
# of tiny sentences ("Yes! Yes! …"). The rest of a longer text gives no candidates.
MAX_TEXT_CHARS = 200_000
MAX_SENTENCES = 2_000


def quoted_words(sentence: str) -> str:
    """The quoted words of a sentence ('' if none), several quotes joined by ' … '.

    A scan with ``str.find`` rather than a regex: linear even for a run of unclosed quotes.
    """
    found: list[tuple[int, str]] = []
    for opening, closing in _QUOTE_PAIRS:
        i = 0
        while (a := sentence.find(opening, i)) >= 0:
            b = sentence.find(closing, a + 1)
            if b < 0:
                break
            inner = sentence[a + 1 : b].strip(" ,.")
            if b - a > 2 and inner:
                found.append((a, inner))
            i = b + 1
    return " … ".join(text for _, text in sorted(found))


class Analyser:
    """Scores the sentences of one document in order, carrying its context along."""

    def __init__(self, model: Model | None = None) -> None:
        self.model = model or load_model()
        self.model_kind = "hand-set" if self.model.source == "hand-set" else "trained"
        self.claimants = ClaimantState()
        self.history: list[dict[str, float]] = []
        self.prev_speaker: str | None = None
        # Transcripts only: per speaker [sentences, questions] so far (its role, s:*).
        self.speakers: dict[str, list[int]] = {}
        self.spoken = 0
        self.last_low: set[str] = set()  # the last candidate's lower-cased tokens

    def _next(self, text: str, speaker: str | None, turn_start: bool):
        if speaker is not None:
            turn_start = speaker != self.prev_speaker
            self.prev_speaker = speaker
        signals, words, low_toks, low = sentence_signals(
            text, previous=self.history[-CONTEXT_SIZE:], turn_start=turn_start
        )
        if speaker is not None:
            if speaker.strip().upper() == "SYSTEM":
                signals["c:system"] = 1.0
            counts = self.speakers.setdefault(speaker, [0, 0])
            signals.update(speaker_features(counts[0], counts[1], self.spoken))
            signals.update(role_interactions(signals))
            counts[0] += 1
            counts[1] += "f:question" in signals
            self.spoken += 1
        self.history.append(signals)
        return signals, words, low_toks, low

    def features(self, text: str, *, speaker: str | None = None, turn_start: bool = False):
        """(signals, all features as one dict) of the next sentence, for training."""
        signals, words, low_toks, _low = self._next(text, speaker, turn_start)
        return signals, all_features(signals, words, low_toks)

    def candidate(
        self, text: str, start: int, *, speaker: str | None = None, turn_start: bool = False
    ) -> Candidate:
        signals, words, low_toks, low = self._next(text, speaker, turn_start)
        self.last_low = low
        claimant = find_claimant(text, self.claimants, low) or (speaker or "")
        quote = quoted_words(text) if "f:quote" in signals else ""
        ctype = classify(text, signals, quote=quote, claimant=claimant, low=low)
        factor = PREDICTION_FACTOR if ctype == PREDICTION else 1.0
        if is_opinion(signals) or is_characterisation(text):
            factor *= OPINION_FACTOR
        score = self.model.score(signals, words, low_toks) * factor
        return Candidate(
            start=start,
            end=start + len(text),
            text=text,
            quote=quote,
            claimant=claimant,
            claim_type=ctype,
            checkworthiness=round(score, 4),
            features={"signals": signals, "factor": factor, "model": self.model_kind},
        )


def explain(candidate: Candidate, model: Model | None = None) -> Candidate:
    """Add the largest contributions to the score (``features["top"]``): signals by
    name, and ``words`` (words and word pairs) and ``meaning`` (what the words mean) as one
    entry each.

    Done only for the candidates that become claims: editors see why, and the other
    sentences of an article do not pay for it.
    """
    model = model or load_model()
    contrib = model.contributions(candidate.features.get("signals", {}))
    # The words, their pairs and what they mean weigh too: one entry each, not one per word.
    low_toks = lower_tokens(candidate.text)
    contrib["words"] = round(model.wording(words_of(set(low_toks)), low_toks), 3)
    contrib["meaning"] = round(model.meaning(low_toks), 3)
    contrib.update(candidate.features.get("position", {}))  # lede, title, background (news.py)
    top = sorted(contrib.items(), key=lambda kv: -abs(kv[1]))[:6]
    candidate.features["top"] = [[k, v] for k, v in top if v]
    return candidate


def extracted_part(text: str) -> str:
    """The prefix of ``text`` that ``extract`` reads: at most ``MAX_TEXT_CHARS``, cut at
    the last whitespace within the limit when there is one nearby."""
    if len(text) <= MAX_TEXT_CHARS:
        return text
    cut = MAX_TEXT_CHARS
    floor = cut - MAX_SENTENCE_CHARS
    while cut > floor and not text[cut].isspace():
        cut -= 1
    return text[: cut if cut > floor else MAX_TEXT_CHARS]


def extract(
    text: str,
    *,
    model: Model | None = None,
    title: str | None = None,
    news_weights: dict[str, float] | None = None,
) -> list[Candidate]:
    """One candidate per sentence of ``text`` (of its first ``MAX_SENTENCES`` within its
    first ``MAX_TEXT_CHARS``), in text order; ``text[c.start:c.end] == c.text``.

    The text is an article: its lede, first paragraph and ``title`` weigh in the scores
    (``news.NEWS_WEIGHTS``, or ``news_weights``; ``{}`` leaves the model's scores alone).
    """
    if not isinstance(text, str) or not text.strip():
        return []
    analyser = Analyser(model)
    text = extracted_part(text)
    paragraphs = paragraph_spans(text)
    para_bounds = [s for s, _ in paragraphs]
    weights = NEWS_WEIGHTS if news_weights is None else news_weights
    # A title cut from the text's own first sentence (a pasted or imported text without
    # one, "…" where it was cut) says nothing the lede does not: it would count that
    # sentence twice.
    cut = title.strip().rstrip("…").rstrip() if title else ""
    heading = title_words(None if cut and text.lstrip().startswith(cut) else title)
    out: list[Candidate] = []
    p = 0
    spans = sentence_spans(text, paragraphs)[:MAX_SENTENCES]
    # One sentence alone (a claim typed in by hand) has no place in an article to weigh.
    placed = len(spans) > 1
    for start, end in spans:
        turn_start = False
        while p < len(para_bounds) and para_bounds[p] <= start:
            turn_start, p = True, p + 1
        cand = analyser.candidate(text[start:end], start, turn_start=turn_start)
        news = news_signals(
            cand.text,
            cand.features["signals"],
            index=len(out) if placed else -1,
            paragraph=p - 1 if placed else -1,
            title=heading,
            low=analyser.last_low,
        )
        cand.features["news"] = news
        score, shares = shifted(cand.checkworthiness, news, weights)
        if shares:
            cand.checkworthiness = round(score, 4)
            cand.features["position"] = shares
        out.append(cand)
    _attribute_running_quotes(out)
    return out


_OPENING_QUOTES = ("“", '"')


def _attribute_running_quotes(candidates: list[Candidate]) -> None:
    """A quotation running over paragraphs names its speaker at its end: each paragraph
    opens with a quote mark and only the last says who (``“…`` / ``“…,” she said.``).
    A sentence that opens a quotation and names no one takes the speaker of the next
    sentence when that one continues the quotation (opens with a quote mark too)."""
    for i in range(len(candidates) - 2, -1, -1):
        here, after = candidates[i], candidates[i + 1]
        if (
            not here.claimant
            and after.claimant
            and here.text.startswith(_OPENING_QUOTES)
            and after.text.startswith(_OPENING_QUOTES)
            and (here.text.count("“") > here.text.count("”") or here.text.count('"') % 2 == 1)
        ):
            here.claimant = after.claimant


def score_turns(turns: Iterable[tuple[str, str]], *, model: Model | None = None) -> list[Candidate]:
    """Score transcript sentences ``(speaker, text)`` of one document, in order."""
    analyser = Analyser(model)
    return [analyser.candidate(text, 0, speaker=speaker) for speaker, text in turns]
