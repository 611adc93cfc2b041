"""Who is calling: a partner's API key, or a staff member's admin session.

Anything else counts as no credentials, so DRF answers 401 (the first class below names
the ``Api-Key`` scheme in ``WWW-Authenticate``); 403 is left for a valid key without the
needed scope. Failed key checks count against the caller's address (``failures``), and
an address past its limit gets 429 before its key is looked at.
"""

import hmac

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from partners import services
from partners.api import answers, failures, gate
from partners.api.scopes import required_scope

SCHEME = "Api-Key"


class PartnerPrincipal:
    """``request.user`` for a key: the partner, never a Django user (so no e-mail, no staff)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None

    def __init__(self, api_key):
        self.api_key = api_key
        self.partner = api_key.partner

    def __str__(self) -> str:
        return f"partner:{self.partner.name}"


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """``Authorization: Api-Key <key>``; a present but unusable key is 401, never ignored."""

    def authenticate(self, request):
        # The first authenticator of every API view, so this runs before any credential check:
        # the gate reads the key row, the address's failures, the key's throttle count, the
        # data version and the cached answer (of a view that caches) in one cache round trip.
        header = authentication.get_authorization_header(request).decode("latin-1")
        scheme, _, value = header.partition(" ")
        is_key = scheme.lower() == SCHEME.lower()
        value = value.strip()
        parts = services.api_key_split(value) if is_key else None
        view = (request.parser_context or {}).get("view")
        scope = required_scope(request, view) if view is not None else "read"
        opened = gate.gate_open(
            request,
            prefix=parts[0] if parts else None,
            scope=scope,
            presented_key=value if parts else "",
            answer_key=answers.answer_key_for(request, view) if parts and view is not None else None,
        )
        failures.refuse_if_exhausted(request, opened.failures)
        if not is_key:
            return None
        if not value:
            failures.record_failure(request)
            raise exceptions.AuthenticationFailed("The Api-Key header carries no key.")
        api_key = gate.gate_key(opened) if parts else None
        if parts is None or not _accepts(api_key, parts[1], opened.counter):
            failures.record_failure(request)
            raise exceptions.AuthenticationFailed("Unknown, revoked or inactive API key.")
        if services.api_key_touch(api_key=api_key):
            gate.key_remember(api_key)
        return PartnerPrincipal(api_key), api_key

    def authenticate_header(self, request):
        return f'{SCHEME} realm="api"'


# Key strings this process has checked: the stored hash a key string matched -> the digest
# of that string the gate computes anyway (its throttle bucket). A request presenting the
# same string again is accepted on that digest (compared in constant time) without hashing
# the secret with the key's salt once more; a changed hash (a new secret) is checked afresh,
# and liveness (revoked, partner inactive) is checked on every request.
_CHECKED_MAX = 4096
_checked: dict[str, str] = {}


def _accepts(api_key, secret: str, digest: str | None) -> bool:
    if api_key is None:
        return False
    known = _checked.get(api_key.hashed_secret)
    if digest is not None and known is not None and hmac.compare_digest(known, digest):
        return services.api_key_live(api_key=api_key)
    if not services.api_key_accepts(api_key=api_key, secret=secret):
        return False
    if digest is not None:
        if len(_checked) >= _CHECKED_MAX:
            _checked.clear()
        _checked[api_key.hashed_secret] = digest
    return True


class StaffSessionAuthentication(authentication.SessionAuthentication):
    """The admin session of an active staff user (CSRF-checked); other sessions count as none."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, auth = result
        if not (user.is_active and user.is_staff):
            return None
        return user, auth


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = ApiKeyAuthentication
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Send `Authorization: Api-Key <key>`. Keys are issued by the desk.",
        }


class StaffSessionScheme(OpenApiAuthenticationExtension):
    target_class = StaffSessionAuthentication
    name = "StaffSession"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
