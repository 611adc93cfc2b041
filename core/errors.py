"""One error base for refusals a person should read, and the API's one error shape.

A service raises an ``ApplicationError`` subclass with a sentence in ``reason``; the admin
shows it as a message, the API answers it as ``{"error": {"code", "message"}}`` with 400,
and commands print it. Nothing else needs to know the subclass.
"""

from django.db import InterfaceError, OperationalError

# The database went away (a restart, a failover, a killed backend): not a bug of the
# request or task. The middleware answers 503 for it; tasks retry it with back-off.
DATABASE_DOWN = (OperationalError, InterfaceError)


class ApplicationError(Exception):
    """A refused action; ``reason`` is a sentence to show the user as it is."""

    code = "refused"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    """The JSON body of every error under ``/api/``."""
    error: dict[str, object] = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error}
