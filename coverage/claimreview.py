"""Parsing schema.org ClaimReview into plain records: no ORM, no network.

Accepted shapes (https://schema.org/ClaimReview, Google's Fact Check markup):
* JSON-LD: one ClaimReview object, a list of them, or an object with ``@graph``;
* the DataFeed format: ``{"@type": "DataFeed", "dataFeedElement": [{"item": [...]}]}``
  where items may be null (skipped silently, as the feed spec allows);
* JSONL: one ClaimReview (or any of the above) per line;
* HTML pages: every ``<script type="application/ld+json">`` block.

Each bad record becomes a ``RecordError`` (where, why) and parsing goes on with the
rest, so one broken entry never blocks a feed.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

from core.errors import ApplicationError

MAX_FILE_BYTES = 50 * 1024 * 1024
# A ``<script>`` tag runs to its first ">"; it is JSON-LD when that tag holds the type.
_SCRIPT_OPEN = re.compile(r"<script", re.I)
_SCRIPT_CLOSE = re.compile(r"</script>", re.I)
_LD_TYPE = re.compile(r"type\s*=\s*[\"']application/ld\+json[\"']", re.I)
EXTENSIONS = (".json", ".jsonld", ".jsonl", ".ndjson", ".html", ".htm")
# NUL (PostgreSQL refuses it in text and jsonb) and unpaired surrogates (not encodable as
# UTF-8) only arrive through JSON escapes; one such record must not sink its whole batch.
_BROKEN_TEXT = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class ClaimReviewRecord:
    url: str
    claim_reviewed: str
    claimant: str = ""
    rating_text: str = ""
    rating_value: float | None = None
    publisher: str = ""
    review_date: date | None = None
    claim_date: date | None = None
    language: str = ""
    title: str = ""
    raw: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class RecordError:
    where: str  # file and position, e.g. "feed.json: dataFeedElement[3].item[0]"
    reason: str


@dataclass
class ParseResult:
    records: list[ClaimReviewRecord] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)


class ClaimReviewError(ApplicationError):
    """One object is not a usable ClaimReview; ``reason`` says why."""


def parse_path(path: Path) -> ParseResult:
    """Parse one file; unreadable files become one error, not an exception."""
    result = ParseResult()
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ClaimReviewError(f"larger than {MAX_FILE_BYTES // 1024 // 1024} MB")
        content = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, ClaimReviewError) as exc:
        reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else str(exc)
        result.errors.append(RecordError(str(path), reason))
        return result
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return parse_jsonl(content, source=str(path))
    if suffix in (".html", ".htm"):
        return parse_html(content, source=str(path))
    return parse_json(content, source=str(path))


def parse_json(content: str, *, source: str = "<json>") -> ParseResult:
    result = ParseResult()
    try:
        data = json.loads(content)
        _collect(data, source, result)
    except json.JSONDecodeError as exc:
        result.errors.append(RecordError(source, f"malformed JSON: {exc}"))
        return result
    except RecursionError:
        result.errors.append(RecordError(source, "malformed JSON: nested too deeply"))
        return result
    if not result.records and not result.errors:
        result.errors.append(RecordError(source, "no ClaimReview found"))
    return result


def parse_jsonl(content: str, *, source: str = "<jsonl>") -> ParseResult:
    result = ParseResult()
    for number, line in enumerate(content.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{source}: line {number}"
        try:
            data = json.loads(line)
            _collect(data, where, result)
        except json.JSONDecodeError as exc:
            result.errors.append(RecordError(where, f"malformed JSON: {exc.msg}"))
        except RecursionError:
            result.errors.append(RecordError(where, "malformed JSON: nested too deeply"))
    return result


def ld_json_blocks(content: str) -> list[str]:
    """The text of every ``<script type="application/ld+json">`` block, in page order.

    Forward searches only, each starting where the last one stopped, so the page is read
    about once: one regex for the whole block read to the end of the page again for every
    opening tag left without a closing one (``"<script" * n``).
    """
    blocks: list[str] = []
    pos = 0
    while opening := _SCRIPT_OPEN.search(content, pos):
        tag_end = content.find(">", opening.end())
        if tag_end < 0:
            break  # no later tag is closed either
        # A "<script" inside a tag without the type ends at the same ">": no type either.
        pos = tag_end + 1
        if not _LD_TYPE.search(content, opening.end(), tag_end):
            continue
        closing = _SCRIPT_CLOSE.search(content, pos)
        if closing is None:
            break  # no later block is closed either
        blocks.append(content[pos : closing.start()])
        pos = closing.end()
    return blocks


def parse_html(content: str, *, source: str = "<html>") -> ParseResult:
    result = ParseResult()
    blocks = ld_json_blocks(content)
    for number, block in enumerate(blocks, 1):
        part = parse_json(block, source=f"{source}: ld+json block {number}")
        result.records += part.records
        result.errors += [e for e in part.errors if e.reason != "no ClaimReview found"]
    if not result.records and not result.errors:
        result.errors.append(RecordError(source, "no ClaimReview JSON-LD in the page"))
    return result


def _collect(data, where: str, result: ParseResult) -> None:
    for path, obj in _objects(data, where):
        try:
            result.records.append(record_from(obj))
        except ClaimReviewError as exc:
            result.errors.append(RecordError(path, str(exc)))


def _objects(data, where: str) -> Iterator[tuple[str, object]]:
    """Yield (position, candidate object) through lists, @graph and DataFeed wrappers."""
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield from _objects(item, f"{where}[{i}]")
    elif isinstance(data, dict) and "@graph" in data and not _is_type(data, "ClaimReview"):
        yield from _objects(data["@graph"], f"{where}: @graph")
    elif isinstance(data, dict) and _is_type(data, "DataFeed"):
        elements = data.get("dataFeedElement") or []
        if not isinstance(elements, list):
            yield where, "dataFeedElement is not a list"
            return
        for i, element in enumerate(elements):
            # schema.org allows a Thing itself as an element, not only a DataFeedItem.
            if isinstance(element, dict) and "item" not in element and not _is_type(element, "DataFeedItem"):
                yield f"{where}: dataFeedElement[{i}]", element
                continue
            items = element.get("item") if isinstance(element, dict) else element
            items = items if isinstance(items, list) else [items]
            for j, item in enumerate(items):
                if item is not None:  # the DataFeed format allows null items
                    yield f"{where}: dataFeedElement[{i}].item[{j}]", item
    else:
        yield where, data


def _is_type(obj: dict, name: str) -> bool:
    kind = obj.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return any(isinstance(k, str) and k.rsplit("/", 1)[-1] == name for k in kinds)


def record_from(obj) -> ClaimReviewRecord:
    """Validate one ClaimReview object and map it onto a record."""
    if not isinstance(obj, dict):
        raise ClaimReviewError(f"expected a ClaimReview object, got {type(obj).__name__}")
    if not _is_type(obj, "ClaimReview"):
        raise ClaimReviewError(f"@type is {obj.get('@type')!r}, not ClaimReview")
    if _has_broken_text(obj):
        raise ClaimReviewError("contains a NUL or unpaired surrogate character")
    url = _text(obj.get("url"))
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. "http://[::1": an unclosed IPv6 literal
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ClaimReviewError(f"missing or invalid url {url[:100]!r}" if url else "missing url")
    if len(url) > 2000:
        raise ClaimReviewError("url longer than 2000 characters")
    claim = _text(obj.get("claimReviewed"))
    if not claim:
        raise ClaimReviewError("missing claimReviewed")
    item = obj.get("itemReviewed") if isinstance(obj.get("itemReviewed"), dict) else {}
    rating = obj.get("reviewRating") if isinstance(obj.get("reviewRating"), dict) else {}
    return ClaimReviewRecord(
        url=url,
        claim_reviewed=claim,
        claimant=_name(item.get("author"))[:300],
        rating_text=(_text(rating.get("alternateName")) or _text(rating.get("name")))[:200],
        rating_value=_number(rating.get("ratingValue")),
        publisher=(_name(obj.get("author")) or _name(obj.get("publisher")))[:200],
        review_date=_date(obj.get("datePublished")),
        claim_date=_date(item.get("datePublished")),
        language=_language(obj.get("inLanguage"))[:16],
        title=_text(obj.get("name") or obj.get("headline")),
        raw=obj,
    )


def _has_broken_text(value) -> bool:
    if isinstance(value, str):
        return bool(_BROKEN_TEXT.search(value))
    if isinstance(value, dict):
        return any(_has_broken_text(k) or _has_broken_text(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_broken_text(v) for v in value)
    return False


def _text(value) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _name(value) -> str:
    """An author/publisher: a string, an Organization/Person object, or a list of them."""
    if isinstance(value, list):
        return ", ".join(n for n in (_name(v) for v in value) if n)
    if isinstance(value, dict):
        return _text(value.get("name"))
    return _text(value)


def _number(value) -> float | None:
    try:
        number = float(value) if value not in (None, "") and not isinstance(value, bool) else None
    except (TypeError, ValueError):
        return None
    # "1e400" and "NaN" parse as floats, but JSON output (API, JSON-LD) cannot carry them.
    return number if number is None or math.isfinite(number) else None


def _date(value) -> date | None:
    """ISO dates and datetimes; anything else is dropped (dates are context, not keys)."""
    text = _text(value)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def _language(value) -> str:
    if isinstance(value, dict):
        return _text(value.get("alternateName")) or _text(value.get("name"))
    return _text(value)
