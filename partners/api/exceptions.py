"""One error shape for everything under /api/: ``{"error": {"code", "message", "fields"?}}``.

DRF's exceptions go through ``api_exception_handler``, and so does every
``core.errors.ApplicationError`` a service raises (400 with its ``reason``); what Django
answers itself (an unknown URL, a body too large, a crash) goes through ``core.handlers``.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions
from rest_framework.views import exception_handler

from core.errors import ApplicationError, error_body

logger = logging.getLogger(__name__)


class Refused(exceptions.APIException):
    status_code = 400
    default_code = "refused"


def _flatten(detail) -> str:
    """A readable one-line message from DRF's nested detail structure."""
    if isinstance(detail, dict):
        return "; ".join(f"{key}: {_flatten(value)}" for key, value in detail.items())
    if isinstance(detail, list):
        return " ".join(_flatten(item) for item in detail)
    return str(detail)


def _fields(detail) -> dict[str, list[str]]:
    """Per-field messages as lists of strings (nested serializers are flattened with dots)."""
    out: dict[str, list[str]] = {}
    for key, value in detail.items():
        if isinstance(value, dict):
            for sub, messages in _fields(value).items():
                out[f"{key}.{sub}"] = messages
        elif isinstance(value, list):
            out[key] = [_flatten(item) for item in value]
        else:
            out[key] = [str(value)]
    return out


def api_exception_handler(exc, context):
    """DRF's handler (status, headers such as Retry-After) with our body."""
    if isinstance(exc, ApplicationError):
        exc = Refused(exc.reason, code=exc.code)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's handler500 answers (JSON under /api/)
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail
        if isinstance(detail, dict):
            fields = _fields(detail)
            general = fields.pop("non_field_errors", None)
            message = " ".join(general) if general else "The request is not valid; see fields."
            response.data = error_body("invalid", message, fields or None)
        else:
            response.data = error_body("invalid", _flatten(detail))
        return response
    codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
    code = codes if isinstance(codes, str) else "error"
    response.data = error_body(code, _flatten(exc.detail))
    return response
