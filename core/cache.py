"""The Redis cache backend (``CACHE_URL``): Django's, keeping one client object per pool.

Django's ``RedisCacheClient.get_client`` builds a new ``redis.Redis`` for every cache call,
and building one (it copies a table of some 170 response callbacks) costs more than the
call itself on a cached API answer. A client is safe to share between threads: it takes a
connection from its pool for each command, so keeping one per pool changes nothing else.
"""

from django.core.cache.backends import redis as django_redis


class SharedClientRedisCacheClient(django_redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients.setdefault(id(pool), self._client(connection_pool=pool))  # type: ignore[attr-defined]
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
