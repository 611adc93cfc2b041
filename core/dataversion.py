"""The data version: one counter in the configured cache, bumped after every write that can
change what the partner API answers (a publish, a correction, an unpublish, an edit of a
public claim, a ClaimReview import, a change of the search index).

Every cached API answer has the version in its key, so a bump makes every earlier answer
unreachable at once: nothing has to be found and deleted, and an answer is never served
from before a write. The bump runs after the write commits; bumping inside the transaction
would let a reader cache the old rows under the new version. Where the counter is lost (a
cache restart, an eviction) the next read starts a fresh one from the clock, which also
differs from every version an earlier answer was stored under.
"""

import time

from django.core.cache import cache
from django.db import transaction

CACHE_KEY = "data-version"


def _fresh() -> int:
    # Microseconds since the epoch: larger than any counter an earlier process could have
    # reached by bumping, so answers stored before a lost counter stay unreachable.
    return time.time_ns() // 1000


def data_version() -> int:
    """The current version (one cache round trip)."""
    version = cache.get(CACHE_KEY)
    if version is None:
        cache.add(CACHE_KEY, _fresh(), timeout=None)
        version = cache.get(CACHE_KEY)
    return int(version)


def _bump() -> None:
    try:
        cache.incr(CACHE_KEY)
    except ValueError:  # no counter yet: any fresh value is newer than every stored answer
        cache.add(CACHE_KEY, _fresh(), timeout=None)


def data_version_bump() -> None:
    """Bump the version once the current transaction commits (at once outside of one)."""
    transaction.on_commit(_bump, robust=True)
