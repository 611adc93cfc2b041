"""kombu's Redis transport, fixed for a worker that sees Redis crash under it.

Two faults of kombu 5.7's Redis transport, found by the Redis crash test
(tests/reliability/test_redis_restart.py), which failed in three of four CI runs:

1. When a worker loses Redis, Celery closes the broken connection, which clears the
   transport's ``client``, and only then closes the consuming channel; that channel, to
   put back the messages it had delivered, builds a new connection pool from
   ``transport.client``: ``AttributeError: 'NoneType' object has no attribute 'hostname'``
   (``_connparams``). The same happens to the ack of every task that finishes after the
   reconnect (its message belongs to the old channel). It is not a connection error, so
   nothing handles it: the worker logs "Unrecoverable error" and stops consuming.

   With Redis, an ack is ZREM/HDEL of the delivery tag in the ``unacked`` index and hash
   that every connection shares, so any connection can do it. This channel keeps the
   parameters it was opened with and uses them once detached, through a pool it closes
   again after each ack. If Redis is still down, that is a connection error, which Celery
   logs ("Couldn't ack"): the message stays unacknowledged and is redelivered after the
   visibility timeout (every task is idempotent). A detached channel does not requeue a
   rejected message itself (it has lost its exchange table, and kombu would drop the
   message from ``unacked`` without requeuing it): it leaves it to that same redelivery.

2. BRPOP removes a message from its queue (with AOF ``appendfsync always``, on disk before
   the reply), and kombu records it as unacknowledged with a second command. If Redis dies
   in between, kombu drops the only copy with the connection (the crash test lost 1 of 200
   this way). This QoS keeps such a message and the next channel this process opens puts
   it back at the front of its queue. If the second command did reach Redis, the message
   also comes back from ``unacked``: a duplicate run, which is harmless.

   Not covered, and not coverable by a client: Redis writing the pop to the AOF and dying
   before it sends the reply. The message is then nowhere; the periodic sweep
   (``sweep_unextracted`` / ``sweep_unmatched``, celery beat) re-queues its work.

Selected by ``CELERY_BROKER_TRANSPORT`` in the settings for redis:// URLs.

Private kombu members, pinned to kombu 5.7.0 (``requirements.txt``): this overrides
``Channel._connparams`` and calls ``Channel._lookup``, ``_get_message_priority``,
``_q_for_pri`` and ``_disconnect_pools`` and ``Message._raw``; kombu has no public hook for
either fault (its Redis transport builds pools from ``transport.client`` and records
unacknowledged messages after BRPOP, ``kombu/transport/redis.py``). ``tests/core/
test_private_apis.py`` fails when an upgrade renames them or changes their signatures, and
``tests/reliability/test_redis_restart.py`` when the behaviour itself changes.
"""

import logging

from kombu.transport import redis, virtual
from kombu.utils.json import dumps

logger = logging.getLogger(__name__)


# Messages this process took from Redis but could not record as unacknowledged; put back
# where BRPOP takes the next message by the next channel that connects (Channel.__init__).
_orphans: list[tuple[dict, str, str]] = []


class QoS(redis.QoS):
    def append(self, message, delivery_tag):
        try:
            super().append(message, delivery_tag)
        except self.channel.connection_errors:
            # BRPOP took the message out of its queue (with AOF, on disk before the reply)
            # and Redis went away before it was recorded as unacknowledged: this process
            # holds the only copy. kombu drops it with the connection; keep it to re-queue.
            delivery = message.delivery_info
            _orphans.append((message._raw, delivery["exchange"], delivery["routing_key"]))
            raise

    def ack(self, delivery_tag):
        if not self.channel.detached:
            return super().ack(delivery_tag)
        try:
            super().ack(delivery_tag)
        finally:
            self.channel._disconnect_pools()  # the pool this ack opened

    def reject(self, delivery_tag, requeue=False):
        if not self.channel.detached:
            return super().reject(delivery_tag, requeue=requeue)
        if not requeue:
            return self.ack(delivery_tag)
        logger.warning(
            "Message %s rejected after its broker connection closed: left unacknowledged, "
            "Redis redelivers it after the visibility timeout",
            delivery_tag,
        )
        virtual.QoS.ack(self, delivery_tag)  # forget it here only


class Channel(redis.Channel):
    QoS = QoS
    _opened_with = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._opened_with = self._connparams()
        self._requeue_orphans()

    def _requeue_orphans(self):
        while _orphans:
            payload, exchange, routing_key = _orphans[0]
            # The app binds each queue under its own name, so the routing key names it if
            # the exchange's bindings are gone too (a restart without persistence).
            queues = self._lookup(exchange, routing_key) if exchange else []
            priority = self._get_message_priority(payload, reverse=False)
            with self.conn_or_acquire() as client:  # a connection error keeps it for later
                for queue in queues or [routing_key]:
                    client.rpush(self._q_for_pri(queue, priority), dumps(payload))  # BRPOP's end
            _orphans.pop(0)
            logger.warning(
                "Re-queued message %s on %s: Redis failed after handing it over, before "
                "it was recorded as unacknowledged",
                payload.get("properties", {}).get("delivery_tag"),
                queues or [routing_key],
            )

    @property
    def detached(self) -> bool:
        """Closed, or its transport closed: kombu can no longer build a pool for it."""
        return self.closed or self.connection is None or self.connection.client is None

    def _connparams(self, asynchronous=False):
        if self._opened_with is not None and self.detached:
            # The async parameters differ only by a connection class bound to the poller,
            # which a detached channel has left.
            return dict(self._opened_with)
        return super()._connparams(asynchronous=asynchronous)


class Transport(redis.Transport):
    Channel = Channel
