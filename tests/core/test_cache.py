"""The Redis cache backend keeps one client per connection pool and behaves as Django's."""

import uuid

import pytest
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

from core.cache import RedisCache


@pytest.fixture
def backend():
    cache = RedisCache("redis://127.0.0.1:6379/13", {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})
    yield cache
    client = cache._cache.get_client(write=True)
    for key in client.scan_iter(f"{cache.key_prefix}:*"):
        client.delete(key)


def test_every_call_uses_the_same_client(backend):
    first = backend._cache.get_client(write=True)
    assert backend._cache.get_client() is first
    assert backend._cache.get_client("any", write=True) is first


def test_it_reads_and_writes_as_djangos_backend(backend):
    django_backend = DjangoRedisCache(backend._servers, {"KEY_PREFIX": backend.key_prefix})
    backend.set("answer", ("a", 1, b"body"), 30)
    backend.add("counter", 0, 30)
    assert backend.incr("counter") == 1
    assert django_backend.get("answer") == ("a", 1, b"body")
    assert django_backend.get("counter") == 1
    assert backend.get_many(["answer", "counter"]) == {"answer": ("a", 1, b"body"), "counter": 1}
