"""What two claim texts state differently: figures, dates, names, direction and denial.
Pure text, no Django.

Two sentences can read almost alike and still be different claims: "crime fell 18%" and
"crime fell 40%", "in 2023" and "in 2019", "Smith said" and "Jones said". ``differences``
lists such conflicts in words an editor reads ("figure: 18% / 40%"); grouping never joins
two claims automatically while the list is not empty, and prior-coverage ranking can use
it too.

A conflict is a substitution, not an addition: each text must state a figure (or a date,
or a name) that the other lacks. "Crime fell 18%" and "crime fell 18% last year, police
say" do not conflict; "crime fell 18%" and "crime fell 40%" do. Figures are normalised
first, so "12 percent", "12 per cent" and "12%" agree, and so do "4,000" and "4000" and
"4 million" and "4,000,000"; an amount with a currency agrees with the same amount
without one ("$6.4 million" / "6.4 million"), and an ordinal ("19th century") is no figure.

A name is a run of capitalised words ("Hunter Biden"); it agrees with a name of the other
text that shares a word ("Barack Obama" / "President Obama": titles are not names) unless
both are a given name and one surname that differ in the given name ("Joe Biden" /
"Hunter Biden"), and with the other text's words whatever their case ("Hospital waiting
lists"). Words are compared without case, possessive or plural ("NFL's" / "NFL",
"Nazis" / "Nazi"), and a hashtag or handle as the words it glues ("#DirectTV" /
"Direct TV", "@BarackObama" / "Barack Obama"). Two names conflict only when they fill the
same slot: each text has one the other lacks, right after the same word or right before
the same word ("police say Smith lied" / "police say Jones lied", "fell in London" / "fell
in Paris"). A name that only one text has, or names in different places, are details one
text adds ("Soros funds BLM" / "George Soros helped the Nazis"), not a conflict.

A claim and its opposite or its denial conflict too: "crime rose" / "crime fell", "more" /
"fewer emissions", "cut" / "raised taxes" (a direction each), and "the vaccine causes
infertility" / "the vaccine does not cause infertility" (a word one text states plainly and
the other denies within a negation's reach).

The line an embedded tweet ends with ("— Name (@handle) January 6, 2020") is who posted
it and when, not what it claims: it is dropped before comparing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_TWEET_FOOTER = re.compile(
    r"[—–-]+\s*[^—–\n]{0,80}\(@\w{1,30}\)\s*" + _MONTH + r"\w*\.?\s+\d{1,2},\s+\d{4}\s*$", re.I
)
_URL = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|www\.\S+", re.I)
_YEAR = re.compile(r"(?<![\d.,£$€])(1[89]\d\d|20\d\d)s?(?![\d%]|[.,]\d|\s?(?:percent|per cent)\b)")
_DAY_MONTH = re.compile(
    rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH})\b|\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*%)",
    re.I,
)
_MONTH_ALONE = re.compile(rf"\b({_MONTH})\b\.?", re.I)
_SCALE = {"thousand": 1e3, "k": 1e3, "million": 1e6, "m": 1e6, "mn": 1e6, "billion": 1e9, "bn": 1e9, "b": 1e9}
_FIGURE = re.compile(
    r"(?<![\w.,])([$€£])?\s?(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)"
    r"(?:\s?(thousand|million|billion|bn|mn|k|m|b)\b)?"
    r"\s?(%|percent\b|per\s?cent\b|percentage points?\b)?",
    re.I,
)
# Words (a hashtag or handle as one), numbers, and the punctuation a slot does not cross.
_TOKEN = re.compile(r"[@#]?[^\W\d_][\w'’\-]*|\d[\d,.]*|[.!?;:…\"“”()]", re.UNICODE)
_GLUED = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_ORDINAL = re.compile(r"(?:st|nd|rd|th)\b", re.I)
_POSSESSIVE = re.compile(r"['’]s?$")
# Capitalised words that name nothing: pronouns, determiners, days and months, and the
# words a sentence or headline often starts with.
# A word right after the start or a sentence end is capitalised anyway: not taken as a name.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;…\"“”(\n])[\s\"“”'‘’(\-–—]*$")
_NOT_NAMES = frozenset(
    [
        "a",
        "an",
        "the",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "it",
        "its",
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        "our",
        "my",
        "your",
        "his",
        "her",
        "their",
        "me",
        "us",
        "them",
        "and",
        "or",
        "but",
        "if",
        "so",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "to",
        "with",
        "without",
        "after",
        "before",
        "since",
        "until",
        "while",
        "when",
        "where",
        "why",
        "how",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "not",
        "no",
        "yes",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "has",
        "have",
        "had",
        "do",
        "does",
        "did",
        "will",
        "would",
        "can",
        "could",
        "should",
        "may",
        "might",
        "must",
        "shall",
        "also",
        "just",
        "only",
        "even",
        "still",
        "then",
        "than",
        "all",
        "any",
        "some",
        "each",
        "every",
        "many",
        "more",
        "most",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "yesterday",
        "tomorrow",
        "breaking",
        "fact",
        "check",
        "news",
        "update",
        "report",
        "video",
        "photo",
        "rt",
        "via",
        "new",
        "says",
        "said",
    ]
)
_NOT_NAMES |= {
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
}
_NOT_NAMES |= set(_MONTHS)
# Titles name nobody by themselves: "President Obama" is "Obama".
_TITLES = frozenset(
    [
        "president",
        "pres",
        "senator",
        "sen",
        "governor",
        "gov",
        "rep",
        "representative",
        "congressman",
        "congresswoman",
        "dr",
        "mr",
        "mrs",
        "ms",
        "miss",
        "judge",
        "justice",
        "ceo",
        "lt",
        "ltc",
        "col",
        "gen",
        "general",
        "sgt",
        "officer",
        "prince",
        "princess",
        "king",
        "queen",
        "pope",
        "sir",
        "lord",
        "lady",
        "minister",
        "secretary",
        "sec",
        "adv",
        "mayor",
        "chief",
        "captain",
        "capt",
        "coach",
        "professor",
        "prof",
        "saint",
        "st",
        "rev",
        "reverend",
    ]
)


# Which way a quantity went: "crime rose" and "crime fell" are not one claim.
_UP = frozenset(
    [
        "rise",
        "rises",
        "rose",
        "risen",
        "rising",
        "increase",
        "increases",
        "increased",
        "increasing",
        "grew",
        "grow",
        "grows",
        "growing",
        "up",
        "higher",
        "soared",
        "soaring",
        "doubled",
        "tripled",
        "jumped",
        "surged",
        "climbed",
        "gained",
        "raise",
        "raises",
        "raised",
        "raising",
        "hiked",
        "boosted",
        "more",
        "greater",
        "larger",
        "bigger",
    ]
)
_DOWN = frozenset(
    [
        "fall",
        "falls",
        "fell",
        "fallen",
        "falling",
        "decrease",
        "decreases",
        "decreased",
        "decreasing",
        "drop",
        "drops",
        "dropped",
        "dropping",
        "down",
        "lower",
        "shrank",
        "shrunk",
        "shrinking",
        "halved",
        "plunged",
        "plummeted",
        "declined",
        "declining",
        "slumped",
        "lost",
        "cut",
        "cuts",
        "cutting",
        "reduce",
        "reduces",
        "reduced",
        "reducing",
        "lowered",
        "slashed",
        "less",
        "fewer",
        "smaller",
    ]
)

# A claim and its denial are not one claim: "the vaccine causes infertility" and "the vaccine
# does not cause infertility". A negation denies the few words after it (contractions end in
# n't); only a denied word the other text states plainly is a conflict, so a long text's
# incidental "not kidding" or "you don't have to" denies nothing the other text says.
_NEGATIONS = frozenset(["not", "no", "never", "nobody", "none", "nothing", "neither", "nor", "cannot"])
_NEGATION_REACH = 3  # words after a negation that it denies
# "No, the vaccine doesn't ..." : a "no" answering something is no negation of the words after.
_ANSWERING_NO = re.compile(r"\b[Nn]o\s*[,;:!—–]+\s*")
_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "be",
        "is",
        "are",
        "was",
        "were",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "it",
        "its",
        "this",
        "that",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "by",
        "with",
        "as",
        "and",
        "or",
        "but",
        "so",
        "any",
        "anyone",
        "anything",
        "ever",
        "even",
        "just",
        "only",
        "he",
        "she",
        "they",
        "we",
        "you",
        "i",
        "me",
        "him",
        "her",
        "them",
        "us",
        "his",
        "their",
        "our",
        "your",
        "my",
    ]
)


@dataclass(frozen=True)
class Name:
    """A run of capitalised words and the words either side of it (its slot)."""

    label: str  # as an editor reads it: "hunter biden"
    keys: tuple[str, ...]  # each word as compared (``_key``)
    before: str  # the key of the word right before, "" after punctuation or at the start
    after: str  # the key of the word right after, "" before punctuation or at the end


@dataclass(frozen=True)
class Facts:
    """What a text states that must agree for two texts to be one claim."""

    figures: frozenset[str]
    dates: frozenset[str]
    names: tuple[Name, ...]
    words: frozenset[str]  # every word, lower-cased
    keys: frozenset[str]  # every word as compared, and each two or three glued: what a name is looked up in
    denied: frozenset[str] = frozenset()  # keys of the words a negation denies
    stated: frozenset[str] = frozenset()  # keys of the content words no negation reaches

    @property
    def direction(self) -> str:
        """ "up", "down" or "" (none, or both): which way the text says something went."""
        up, down = bool(self.words & _UP), bool(self.words & _DOWN)
        return "up" if up and not down else "down" if down and not up else ""


def strip_furniture(text: str) -> str:
    """The text without links and without an embedded tweet's closing byline."""
    text = _URL.sub(" ", text or "")
    return _TWEET_FOOTER.sub(" ", text.strip()).strip()


def _number(digits: str, scale: str | None) -> str:
    value = float(digits.replace(",", "")) * _SCALE.get((scale or "").lower(), 1.0)
    if value >= 1e15:
        return digits
    return f"{int(value):,}" if value == int(value) else f"{value:,.6g}"


def facts(text: str) -> Facts:
    """The figures, dates and names of ``text`` (after ``strip_furniture``)."""
    text = strip_furniture(text)
    dates: set[str] = set()
    masked = text
    for m in _DAY_MONTH.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        dates.add(f"{month[:3].title()} {int(day)}")
        masked = masked.replace(m.group(0), " ", 1)
    for m in _YEAR.finditer(masked):
        dates.add(m.group(0))
    masked = _YEAR.sub(" ", masked)
    with_day = {d.split()[0] for d in dates if " " in d}
    dates |= {
        m.group(1)[:3].title()
        for m in _MONTH_ALONE.finditer(masked)
        if m.group(1)[0].isupper()
        and m.group(1)[:3].title() not in with_day
        and (m.group(1) != "May" or masked[: m.start()].lower().endswith(("in ", "of ", "since ")))
    }
    figures: set[str] = set()
    for m in _FIGURE.finditer(masked):
        currency, digits, scale, percent = m.groups()
        if _ORDINAL.match(masked, m.end()):
            continue
        unit = (
            "%" if percent and not percent.lower().startswith("percentage") else (" pts" if percent else "")
        )
        figures.add(f"{currency or ''}{_number(digits, scale)}{unit}")
    tokens = _tokens(text)
    words = frozenset(w.lower().strip("'’-") for w, kind in tokens if kind != "stop")
    plain = [_key(w) for w, kind in tokens if kind != "stop"]
    keys = set(plain) | words
    for size in (2, 3):
        keys |= {"".join(plain[i : i + size]) for i in range(len(plain) - size + 1)}
    denied, stated = _denied_and_stated(
        _tokens(_ANSWERING_NO.sub(" ", text)) if _ANSWERING_NO.search(text) else tokens
    )
    return Facts(frozenset(figures), frozenset(dates), _names(tokens), words, frozenset(keys), denied, stated)


def _is_negation(word: str) -> bool:
    lower = word.lower()
    return lower in _NEGATIONS or lower.endswith(("n't", "n’t"))


def _denied_and_stated(tokens: list[tuple[str, str]]) -> tuple[frozenset[str], frozenset[str]]:
    """Keys of the content words within reach of a negation, and of the others."""
    denied: set[str] = set()
    stated: set[str] = set()
    reach = 0
    for word, kind in tokens:
        if kind == "stop":
            reach = 0  # a negation does not reach past punctuation
            continue
        if _is_negation(word):
            reach = _NEGATION_REACH
            continue
        key = _key(word)
        if key in _FUNCTION_WORDS or word.lower() in _FUNCTION_WORDS:
            continue
        if reach:
            denied.add(key)
            reach -= 1
        else:
            stated.add(key)
    return frozenset(denied), frozenset(stated - denied)


def _key(word: str) -> str:
    """A word as names are compared: lower-cased, without a possessive or a plural s."""
    word = _POSSESSIVE.sub("", word.lower().strip("'’-"))
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us")) else word


def _tokens(text: str) -> list[tuple[str, str]]:
    """The words of ``text``, each ``name``, ``word`` or ``stop`` (punctuation).

    A hashtag or handle becomes the words it glues, a run of its own. A capitalised word
    at a sentence start is a name only when a name follows it ("Hunter Biden said").
    """
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(text):
        word = m.group(0)
        if word[0] in "@#":
            out += [(part, "name" if _is_tag_name(part) else "word") for part in _GLUED.findall(word[1:])]
            out.append(("|", "stop"))
        elif not word[0].isalnum():
            out.append((word, "stop"))
        elif not _is_name(word) or _key(word) in _TITLES or word.lower() in _TITLES:
            out.append((word, "word"))
        else:
            out.append((word, "lead" if _SENTENCE_START.search(text, 0, m.start()) else "name"))
    return [
        (w, ("name" if i + 1 < len(out) and out[i + 1][1] == "name" else "word") if kind == "lead" else kind)
        for i, (w, kind) in enumerate(out)
    ]


def _is_tag_name(part: str) -> bool:
    return (part[:1].isupper() and _is_name(part)) or (part.isupper() and len(part) > 1)


def _names(tokens: list[tuple[str, str]]) -> tuple[Name, ...]:
    """The runs of names among ``tokens``, with their slots."""

    def neighbour(i: int) -> str:
        return _key(tokens[i][0]) if 0 <= i < len(tokens) and tokens[i][1] != "stop" else ""

    names, i = [], 0
    while i < len(tokens):
        if tokens[i][1] != "name":
            i += 1
            continue
        j = i
        while j < len(tokens) and tokens[j][1] == "name":
            j += 1
        run = [w for w, _ in tokens[i:j]]
        label = " ".join(w.lower().strip("'’-") for w in run)
        names.append(Name(label, tuple(_key(w) for w in run), neighbour(i - 1), neighbour(j)))
        i = j
    return tuple(names)


def _is_name(word: str) -> bool:
    """Capitalised, and not a shouted word: all capitals only for short acronyms (NHS, FBI)."""
    if len(word) < 2 or not word[0].isupper() or word.lower() in _NOT_NAMES:
        return False
    return not word.isupper() or len(word) <= 4


def differences(a: str | Facts, b: str | Facts) -> list[str]:
    """How the two texts conflict, one short phrase per kind: ``[]`` when they do not.

    >>> differences("crime fell 18%", "crime fell 40%")
    ['figure: 18% / 40%']
    """
    fa = a if isinstance(a, Facts) else facts(a)
    fb = b if isinstance(b, Facts) else facts(b)
    out = []
    figures = _unmatched_figures(fa.figures, fb.figures), _unmatched_figures(fb.figures, fa.figures)
    for label, (only_a, only_b) in (
        ("figure", figures),
        ("date", (fa.dates - fb.dates, fb.dates - fa.dates)),
    ):
        if only_a and only_b:
            out.append(f"{label}: {', '.join(sorted(only_a))} / {', '.join(sorted(only_b))}")
    if fa.direction and fb.direction and fa.direction != fb.direction:
        out.append(f"direction: {fa.direction} / {fb.direction}")
    denied = sorted((fa.denied & fb.stated) | (fb.denied & fa.stated))
    if denied:
        out.append(f"negation: {', '.join(denied)} denied by one text, stated by the other")
    pairs = _name_conflicts(fa, fb)
    if pairs:
        left, right = sorted({x for x, _ in pairs}), sorted({y for _, y in pairs})
        out.append(f"name: {', '.join(left)} / {', '.join(right)}")
    return out


def _unmatched_figures(mine: frozenset[str], theirs: frozenset[str]) -> frozenset[str]:
    """Figures of ``mine`` the other text does not state (an amount may lack the currency)."""
    bare = {f.lstrip("$€£") for f in theirs}
    return frozenset(
        f for f in mine if f not in theirs and not (f[:1] in "$€£" and f[1:] in theirs) and f not in bare
    )


def _name_conflicts(fa: Facts, fb: Facts) -> set[tuple[str, str]]:
    """Pairs of names, one of each text, that cannot be the same: see the module docstring."""
    pairs: set[tuple[str, str]] = set()
    unmatched: list[list[Name]] = [[], []]
    for side, (mine, theirs) in enumerate(((fa, fb), (fb, fa))):
        for name in mine.names:
            sharing = [other for other in theirs.names if set(other.keys) & set(name.keys)]
            clash = [other for other in sharing if _other_given_name(name, other)]
            if clash:
                pair = (name.label, clash[0].label)
                pairs.add(pair if side == 0 else pair[::-1])
            elif not sharing and not any(k in theirs.keys for k in name.keys):
                unmatched[side].append(name)
    for x in unmatched[0]:
        for y in unmatched[1]:
            if (x.before and x.before == y.before) or (x.after and x.after == y.after):
                pairs.add((x.label, y.label))
    return pairs


def _other_given_name(a: Name, b: Name) -> bool:
    """ "Joe Biden" / "Hunter Biden": one surname, two given names."""
    return len(a.keys) == 2 == len(b.keys) and a.keys[1] == b.keys[1] and a.keys[0] != b.keys[0]
