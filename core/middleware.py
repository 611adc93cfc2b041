"""A lost database connection answers 503 with ``Retry-After``, not a 500 and a traceback.

PostgreSQL restarting, failing over, or killing a backend (``pg_terminate_backend``) makes
the running query raise ``OperationalError``/``InterfaceError``. That is an outage of a
dependency, not a bug in the request: clients and load balancers should retry later.

Two places can hit it. In the view, ``process_exception`` sees the error; the request's
transaction is rolled back by the database, so nothing half-written remains. In another
middleware after the view returned (``SessionMiddleware`` saving a changed session), the
error never reaches ``process_exception``: Django turns it into a response inside the
chain (a 500, or a 400 "session interrupted" for a session save) and the next query
quietly reconnects. So this middleware sits outside every middleware that uses the
database, notes each database error of the request (an execute wrapper for failed
queries, ``got_request_exception`` for the rest, such as a failed connect), and replaces
such an error response with the 503. The view had finished by then, so that page does not
promise that nothing was saved.

A statement PostgreSQL cancelled for running past ``statement_timeout`` (settings:
``DB_STATEMENT_TIMEOUT_MS``) raises ``OperationalError`` too; it answers the same 503 with a
page that says the request took too long (narrow it down), not that the database is down.
"""

import logging
import sys
from contextlib import ExitStack

from django.core.signals import got_request_exception
from django.db import connections
from django.http import HttpResponse, JsonResponse

from core.errors import DATABASE_DOWN

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
_PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Temporarily unavailable</title>"
    "</head><body><h1>Temporarily unavailable</h1><p>{}</p></body></html>"
)
_IN_VIEW = (
    "The database could not be reached. Nothing was saved from this request; please try again in a moment."
)
_AFTER_VIEW = (
    "The database could not be reached while this request was finishing, so your change may "
    "have been saved. Please reload the page in a moment to check before you try again."
)
_API_IN_VIEW = "The database is temporarily unavailable; retry later."
_TOO_SLOW = (
    "This page took too long to prepare and was stopped; nothing was saved from this request. "
    "Narrow it down (fewer search words, a filter) and try again."
)
_API_TOO_SLOW = "The request took too long and was stopped; narrow it down and retry."
# SQLSTATE query_canceled: statement_timeout (or a cancel request) stopped the statement.
QUERY_CANCELED = "57014"
_API_AFTER_VIEW = (
    "The database became unavailable while the request was finishing; it may have been "
    "applied. Check before you retry."
)
# What Django's handler makes of an exception no view handled: 400 for BadRequest (the
# session save's SessionInterrupted wraps the database error), 500 for anything else.
_ERROR_STATUSES = {400, 500}


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        failed: list[Exception] = []

        def note_failure(execute, sql, params, many, context):
            try:
                return execute(sql, params, many, context)
            except DATABASE_DOWN as exc:
                failed.append(exc)
                raise

        with ExitStack() as stack:
            for conn in connections.all():
                stack.enter_context(conn.execute_wrapper(note_failure))
            response = self.get_response(request)
        failed += getattr(request, "_database_errors", [])
        if failed and response.status_code in _ERROR_STATUSES:
            logger.error(
                "Database unavailable while finishing %s %s (answered %s inside the middleware chain): %s",
                request.method,
                request.path,
                response.status_code,
                failed[-1],
            )
            return _unavailable(request, after_view=True)
        return response

    def process_exception(self, request, exception):
        if not isinstance(exception, DATABASE_DOWN):
            return None
        if _is_timeout(exception):
            logger.error("Statement timeout during %s %s: %s", request.method, request.path, exception)
            return _unavailable(request, after_view=False, too_slow=True)
        logger.error("Database unavailable during %s %s: %s", request.method, request.path, exception)
        return _unavailable(request, after_view=False)


def _note_unhandled(sender, request=None, **kwargs):
    """Django sends this inside its ``except`` for an error no view or middleware handled."""
    exc = sys.exc_info()[1]
    if request is not None and isinstance(exc, DATABASE_DOWN):
        request._database_errors = [*getattr(request, "_database_errors", []), exc]


got_request_exception.connect(_note_unhandled, dispatch_uid="core.middleware.database_unavailable")


def _is_timeout(exc: Exception) -> bool:
    """The driver's error under Django's carries the SQLSTATE (psycopg: ``sqlstate``)."""
    return getattr(exc.__cause__, "sqlstate", None) == QUERY_CANCELED


def _unavailable(request, *, after_view: bool, too_slow: bool = False) -> HttpResponse:
    if too_slow and not after_view:
        api_message, page = _API_TOO_SLOW, _TOO_SLOW
    elif after_view:
        api_message, page = _API_AFTER_VIEW, _AFTER_VIEW
    else:
        api_message, page = _API_IN_VIEW, _IN_VIEW
    if request.path.startswith("/api/"):
        message = api_message
        response: HttpResponse = JsonResponse(
            {"error": {"code": "service_unavailable", "message": message}}, status=503
        )
    else:
        response = HttpResponse(_PAGE.format(page), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
