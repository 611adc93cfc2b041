"""Celery application.

With no broker configured (CELERY_BROKER_URL unset or empty) the settings turn on
``task_always_eager``, so a fresh clone runs every task in-process and needs no other
service. With a broker, run a worker on both queues with
``celery -A config worker -Q celery,matching -l info`` (``CELERY_TASK_ROUTES`` in the
settings sends matching to its own queue; the README shows a worker per queue).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

# Every task queues on commit and survives a broker outage (core.tasks.Task).
app = Celery("factcheck_cms", task_cls="core.tasks:Task")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
