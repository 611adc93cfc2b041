"""Parsing of seed and feed files into plain ``ArticleData`` records. No ORM here.

A whole-file problem (not UTF-8, binary, empty, too large, malformed JSON) raises
``ImportFileError``; a problem with one record of a multi-record file is returned as a
``RecordError`` so the other records of the same file are still imported.
"""

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.dateparse import parse_date, parse_datetime

SUPPORTED_SUFFIXES = (".txt", ".json", ".jsonl", ".md")
TITLE_MAX = 120
HEADING_MAX = 200

_url_validator = URLValidator(schemes=["http", "https"])
# NUL (PostgreSQL refuses it in text) and unpaired surrogates (not encodable as UTF-8, so
# hashing and saving would crash) only arrive through JSON escapes: refuse them per field.
_BROKEN_TEXT = re.compile("[\x00\ud800-\udfff]")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")
_ABBREVIATION = re.compile(
    r"(?:\b(?:[A-Za-z]\.)+|\b(?:Mr|Mrs|Ms|Dr|Prof|Gov|Sen|Rep|Gen|Col|St|No|Jr|Sr|Inc|Ltd|Co|vs|etc|e\.g|i\.e)\.)$"
)
# The title is the first TITLE_MAX characters of the first sentence, so its end is looked
# for in a bounded prefix: the cost of a title does not grow with the text. A text whose
# first sentence does not end within the prefix is titled from its first line, as a text
# without any sentence end is.
TITLE_SCAN = 2_000
# ``_ABBREVIATION`` ends at the candidate end and is at most 5 characters long ("Prof."),
# so whether it matches is decided by the characters just before the end (``\b`` still
# sees the character before the window): each candidate costs the same, however far it is.
_ABBREVIATION_WINDOW = 16


class ImportFileError(Exception):
    """The whole file cannot be imported; ``reason`` says why in plain words."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class ArticleData:
    title: str
    body: str
    external_key: str
    url: str = ""
    published_at: datetime | None = None
    outlet: str = ""
    authors: str = ""
    language: str = "en"


@dataclass(frozen=True)
class RecordError:
    where: str
    reason: str


@dataclass
class ParsedFile:
    path: Path
    records: list[ArticleData] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)


def parse_file(path: Path, *, max_bytes: int) -> ParsedFile:
    """Read and parse one file; raise ``ImportFileError`` for whole-file problems."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ImportFileError(
            f"unsupported format {suffix or '(none)'}; use one of {', '.join(SUPPORTED_SUFFIXES)}"
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportFileError(f"file is {size} bytes, larger than the limit of {max_bytes} bytes")
    text = decode(path.read_bytes())
    if not text.strip():
        raise ImportFileError("file is empty")
    parser = {".txt": _parse_txt, ".md": _parse_md, ".json": _parse_json, ".jsonl": _parse_jsonl}[suffix]
    return parser(path, text)


def decode(raw: bytes) -> str:
    if b"\x00" in raw:
        raise ImportFileError("file looks binary (it contains NUL bytes), not UTF-8 text")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(f"file is not valid UTF-8 (byte {exc.start}: {exc.reason})") from None


def title_from_text(text: str) -> tuple[str, str]:
    """Return (title, body): a short first-line heading, else the first sentence, cut short."""
    text = text.strip()
    first_line, _, rest = text.partition("\n")
    first_line = first_line.strip().lstrip("#").strip()
    if rest.strip() and _looks_like_heading(first_line):
        return first_line, rest.strip()
    first_sentence = first_line
    head = text[:TITLE_SCAN]
    for match in _SENTENCE_END.finditer(head):
        end = match.start()
        if not _ABBREVIATION.search(head, max(0, end - _ABBREVIATION_WINDOW), end):
            first_sentence = head[:end]
            break
    return cut_at_word(first_sentence.strip(), TITLE_MAX), text


def _looks_like_heading(line: str) -> bool:
    return (
        0 < len(line) <= HEADING_MAX
        and not line.endswith((".", "!", "?", ":", ";", ","))
        and len(line.split()) <= 25
    )


def cut_at_word(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:—-") + "…"


def _parse_txt(path: Path, text: str) -> ParsedFile:
    title, body = title_from_text(text)
    return ParsedFile(path, records=[ArticleData(title=title, body=body, external_key=f"file:{path.name}")])


_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


def _parse_md(path: Path, text: str) -> ParsedFile:
    meta: dict[str, str] = {}
    match = _FRONT_MATTER.match(text.lstrip("\ufeff"))
    if match:
        for n, line in enumerate(match.group(1).splitlines(), 2):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            key, sep, value = line.partition(":")
            if not sep or not key.strip():
                raise ImportFileError(f"front matter line {n} is not 'key: value': {line.strip()[:60]!r}")
            meta[key.strip().lower()] = value.strip().strip("\"'")
        text = text[match.end() :]
    if not text.strip():
        raise ImportFileError("missing body: the file has front matter but no text")
    if "title" not in meta:
        meta["title"], text = title_from_text(text)
    meta["body"] = text.strip()
    record = _record_from_mapping(meta, default_key=f"file:{path.name}", where=str(path))
    return ParsedFile(path, records=[record])


def _parse_json(path: Path, text: str) -> ParsedFile:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFileError(f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise ImportFileError("malformed JSON: nested too deeply") from None
    if isinstance(data, dict):
        return _collect(path, [(str(path), data, f"file:{path.name}")])
    if isinstance(data, list):
        if not data:
            raise ImportFileError("the JSON list is empty")
        items = [(f"{path}[{i}]", item, f"file:{path.name}#{i}") for i, item in enumerate(data)]
        return _collect(path, items)
    raise ImportFileError(f"expected a JSON object or a list of objects, got {type(data).__name__}")


def _parse_jsonl(path: Path, text: str) -> ParsedFile:
    items, errors = [], []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            items.append((f"{path}:{n}", json.loads(line), f"file:{path.name}#{n}"))
        except json.JSONDecodeError as exc:
            errors.append(RecordError(f"{path}:{n}", f"malformed JSON: {exc.msg} at column {exc.colno}"))
        except RecursionError:
            errors.append(RecordError(f"{path}:{n}", "malformed JSON: nested too deeply"))
    parsed = _collect(path, items)
    parsed.errors[:0] = errors
    return parsed


def _collect(path: Path, items: list[tuple[str, object, str]]) -> ParsedFile:
    parsed = ParsedFile(path)
    for where, item, default_key in items:
        try:
            parsed.records.append(_record_from_mapping(item, default_key=default_key, where=where))
        except ImportFileError as exc:
            parsed.errors.append(RecordError(where, exc.reason))
    return parsed


def _record_from_mapping(item: object, *, default_key: str, where: str) -> ArticleData:
    """Validate one article mapping; raise ``ImportFileError`` naming the bad field."""
    if not isinstance(item, dict):
        raise ImportFileError(f"expected an object, got {type(item).__name__}")
    body = _text_field(item, "body", required=True)
    title = _text_field(item, "title", max_length=500)
    if not title:
        title, _ = title_from_text(body)
    url = _text_field(item, "url", max_length=2000)
    if url:
        try:
            _url_validator(url)
        except ValidationError:
            raise ImportFileError(f"field 'url' is not a valid http(s) URL: {url[:80]!r}") from None
    external_key = _text_field(item, "external_key", max_length=255) or url or default_key
    return ArticleData(
        title=cut_at_word(title.strip(), 500),
        body=body.strip(),
        external_key=external_key[:255],
        url=url,
        published_at=_date_field(item, "published_at"),
        outlet=_text_field(item, "outlet", max_length=200),
        authors=_authors_field(item),
        language=_text_field(item, "language", max_length=16) or "en",
    )


def _text_field(item: dict, name: str, *, required: bool = False, max_length: int | None = None) -> str:
    value = item.get(name)
    if value is None or value == "":
        if required:
            raise ImportFileError(f"missing {name}")
        return ""
    if not isinstance(value, str):
        raise ImportFileError(f"field '{name}' must be text, got {type(value).__name__}")
    if _BROKEN_TEXT.search(value):
        raise ImportFileError(f"field '{name}' contains a NUL or unpaired surrogate character")
    if required and not value.strip():
        raise ImportFileError(f"missing {name}: it is blank")
    if max_length is not None and len(value) > max_length:
        raise ImportFileError(f"field '{name}' is {len(value)} characters, longer than {max_length}")
    return value.strip()


def _authors_field(item: dict) -> str:
    value = item.get("authors")
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        authors = value
    elif isinstance(value, list) and all(isinstance(a, str) for a in value):
        authors = ", ".join(a.strip() for a in value if a.strip())
    else:
        raise ImportFileError("field 'authors' must be text or a list of names")
    if _BROKEN_TEXT.search(authors):
        raise ImportFileError("field 'authors' contains a NUL or unpaired surrogate character")
    if len(authors) > 500:
        raise ImportFileError(f"field 'authors' is {len(authors)} characters, longer than 500")
    return authors


def _date_field(item: dict, name: str) -> datetime | None:
    value = item.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise ImportFileError(f"field '{name}' must be an ISO 8601 date, got {type(value).__name__}")
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            parsed = datetime(day.year, day.month, day.day) if day else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ImportFileError(f"field '{name}' is not a valid ISO 8601 date: {value[:40]!r}")
    parsed = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    try:
        # Year 1 or 9999 with an offset leaves Python's range in UTC: SQLite crashes on
        # save, PostgreSQL stores it and then every query that loads the row fails.
        return parsed.astimezone(UTC)
    except OverflowError:
        raise ImportFileError(f"field '{name}' is out of range in UTC: {value[:40]!r}") from None
