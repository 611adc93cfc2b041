"""Scopes: ``read`` for every GET, ``submit`` for sending tips. Staff sessions may read."""

from rest_framework import permissions

from partners.api import failures
from partners.api.authentication import PartnerPrincipal
from partners.api.scopes import required_scope


class HasScope(permissions.BasePermission):
    """The view names ``required_scopes`` per method; without them, ``read`` for safe methods."""

    message = "This API key lacks the scope this request needs."

    def has_permission(self, request, view):
        if not hasattr(view, request.method.lower()):
            return True  # the view answers 405 for a method it does not have
        user = request.user
        if isinstance(user, PartnerPrincipal):
            return request.auth.has_scope(required_scope(request, view))
        if not (user and user.is_authenticated):
            failures.record_failure(request)  # no credentials: counts like a wrong key
            return False
        # Staff admin sessions: the browsable API for reading; writes are a partner's.
        return bool(user and user.is_authenticated and user.is_staff) and (
            request.method in permissions.SAFE_METHODS
        )


def partner_of(request):
    """The calling partner, or None for a staff session."""
    user = request.user
    return user.partner if isinstance(user, PartnerPrincipal) else None
