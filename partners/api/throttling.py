"""Rate limits per API key (per user for staff sessions), one bucket per scope.

A key's requests are counted by ``partners.api.gate`` in the round trip that also reads the
key (a fixed window per key, scope and clock period); staff sessions use DRF's sliding log.

Rates come from ``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]`` (``read``, ``submit``; set
through ``API_THROTTLE_READ`` / ``API_THROTTLE_SUBMIT``) and are read on each request, so a
changed setting applies without a restart of the class. With more than one process, point
``CACHE_URL`` at Redis so the workers share the counters.
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from partners.api.authentication import PartnerPrincipal
from partners.api.gate import gate_of
from partners.api.permissions import required_scope


class ApiKeyRateThrottle(SimpleRateThrottle):
    cache_format = "throttle_%(scope)s_%(ident)s"

    def __init__(self):
        pass  # the rate depends on the request's scope; it is resolved in allow_request

    def get_rate(self):
        rates = api_settings.DEFAULT_THROTTLE_RATES
        return rates.get(self.scope)

    def allow_request(self, request, view):
        self.scope = required_scope(request, view)
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        opened = gate_of(request)
        if isinstance(request.user, PartnerPrincipal) and opened is not None and opened.scope == self.scope:
            # Counted already, in the gate's round trip (a fixed window per key and scope).
            self._gate_wait = opened.wait()
            return not opened.throttled
        return super().allow_request(request, view)

    def wait(self):
        if hasattr(self, "_gate_wait"):
            return self._gate_wait
        return super().wait()

    def get_cache_key(self, request, view):
        user = request.user
        if isinstance(user, PartnerPrincipal):
            ident = f"key{request.auth.pk}"
        elif user and user.is_authenticated:
            ident = f"user{user.pk}"
        else:
            return None  # not authenticated: refused before throttling matters
        return self.cache_format % {"scope": self.scope, "ident": ident}
