"""A lost database connection answers 503 with ``Retry-After``, not a 500 and a traceback.

PostgreSQL restarting, failing over, or killing a backend (``pg_terminate_backend``) makes
the running query raise ``OperationalError``/``InterfaceError``. That is an outage of a
dependency, not a bug in the request: clients and load balancers should retry later. The
request's transaction is rolled back by the database, so nothing half-written remains.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
_HTML = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Temporarily unavailable</title>"
    "</head><body><h1>Temporarily unavailable</h1><p>The database could not be reached. "
    "Nothing was saved from this request; please try again in a moment.</p></body></html>"
)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.error("Database unavailable during %s %s: %s", request.method, request.path, exception)
        if request.path.startswith("/api/"):
            response = JsonResponse(
                {
                    "error": {
                        "code": "service_unavailable",
                        "message": "The database is temporarily unavailable; retry later.",
                    }
                },
                status=503,
            )
        else:
            response = HttpResponse(_HTML, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
