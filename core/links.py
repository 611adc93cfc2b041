"""Links built from stored addresses: only http(s) becomes a link."""

from urllib.parse import urlsplit

SAFE_URL_SCHEMES = ("http", "https")


def safe_url(url: str | None) -> str:
    """The address if it is http(s), else "": a stored ``javascript:`` link is never published."""
    url = (url or "").strip()
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:  # e.g. "http://[::1": an unclosed IPv6 literal
        return ""
    return url if scheme in SAFE_URL_SCHEMES else ""
