"""Celery application.

With no broker configured (CELERY_BROKER_URL unset or empty) the settings turn on
``task_always_eager``, so a fresh clone runs every task in-process and needs no other
service. With a broker, run a worker on both queues with
``celery -A config worker -Q celery,matching,embedding -l info`` (``CELERY_TASK_ROUTES`` in the
settings sends matching to its own queue; the README shows a worker per queue).
"""

import os

from celery import Celery
from celery.signals import worker_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Every task queues on commit and survives a broker outage (core.tasks.Task).
app = Celery("factcheck_cms", task_cls="core.tasks:Task")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_init.connect
def statement_timeout_clear(**kwargs) -> None:
    """A worker runs without the web's statement timeout (``DB_STATEMENT_TIMEOUT_MS``): its
    import, embedding and re-matching batches may rightly run a statement for longer. The
    option is read at each connect; clearing it in the main process before the pool forks
    (and closing a connection opened before) binds every connection of the worker."""
    from django.conf import settings
    from django.db import connections

    for alias in settings.DATABASES:
        options = settings.DATABASES[alias].get("OPTIONS", {})
        if "statement_timeout" in options.get("options", ""):
            del options["options"]
    connections.close_all()
