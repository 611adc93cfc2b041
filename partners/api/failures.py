"""Requests without valid credentials, counted per client address.

DRF authenticates before it throttles, so a request with an unknown key is answered 401
before any throttle runs and guessing keys would never slow down. These requests are
therefore counted here, by the authentication (an unknown, revoked or empty key) and the
permission check (no credentials at all); once an address has used up the
``unauthenticated`` rate (``API_THROTTLE_UNAUTHENTICATED``), every request from it is
answered 429 with ``Retry-After``, before any key is looked at (so a right guess cannot be
told from a wrong one), until the window has passed. Requests with a valid key are not
counted. The address is the one DRF's throttles use (``NUM_PROXIES``, ``API_NUM_PROXIES``).
"""

from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class AddressFailureThrottle(SimpleRateThrottle):
    scope = "unauthenticated"
    cache_format = "throttle_%(scope)s_%(ident)s"

    def __init__(self):
        pass  # the rate is read on each use, so a changed setting applies at once

    @classmethod
    def key_for(cls, request) -> str:
        """The cache key of this address's failures (``partners.api.gate`` reads it ahead)."""
        return cls.cache_format % {"scope": cls.scope, "ident": cls().get_ident(request)}

    def _load(self, request, history: list[float] | None = None) -> bool:
        self.rate = api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
        if self.rate is None:
            return False
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.key_for(request)
        self.now = self.timer()
        if history is None:
            history = self.cache.get(self.key, [])
        self.history = [at for at in history if at > self.now - self.duration]
        return True

    def refuse_if_exhausted(self, request, history: list[float] | None = None) -> None:
        """Raise ``Throttled`` (429, ``Retry-After``) when this address has no failures left;
        ``history``: the failures already read from the cache (else they are read here)."""
        if self._load(request, history) and len(self.history) >= self.num_requests:
            raise exceptions.Throttled(wait=self.wait())

    def record_failure(self, request) -> None:
        if self._load(request):
            self.history.insert(0, self.now)
            self.cache.set(self.key, self.history, self.duration)


def refuse_if_exhausted(request, history: list[float] | None = None) -> None:
    AddressFailureThrottle().refuse_if_exhausted(request, history)


def record_failure(request) -> None:
    AddressFailureThrottle().record_failure(request)
