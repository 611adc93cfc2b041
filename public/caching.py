"""Conditional GET for the public pages: a strong ETag from the body, Last-Modified from the data.

The ETag hashes what was rendered, so any change a reader could see (a source edit
included) changes it; Last-Modified comes from the rows' timestamps. RFC 9110 makes
If-None-Match win over If-Modified-Since when a client sends both, as browsers do.
"""

import datetime as dt
import functools
import hashlib

from django.conf import settings
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date, parse_http_date_safe


def set_last_modified(response, moment: dt.datetime | None) -> None:
    if moment is not None:
        response.headers["Last-Modified"] = http_date(moment.timestamp())


def conditional_public(view):
    """Add ETag, Cache-Control and answer a matching conditional GET with 304."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not response.is_rendered:
            response.render()  # TemplateResponse (the sitemap view): hash the final body
        patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
        if response.status_code != 200 or response.streaming:
            return response
        response.headers["ETag"] = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
        last_modified = parse_http_date_safe(response.headers.get("Last-Modified", ""))
        return get_conditional_response(
            request, etag=response.headers["ETag"], last_modified=last_modified, response=response
        )

    return wrapped
