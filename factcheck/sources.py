"""Validating a verdict's source list, shared by the verdict editor and the corrections."""

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

MAX_SOURCES = 50
_url_validator = URLValidator(schemes=["http", "https"])


class SourceProblem(ValueError):
    """A source row that cannot be kept; ``reason`` says which and why."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def source_clean(data: dict) -> dict:
    url = str(data.get("url") or "").strip()
    try:
        _url_validator(url)
    except ValidationError:
        raise SourceProblem(f"“{url[:200]}” is not a web address (http:// or https://).") from None
    cleaned: dict = {
        "url": url,
        "title": str(data.get("title") or "").strip(),
        "publisher": str(data.get("publisher") or "").strip(),
        "note": str(data.get("note") or "").strip(),
        "accessed_at": data.get("accessed_at") or timezone.localdate(),
    }
    if len(url) > 2000 or len(cleaned["title"]) > 500 or len(cleaned["publisher"]) > 200:
        raise SourceProblem(f"The address, title or publisher of “{url[:200]}” is too long.")
    return cleaned


def sources_clean(sources: list[dict]) -> list[dict]:
    """Every row checked, at most ``MAX_SOURCES``, no address twice."""
    if len(sources) > MAX_SOURCES:
        raise SourceProblem(f"A verdict lists at most {MAX_SOURCES} sources.")
    cleaned = [source_clean(data) for data in sources]
    urls = [c["url"] for c in cleaned]
    duplicate = next((u for u in urls if urls.count(u) > 1), None)
    if duplicate:
        raise SourceProblem(f"“{duplicate[:200]}” is listed twice.")
    return cleaned
