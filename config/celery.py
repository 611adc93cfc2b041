"""Celery application.

With no broker configured (CELERY_BROKER_URL unset or empty) the settings turn on
``task_always_eager``, so a fresh clone runs every task in-process and needs no other
service. With a broker, run a worker with ``celery -A config worker -l info``.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("factcheck_cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
