"""Fetching politely and safely: every request of the intake goes through ``fetch``.

1. The URL goes through ``core.outbound`` (http and https only, public addresses only,
   checked on the address connected to and on every redirect, at most 5 redirects, a
   time and a decoded-size limit).
2. robots.txt is read once per host and kept ``FETCH_ROBOTS_CACHE_SECONDS``
   (``urllib.robotparser``); a disallowed URL is not requested.
3. One request per host at a time, ``FETCH_HOST_DELAY_SECONDS`` apart (``host_slot``), held
   where ``FETCH_HOST_SLOT`` says: a lock in the shared cache (``CACHE_URL``, Redis), a
   PostgreSQL advisory lock with the last request's time in ``FetchHost`` (every process on
   the database), or a lock of this process (SQLite with the local cache: one process).
4. A conditional GET when an ETag or Last-Modified is known: a 304 is ``not_modified``,
   with no body to parse.

Every failure is a ``FetchError`` whose ``reason`` says what went wrong in words (404,
timeout, too large, robots disallow, refused address ...).
"""

from __future__ import annotations

import hashlib
import http.client
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib import robotparser
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from core.errors import ApplicationError
from core.outbound import OutboundFailed, OutboundRefused, OutboundResponse, outbound_get
from editorial.models import FetchHost

PRODUCT = "FactCheckDeskIntake"
ACCEPT_FEED = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)
ACCEPT_HTML = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_HOST_WAIT_SECONDS = 120.0


class FetchError(ApplicationError):
    """The URL could not be fetched; ``reason`` says why."""

    code = "fetch_failed"


@dataclass(frozen=True)
class Fetched:
    url: str  # after redirects
    status: int
    body: bytes
    content_type: str
    etag: str
    last_modified: str

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def user_agent() -> str:
    return f"{PRODUCT}/1.0 (+{settings.SITE_URL})"


def fetch(url: str, *, etag: str = "", last_modified: str = "", accept: str = ACCEPT_FEED) -> Fetched:
    """GET ``url`` as the intake does (see the module's steps); ``FetchError`` on any failure."""
    host = _host_key(url)
    if not robots_allow(url):
        raise FetchError(f"robots.txt of {host} disallows {url}")
    headers = {"User-Agent": user_agent(), "Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    response = _get(url, headers)
    if response.status == 304:
        return Fetched(response.url, 304, b"", "", etag, last_modified)
    if response.status >= 400 or response.status < 200:
        raise FetchError(f"the server answered {response.status} {response.reason}".strip())
    if response.status in (301, 302, 303, 307, 308):
        raise FetchError(f"a redirect ({response.status}) without a Location")
    if response.truncated:
        raise FetchError(f"the answer is larger than {_mb(settings.FETCH_MAX_BYTES)}")
    return Fetched(
        url=response.url,
        status=response.status,
        body=response.body,
        content_type=response.headers.get("content-type", ""),
        etag=response.headers.get("etag", "")[:500],
        last_modified=response.headers.get("last-modified", "")[:100],
    )


def _get(url: str, headers: dict[str, str]) -> OutboundResponse:
    timeout = settings.FETCH_TIMEOUT_SECONDS
    with host_slot(_host_key(url)):
        try:
            return outbound_get(url, headers=headers, timeout=timeout, max_bytes=settings.FETCH_MAX_BYTES)
        except (OutboundRefused, OutboundFailed) as exc:
            raise FetchError(f"refused: {exc.reason}") from None
        except TimeoutError:
            raise FetchError(f"timed out after {timeout:g} s") from None
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"could not be fetched ({type(exc).__name__}: {exc})"[:300]) from None


def _host_key(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{parts.port or ''}"


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


@contextmanager
def host_slot(host: str) -> Iterator[None]:
    """Hold the host's one request slot; start no sooner than the delay after its last one."""
    deadline = time.monotonic() + _HOST_WAIT_SECONDS
    with _SLOTS[settings.FETCH_HOST_SLOT](host, deadline):
        yield


def _busy(host: str) -> FetchError:
    return FetchError(f"{host} was busy with another fetch for {_HOST_WAIT_SECONDS:g} s")


def _wait_delay(since_last: float | None) -> None:
    """Sleep out the rest of the delay, ``since_last`` seconds after the host's last request."""
    if since_last is not None and since_last < settings.FETCH_HOST_DELAY_SECONDS:
        time.sleep(settings.FETCH_HOST_DELAY_SECONDS - since_last)


@contextmanager
def _cache_slot(host: str, deadline: float) -> Iterator[None]:
    """The slot in the cache: across workers when the cache is shared (Redis)."""
    lock, last = f"intake:host-lock:{host}", f"intake:host-last:{host}"
    token = uuid.uuid4().hex
    ttl = int(settings.FETCH_TIMEOUT_SECONDS * 2 + settings.FETCH_HOST_DELAY_SECONDS + 5)
    while not cache.add(lock, token, timeout=ttl):
        if time.monotonic() > deadline:
            raise _busy(host)
        time.sleep(0.05)
    try:
        previous = cache.get(last)
        _wait_delay(None if previous is None else time.time() - previous)
        yield
    finally:
        cache.set(last, time.time(), timeout=max(60, int(settings.FETCH_HOST_DELAY_SECONDS) + 60))
        if cache.get(lock) == token:
            cache.delete(lock)


_process_locks: dict[str, threading.Lock] = {}
_process_last: dict[str, float] = {}
_process_guard = threading.Lock()


@contextmanager
def _process_slot(host: str, deadline: float) -> Iterator[None]:
    """The slot in this process: its threads wait for each other, other processes are not seen."""
    with _process_guard:
        lock = _process_locks.setdefault(host, threading.Lock())
    if not lock.acquire(timeout=max(0.0, deadline - time.monotonic())):
        raise _busy(host)
    try:
        previous = _process_last.get(host)
        _wait_delay(None if previous is None else time.monotonic() - previous)
        yield
    finally:
        _process_last[host] = time.monotonic()
        lock.release()


@contextmanager
def _postgres_slot(host: str, deadline: float) -> Iterator[None]:
    """The slot in PostgreSQL: a session advisory lock on the host, and its last request's time
    in ``FetchHost`` (by the database's clock), so every process on the database takes turns."""
    key = _advisory_key(host)
    table = FetchHost._meta.db_table
    with _slot_connection() as db, db.cursor() as cursor:
        while True:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
            if cursor.fetchone()[0]:
                break
            if time.monotonic() > deadline:
                raise _busy(host)
            time.sleep(0.05)
        try:
            cursor.execute(
                f"SELECT extract(epoch FROM clock_timestamp() - last_request_at) FROM {table} WHERE host = %s",  # noqa: S608 - the model's table
                [host],
            )
            row = cursor.fetchone()
            _wait_delay(None if row is None else float(row[0]))
            yield
        finally:
            try:
                # Committed without waiting for the disk (visible to the others at once): a
                # time lost in a crash only lets the next request come early, and the wait
                # would cost a WAL flush per request.
                cursor.execute(
                    "WITH quick AS (SELECT set_config('synchronous_commit', 'off', true))"  # noqa: S608
                    f" INSERT INTO {table} (host, last_request_at) SELECT %s, clock_timestamp() FROM quick"
                    " ON CONFLICT (host) DO UPDATE SET last_request_at = EXCLUDED.last_request_at",
                    [host],
                )
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def _advisory_key(host: str) -> int:
    """A stable signed 64-bit key for the host (the same in every process and release)."""
    digest = hashlib.blake2b(f"intake:host:{host}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def _slot_connection() -> Iterator[BaseDatabaseWrapper]:
    """The default connection when it is in autocommit, else a connection of the slot's own: a
    lock taken and a time written inside the caller's transaction would be hidden from the
    other processes, and kept, until that transaction ends."""
    default = connections[DEFAULT_DB_ALIAS]
    if default.get_autocommit() and not default.in_atomic_block:
        yield default
        return
    own = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        yield own
    finally:
        own.close()  # its advisory locks go with the session


_SLOTS = {"cache": _cache_slot, "process": _process_slot, "postgres": _postgres_slot}


# --- robots.txt --------------------------------------------------------------------------

_robots: dict[str, tuple[float, robotparser.RobotFileParser]] = {}
_robots_lock = threading.Lock()


def robots_cache_clear() -> None:
    with _robots_lock:
        _robots.clear()


def robots_allow(url: str) -> bool:
    """Whether the host's robots.txt lets our User-Agent fetch ``url`` (read once per host)."""
    host = _host_key(url)
    now = time.monotonic()
    with _robots_lock:
        cached = _robots.get(host)
    if cached is None or cached[0] < now:
        cached = (now + settings.FETCH_ROBOTS_CACHE_SECONDS, _robots_read(url))
        with _robots_lock:
            _robots[host] = cached
    return cached[1].can_fetch(PRODUCT, url)


def _robots_read(url: str) -> robotparser.RobotFileParser:
    """The host's rules: none when it has no robots.txt (4xx), all refused on 401/403 and
    5xx, as robotparser and RFC 9309 do. A robots.txt that cannot be fetched at all (a
    refused address, a timeout) fails the fetch with that reason, and is not kept."""
    parts = urlsplit(url)
    robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
    parser = robotparser.RobotFileParser(robots_url)
    try:
        response = _get(robots_url, {"User-Agent": user_agent(), "Accept": "text/plain"})
    except FetchError as exc:
        if exc.reason.startswith("refused"):
            raise
        raise FetchError(f"robots.txt of {parts.netloc} could not be read: {exc.reason}") from None
    # robotparser's own flags for "everything refused" and "no rules", as its read() sets them.
    if response.status in (401, 403) or response.status >= 500:
        parser.disallow_all = True  # type: ignore[attr-defined]
    elif 400 <= response.status < 500:
        parser.allow_all = True  # type: ignore[attr-defined]
    else:
        parser.parse(response.body[: 512 * 1024].decode("utf-8", "replace").splitlines())
    return parser
