"""JSON through orjson: the same bytes as DRF's compact UTF-8 JSON for the API's data (every
value a serializer made is a str, number, bool, None, list or dict), several times faster.

Anything orjson does not know (a lazy translation string, a Decimal) goes through DRF's own
encoder, so what DRF could render, this renders.
"""

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_fallback = JSONEncoder()


class OrjsonRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if data is None:
            return b""
        return orjson.dumps(data, default=_fallback.default, option=orjson.OPT_NON_STR_KEYS)


class JsonLdRenderer(OrjsonRenderer):
    media_type = "application/ld+json"
    format = "jsonld"
