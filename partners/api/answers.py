"""Cached answers of the read endpoints, never stale, with ETag and ``304 Not Modified``.

An answer is the rendered body of a 200, stored in the configured cache (Redis in
production) under a key made of the scheme and host (bodies hold absolute links), the
path, the query parameters (sorted) and the media type, together with the data version
(``core.dataversion``) it was rendered at; it is served only to a request that read that
same version. Every write that can change an answer bumps the version after it commits, so
a request that starts after the write can only be served an answer rendered after it; an
older entry is replaced by the next rendering (or expires, ``API_ANSWER_CACHE_SECONDS``).
The key holds no version, so the gate (``partners.api.gate``) reads the entry in the round
trip that reads the version. The answers are the same for every partner (only public
data), and they are served after authentication, scopes and throttling ran as usual.

The ETag is a hash of the body, so it survives a version bump that did not change this
answer: a partner polling with ``If-None-Match`` gets a 304 without a body.
"""

import functools
import hashlib
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from rest_framework.response import Response

from core.dataversion import data_version
from partners.api.gate import gate_of
from partners.api.renderers import OrjsonRenderer

CACHE_CONTROL = "private, no-cache"  # a client may keep it, and revalidates with its ETag


def version_of(request) -> int:
    """The data version this request's gate read, or the current one."""
    opened = gate_of(request)
    return opened.version if opened is not None else data_version()


def answer_key(request) -> str:
    query = urlencode(sorted(request.query_params.lists()), doseq=True)
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query}|{request.accepted_renderer.media_type}"
    return f"api-answer:{hashlib.sha256(raw.encode()).hexdigest()}"


def answer_key_for(request, view) -> str | None:
    """The cache key of this request's answer when the view's handler for its method caches
    answers (``cached_answer``) and the negotiated rendering is JSON; else None."""
    handler = getattr(view, request.method.lower(), None)
    if not getattr(handler, "caches_answer", False):
        return None
    if not isinstance(getattr(request, "accepted_renderer", None), OrjsonRenderer):
        return None
    return answer_key(request)


def _entry_at(entry, version: int) -> tuple[str, str, bytes] | None:
    """(ETag, media type, body) of a cached entry rendered at ``version``, else None."""
    if isinstance(entry, tuple) and len(entry) == 4 and entry[0] == version:
        return entry[1:]
    return None


def _etag(body: bytes) -> str:
    return f'"{hashlib.sha256(body).hexdigest()[:32]}"'


def _respond(request, etag: str, content_type: str, body: bytes) -> HttpResponse:
    # A 304 for a matching If-None-Match (a 412 for a failed If-Match), else the body.
    conditional = get_conditional_response(request, etag=etag)
    response = conditional if conditional is not None else HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = CACHE_CONTROL
    return response


def cached_answer(handler):
    """Serve a GET handler's 200 from the cache, rendered once per data version.

    Only JSON renderings are cached (the staff's browsable HTML is not); errors are never
    cached. The handler runs after DRF's checks, so a cached answer is never shown to a
    caller who may not see it.
    """

    @functools.wraps(handler)
    def wrapped(view, request, *args, **kwargs):
        renderer = request.accepted_renderer
        if not isinstance(renderer, OrjsonRenderer):
            return handler(view, request, *args, **kwargs)
        opened = gate_of(request)
        # The gate named this request's answer key already (same request, renderer and
        # query) and read the entry under it in its round trip.
        if opened is not None and opened.answer_key is not None:
            key, entry = opened.answer_key, opened.answer
        else:
            key = answer_key(request)
            entry = cache.get(key)
        version = version_of(request)
        hit = _entry_at(entry, version)
        if hit is None:
            response = handler(view, request, *args, **kwargs)
            if not isinstance(response, Response) or response.status_code != 200 or response.exception:
                return response
            body = renderer.render(response.data, request.accepted_media_type, view.get_renderer_context())
            hit = (_etag(body), renderer.media_type, body)
            cache.set(key, (version, *hit), timeout=settings.API_ANSWER_CACHE_SECONDS)
        return _respond(request, *hit)

    wrapped.caches_answer = True  # type: ignore[attr-defined]
    return wrapped
