"""Which scope a request needs: ``read`` for every safe method, ``submit`` otherwise, unless
the view names its own per method (``required_scopes``)."""

from rest_framework import permissions


def required_scope(request, view) -> str:
    scopes = getattr(view, "required_scopes", {})
    default = "read" if request.method in permissions.SAFE_METHODS else "submit"
    return scopes.get(request.method, default)
