"""The explanation of a fact-check: Markdown in, sanitized HTML out.

markdown-it-py (CommonMark, raw HTML off) turns the text into HTML; nh3 (the Ammonia
sanitizer) then keeps only the allow-list below, whatever the renderer produced. So a
``<script>``, a ``style``, an ``onclick`` or a ``javascript:`` link never reaches a page,
even if a Markdown construct or a renderer bug let one through. Links get
``rel="nofollow noopener"``.
"""

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = frozenset(
    {
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "ul",
        "ol",
        "li",
        "em",
        "strong",
        "blockquote",
        "a",
        "code",
        "pre",
        "hr",
    }
)
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"
MAX_CHARS = 100_000

# Raw HTML in the Markdown is shown as text, never passed through; tables and images are
# not part of the fact-check's explanation.
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_markdown.disable(["image"])


def sanitize_html(html: str) -> str:
    """Only the allow-listed tags and attributes survive; every link gets ``LINK_REL``."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
        clean_content_tags={"script", "style"},
    )


def markdown_to_html(text: str) -> str:
    """Sanitized HTML for ``text`` (Markdown); the caller may mark the result safe.

    Headings start at level 2 (the page's ``<h1>`` is the headline): ``#`` becomes ``<h2>``.
    """
    text = (text or "")[:MAX_CHARS]
    if not text.strip():
        return ""
    tokens = _markdown.parse(text)
    for token in tokens:
        if token.type in {"heading_open", "heading_close"}:
            level = min(int(token.tag[1]) + 1, 4)
            token.tag = f"h{level}"
    return sanitize_html(_markdown.renderer.render(tokens, _markdown.options, {}))
