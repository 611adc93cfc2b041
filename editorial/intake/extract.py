"""The article in an HTML page: text, title, author, date, language and canonical URL.

Pure: bytes in, a plain record out, no Django. trafilatura finds the main text (with or
without an ``<article>`` element) and the metadata (``<link rel=canonical>``, Open Graph,
JSON-LD, ``<meta name=author>``, htmldate for the date); the language comes from the page's
``lang`` attribute or ``content-language``, as trafilatura leaves it empty without a
language detector installed. The HTML itself is never kept: only the extracted text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import lxml.html
import trafilatura
from lxml.etree import ParserError

from editorial.intake.formats import FormatError, is_http_url, normalize_url

HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_LANGUAGE = 16


@dataclass(frozen=True)
class PageArticle:
    url: str  # canonical when the page names one (same host family), else the fetched URL
    title: str
    text: str
    authors: str = ""
    published_at: datetime | None = None
    language: str = ""


def is_html(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() in HTML_TYPES


def extract_article(html: bytes, *, url: str, content_type: str = "text/html") -> PageArticle:
    """The article of the page fetched from ``url``, or ``FormatError`` saying why there is none."""
    if content_type and not is_html(content_type):
        raise FormatError(f"not HTML ({content_type.split(';', 1)[0].strip() or 'no type'})")
    try:
        tree = lxml.html.document_fromstring(html)
    except (ParserError, ValueError) as exc:
        raise FormatError(f"the page could not be read as HTML ({exc})") from None
    document = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, include_tables=False, favor_precision=True
    )
    text = (getattr(document, "text", None) or "").strip()
    if document is None or isinstance(document, dict) or not text:
        raise FormatError("no article text found on the page")
    title = (document.title or "").strip()
    if title and text.startswith(title):
        text = text[len(title) :].lstrip()  # trafilatura keeps the heading as the first line
    canonical = _canonical(document.url or "", url)
    return PageArticle(
        url=canonical,
        title=title[:500],
        text=text,
        authors=(document.author or "").replace(";", ",").strip()[:500],
        published_at=_date(document.date),
        language=_language(tree),
    )


def _canonical(found: str, fetched: str) -> str:
    """The page's canonical URL if it is a plain http(s) URL, else the one fetched."""
    if found and is_http_url(found):
        return normalize_url(found, fetched)
    return normalize_url(fetched)


def _date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _language(tree) -> str:
    lang = tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang") or ""
    if not lang:
        meta = tree.xpath(
            "//meta[translate(@http-equiv,'CONTENT-LANGUAGE','content-language')='content-language']/@content"
        )
        lang = meta[0] if meta else ""
    return lang.split(",", 1)[0].strip().lower()[:MAX_LANGUAGE]
