"""What a fetched answer is (RSS, Atom, JSON Feed, sitemap, page) and the items it lists.

Pure: bytes in, plain records out, no Django. XML goes through defusedxml first, which
refuses entity declarations (the "billion laughs" expansion) and external entities, so
neither feedparser nor the sitemap reader ever sees them; feeds are then read by
feedparser, sitemaps by defusedxml's ElementTree. A problem with the whole answer raises
``FormatError`` with a reason in words; a bad item is kept as an ``ItemError`` so the
other items of the same feed are still read.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import re
import warnings
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
import feedparser
from defusedxml import DefusedXmlException

KINDS = ("rss", "atom", "jsonfeed", "sitemap", "page")
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
ATOM_NS = "http://www.w3.org/2005/Atom"
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid)$", re.I)
_FIRST_TAG = re.compile(rb"<([A-Za-z][\w:.-]*)")
_XML_ROOTS = {b"rss", b"rdf", b"feed", b"urlset", b"sitemapindex"}
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*(<!doctype\s+html|<html|<head|<body)", re.I | re.S)


class FormatError(Exception):
    """The answer cannot be read as what it should be; ``reason`` says why in words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Entry:
    """One item a feed or sitemap lists: where the article is and what the feed says of it."""

    url: str
    title: str = ""
    summary: str = ""
    published_at: datetime | None = None
    updated: str = ""  # as the feed gives it; a change means the page may have changed
    authors: str = ""
    language: str = ""

    @property
    def fingerprint(self) -> str:
        text = "\x1f".join((self.title, self.summary, self.updated, str(self.published_at or "")))
        return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class ItemError:
    where: str
    reason: str


@dataclass
class Parsed:
    kind: str
    title: str = ""
    language: str = ""
    entries: list[Entry] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)
    sitemaps: list[str] = field(default_factory=list)  # a sitemap index's children
    refused: list[str] = field(default_factory=list)  # parts not read, and why (limits, loops)


def normalize_url(url: str, base: str = "") -> str:
    """The key an article is known by: absolute, no fragment, no tracking parameters,
    scheme and host in lower case, no default port."""
    parts = urlsplit(urljoin(base, url.strip()) if base else url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = urlencode(
        [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)]
    )
    return urlunsplit((scheme, host, parts.path or "/", query, ""))


def is_http_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def gunzip_bounded(body: bytes, max_bytes: int) -> bytes:
    """A gzip file (``sitemap.xml.gz``) decoded, refused past ``max_bytes`` decoded."""
    decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = decoder.decompress(body, max_bytes + 1)
    except zlib.error as exc:
        raise FormatError(f"the gzip file is corrupt ({exc})") from None
    if len(data) > max_bytes or decoder.unconsumed_tail:
        raise FormatError(f"the gzip file expands past {max_bytes // (1024 * 1024) or 1} MB")
    return data


def detect_kind(body: bytes, content_type: str = "") -> str:
    """The kind of the answer, or ``FormatError`` naming what it is instead."""
    content_type = content_type.split(";", 1)[0].strip().lower()
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise FormatError("the answer is empty")
    if head[:1] in (b"{", b"["):
        return _json_kind(body)
    if _HTML_START.match(head):
        return "page"
    if head.startswith(b"<"):
        try:
            root = _xml_root(body)
        except FormatError:
            first = _FIRST_TAG.search(head)
            name = first.group(1).lower().rsplit(b":", 1)[-1] if first else b""
            if content_type in ("text/html", "application/xhtml+xml") and name not in _XML_ROOTS:
                return "page"  # HTML that is not XML, with no doctype or <html> first
            raise
        tag = root.tag.rsplit("}", 1)[-1].lower()
        if tag in ("rss", "rdf"):
            return "rss"
        if tag == "feed":
            return "atom"
        if tag in ("urlset", "sitemapindex"):
            return "sitemap"
        if tag == "html":
            return "page"
        raise FormatError(f"not a feed: the XML's root element is <{tag}>")
    what = content_type or "unknown content"
    raise FormatError(f"not a feed or a page ({what})")


def parse(body: bytes, kind: str, *, base_url: str) -> Parsed:
    """The entries of a feed or sitemap of ``kind`` (a page has no entries: see extract)."""
    if kind in ("rss", "atom"):
        return _parse_feed(body, kind, base_url)
    if kind == "jsonfeed":
        return _parse_jsonfeed(body, base_url)
    if kind == "sitemap":
        return _parse_sitemap(body, base_url)
    raise FormatError(f"{kind!r} is not a kind of feed; kinds are {', '.join(KINDS)}")


# --- XML ---------------------------------------------------------------------------------


def _xml_root(body: bytes) -> Element:
    try:
        return SafeET.fromstring(body, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        raise FormatError(f"the XML declares entities, which are refused ({type(exc).__name__})") from None
    except ParseError as exc:
        raise FormatError(f"malformed XML ({exc})") from None


def _parse_feed(body: bytes, kind: str, base_url: str) -> Parsed:
    _xml_root(body)  # entity declarations refused before feedparser reads anything
    with warnings.catch_warnings():  # feedparser's notice about its updated/published mapping
        warnings.simplefilter("ignore", DeprecationWarning)
        feed = feedparser.parse(body, response_headers={"content-location": base_url})
        return _feed_entries(feed, kind, base_url)


def _feed_entries(feed, kind: str, base_url: str) -> Parsed:
    if feed.bozo and not feed.entries and not feed.feed:
        raise FormatError(f"malformed feed ({feed.get('bozo_exception')})")
    parsed = Parsed(
        kind=kind, title=_clean(feed.feed.get("title", "")), language=feed.feed.get("language", "")
    )
    for index, item in enumerate(feed.entries, start=1):
        link = item.get("link") or ""
        if not link or not is_http_url(urljoin(base_url, link)):
            parsed.errors.append(ItemError(f"item {index}", "the item has no http(s) link"))
            continue
        content = item.get("content") or []
        summary = item.get("summary", "") or (content[0].get("value", "") if content else "")
        parsed.entries.append(
            Entry(
                url=normalize_url(link, base_url),
                title=_clean(item.get("title", "")),
                summary=_strip_tags(summary),
                published_at=_struct_time(item.get("published_parsed") or item.get("updated_parsed")),
                updated=item.get("updated", "") or item.get("published", ""),
                authors=_clean(item.get("author", "")),
                language=item.get("language", "") or parsed.language,
            )
        )
    return parsed


def _parse_sitemap(body: bytes, base_url: str) -> Parsed:
    root = _xml_root(body)
    tag = root.tag.rsplit("}", 1)[-1].lower()
    parsed = Parsed(kind="sitemap")
    if tag == "sitemapindex":
        for child in root:
            loc = _text(child, "loc")
            if loc and is_http_url(urljoin(base_url, loc)):
                parsed.sitemaps.append(urljoin(base_url, loc))
        return parsed
    if tag != "urlset":
        raise FormatError(f"not a sitemap: the root element is <{tag}>")
    for index, node in enumerate(root, start=1):
        loc = _text(node, "loc")
        if not loc or not is_http_url(urljoin(base_url, loc)):
            parsed.errors.append(ItemError(f"url {index}", "the entry has no http(s) <loc>"))
            continue
        news = node.find(f"{{{NEWS_NS}}}news")
        lastmod = _text(node, "lastmod")
        title = published = language = ""
        if news is not None:
            title = _clean(news.findtext(f"{{{NEWS_NS}}}title") or "")
            published = (news.findtext(f"{{{NEWS_NS}}}publication_date") or "").strip()
            language = (news.findtext(f"{{{NEWS_NS}}}publication/{{{NEWS_NS}}}language") or "").strip()
        parsed.entries.append(
            Entry(
                url=normalize_url(loc, base_url),
                title=title,
                published_at=_iso(published or lastmod),
                updated=lastmod or published,
                language=language,
            )
        )
    return parsed


def _text(node: Element, name: str) -> str:
    found = node.find(f"{{{SITEMAP_NS}}}{name}")
    if found is None:
        found = node.find(name)
    return (found.text or "").strip() if found is not None else ""


# --- JSON Feed ---------------------------------------------------------------------------


def _json_kind(body: bytes) -> str:
    data = _json(body)
    version = data.get("version", "") if isinstance(data, dict) else ""
    if isinstance(version, str) and version.startswith("https://jsonfeed.org/version/"):
        return "jsonfeed"
    raise FormatError("not a feed: JSON without a JSON Feed version")


def _json(body: bytes):
    try:
        return json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FormatError(f"malformed JSON ({exc})") from None


def _parse_jsonfeed(body: bytes, base_url: str) -> Parsed:
    data = _json(body)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FormatError("malformed JSON Feed: no list of items")
    language = data["language"] if isinstance(data.get("language"), str) else ""
    parsed = Parsed(kind="jsonfeed", title=_clean(str(data.get("title") or "")), language=language)
    for index, item in enumerate(data["items"], start=1):
        if not isinstance(item, dict):
            parsed.errors.append(ItemError(f"item {index}", "the item is not an object"))
            continue
        link = item.get("url") or item.get("external_url") or ""
        if not isinstance(link, str) or not is_http_url(urljoin(base_url, link)):
            parsed.errors.append(ItemError(f"item {index}", "the item has no http(s) url"))
            continue
        summary = (
            item.get("summary")
            or item.get("content_text")
            or _strip_tags(str(item.get("content_html") or ""))
        )
        authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        names = ", ".join(str(a.get("name")) for a in authors if isinstance(a, dict) and a.get("name"))
        published = item.get("date_published") or item.get("date_modified") or ""
        parsed.entries.append(
            Entry(
                url=normalize_url(link, base_url),
                title=_clean(str(item.get("title") or "")),
                summary=_clean(str(summary)),
                published_at=_iso(str(published)),
                updated=str(item.get("date_modified") or published),
                authors=_clean(names),
                language=str(item.get("language") or language or ""),
            )
        )
    return parsed


# --- small helpers -----------------------------------------------------------------------

_TAG = re.compile(r"<[^>]{0,2000}>")
_SPACE = re.compile(r"\s+")


def _clean(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\x00", "")).strip()


def _strip_tags(html: str) -> str:
    return _clean(html_lib.unescape(_TAG.sub(" ", html)))


def _struct_time(value) -> datetime | None:
    if not value:
        return None
    try:
        year, month, day, hour, minute, second = value[:6]
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except (TypeError, ValueError):
        return None


def _iso(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def looks_gzipped(body: bytes) -> bool:
    return body[:2] == b"\x1f\x8b"


__all__ = [
    "KINDS",
    "Entry",
    "FormatError",
    "ItemError",
    "Parsed",
    "detect_kind",
    "gunzip_bounded",
    "is_http_url",
    "looks_gzipped",
    "normalize_url",
    "parse",
]
