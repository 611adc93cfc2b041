"""Who made a claim: the speaker of a quotation or the subject of a reporting verb.

Patterns (news style, English), tried in this order:

* ``"…," Trump said`` / ``"…," said immunologist Dr Elizabeth Mayne`` / ``"…," he added``
* ``according to the state Department of Justice, …``
* ``The health minister said on Tuesday that …`` / ``Haresh Kamath, a specialist in
  energy storage, said …`` / ``In a statement, X said …`` / ``Putin reportedly expressed …``
* ``…, the opposition leader said.`` / ``…, says the organisation.`` (after the claim)
* ``…, which Okafor said would create …`` (a relative clause)

A subject is a name (``South African mayor Mzwandile Masina``: the person is
``Mzwandile Masina``), an organisation (``the IEA``, ``the state Department of Justice``)
or a description (``the health minister``, ``a spokesperson for the ministry``,
``critics``). Each resolves against what the article said before:

* a bare surname to the full name seen earlier (``Rubio`` -> ``Marco Rubio``);
* a description to the person the article named with that role (``the health minister``
  -> ``Health Minister Jane Doe``), a generic ``the organisation`` to the organisation
  named last, an acronym to the name it stood for;
* ``he`` / ``she`` to the nearest earlier compatible person or role (the previous
  sentence's claimant first, then its subject, then its other mentions; never an
  organisation, never a person of the other gender when the gender is known),
  ``they`` / ``it`` to the nearest group or organisation.

A claimant is a name or a description from the article, never a fragment (``U`` of
``U.S.``), and empty when the article itself asserts the sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .features import wordset


def trie_pattern(words: Iterable[str]) -> str:
    """An alternation of ``words`` as a trie, one branch per shared prefix: Python's
    ``re`` tries a plain alternation word by word, which made the subject patterns
    ten times slower (a few hundred role, verb and stop words at every attempt)."""
    trie: dict = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


VERBS = (
    "said|says|say|stated|states|claimed|claims|told|tells|added|adds|noted|notes|argued|"
    "argues|insisted|insists|announced|announces|confirmed|confirms|reported|reports|"
    "described|describes|emphasized|emphasised|emphasizes|wrote|writes|tweeted|posted|"
    "declared|declares|admitted|admits|acknowledged|acknowledges|asserted|asserts|alleged|"
    "alleges|warned|warns|explained|explains|suggested|suggests|revealed|reveals|denied|"
    "denies|lauded|highlighted|expressed|expresses|estimated|estimates|predicted|predicts|"
    "promised|promises|pledged|vowed|boasted|contended|maintained|countered|replied|"
    "responded|urged|accused|blamed|praised|conceded|recalled|testified|believes|believed|"
    "thinks|thought|stressed|indicated|observed|remarked|mentioned|agreed|disputed|"
    "cautioned|insist|argue|claim|warn|contend|maintain|believe|think|stated|added"
)
_CAP = r"(?:[A-Z][\w'’\-]*\.?|[A-Z]\.)"
NAME = rf"(?:[Tt]he\s+)?{_CAP}(?:\s+(?:of\s+|for\s+|and\s+|de\s+|van\s+|al-)?{_CAP}){{0,5}}"
PRONOUN = r"(?:He|She|They|It|he|she|they|it)"
ADVERB = r"(?:\w+ly|also|further|later|then|again|once|even|still|had|has|have|was|is|previously)"

# People named by what they do; organisations named by what they are.
ROLE_WORDS = wordset(
    "minister ministers secretary spokesperson spokesman spokeswoman spokespeople official "
    "officials leader leaders president chairman chairwoman chair director head chief "
    "executive ceo mayor governor senator lawmaker lawmakers legislator legislators mp mps "
    "councillor councilor commissioner ambassador envoy adviser advisor analyst analysts "
    "economist economists expert experts researcher researchers scientist scientists "
    "doctor doctors physician professor immunologist epidemiologist virologist specialist "
    "critics critic opponents supporters residents witnesses activists campaigners "
    "prosecutor prosecutors lawyer lawyers attorney judge officer officers authorities "
    "regulator regulators manager founder owner candidate premier chancellor treasurer "
    "auditor inspector sheriff author authors representative spokespersons sources source "
    "opposition diplomat diplomats negotiator negotiators aide aides staff founder developer "
    "supplier insurer retailer manufacturer maker landlord landlords tenants parents "
    "commuters farmers teachers nurses engineers installers operators islanders students"
)
ORG_WORDS = wordset(
    "kremlin house ministry department office agency commission party council government "
    "committee inc corp company university bank police army union court senate congress "
    "parliament administration campaign bureau institute foundation organization "
    "organisation association group times post news statement firm body board authority "
    "service services centre center network trust fund programme program coalition alliance "
    "federation society league cabinet military navy report study survey data figures "
    "watchdog regulator tribunal charity charities nonprofit think-tank thinktank ngo "
    "groups unions companies firms councils agencies banks airport airline ferries railway "
    "railways hospital school college consortium prefecture alliance operator operators"
)
# Descriptions that name no one in particular: they resolve to the organisation named last.
GENERIC_ORGS = wordset("organisation organization group body agency company firm institute")
TITLES = wordset(
    "president prime minister secretary director senator sen. rep. representative gov. "
    "governor dr. dr mr. mr mrs. mrs ms. ms chancellor spokesman spokeswoman spokesperson envoy "
    "advisor adviser general gen. ambassador leader chief ceo chairman chairwoman mayor judge "
    "justice king queen pope minister professor prof. prof attorney commissioner officials "
    "official immunologist specialist economist analyst sir dame lady lord cllr councillor "
    "head executive"
)
_FEMALE_TITLES = wordset("mrs mrs. ms ms. miss spokeswoman chairwoman dame lady queen congresswoman")
_MALE_TITLES = wordset("mr mr. sir spokesman chairman lord king congressman")
# A few common first names: enough to keep "she" off a man named just before.
_FEMALE_NAMES = wordset(
    "jane mary anna ann anne maria elizabeth sarah susan linda karen lisa nancy emily emma "
    "olivia sophie laura julia claire helen ruth grace amara priya olga ingrid lucia fatima "
    "aisha kamala hillary angela ursula theresa nicola kemi rachel yvette liz margaret "
    "catherine kate jennifer jessica michelle amy alice rose diana nadia elena irina natalia "
    "sandra monica patricia barbara carol joan janet deborah rebecca hannah chloe zoe mia "
    "ada adaeze ngozi chiamaka amina leila yasmin mei ling sofia isabel carmen ana beatriz"
)
_MALE_NAMES = wordset(
    "john james peter michael david robert william richard thomas joseph charles donald "
    "joe barack george vladimir volodymyr marco john steve michael ahmed mohammed muhammad "
    "ali omar tomas jonas chen wei juan carlos luis jose pedro ivan sergei dmitry boris "
    "emmanuel olaf keir rishi boris narendra xi li kevin brian mark paul andrew daniel "
    "matthew anthony christopher jason eric scott adam tony hans karl klaus pierre jean "
    "haresh rahul arjun samuel chinedu emeka tunde kwame kofi mzwandile cyril jacob nelson"
)
# Words that start a capitalised run but are no name ("Yesterday Trump said").
_NOT_NAMES = wordset(
    "The A An In On At As During After Before While When This That These Those It Its "
    "We I You Our Their His Her But And Yet So If Yesterday Today Tomorrow Meanwhile "
    "However Separately Earlier Later Also Still Now Then Monday Tuesday Wednesday Thursday "
    "Friday Saturday Sunday Last Next Speaking Asked"
)
_STOP = (
    "that|which|who|whom|whose|as|than|and|or|but|if|when|while|because|so|also|it|this|"
    "these|those|there|has|have|had|is|are|was|were|be|been|not|no|to|by|on|in|at|for|of|"
    "with|from|he|she|they|we|i|you|his|her|their|its|our|my|what|where|how|would|will|"
    "could|can|should|may|might|must|according|about|after|before|over|under|into|said|then|now|later"
)
_STOP_WORDS = frozenset(_STOP.split("|"))
_WORD = r"[A-Za-z][\w'’\-]*\.?"
_DET = r"(?:[Tt]he|[Aa]n?|[Ii]ts|[Hh]is|[Hh]er|[Tt]heir|[Oo]ne|[Ss]ome|[Mm]any|[Ss]everal|[Oo]ther|[Tt]wo|[Tt]hree)"
_NOT_MOD = "(?i:" + trie_pattern(set(_STOP.split("|")) | set(VERBS.split("|"))) + r")\b"
_MOD = rf"(?!{_NOT_MOD}){_WORD}"
# The head of a description: a role or what an organisation is ("the health ministry").
_HEADS = ROLE_WORDS | (ORG_WORDS - {"statement", "times", "post", "news", "house", "inc", "corp"})
_ROLE = "(?i:" + trie_pattern(_HEADS) + r")\b"
_PREPS = frozenset({"for", "of", "at", "from", "in", "with", "on", "to"})
_PREP = "(?:" + "|".join(sorted(_PREPS)) + ")"
_COMPLEMENT = rf"(?:\s+{_PREP}\s+(?:the\s+)?(?:{_MOD}\s+){{0,3}}?{_MOD}){{0,2}}"
_DESC = rf"(?:{_DET}\s+)?(?:{_MOD}\s+){{0,3}}?{_ROLE}(?:\s+{_ROLE})?{_COMPLEMENT}"
_LMOD = rf"(?!{_NOT_MOD})[a-z][\w'’\-]*"
_NAMED = rf"(?:{_DET}\s+)?(?:{_MOD}\s+){{0,3}}?{NAME}"
# After a subject named last ("…, said a spokesperson for the ministry."): where it ends.
_END = r"(?=\s*(?:[,.;:!?”\"]|$|\s+(?:on|in|at|last|this|yesterday|today|during|after|before|when|while|who|adding|of)\b))"
# A sentence's first word that is not its subject: "Later the minister said …".
_OPENER = r"(?:Later|Earlier|Meanwhile|Separately|Also|Yesterday|Today|Then|Now|But|And|Still|However)"
_SUBJ = rf"(?P<who>{PRONOUN}|{_DESC}|{_NAMED})"
_VERB = "(?:" + trie_pattern(set(VERBS.split("|"))) + r")\b"
_ADVS = rf"(?:{ADVERB}\s+){{0,2}}"

PATTERNS = [
    # "…," Trump said / "…," he added — right after the closing quote
    re.compile(rf"[”\"]\s*,?\s*{_SUBJ}\s+{_ADVS}{_VERB}"),
    # "…," said Trump
    re.compile(rf"[”\"]\s*,?\s*{_VERB}\s+{_SUBJ}{_END}"),
    re.compile(rf"\b[Aa]ccording\s+to\s+{_SUBJ}{_END}"),
    # optional leading phrase, subject, optional parenthetical(s), optional adverbs, verb
    re.compile(
        rf"^(?:[^,“\"]{{1,80}}+,\s+|{_OPENER}\s+)?{_SUBJ}(?:\s+\([A-Z]{{2,8}}\))?(?:\s*,(?P<appos>[^,“\"]{{1,100}}+)(?:,[^,“\"]{{1,60}}+)?,)?\s+"
        rf"{_ADVS}{_VERB}"
    ),
    # "…, the health minister said." / "…, says the organisation." (after the claim)
    re.compile(rf",\s*{_SUBJ}\s+{_ADVS}{_VERB}[^,;“\"]{{0,60}}$"),
    re.compile(rf",\s*{_VERB}\s+{_SUBJ}{_END}"),
    # "…, which Okafor said would create …"
    re.compile(rf"\b(?:which|that|who|what|as)\s+{_SUBJ}\s+{_ADVS}{_VERB}"),
]
_AFTER_CLAIM = 4  # the index of the "…, the health minister said." pattern
# What a sentence must hold for each pattern to be worth trying (most sentences lack it).
_QUOTES = ("”", '"')
_NEEDS: tuple[tuple[str, ...], ...] = (
    _QUOTES,
    _QUOTES,
    ("ccording",),
    ("",),
    (",",),
    (",",),
    ("which ", "that ", "who ", "what ", "as "),
)

# A sentence that opens with a description of an organisation as its subject.
_SUBJECT_DESCRIPTION = re.compile(
    rf"^(?:[^,“\"]{{1,80}}+,\s+){{0,3}}(?P<who>(?:[Tt]he)\s+(?:{_LMOD}\s+){{0,2}}?(?i:{trie_pattern(ORG_WORDS)}))\b"
)
_WORD_CHAR = r"[\w'’\-]"
# A mention (group "name") starts at the first capital of a run of word characters: tried
# from a later capital of the same run it reads the same rest of the run and ends the same
# way, so the attempts are made from run starts only and each run is read a bounded number
# of times ("aAaA…" was read once per capital).
_PERSON_MENTION = re.compile(
    rf"(?<!{_WORD_CHAR})(?:(?![A-Z]){_WORD_CHAR})*+(?P<name>{_CAP}(?:\s+(?:of\s+)?{_CAP}){{1,5}})"
)
# Up to three words before a mention, read for a role ("opposition leader Kemi Badenoch").
_BEFORE = re.compile(r"((?:[A-Za-z][\w'’\-]*\s+){1,3})$")
_ACRONYM = re.compile(
    r"(?<![\w'’\-])(?P<full>[A-Z][\w'’\-]*(?:\s+(?:of\s+|for\s+|and\s+|on\s+)?[A-Z][\w'’\-]*){1,7})\s+\((?P<short>[A-Z]{2,8})\)"
)
_ACRONYM_WORD = re.compile(r"[A-Z][A-Z&]{1,7}s?")
_LOOKBACK_SENTENCES = 6


@dataclass
class Mention:
    """Someone a sentence names: what to report as the claimant, and what it is."""

    text: str
    kind: str  # "person", "role" (a person by description), "group" or "org"
    gender: str = ""  # "f", "m" or unknown


@dataclass
class ClaimantState:
    """What the article has told us so far: full names, roles, organisations, mentions."""

    full_names: dict[str, str] = field(default_factory=dict)  # surname -> full name
    last_person: str = ""
    last_claimant: str = ""
    genders: dict[str, str] = field(default_factory=dict)  # person -> "f" / "m"
    roles: dict[str, str] = field(default_factory=dict)  # "health minister" -> "Health Minister Jane Doe"
    acronyms: dict[str, str] = field(default_factory=dict)  # "IEA" -> "International Energy Agency"
    last_org: str = ""
    orgs: list[str] = field(default_factory=list)  # organisations named, oldest first
    described: dict[str, Mention] = field(default_factory=dict)  # "spokesperson" -> who it was
    # Per earlier sentence (oldest first): its claimant first, then its mentions in order.
    recent: list[list[Mention]] = field(default_factory=list)


@lru_cache(maxsize=8192)  # pure, and names repeat through an article
def _clean_name(raw: str) -> str:
    words = raw.split()
    # drop everything up to the last title word: "U.S. President Donald Trump"
    cut = 0
    for i, w in enumerate(words[:-1]):
        if w.lower().strip(",") in TITLES or w.lower().strip(",") in ROLE_WORDS:
            # "Secretary of State Marco Rubio": skip the "of State" too
            cut = i + 3 if words[i + 1] == "of" and i + 3 < len(words) else i + 1
    words = words[cut:]
    while words and (words[0] in _NOT_NAMES or words[0].lower() in ("the", "a", "an")):
        words = words[1:]
    while words and words[-1].endswith(("'s", "’s")):
        words = words[:-1]
    return " ".join(words).strip(" ,.")


@lru_cache(maxsize=8192)  # pure, and names repeat through an article
def is_organisation(name: str) -> bool:
    return any(w.lower().strip(".,") in ORG_WORDS for w in name.split()) or bool(
        _ACRONYM_WORD.fullmatch(name.strip(".,"))
    )


def _is_person(name: str) -> bool:
    return bool(name) and not is_organisation(name) and name.split()[0] not in _NOT_NAMES


@lru_cache(maxsize=8192)  # pure, and names repeat through an article
def _is_fragment(text: str) -> bool:
    """A claimant must hold a word of two letters or more ("U" of "U.S." is none)."""
    return not any(len(w.strip(".,'’")) >= 2 for w in text.split())


@lru_cache(maxsize=8192)  # pure, and names repeat through an article
def _gender_of(mention: str, name: str) -> str:
    lowered = [w.lower() for w in mention.split()]
    if any(w in _FEMALE_TITLES for w in lowered):
        return "f"
    if any(w in _MALE_TITLES for w in lowered):
        return "m"
    first = name.split()[0].lower() if name else ""
    return "f" if first in _FEMALE_NAMES else "m" if first in _MALE_NAMES else ""


def _titled(sentence: str, start: int, mention: str, name: str) -> str:
    """The role part of a mention: its title words and the lower-case role before it."""
    title = mention[: len(mention) - len(name)].strip() if mention.endswith(name) else ""
    before = _BEFORE.search(sentence[max(0, start - 60) : start])
    if before:
        words = before.group(1).split()
        if words[-1].lower() in ROLE_WORDS:  # "Water minister Rebecca Hale"
            first = len(words) - 1
            while first > 0 and words[first - 1].lower() not in _STOP_WORDS | {"the", "a", "an"}:
                first -= 1
            title = " ".join([*words[first:], title]).strip()
    return title


def _remember_role(state: ClaimantState, title: str, name: str) -> None:
    """``Health Minister Jane Doe``: "health minister" and "minister" now mean her."""
    words = [w for w in title.split() if w.lower().strip(".") not in ("u.s", "the")]
    roles = [i for i, w in enumerate(words) if w.lower() in ROLE_WORDS or w.lower() in TITLES]
    if not roles:
        return
    full = f"{title} {name}"
    last = roles[-1]
    for first in range(last + 1):
        phrase = " ".join(words[first : last + 1]).lower()
        state.roles[phrase] = full


def observe(sentence: str, state: ClaimantState) -> list[Mention]:
    """Learn full names ("Marc Fogel"), roles ("Health Minister Jane Doe") and acronyms;
    return the people and organisations the sentence names, in order."""
    for m in _ACRONYM.finditer(sentence) if "(" in sentence else ():
        full = m.group("full").split()
        while full and full[0] in _NOT_NAMES:
            full = full[1:]
        if full:
            state.acronyms.setdefault(m.group("short"), " ".join(full))
            state.orgs.append(" ".join(full))
    mentions: list[Mention] = []
    subject = _SUBJECT_DESCRIPTION.match(sentence)
    if subject and subject.group("who").split()[-1].lower() in ORG_WORDS:
        # "On Monday, the health board published …": a later "the board" is it
        mentions.append(Mention(_description(subject.group("who").split()[1:]), "org"))
    for m in _PERSON_MENTION.finditer(sentence):
        mention = m.group("name")
        name = _clean_name(mention)
        parts = name.split()
        if not parts or _is_fragment(name):
            continue
        if is_organisation(name):
            org = state.acronyms.get(name, name)
            mentions.append(Mention(org, "org"))
            continue
        if len(parts) >= 2 and _is_person(name):
            state.full_names.setdefault(parts[-1], name)
            gender = _gender_of(mention, name)
            if gender:
                state.genders.setdefault(name, gender)
            title = _titled(sentence, m.start("name"), mention, name)
            if title:
                _remember_role(state, title, name)
                state.last_person = name
            mentions.append(Mention(name, "person", state.genders.get(name, "")))
    return mentions


def _compatible(mention: Mention, pronoun: str, state: ClaimantState) -> bool:
    if pronoun in ("he", "she"):
        if mention.kind not in ("person", "role"):
            return False
        gender = mention.gender or state.genders.get(mention.text, "")
        return not gender or gender == ("f" if pronoun == "she" else "m")
    if pronoun == "it":
        return mention.kind == "org"
    return mention.kind in ("group", "org")


def _resolve_pronoun(pronoun: str, state: ClaimantState) -> Mention | None:
    """The nearest earlier compatible mention: newest sentence first; in each, its claimant
    first, then its mentions in order."""
    pronoun = pronoun.lower()
    for mentions in reversed(state.recent[-_LOOKBACK_SENTENCES:]):
        for mention in mentions:
            if _compatible(mention, pronoun, state):
                if pronoun in ("he", "she") and mention.kind == "person":
                    state.genders.setdefault(mention.text, "f" if pronoun == "she" else "m")
                return mention
    return None


def _description(words: list[str]) -> str:
    text = " ".join(words).strip(" ,.")
    return text[:1].upper() + text[1:]


def _resolve_description(words: list[str], state: ClaimantState) -> Mention:
    """``the health minister`` -> the person the article named with that role, if any
    (the phrase as a whole: "the health minister" is not the finance minister)."""
    lowered = [w.lower().strip(",.") for w in words]
    head = next((i for i, w in enumerate(lowered) if w in _HEADS), len(lowered) - 1)
    while head + 1 < len(lowered) and lowered[head + 1] in _HEADS:
        head += 1
    whole = " ".join(lowered)
    named = state.roles.get(whole) if head == len(lowered) - 1 else None
    if named:
        return Mention(named, "role", state.genders.get(_clean_name(named), ""))
    if len(words) == 1 and whole in state.described:  # "the spokesperson" named before
        return state.described[whole]
    org = _org_named(lowered[-1], state) if len(words) <= 2 and lowered[-1] in ORG_WORDS else None
    if org:  # "the trust", "the company": the organisation named last
        return Mention(org, "org")
    if lowered[head] in ORG_WORDS and lowered[head] not in ROLE_WORDS:
        return Mention(_description(words), "org")
    plural = lowered[head].endswith("s") and lowered[head] not in ("boss", "police")
    kind = "group" if plural or lowered[head] in ("police", "opposition", "staff") else "role"
    return Mention(_description(words), kind, _gender_of(" ".join(words), ""))


def _org_named(head: str, state: ClaimantState) -> str:
    """The organisation named last whose name has ``head`` ("the trust" -> "Nuffield
    Trust"), or, for a generic head ("the company"), the one named last."""
    for org in reversed(state.orgs):
        if head in org.lower().split():
            return org
    return state.orgs[-1] if head in GENERIC_ORGS and state.orgs else ""


def _from_initials(acronym: str, state: ClaimantState) -> str:
    """``ONS`` -> ``Office for National Statistics`` when the article named it."""
    for org in reversed(state.orgs):
        initials = "".join(w[0] for w in org.split() if w[0].isupper())
        if initials == acronym.rstrip("s"):
            return org
    return ""


@lru_cache(maxsize=8192)  # pure, and names repeat through an article
def _is_name_word(word: str) -> bool:
    bare = word.lower().strip(",.")
    return word[0].isupper() and word not in _NOT_NAMES and bare not in ROLE_WORDS and bare not in TITLES


# "figures from X said": the source is X.
_SOURCES = frozenset({"figures", "data", "statistics", "report", "study", "survey", "analysis"})
# Kept before an organisation's name: "the state Department of Justice" is not the State Department.
_PLACE_LEVELS = frozenset(
    {"state", "federal", "regional", "local", "city", "county", "national", "provincial"}
)


def _resolve(who: str, state: ClaimantState) -> Mention | None:
    """The mention a matched subject stands for (None when it is no claimant)."""
    if re.fullmatch(PRONOUN, who):
        return _resolve_pronoun(who, state)
    words = who.split()
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    if not words:
        return None
    lowered = [w.lower().strip(",.") for w in words]
    # "a spokesperson for the Health Ministry": a role with its complement is a description
    complement = any(
        lowered[i] in ROLE_WORDS
        and (words[i][0].islower() or (i == 0 and lowered[i].endswith("s")))
        and lowered[i + 1] in _PREPS
        for i in range(len(words) - 1)
    )
    if lowered[0] in _SOURCES and len(words) > 2 and lowered[1] in _PREPS:
        return _resolve(" ".join(words[2:]), state)  # "figures from the Metropolitan Police"
    if complement or not any(_is_name_word(w) for w in words):
        return _resolve_description(words, state)
    # "regulator Ofcom", "council leader Grace Okafor": the name after the description
    last_head = max((i for i, w in enumerate(lowered) if w in _HEADS or w in TITLES), default=-1)
    if 0 <= last_head < len(words) - 1 and all(_is_name_word(w) for w in words[last_head + 1 :]):
        named = words[last_head + 1 :]
        if is_organisation(" ".join(words[: last_head + 1])) and not is_organisation(" ".join(named)):
            org = " ".join(named)
            return Mention(state.acronyms.get(org, org), "org" if len(named) == 1 else "person")
        words = named if not is_organisation(" ".join(named)) else words[last_head + 1 :]
    text = " ".join(words)
    if is_organisation(text):
        while len(words) > 1 and words[0][0].islower() and words[0].lower() not in _PLACE_LEVELS:
            words = words[1:]  # "the independent Nuffield Trust"
        text = " ".join(words)
        bare = text.strip(".,")
        org = (
            state.acronyms.get(bare)
            or (_ACRONYM_WORD.fullmatch(bare) and _from_initials(bare, state))
            or text
        )
        return Mention(_description(org.split()), "org")
    return _resolve_person(text, state)


def _resolve_person(text: str, state: ClaimantState) -> Mention | None:
    name = _clean_name(text).split()
    while name and not _is_name_word(name[0]):
        name = name[1:]  # "cryptocurrency entrepreneur Alexander Vinnik"
    full = " ".join(name)
    if not full or _is_fragment(full):
        return None
    if " " not in full:
        full = state.full_names.get(full, full)
    return Mention(full, "person", state.genders.get(full, "") or _gender_of(text, full))


VERB_WORDS = frozenset(VERBS.split("|")) | {"according"}


def find_claimant(sentence: str, state: ClaimantState, low: set[str] | None = None) -> str:
    """The claimant of ``sentence`` ('' when none), updating ``state`` as the article goes.

    A pronoun refers to someone named *before* this sentence ("He said he would call
    President Zelensky" is not Zelensky's claim), and the claimant, not a person the
    sentence merely mentions, is who a following "He added" refers to first. ``low`` (the
    sentence's lower-cased tokens) lets sentences without a reporting verb skip the
    patterns: most sentences of an article.
    """
    mentions = observe(sentence, state)
    found = None
    if low is None or not low.isdisjoint(VERB_WORDS):
        found = _match(sentence, state)
    if found is not None:
        state.last_claimant = found.text
        if found.kind == "person":
            state.last_person = found.text
        mentions.insert(0, found)
    if found is not None and found.kind in ("role", "group", "org"):
        head = found.text.split()[0].lower()
        if head in _HEADS:
            state.described[head] = found
    for mention in mentions:
        if mention.kind == "org":
            state.last_org = mention.text
            if mention.text not in state.orgs[-3:]:
                state.orgs.append(mention.text)
    state.recent.append(mentions)
    del state.recent[:-_LOOKBACK_SENTENCES]
    return found.text if found is not None else ""


_APPOSITIVE_NAME = re.compile(rf"\s*{_CAP}(?:\s+{_CAP}){{1,3}}\s*")


def _appositive(who: Mention | None, appos: str | None, state: ClaimantState) -> Mention | None:
    """``the health secretary, Amara Okafor, said``: the name the description gives."""
    if who is None or who.kind not in ("role", "group") or not appos or not _APPOSITIVE_NAME.fullmatch(appos):
        return who
    found = _appositive_of(who, appos, state)
    if found is not who and found is not None:
        state.described[who.text.split()[0].lower()] = found
    return found


def _appositive_of(who: Mention, appos: str, state: ClaimantState) -> Mention | None:
    if (
        is_organisation(appos.strip())
        or who.kind == "role"
        and _description(who.text.split()).split()[0].lower() in _HEADS - ROLE_WORDS
    ):
        return Mention(appos.strip(), "org")
    person = _resolve_person(appos.strip(), state)
    if person is None:
        return who
    if not _is_person(person.text) or who.text.split()[0].lower() in (
        "developer",
        "owner",
        "operator",
        "supplier",
        "company",
        "firm",
    ):
        return Mention(person.text, "org")
    state.full_names.setdefault(person.text.split()[-1], person.text)
    words = who.text.split()
    title = " ".join(w[:1].upper() + w[1:] for w in words) if len(words) <= 3 else who.text
    _remember_role(state, title, person.text)
    return person


def _matches(n: int, pattern: re.Pattern[str], sentence: str) -> list[re.Match[str]]:
    if n != _AFTER_CLAIM:
        return list(pattern.finditer(sentence))
    # "…, X said." starts at the last comma: nothing after its verb holds one.
    m = pattern.match(sentence, sentence.rfind(","))
    return [m] if m else []


def _match(sentence: str, state: ClaimantState) -> Mention | None:
    for n, (pattern, needs) in enumerate(zip(PATTERNS, _NEEDS, strict=True)):
        if not any(needle in sentence for needle in needs):
            continue
        for m in _matches(n, pattern, sentence):
            who = _resolve(m.group("who").strip(), state)
            if "appos" in pattern.groupindex:
                who = _appositive(who, m.group("appos"), state)
            if who is not None and who.text and not _is_fragment(who.text):
                return who
    return None
