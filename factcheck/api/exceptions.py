"""One error shape for everything under /api/: ``{"error": {"code", "message", "fields"?}}``.

DRF's exceptions go through ``api_exception_handler``; what Django answers itself (an
unknown URL, a body too large, a crash) goes through the ``handler*`` views, which answer
JSON under ``/api/`` and fall back to Django's HTML pages everywhere else.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    error = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}


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
    if isinstance(exc, Http404):
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


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status_code)


def handler400(request, exception=None):
    if _is_api(request):
        return _json(status.HTTP_400_BAD_REQUEST, "bad_request", "The request could not be understood.")
    return defaults.bad_request(request, exception)


def handler403(request, exception=None):
    if _is_api(request):
        return _json(status.HTTP_403_FORBIDDEN, "permission_denied", "You may not do this.")
    return defaults.permission_denied(request, exception)


def handler404(request, exception=None):
    if _is_api(request):
        return _json(status.HTTP_404_NOT_FOUND, "not_found", "No such resource.")
    return defaults.page_not_found(request, exception)


def handler500(request):
    if _is_api(request):
        return _json(
            status.HTTP_500_INTERNAL_SERVER_ERROR, "server_error", "Something went wrong on our side."
        )
    return defaults.server_error(request)
