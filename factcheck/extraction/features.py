"""Features of one sentence that explain its check-worthiness.

Two kinds, both plain ``{name: value}`` dicts so the trained model is just a weight per
name (JSON, no sklearn at run time):

* ``f:*`` signals that carry over from debate transcripts to news text (numbers,
  quantities, dates, named entities, comparatives, reporting verbs, quotation, hedges,
  future tense, first person, ...); these are what the admin shows as the explanation;
* ``w:*`` lower-cased words and ``b:*`` lower-cased word pairs ("tax cuts", "percent of"),
  learned from the training debates.

``c:*`` features describe the context (previous sentence, turn of a speaker) and ``s:*``
the speaker's role in the document so far, when the text has speakers (a transcript): a
speaker who mostly asks questions is a moderator or interviewer, one with most of the
sentences is the candidate. ``x:<role>:f:*`` repeat the ``f:`` signals under each role the
speaker has, so that a signal can weigh differently for a candidate and a moderator. News
articles have no speaker, so they get no ``s:*`` or ``x:*`` feature (the same as a
transcript's first sentences).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

TOKEN_RE = re.compile(r"[A-Za-z][A-Za-z'’\-]*|\d[\d,.]*\d%?|\d%?|[$€£%]")
_NUMBER_RE = re.compile(r"\d")
YEAR_PATTERN = r"\b(?:1[89]\d\d|20\d\d)s?\b"  # also what claim types take for a date
_YEAR_RE = re.compile(YEAR_PATTERN)
# Words ending in -est (6+ letters) and -ed (5+ letters): superlatives, past tense.
_SUPERLATIVE_RE = re.compile(r"(?<![a-z'’\-])[a-z][a-z'’\-]{2,}est(?![a-z'’\-])")
_PAST_RE = re.compile(r"(?<![a-z'’\-])[a-z][a-z'’\-]{2,}ed(?![a-z'’\-])")
_QUOTE_CHARS = ('"', "“", "”", "«", "»")


def wordset(s: str) -> frozenset[str]:
    return frozenset(s.split())


NUMBER_WORDS = wordset(
    "million millions billion billions trillion thousand thousands hundred hundreds dozen "
    "dozens half twice double doubled triple tripled quadrupled percent per cent "
    "one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty "
    "forty fifty sixty seventy eighty ninety"
)
MONEY_WORDS = wordset("$ € £ dollar dollars euros pounds budget tax taxes deficit debt cost costs")
DATE_WORDS = wordset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday yesterday today year years "
    "decade decades century ago since last month months week weeks"
)
COMPARATIVES = wordset(
    "more less fewer than higher lower bigger larger smaller greater increase increased "
    "increases decrease decreased rose risen fell fallen grew grown cut cuts doubled rising "
    "falling up down compared"
)
SUPERLATIVES = wordset(
    "most least largest biggest highest lowest best worst greatest smallest record ever "
    "first only never always every all nobody none"
)
REPORTING = wordset(
    "said says say stated states claimed claims claim told tells added noted argued insisted "
    "announced confirmed reported according described emphasized emphasised wrote tweeted "
    "posted declared admitted acknowledged asserted alleged warned explained suggested "
    "revealed denied lauded highlighted expressed"
)
HEDGES = wordset(
    "may might could perhaps possibly probably maybe reportedly allegedly seem seems seemed "
    "appear appears appeared likely unlikely potential potentially suggests"
)
FUTURE = wordset("will won't 'll gonna shall going plan plans intend intends expect expects")
FIRST_SG = wordset("i me my mine myself i'm i've i'd i'll")
FIRST_PL = wordset("we us our ours ourselves we're we've we'll")
SECOND = wordset("you your yours you're you've")
OPINION = wordset(
    "believe think thought feel felt great terrible beautiful wonderful amazing tremendous "
    "horrible love hate should must nice incredible disaster sad fantastic happy proud "
    "honored honoured wrong right good bad best worst hope wish want"
)
CAUSE = wordset("because cause caused causes causing due led result results resulted blame thanks")
LAW = wordset(
    "law laws bill bills legal illegal illegally unconstitutional constitution regulation "
    "regulations ban banned act court courts statute treaty rule rules legislation voted "
    "vote votes signed veto supreme judge"
)
CIVILITY = wordset("thank thanks hello applause laughter welcome congratulations goodnight")
NEGATION = wordset("not no never nothing n't don't didn't doesn't isn't wasn't can't won't")
PAST = wordset("was were had did went got made took gave lost won passed signed voted became left came")
PRESENT = wordset("is are has have there")
TOPIC = wordset(
    "jobs job economy tax taxes unemployment deficit debt trade wages immigration immigrants "
    "border crime murder murders police health insurance obamacare healthcare energy oil coal "
    "climate war military troops isis terrorism terrorists nuclear gdp manufacturing "
    "companies plants factories workers country countries nation percent dollars money "
    "billion million spending spent paid pay income growth"
)
THIRD = wordset("he she his her him they their them")
INTERJECTIONS = wordset("well look folks okay ok yes no so and but oh")
_STOP_CAPS = wordset("I I'm I've I'll I'd A The And But So Mr Mrs Ms Dr")

LENGTH_BUCKETS = ((4, "f:len_le4"), (9, "f:len_5_9"), (19, "f:len_10_19"), (39, "f:len_20_39"))


def tokens(text: str) -> list[str]:
    return TOKEN_RE.findall(text)


def lower_tokens(text: str) -> list[str]:
    """The lower-cased tokens in order: what ``w:``/``b:``/``m:`` weights are keyed on, the
    same at training, scoring and explanation time."""
    return TOKEN_RE.findall(text.lower())


def _length_feature(n: int) -> str:
    for limit, name in LENGTH_BUCKETS:
        if n <= limit:
            return name
    return "f:len_ge40"


def signal_features(
    text: str, toks: Sequence[str] | None = None, low: set[str] | None = None
) -> dict[str, float]:
    """Hand-interpretable ``f:*`` features of one sentence."""
    toks = tokens(text) if toks is None else toks
    ltext = text.lower()
    low = set(TOKEN_RE.findall(ltext)) if low is None else low
    f: dict[str, float] = {_length_feature(len(toks)): 1.0}
    n_digits = sum(1 for t in toks if t[0].isdigit())
    if n_digits:
        f["f:number"] = 1.0
        f["f:numbers"] = min(n_digits, 4) / 4
        if _YEAR_RE.search(text):
            f["f:year"] = 1.0
    if "%" in text or "percent" in low or "per cent" in ltext:
        f["f:percent"] = 1.0
    for word in low & _LEXICON_WORDS:  # one C-level intersection, then the few hits
        for name in _LEXICON_INDEX[word]:
            f[name] = 1.0
    caps = sum(1 for t in toks[1:] if t[0].isupper() and t not in _STOP_CAPS)
    if caps:
        f["f:entities"] = min(caps, 4) / 4
    if _SUPERLATIVE_RE.search(ltext):
        f["f:superlative"] = 1.0
    if _PAST_RE.search(ltext):
        f["f:past"] = 1.0
    f["f:length"] = min(len(toks), 50) / 50
    if toks and toks[0].lower() in INTERJECTIONS:
        f["f:interjection_start"] = 1.0
    if "going to" in ltext:
        f["f:future"] = 1.0
    if "f:future" in f and ("f:first_singular" in f or "f:first_plural" in f):
        f["f:promise"] = 1.0
    if "f:number" in f and "f:past" in f:
        f["f:past_number"] = 1.0
    if any(q in text for q in _QUOTE_CHARS):
        f["f:quote"] = 1.0
    stripped = text.rstrip("\"'”’) ")
    if stripped.endswith("?"):
        f["f:question"] = 1.0
    elif stripped.endswith("!"):
        f["f:exclaim"] = 1.0
    return f


_LEXICONS = (
    ("f:number_word", NUMBER_WORDS),
    ("f:money", MONEY_WORDS),
    ("f:date", DATE_WORDS),
    ("f:comparative", COMPARATIVES),
    ("f:superlative", SUPERLATIVES),
    ("f:reporting", REPORTING),
    ("f:hedge", HEDGES),
    ("f:future", FUTURE),
    ("f:first_singular", FIRST_SG),
    ("f:first_plural", FIRST_PL),
    ("f:second_person", SECOND),
    ("f:opinion", OPINION),
    ("f:cause", CAUSE),
    ("f:law", LAW),
    ("f:civility", CIVILITY),
    ("f:negation", NEGATION),
    ("f:past", PAST),
    ("f:present", PRESENT),
    ("f:topic", TOPIC),
    ("f:third_person", THIRD),
)

_LEXICON_INDEX: dict[str, tuple[str, ...]] = {}
for _name, _lexicon in _LEXICONS:
    for _word in _lexicon:
        _LEXICON_INDEX[_word] = (*_LEXICON_INDEX.get(_word, ()), _name)
_LEXICON_WORDS = frozenset(_LEXICON_INDEX)


def word_features(toks: Sequence[str]) -> dict[str, float]:
    return {"w:" + t.lower(): 1.0 for t in toks if not t[0].isdigit()}


def words_of(low: set[str]) -> set[str]:
    """The lower-cased words the model weighs (``w:`` features without the prefix)."""
    return {t for t in low if not t[0].isdigit()}


def bigrams_of(low_toks: Sequence[str]) -> set[str]:
    """Adjacent token pairs (``b:`` features without the prefix) of the lower-cased
    tokens, numbers included.

    Pairs carry what single words cannot: "tax cuts" vs "cuts", "percent of", "voted for".
    """
    return {f"{a} {b}" for a, b in zip(low_toks, low_toks[1:], strict=False)}


# A speaker's role needs a few sentences of evidence; below that only ``s:few`` is said.
SPEAKER_MIN_SENTENCES = 3
DOCUMENT_MIN_SENTENCES = 10


def speaker_features(said: int, asked: int, document: int) -> dict[str, float]:
    """``s:*`` features of a speaker from the document so far.

    ``said``: the speaker's earlier sentences, ``asked``: how many of them were questions,
    ``document``: all earlier sentences. Moderators and interviewers ask (and their
    sentences are almost never check-worthy); the candidate speaks most.
    """
    f: dict[str, float] = {}
    if said >= SPEAKER_MIN_SENTENCES:
        rate = asked / said
        f["s:question_rate"] = rate
        if rate >= 0.3:
            f["s:asks"] = 1.0
        elif rate >= 0.15:
            f["s:asks_some"] = 1.0
    else:
        f["s:few"] = 1.0
    if document >= DOCUMENT_MIN_SENTENCES:
        share = said / document
        f["s:share"] = share
        if share >= 0.3:
            f["s:main"] = 1.0
        elif share < 0.1:
            f["s:minor"] = 1.0
    return f


# The role flags whose signals get weights of their own (``x:<role>:f:<signal>``).
ROLES = ("main", "asks", "asks_some", "minor")


def role_interactions(signals: dict[str, float]) -> dict[str, float]:
    """``x:<role>:f:*``: each ``f:`` signal again under each role flag the speaker has.

    A number from the candidate and a number from the moderator do not weigh the same;
    one weight per (role, signal) lets the model say so (its CV figures:
    ``docs/decisions/checkworthiness-model.md``). Only transcripts have roles: news text
    gets none of these.
    """
    roles = [r for r in ROLES if "s:" + r in signals]
    if not roles:
        return {}
    fs = [(k, v) for k, v in signals.items() if k[:2] == "f:"]
    return {f"x:{r}:{k}": v for r in roles for k, v in fs}


def context_features(
    signals: dict[str, float], previous: Sequence[dict[str, float]], *, turn_start: bool
) -> dict[str, float]:
    """``c:*`` features from the previous sentences' signals (most recent last)."""
    f: dict[str, float] = {}
    if turn_start:
        f["c:turn_start"] = 1.0
    if previous:
        prev = previous[-1]
        for name in ("f:number", "f:question", "f:civility", "f:len_le4"):
            if name in prev:
                f["c:prev_" + name[2:]] = 1.0
    return f


def sentence_signals(
    text: str,
    *,
    previous: Sequence[dict[str, float]] = (),
    turn_start: bool = False,
) -> tuple[dict[str, float], set[str], list[str], set[str]]:
    """Run-time features: (``f:``/``c:`` signals, words for the model, the lower-cased
    tokens in order (for word pairs), the set of them)."""
    toks = tokens(text)
    low_toks = lower_tokens(text)
    low = set(low_toks)
    signals = signal_features(text, toks, low)
    signals.update(context_features(signals, previous, turn_start=turn_start))
    return signals, words_of(low), low_toks, low


def all_features(signals: dict[str, float], words: set[str], low_toks: Sequence[str]) -> dict[str, float]:
    """Signals, ``w:`` words and ``b:`` word pairs as one dict (training)."""
    allf = {"w:" + w: 1.0 for w in words}
    allf.update({"b:" + b: 1.0 for b in bigrams_of(low_toks)})
    allf.update(signals)
    return allf


def sentence_features(
    text: str,
    *,
    previous: Sequence[dict[str, float]] = (),
    turn_start: bool = False,
) -> tuple[dict[str, float], dict[str, float]]:
    """All features as one dict (training): (signals, signals plus words and word pairs)."""
    signals, words, low_toks, _low = sentence_signals(text, previous=previous, turn_start=turn_start)
    return signals, all_features(signals, words, low_toks)
