"""The private members of pinned libraries the project relies on are still what it expects.

``core/broker.py`` subclasses kombu's Redis transport and ``factcheck/bulk.py`` wraps a
server-binding cursor with Django's ``_prepare_cursor``. Neither library promises these, so
an upgrade that renames one or changes its arguments must fail here, before a deployment
(the behaviour itself is tested by ``tests/reliability/test_redis_restart.py`` and
``tests/factcheck/test_bulk.py``).
"""

import inspect

import kombu
import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from kombu.transport import redis
from kombu.transport.virtual.base import Message

from core import broker


def _parameters(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_kombu_is_the_pinned_version_the_broker_patch_was_written_for():
    assert kombu.__version__ == "5.7.0"


@pytest.mark.parametrize(
    ("name", "parameters"),
    [
        ("_connparams", ["self", "asynchronous"]),
        ("_lookup", ["self", "exchange", "routing_key", "default"]),
        ("_get_message_priority", ["self", "message", "reverse"]),
        ("_q_for_pri", ["self", "queue", "pri"]),
        ("_disconnect_pools", ["self"]),
        ("conn_or_acquire", ["self", "client"]),
    ],
)
def test_the_redis_channel_members_the_patch_uses_keep_their_signatures(name, parameters):
    assert _parameters(getattr(redis.Channel, name)) == parameters


@pytest.mark.parametrize(
    ("name", "parameters"),
    [("append", ["self", "message", "delivery_tag"]), ("ack", ["self", "delivery_tag"])],
)
def test_the_redis_qos_members_the_patch_overrides_keep_their_signatures(name, parameters):
    assert _parameters(getattr(redis.QoS, name)) == parameters
    assert _parameters(redis.QoS.reject) == ["self", "delivery_tag", "requeue"]


def test_a_delivered_message_keeps_the_raw_payload_the_patch_requeues():
    payload = {
        "body": "",
        "properties": {
            "delivery_tag": "tag-1",
            "delivery_info": {"exchange": "celery", "routing_key": "celery"},
        },
    }
    message = Message(payload)
    assert message._raw is payload
    assert message.delivery_info == {"exchange": "celery", "routing_key": "celery"}
    assert broker.Transport.Channel.QoS is broker.QoS and issubclass(broker.Channel, redis.Channel)


def test_django_still_prepares_cursors_through_the_private_hook_bulk_uses():
    assert _parameters(BaseDatabaseWrapper._prepare_cursor) == ["self", "cursor"]
    source = inspect.getsource(BaseDatabaseWrapper._cursor)
    assert "self._prepare_cursor(self.create_cursor(name))" in source
