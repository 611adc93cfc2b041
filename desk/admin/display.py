"""Presentation helpers for the desk: highlighted article text, state badges, scores.

Everything that comes from an article or a claim is escaped here; only our own markup
(``<mark>``, ``<span>``) is marked safe. Article bodies are plain text and are never
rendered as HTML, whatever they contain.
"""

from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from factcheck import ratings
from factcheck.models import ClaimState

STATE_COLOURS: dict[str, str] = {
    ClaimState.CANDIDATE: "#57606a",
    ClaimState.DISMISSED: "#8c959f",
    ClaimState.SELECTED: "#0969da",
    ClaimState.RESEARCHING: "#8250df",
    ClaimState.IN_REVIEW: "#bf8700",
    ClaimState.APPROVED: "#1b7c83",
    ClaimState.PUBLISHED: "#1a7f37",
}

CONTEXT_CHARS = 400


@dataclass(frozen=True)
class Span:
    """A stretch of text to mark: ``[start, end)`` in the body, with a class and a tooltip."""

    start: int
    end: int
    css_class: str = "desk-hl"
    title: str = ""


def state_badge(state: str, label: str) -> SafeString:
    """A coloured pill that still reads without colour: the label is the text."""
    colour = STATE_COLOURS.get(state, "#57606a")
    return format_html(
        '<span class="desk-badge desk-state-{}" style="background:{}">{}</span>', state, colour, label
    )


def highlight(body: str, spans: list[Span]) -> SafeString:
    """``body`` escaped, with each span wrapped in ``<mark>``.

    Spans outside the body, empty, or overlapping an earlier one are left out rather than
    breaking the text: offsets can be stale after an article was edited.
    """
    parts: list[str] = []
    cursor = 0
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if span.start < cursor or span.end <= span.start or span.end > len(body):
            continue
        parts.append(escape(body[cursor : span.start]))
        parts.append(
            format_html(
                '<mark class="{}" title="{}">{}</mark>',
                span.css_class,
                span.title,
                body[span.start : span.end],
            )
        )
        cursor = span.end
    parts.append(escape(body[cursor:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part above is escaped or format_html


def claim_in_context(
    body: str, start: int | None, end: int | None, radius: int = CONTEXT_CHARS
) -> SafeString:
    """The claim's sentence highlighted with ``radius`` characters either side, cut at spaces.

    Returns an empty string when the offsets do not fit the body (the caller explains why).
    """
    if start is None or end is None or not 0 <= start < end <= len(body):
        return mark_safe("")
    left = max(0, start - radius)
    right = min(len(body), end + radius)
    if left > 0:
        space = body.find(" ", left, start)
        left = space + 1 if space >= 0 else left
    if right < len(body):
        space = body.rfind(" ", end, right)
        right = space if space >= 0 else right
    text = highlight(body[left:right], [Span(start - left, end - left, "desk-hl desk-hl-current")])
    prefix = "… " if left > 0 else ""
    suffix = " …" if right < len(body) else ""
    return format_html("{}{}{}", prefix, text, suffix)


def score_bar(score: float | None) -> SafeString:
    """A score in 0..1 as a number with a thin bar; a dash when there is none."""
    if score is None:
        return format_html('<span class="desk-muted">{}</span>', "—")
    width = round(max(0.0, min(1.0, score)) * 100)
    return format_html(
        '<span class="desk-score"><span class="desk-score-bar" style="width:{}%"></span></span>'
        '<span class="desk-score-num">{}</span>',
        width,
        f"{score:.2f}",
    )


def rating_label(key: str | None) -> SafeString:
    """A rating as a small coloured label (the ratings scale's colours); a dash for none."""
    rating = ratings.rating_for(key or "")
    if rating is None:
        return format_html('<span class="desk-muted">{}</span>', "—")
    return format_html('<span class="desk-rating" style="color:{}">{}</span>', rating.colour, rating.label)


# How the explanation names the extractor's features (see factcheck/extraction/features.py).
ROLE_NAMES = {
    "main": "the main speaker",
    "asks": "a questioner",
    "asks_some": "a speaker who asks some questions",
    "minor": "a minor speaker",
}
FEATURE_NAMES = {
    "words": "its words and word pairs",
    "meaning": "what its words are about",
    "c:turn_start": "starts a paragraph or turn",
    "f:number": "a number",
    "f:numbers": "several numbers",
    "f:number_word": "a number in words",
    "f:past_number": "a number in the past tense",
    "f:percent": "a percentage",
    "f:year": "a year",
    "f:date": "a date",
    "f:money": "money",
    "f:entities": "named people, places or bodies",
    "f:past": "past tense",
    "f:present": "present tense",
    "f:future": "future tense",
    "f:topic": "a policy topic",
    "f:reporting": "a reporting verb (said, confirmed, ...)",
    "f:quote": "a quotation",
    "f:hedge": "hedging (may, might, ...)",
    "f:opinion": "opinion words",
    "f:promise": "a promise",
    "f:cause": "cause and effect",
    "f:law": "laws and rules",
    "f:question": "a question",
    "f:civility": "courtesies (thank you, ...)",
    "f:interjection_start": "starts with an interjection",
    "f:len_le4": "4 words or fewer",
    "f:len_5_9": "5 to 9 words",
    "f:len_10_19": "10 to 19 words",
    "f:len_20_39": "20 to 39 words",
    "f:len_ge40": "40 words or more",
    # an article's title and place (factcheck/extraction/news.py)
    "n:lede": "the article's first sentence",
    "n:first_paragraph": "in the article's first paragraph",
    "n:title": "repeats the article's title",
    "n:dated": "its numbers only date it (background)",
    "n:rebuttal": "reports a denial or rebuttal",
    "n:hedged": "reports a rumour (reportedly, allegedly)",
}


def feature_name(name: str) -> str:
    """A reader's name for a feature key: ``x:main:f:number`` -> "number, from the main speaker"."""
    if name in FEATURE_NAMES:
        return FEATURE_NAMES[name]
    if name.startswith("x:") and name.count(":") >= 3:
        _x, role, rest = name.split(":", 2)
        return f"{feature_name(rest)}, from {ROLE_NAMES.get(role, role)}"
    prefix, _, rest = name.partition(":")
    words = rest.replace("_", " ") if rest else name
    if prefix == "c" and rest.startswith("prev_"):
        return "after a sentence with: " + rest[5:].replace("_", " ")
    if prefix == "s":
        return "speaker: " + words
    return words


def score_reasons(features: object) -> SafeString:
    """Why the extractor scored a claim as it did: its largest contributions, escaped.

    ``features`` is the claim's stored JSON; anything not shaped as the extractor writes
    it (a hand-entered claim has none) gives an empty string, never an error.
    """
    if not isinstance(features, dict):
        return mark_safe("")
    top = features.get("top")
    rows = []
    for entry in top if isinstance(top, list) else []:
        if (
            isinstance(entry, list | tuple)
            and len(entry) == 2
            and isinstance(entry[0], str)
            and isinstance(entry[1], int | float)
            and not isinstance(entry[1], bool)
        ):
            name, value = entry
            verb = "raises" if value > 0 else "lowers"
            rows.append((feature_name(name), verb, verb, f"{value:+.2f}"))
    if not rows:
        return mark_safe("")
    notes = []
    factor = features.get("factor")
    if isinstance(factor, int | float) and 0 < factor < 1:
        notes.append((f"score x{factor:.2f}: predictions and opinions rank lower",))
    if features.get("model") == "hand-set":
        notes.append(("scored by hand-set weights (no trained model was loaded)",))
    return format_html(
        '<ul class="desk-why">{}{}</ul>',
        format_html_join("", "<li>{} <span class='desk-why-{}'>{} ({})</span></li>", rows),
        format_html_join("", "<li>{}</li>", notes),
    )
