"""Queueing Celery tasks from a write: after commit, and never failing the write.

Every task of the project has ``Task`` as its base (``config/celery.py``). A service calls
``some_task.delay_on_commit(ids)``: the message goes out once the transaction commits, so a
worker never sees uncommitted rows. If the broker is down the write still stands: the
failure is logged, counted for ``track_unqueued`` (so a command can tell the user "12
articles could not be queued") and the periodic sweeps (``requeue``) queue the work later.
"""

import logging
import threading
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from celery import current_app
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from django.db.models import QuerySet
from kombu.exceptions import OperationalError as BrokerError

logger = logging.getLogger(__name__)

# After a publish failed, skip the broker for this long: each try costs the publish retry
# policy's wait, so an import of 500 articles would otherwise take minutes to fail.
BROKER_DOWN_SKIP_SECONDS = 10.0
_broker_down_until = 0.0
_local = threading.local()


class Task(DjangoTask):
    """Celery's Django task, whose ``delay_on_commit`` survives a broker outage."""

    def delay_on_commit(self, *args, **kwargs) -> None:
        """Queue after the current transaction commits (at once outside one); never raises."""
        transaction.on_commit(lambda: self.delay_or_note(*args, **kwargs))

    def delay_or_note(self, *args, **kwargs) -> bool:
        """``delay`` now; on a broker error log it, count it and return False."""
        global _broker_down_until
        if time.monotonic() < _broker_down_until:
            record_unqueued(self.name)
            logger.info("Broker marked down, %s%r not queued (the sweep will retry)", self.name, args)
            return False
        try:
            self.delay(*args, **kwargs)
        except BrokerError as exc:
            _broker_down_until = time.monotonic() + BROKER_DOWN_SKIP_SECONDS
            record_unqueued(self.name)
            logger.warning(
                "Broker unavailable, %s%r not queued (the sweep will retry): %s", self.name, args, exc
            )
            return False
        return True


@contextmanager
def track_unqueued() -> Iterator[Counter]:
    """Count, per task name, the tasks this thread fails to queue inside the block."""
    previous = getattr(_local, "counter", None)
    counter: Counter = Counter()
    _local.counter = counter
    try:
        yield counter
    finally:
        _local.counter = previous


def record_unqueued(task_name: str) -> None:
    counter = getattr(_local, "counter", None)
    if counter is not None:
        counter[task_name] += 1


# --- the periodic sweeps: re-queue work whose task was lost -----------------------------


@dataclass(frozen=True)
class SweepResult:
    found: int
    queued: int
    failed: int
    backlog: int | None = None  # messages waiting in the queue; the sweep skips a long one


def task_queue(task_name: str) -> str:
    """The queue a task is published to, as the configured routes decide."""
    return current_app.amqp.router.route({}, task_name)["queue"].name


def queue_backlog(queue: str | None = None) -> int | None:
    """Messages waiting in ``queue`` (default: the default queue), or None when the broker cannot say."""
    app = current_app
    try:
        with app.connection_for_read() as conn:
            declared = conn.default_channel.queue_declare(
                queue=queue or app.conf.task_default_queue, passive=True
            )
            return declared.message_count
    except Exception:  # noqa: BLE001 - unknown means "do not skip"; a dead broker fails later
        return None


def requeue(
    task,
    ids: Sequence[int] | QuerySet[Any, int],
    *,
    limit: int,
    what: str,
    batch: int | None = None,
    kwargs: dict[str, Any] | None = None,
) -> SweepResult:
    """Queue ``task`` for up to ``limit`` of ``ids``: a message per id, or with ``batch`` a
    message per ``batch`` ids (a list), so no one task holds a worker for long. ``kwargs``
    go with every message.

    Skipped while more than ``limit`` messages wait in the task's queue: workers are behind,
    the pending work is most likely still queued, and re-queuing it would only add duplicate
    work. Stops at the first broker error; the next sweep retries.
    """
    backlog = queue_backlog(task_queue(task.name))
    if backlog is not None and backlog > limit:
        logger.info("Sweep of %s skipped: %d messages already wait in the queue", what, backlog)
        return SweepResult(found=0, queued=0, failed=0, backlog=backlog)
    ids = list(ids[:limit])
    # (the task's argument, how many items it covers)
    messages: list[tuple[int | list[int], int]] = (
        [(pk, 1) for pk in ids]
        if batch is None
        else [
            (ids[start : start + batch], len(ids[start : start + batch]))
            for start in range(0, len(ids), batch)
        ]
    )
    queued = 0
    for argument, items in messages:
        try:
            task.delay(argument, **(kwargs or {}))
        except BrokerError as exc:
            logger.warning(
                "Sweep of %s stopped, broker unavailable after %d of %d: %s", what, queued, len(ids), exc
            )
            return SweepResult(found=len(ids), queued=queued, failed=len(ids) - queued, backlog=backlog)
        queued += items
    if ids:
        logger.info("Sweep re-queued %s of %d item(s)", what, queued)
    return SweepResult(found=len(ids), queued=queued, failed=0, backlog=backlog)
