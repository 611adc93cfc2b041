"""The API's JSON body parser: a body nested deeper than ``MAX_DEPTH`` is a 400.

Python's decoder recurses once per level, so a deep enough body (a few thousand brackets)
ends in ``RecursionError``, and whatever walks the decoded value after it (serializers, the
error handler) recurses again. No body the API reads is deeper than a few levels.
"""

import io
import re

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding

MAX_DEPTH = 32


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


def json_depth_exceeds(text: str, limit: int) -> bool:
    """Whether arrays and objects in ``text`` nest deeper than ``limit``; brackets inside
    strings do not count. No recursion, so any depth is measured safely."""
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub("", text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


class DepthLimitedJSONParser(JSONParser):
    """DRF's JSON parser (strict: no NaN or Infinity) behind a nesting check."""

    max_depth = MAX_DEPTH

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read() if stream is not None else b""
        encoding = get_encoding(parser_context or {})
        if json_depth_exceeds(raw.decode(encoding, errors="replace"), self.max_depth):
            raise ParseError(f"JSON parse error - the body nests deeper than {self.max_depth} levels.")
        return super().parse(io.BytesIO(raw), media_type, parser_context)
