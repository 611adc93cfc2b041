"""Who made a claim: the speaker of a quotation or the subject of a reporting verb.

Patterns (news style, English):

* ``"…," Trump said`` / ``"…," said Trump`` / ``"…," he added``
* ``according to the Kremlin, …``
* ``Trump, in a statement on Truth Social, described …`` (subject, parenthetical, verb)
* ``Putin reportedly expressed …`` (subject, adverb, verb)
* ``In his post, Trump lauded …`` / ``In a statement, X said …`` (leading phrase)
* ``He added …``: pronouns resolve to the nearest earlier named person.

Names are shortened to the person (``U.S. President Donald Trump`` -> ``Donald Trump``)
and a bare surname is expanded to the full name seen earlier in the article. Empty when
the article itself asserts the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .features import wordset

VERBS = (
    "said|says|say|stated|states|claimed|claims|told|tells|added|adds|noted|notes|argued|"
    "argues|insisted|insists|announced|announces|confirmed|confirms|reported|reports|"
    "described|describes|emphasized|emphasised|emphasizes|wrote|writes|tweeted|posted|"
    "declared|declares|admitted|admits|acknowledged|acknowledges|asserted|asserts|alleged|"
    "alleges|warned|warns|explained|explains|suggested|suggests|revealed|reveals|denied|"
    "denies|lauded|highlighted|expressed|expresses|estimated|estimates|predicted|predicts|"
    "promised|promises|pledged|vowed|boasted|contended|maintained|countered|replied|"
    "responded|urged|accused|blamed|praised|conceded|recalled|testified|believes|believed|"
    "thinks|thought|stressed|indicated|observed|remarked|mentioned|agreed|disputed"
)
_CAP = r"(?:[A-Z][\w'’\-]*\.?|[A-Z]\.)"
NAME = rf"(?:[Tt]he\s+)?{_CAP}(?:\s+(?:of\s+|de\s+|van\s+|al-)?{_CAP}){{0,5}}"
PRONOUN = r"(?:He|She|They|he|she|they)"
ADVERB = r"(?:\w+ly|also|further|later|then|again|once|even|still|had|has|have|was|is)"
_ORG_SUBJECT = (
    r"[Tt]he\s+(?:[a-z]+\s+)?(?:ministry|police|government|company|agency|department|"
    r"commission|army|military|court|administration|spokesman|spokeswoman|report|study|"
    r"office|bureau|institute|authorities|officials|agency|survey|data|figures)"
)
_SUBJ = rf"(?P<who>{NAME}|{_ORG_SUBJECT}|{PRONOUN})"

PATTERNS = [
    # ", Trump said" / ", he added" right after the closing quote
    re.compile(rf"[,?!.]?[”\"]\s*,?\s*{_SUBJ}\s+(?:{ADVERB}\s+)?(?:{VERBS})\b"),
    # ", said Trump"
    re.compile(rf"[,?!.]?[”\"]\s*,?\s*(?:{VERBS})\s+(?P<who>{NAME})"),
    re.compile(rf"\b[Aa]ccording\s+to\s+(?P<who>{_ORG_SUBJECT}|{NAME})"),
    # optional leading phrase, subject, optional parenthetical, optional adverb, verb
    re.compile(
        rf"^(?:[^,“\"]{{1,80}},\s+)?{_SUBJ}(?:\s*,[^,“\"]{{1,80}},)?\s+"
        rf"(?:{ADVERB}\s+){{0,2}}(?:{VERBS})\b"
    ),
]

TITLES = wordset(
    "president prime minister secretary director senator sen. rep. representative gov. "
    "governor dr. mr. mrs. ms. chancellor spokesman spokeswoman spokesperson envoy advisor "
    "adviser general gen. ambassador leader chief ceo chairman chairwoman mayor judge justice "
    "king queen pope minister professor prof. attorney commissioner officials official"
)
ORG_WORDS = wordset(
    "kremlin house ministry department office agency commission party council government "
    "committee inc corp company university bank police army union court senate congress "
    "parliament administration campaign bureau institute foundation organization "
    "organisation association group times post news statement"
)
_NOT_NAMES = wordset(
    "The A An In On At As During After Before While When This That These Those It Its "
    "We I You Our Their His Her But And Yet So If"
)
_WORD_CHAR = r"[\w'’\-]"
# A mention (group "name") starts at the first capital of a run of word characters: tried
# from a later capital of the same run it reads the same rest of the run and ends the same
# way, so the attempts are made from run starts only and each run is read a bounded number
# of times ("aAaA…" was read once per capital).
_PERSON_MENTION = re.compile(
    rf"(?<!{_WORD_CHAR})(?:(?![A-Z]){_WORD_CHAR})*+(?P<name>{_CAP}(?:\s+(?:of\s+)?{_CAP}){{1,5}})"
)


@dataclass
class ClaimantState:
    """What the article has told us so far: full names, and the last person named."""

    full_names: dict[str, str] = field(default_factory=dict)  # surname -> full name
    last_person: str = ""
    last_claimant: str = ""


def _clean_name(raw: str) -> str:
    words = raw.split()
    # drop everything up to the last title word: "U.S. President Donald Trump"
    cut = 0
    for i, w in enumerate(words[:-1]):
        if w.lower().strip(",") in TITLES:
            # "Secretary of State Marco Rubio": skip the "of State" too
            cut = i + 3 if words[i + 1] == "of" and i + 3 < len(words) else i + 1
    words = words[cut:]
    while words and words[0] in ("the", "The"):
        words = words[1:]
    while words and words[-1].endswith("'s"):
        words = words[:-1]
    return " ".join(words).strip(" ,.")


def is_organisation(name: str) -> bool:
    return any(w.lower().strip(".,") in ORG_WORDS for w in name.split())


def _is_person(name: str) -> bool:
    return bool(name) and not is_organisation(name) and name.split()[0] not in _NOT_NAMES


def observe(sentence: str, state: ClaimantState) -> None:
    """Learn full names ("Marc Fogel") so a later bare "Fogel" expands to it, and the
    last person named with a title, for a later "He"."""
    for m in _PERSON_MENTION.finditer(sentence):
        mention = m.group("name")
        name = _clean_name(mention)
        parts = name.split()
        if len(parts) >= 2 and _is_person(name):
            state.full_names.setdefault(parts[-1], name)
            if len(parts) < len(mention.split()):  # had a title: "Governor Ann Carter"
                state.last_person = name


def _resolve(who: str, state: ClaimantState, previous_person: str) -> str:
    if re.fullmatch(PRONOUN, who):
        return previous_person if who.lower() in ("he", "she") else state.last_claimant
    name = _clean_name(who)
    if not name or name.split()[0] in _NOT_NAMES:
        return ""
    if name[0].islower():  # "the ministry": an unnamed organisation
        return name[0].upper() + name[1:]
    return state.full_names.get(name, name) if " " not in name else name


VERB_WORDS = frozenset(VERBS.split("|")) | {"according"}


def find_claimant(sentence: str, state: ClaimantState, low: set[str] | None = None) -> str:
    """The claimant of ``sentence`` ('' when none), updating ``state`` as the article goes.

    A pronoun refers to a person named *before* this sentence ("He said he would call
    President Zelensky" is not Zelensky's claim), and the claimant, not a person the
    sentence merely mentions, is who a following "He added" refers to. ``low`` (the
    sentence's lower-cased tokens) lets sentences without a reporting verb skip the
    patterns: most sentences of an article.
    """
    previous_person = state.last_person
    observe(sentence, state)
    if low is not None and low.isdisjoint(VERB_WORDS):
        return ""
    for pattern in PATTERNS:
        m = pattern.search(sentence)
        if not m:
            continue
        who = _resolve(m.group("who"), state, previous_person)
        if who:
            state.last_claimant = who
            if _is_person(who):
                state.last_person = who
            return who
    return ""
