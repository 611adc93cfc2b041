"""Tasks that could not be queued, counted so whoever caused the write can tell the user.

``editorial`` must not import ``factcheck`` (see DESIGN.md), yet ``import_seeds`` has to say
"12 articles could not be queued". The queueing side (``factcheck.tasks.enqueue_on_commit``)
records each failure here; a command wraps its work in ``track_unqueued()`` and reads the
count afterwards. Outside such a block failures are only logged.
"""

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

_local = threading.local()


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
