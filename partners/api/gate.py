"""What every API request reads from the cache before its view runs, in one round trip.

1. the caller's key row (with its partner), cached by prefix for ``API_KEY_CACHE_SECONDS``
   and dropped by the services that change keys and partners;
2. the caller's address's failed credential checks (``failures``);
3. the key's request count in the current throttle window: one increment of a counter per
   key, scope and window (a fixed window: ``read`` at 600/min allows 600 requests in each
   clock minute); the counter is keyed by a digest of the whole key as presented, so it is
   counted before the key is looked up, and a request with a key's prefix but a wrong
   secret counts in a bucket of its own, never against that key's quota (wrong secrets are
   the address's failures, item 2);
4. the data version (``core.dataversion``), which every cached answer carries;
5. for a view whose answers are cached (``partners.api.answers``), the cached answer to
   this request, served when it was rendered at the version read in item 4.

On Redis (``CACHE_URL``) the five are one pipeline, one round trip; on other backends (the
in-process cache of development and tests) the same reads and writes run one by one. Staff
sessions are counted by DRF's throttle instead (a round trip more; staff browse by hand).
"""

import hashlib
import time
from dataclasses import dataclass

from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from rest_framework.settings import api_settings

from core.dataversion import CACHE_KEY as DATA_VERSION_KEY
from core.dataversion import data_version
from partners.api.failures import AddressFailureThrottle
from partners.models import ApiKey
from partners.services import API_KEY_CACHE_SECONDS, api_key_by_prefix, api_key_cache_key

THROTTLE_KEY = "throttle-window:%(scope)s:%(counter)s:%(window)d"


@dataclass
class Gate:
    prefix: str | None
    scope: str
    cached_key: ApiKey | None  # the key row from the cache; None when it was not there
    failures: list[float]  # this address's failed checks (times), newest first
    count: int | None  # this key's requests in the window, this one included (None: no key, no rate)
    limit: int | None
    window_ends: float
    now: float
    version: int
    counter: str | None = None  # the throttle bucket's digest of the key as presented
    answer_key: str | None = None
    answer: object = None  # the cached entry under answer_key, as stored (None: none there)

    @property
    def throttled(self) -> bool:
        return self.count is not None and self.limit is not None and self.count > self.limit

    def wait(self) -> float:
        return max(self.window_ends - self.now, 0.001)


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def _rate(scope: str) -> tuple[int, int] | None:
    """(requests, seconds) of the scope's rate, as DRF reads it ("600/min"); read on each
    request, so a changed setting applies at once."""
    rate = api_settings.DEFAULT_THROTTLE_RATES.get(scope)
    if not rate:
        return None
    count, period = rate.split("/")
    return int(count), _PERIODS[period[0]]


def throttle_counter(presented_key: str) -> str:
    """The throttle bucket's name for a key as presented: a digest of all of it (not only
    its public prefix), so only the holder of the secret spends the key's quota."""
    return hashlib.sha256(presented_key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def gate_open(
    request, *, prefix: str | None, scope: str, presented_key: str, answer_key: str | None = None
) -> "Gate":
    """Read (and count) everything above for this request; stored on the Django request.
    ``presented_key`` is the whole key as sent (empty without one); it names the throttle
    bucket whenever there is a prefix to count. ``answer_key``: the cache key of this
    request's answer, when its view caches answers."""
    failure_key = AddressFailureThrottle.key_for(request)
    record_key = api_key_cache_key(prefix) if prefix else None
    now = time.time()
    rate = _rate(scope) if prefix else None
    bucket = counter = None
    if rate is not None:
        window = int(now // rate[1])
        counter = throttle_counter(presented_key)
        bucket = THROTTLE_KEY % {"scope": scope, "counter": counter, "window": window}
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        record, failures, count, version, answer = _redis_round_trip(
            backend, record_key, failure_key, bucket, rate, answer_key
        )
    else:
        record, failures, count, version, answer = _one_by_one(
            record_key, failure_key, bucket, rate, answer_key
        )
    if version is None:
        version = data_version()
    gate = Gate(
        prefix=prefix,
        scope=scope,
        cached_key=record if isinstance(record, ApiKey) else None,
        failures=failures if isinstance(failures, list) else [],
        count=count,
        limit=rate[0] if rate else None,
        window_ends=(int(now // rate[1]) + 1) * rate[1] if rate else now,
        now=now,
        version=int(version),
        counter=counter,
        answer_key=answer_key,
        answer=answer,
    )
    request._request.api_gate = gate
    return gate


def _one_by_one(record_key, failure_key, bucket, rate, answer_key):
    wanted = [k for k in (record_key, failure_key, DATA_VERSION_KEY, answer_key) if k]
    values = cache.get_many(wanted)
    count = None
    if bucket is not None:
        cache.add(bucket, 0, timeout=rate[1] + 1)
        count = cache.incr(bucket)
    record = values.get(record_key) if record_key else None
    answer = values.get(answer_key) if answer_key else None
    return record, values.get(failure_key), count, values.get(DATA_VERSION_KEY), answer


def _redis_round_trip(backend: RedisCache, record_key, failure_key, bucket, rate, answer_key):
    # Django's Redis backend with its own key names and value encoding (ints raw, anything
    # else pickled), so these entries are the ones cache.get/set/incr read and write.
    client = backend._cache.get_client(write=True)
    loads = backend._cache._serializer.loads
    pipe = client.pipeline(transaction=False)
    pipe.get(backend.make_and_validate_key(record_key) if record_key else "-")
    pipe.get(backend.make_and_validate_key(failure_key))
    pipe.get(backend.make_and_validate_key(DATA_VERSION_KEY))
    pipe.get(backend.make_and_validate_key(answer_key) if answer_key else "-")
    if bucket is not None:
        raw_bucket = backend.make_and_validate_key(bucket)
        pipe.set(raw_bucket, 0, ex=rate[1] + 1, nx=True)
        pipe.incr(raw_bucket)
    results = pipe.execute()
    record = loads(results[0]) if record_key and results[0] is not None else None
    failures = loads(results[1]) if results[1] is not None else None
    version = loads(results[2]) if results[2] is not None else None
    answer = loads(results[3]) if answer_key and results[3] is not None else None
    count = int(results[5]) if bucket is not None else None
    return record, failures, count, version, answer


def gate_of(request) -> "Gate | None":
    """The gate this request opened, if it did (key requests and anonymous ones do)."""
    return getattr(getattr(request, "_request", request), "api_gate", None)


def gate_key(gate: Gate) -> ApiKey | None:
    """The key row for the gate's prefix: the cached one, or from the database (then cached)."""
    if gate.cached_key is not None:
        return gate.cached_key
    if gate.prefix is None:
        return None
    key = api_key_by_prefix(prefix=gate.prefix)
    if key is not None:
        key_remember(key)
    return key


def key_remember(key: ApiKey) -> None:
    cache.set(api_key_cache_key(key.prefix), key, timeout=API_KEY_CACHE_SECONDS)
