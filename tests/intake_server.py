"""A real HTTP server on 127.0.0.1 for the intake's tests: routes set per test, requests kept.

Each route answers a fixed body with its headers; it can answer 304 to a matching
conditional GET, redirect, wait before answering, or stream a large filler body. Every
request is recorded (path and headers) so a test can count what was asked.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str = ""  # sent, and a matching If-None-Match answers 304
    last_modified: str = ""  # sent, and an equal If-Modified-Since answers 304
    redirect: str = ""  # a path or URL: answered 302 with this Location
    delay: float = 0.0  # seconds to wait before answering
    filler: int = 0  # stream this many bytes instead of ``body``
    send_length: bool = True


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass

    def do_GET(self):  # noqa: N802 - http.server's name
        with self.server.lock:
            self.server.in_flight += 1
            self.server.max_in_flight = max(self.server.max_in_flight, self.server.in_flight)
            self.server.started.append(time.monotonic())
        try:
            self._get()
        finally:
            with self.server.lock:
                self.server.in_flight -= 1

    def _get(self):
        self.server.requests.append((self.path, dict(self.headers)))
        route = self.server.routes.get(self.path)
        if route is None:
            self._answer(404, b"not here", "text/plain")
            return
        if route.delay:
            time.sleep(route.delay)
        if route.redirect:
            self.send_response(302)
            self.send_header("Location", route.redirect)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
            route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
        ):
            self.send_response(304)
            self.end_headers()
            return
        extra = dict(route.headers)
        if route.etag:
            extra["ETag"] = route.etag
        if route.last_modified:
            extra["Last-Modified"] = route.last_modified
        if route.filler:
            self._stream(route, extra)
            return
        self._answer(route.status, route.body, route.content_type, extra, route.send_length)

    def _answer(self, status, body, content_type, extra=None, send_length=True):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in (extra or {}).items():
            self.send_header(name, value)
        if send_length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def _stream(self, route, extra):
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        for name, value in extra.items():
            self.send_header(name, value)
        if route.send_length:
            self.send_header("Content-Length", str(route.filler))
        self.end_headers()
        chunk = b"<p>" + b"x" * 65_529 + b"</p>"
        sent = 0
        try:
            while sent < route.filler:
                self.wfile.write(chunk[: route.filler - sent])
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        self.server.streamed.append(sent)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.streamed: list[int] = []
        self.lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0  # the most requests this server answered at once
        self.started: list[float] = []  # when each request arrived (time.monotonic)


class IntakeServer:
    def __init__(self):
        self._server = _Server()
        self.routes = self._server.routes
        self.requests = self._server.requests
        self.streamed = self._server.streamed
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str = b"", **kwargs) -> str:
        self.routes[path] = Route(body=body.encode() if isinstance(body, str) else body, **kwargs)
        return self.url(path)

    @property
    def max_in_flight(self) -> int:
        return self._server.max_in_flight

    @property
    def in_flight(self) -> int:
        """Requests being answered now (waiting on a route's delay included)."""
        return self._server.in_flight

    @property
    def started(self) -> list[float]:
        return self._server.started

    def hits(self, path: str) -> int:
        return sum(1 for p, _ in self.requests if p == path)

    def start(self) -> IntakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def article_html(
    title: str,
    paragraphs: list[str],
    *,
    canonical: str = "",
    wrap: bool = True,
    lang: str = "en",
    author: str = "",
    published: str = "",
) -> str:
    """An outlet's article page: navigation and footer around the text, in ``<article>`` or not."""
    meta = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    if author:
        meta += f'<meta name="author" content="{author}">'
    if published:
        meta += f'<meta property="article:published_time" content="{published}">'
    text = "".join(f"<p>{p}</p>" for p in paragraphs)
    main = (
        f"<article><h1>{title}</h1>{text}</article>"
        if wrap
        else f'<div class="story"><h1>{title}</h1>{text}</div>'
    )
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | The Daily</title>{meta}'
        "</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/sport'>Sport</a></nav>"
        f"{main}<footer>Copyright The Daily. All rights reserved. Contact us.</footer></body></html>"
    )


PARAGRAPHS = [
    "The finance minister said on Tuesday that the deficit fell to 3.1% of GDP in 2024, according to "
    "figures published by the Treasury in its annual report to parliament.",
    "Opposition leader Jane Roe said 40,000 nurses had left the health service since the last election, "
    "a figure the government disputes and says is closer to 12,000 over the same period.",
    "Economists at the central bank expect growth of 1.2% next year, down from an earlier forecast of 1.8%, "
    "as higher interest rates weigh on business investment and household spending.",
]


def rss(items: list[tuple[str, str]], *, title: str = "The Daily - News") -> str:
    """RSS 2.0 with (title, link) items, each with a summary and a date."""
    entries = "".join(
        f"<item><title>{t}</title><link>{link}</link><guid>{link}</guid>"
        f"<description>Summary of {t}. The minister said the deficit fell.</description>"
        f"<pubDate>Tue, 04 Mar 2025 10:0{i % 10}:00 GMT</pubDate></item>"
        for i, (t, link) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
        f"<title>{title}</title><link>https://daily.example/</link><description>News</description>"
        f"<language>en</language>{entries}</channel></rss>"
    )


def atom(items: list[tuple[str, str]], *, title: str = "The Weekly") -> str:
    entries = "".join(
        f'<entry><title>{t}</title><link href="{link}"/><id>{link}</id>'
        f"<updated>2025-03-0{1 + i % 9}T10:00:00Z</updated><summary>About {t}.</summary>"
        "<author><name>Ann Lee</name></author></entry>"
        for i, (t, link) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{title}</title><id>urn:weekly</id><updated>2025-03-05T10:00:00Z</updated>{entries}</feed>"
    )


def jsonfeed(items: list[tuple[str, str]], *, title: str = "The Wire") -> str:
    import json

    return json.dumps(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": title,
            "language": "en",
            "items": [
                {
                    "id": link,
                    "url": link,
                    "title": t,
                    "summary": f"About {t}.",
                    "date_published": "2025-03-04T10:00:00Z",
                    "authors": [{"name": "Bo Chen"}],
                }
                for t, link in items
            ],
        }
    )


def sitemap(urls: list[str], *, news: bool = False) -> str:
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    rows = []
    for i, url in enumerate(urls):
        extra = (
            "<news:news><news:publication><news:name>The Daily</news:name><news:language>en</news:language>"
            f"</news:publication><news:publication_date>2025-03-04T10:00:00Z</news:publication_date>"
            f"<news:title>News story {i}</news:title></news:news>"
            if news
            else ""
        )
        rows.append(f"<url><loc>{url}</loc><lastmod>2025-03-04</lastmod>{extra}</url>")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>{"".join(rows)}</urlset>'
    )


def sitemap_index(children: list[str]) -> str:
    rows = "".join(f"<sitemap><loc>{c}</loc></sitemap>" for c in children)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</sitemapindex>'
    )


def fetch_in_process(env: dict[str, str], urls: list[str], go, results) -> None:
    """A spawned process's body: configure Django from ``env`` (the rest of the environment
    is the parent's, without ``CACHE_URL`` and ``FETCH_HOST_SLOT``), say it is ready, wait for
    ``go``, then fetch ``urls`` in turn; put (the slot it used, the failures) on ``results``."""
    import os

    for name in ("CACHE_URL", "FETCH_HOST_SLOT"):
        os.environ.pop(name, None)
    os.environ.update(env)
    import django

    django.setup()
    from django.conf import settings

    from editorial.intake.fetcher import fetch

    results.put(("ready", []))
    go.wait(60)
    failures = []
    for url in urls:
        try:
            fetch(url)
        except Exception as exc:  # noqa: BLE001 - reported to the test
            failures.append(f"{url}: {exc!r}")
    results.put((settings.FETCH_HOST_SLOT, failures))


def serve_for_test(settings):
    """A started server with the guard letting 127.0.0.1 through for this test only; a
    generator for a fixture to yield from."""
    from editorial.intake.fetcher import robots_cache_clear

    settings.OUTBOUND_ALLOW_PRIVATE = True
    settings.FETCH_HOST_DELAY_SECONDS = 0.0
    settings.FETCH_TIMEOUT_SECONDS = 2.0
    robots_cache_clear()
    server = IntakeServer().start()
    try:
        yield server
    finally:
        server.stop()
        robots_cache_clear()
