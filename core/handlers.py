"""Site-wide error views: JSON under ``/api/`` (the API's one error shape), Django's pages
everywhere else. ``config/urls.py`` names them as ``handler400`` … ``handler500``."""

from django.http import JsonResponse
from django.views import defaults

from core.errors import error_body

API_PREFIX = "/api/"


def _is_api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(status_code: int, code: str, message: str) -> JsonResponse:
    return JsonResponse(error_body(code, message), status=status_code)


def handler400(request, exception=None):
    if _is_api(request):
        return _json(400, "bad_request", "The request could not be understood.")
    return defaults.bad_request(request, exception)


def handler403(request, exception=None):
    if _is_api(request):
        return _json(403, "permission_denied", "You may not do this.")
    return defaults.permission_denied(request, exception)


def handler404(request, exception=None):
    if _is_api(request):
        return _json(404, "not_found", "No such resource.")
    return defaults.page_not_found(request, exception)


def handler500(request):
    if _is_api(request):
        return _json(500, "server_error", "Something went wrong on our side.")
    return defaults.server_error(request)


_HANDLERS = {400: handler400, 403: handler403, 404: handler404}


class ApiErrorShapeMiddleware:
    """Django's own error pages under ``/api/`` become the API's JSON error shape.

    With DEBUG off Django answers through the handlers above; with DEBUG on it answers an
    unmatched URL (and a crash) with its HTML debug pages instead, which a partner's client
    cannot read. This middleware sits inside ``CommonMiddleware``, so a path missing its
    trailing slash is still redirected. API views' own answers (DRF responses, JSON ones)
    pass unchanged, the staff's browsable pages included.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not _is_api(request) or response.status_code < 400:
            return response
        if hasattr(response, "accepted_renderer") or "json" in response.get("Content-Type", ""):
            return response
        if response.status_code >= 500:
            return handler500(request)
        handler = _HANDLERS.get(response.status_code)
        return handler(request) if handler else response
