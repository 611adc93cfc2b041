"""Text preparation for matching: pure functions over strings, no Django.

Both database backends stem and tokenise on their own (FTS5 porter, PostgreSQL
'english'); here we only strip what hurts every backend (URLs, tweet furniture), spell
out hashtags and @handles (``query_text``) and build the OR-query terms, so a long
tweet still finds documents that share only some of its words.
"""

import re

# scikit-learn's English list, trimmed to what appears in claims and tweets.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "cannot",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "s",
        "t",
        "don",
        "ll",
        "ve",
        "re",
        "http",
        "https",
        "www",
        "com",
        "pic",
        "twitter",
        "status",
        "amp",
        "rt",
        "via",
    ]
)
_URL = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|www\.\S+", re.IGNORECASE)
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
MAX_QUERY_TERMS = 48


def clean(text: str) -> str:
    """Drop URLs and collapse whitespace: links carry no claim content."""
    return " ".join(_URL.sub(" ", text or "").split())


# Word boundaries inside a hashtag or handle: lower->Upper ("JoeBiden"), an acronym
# before a word ("USAToday"), letters->digits ("Covid19"), underscores.
_INNER_BOUNDARY = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])|_+")
_HASHTAG = re.compile(r"(?<!\w)#(\w+)")
_HANDLE = re.compile(r"(?<!\w)@(\w+)")


def split_compound(word: str) -> str:
    """The words glued into a hashtag or handle: "StopTheSteal" -> "Stop The Steal"."""
    return " ".join(_INNER_BOUNDARY.sub(" ", word).split())


def query_text(text: str) -> str:
    """A claim as both retrievers should see it: ``clean`` plus spelled-out tweet tags.

    Hashtags become their words ("#IranUSA" -> "Iran USA"); an @handle is kept (it can
    match a claimant's handle) and followed by its words ("@JoeBiden" -> "@JoeBiden Joe
    Biden"). On the tweet train split this did better than removing handles, or the
    "- Name (@handle) Date" line of an embedded tweet (``docs/decisions/matching.md``).
    """
    text = clean(text)
    text = _HASHTAG.sub(lambda m: " " + split_compound(m.group(1)) + " ", text)
    text = _HANDLE.sub(lambda m: f" @{m.group(1)} {split_compound(m.group(1))} ", text)
    return " ".join(text.split())


def word_count(text: str) -> int:
    return len(_WORD.findall(clean(text)))


def query_terms(text: str, *, limit: int = MAX_QUERY_TERMS) -> list[str]:
    """Distinct lower-cased content words in order of first appearance."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(clean(text).lower()):
        if word in STOPWORDS or (len(word) < 2 and not word.isdigit()):
            continue
        seen.setdefault(word, None)
        if len(seen) >= limit:
            break
    return list(seen)


def fts5_query(terms: list[str]) -> str:
    """An FTS5 MATCH expression: the terms OR-ed, each quoted so no word is an operator."""
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)


_HONORIFIC = re.compile(r"\b(mr|mrs|ms|dr|sen|senator|gov|governor|rep|president|the)\b\.?", re.IGNORECASE)


def claimant_terms(claimant: str) -> str:
    """A claimant's name for the lexical query, without titles ("MR. ROMNEY" -> "ROMNEY")."""
    return " ".join(_HONORIFIC.sub(" ", claimant or "").split())[:200]
