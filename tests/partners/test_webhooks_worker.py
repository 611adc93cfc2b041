"""Webhook retries on a real Celery worker: the back-off is a scheduled task, not a sleep.

The worker reads its settings from the environment when the session-scoped
``celery_worker_process`` fixture starts it (after collection), so this module shortens the
back-off to one second for it.
"""

import json
import os

import pytest

from partners.models import Webhook, WebhookDelivery
from tests.partners.test_webhooks import SECRET, Receiver
from tests.support import wait_for

os.environ.setdefault("WEBHOOK_BACKOFF_SECONDS", "1")
# The worker process reads this from its environment: the receiver listens on 127.0.0.1.
os.environ.setdefault("OUTBOUND_ALLOW_PRIVATE", "1")

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_worker_retries_a_5xx_after_the_backoff(celery_worker_process, partner, publish, settings):
    from partners import tasks

    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    settings.OUTBOUND_ALLOW_PRIVATE = True  # this process saves the hook; the worker has it from env
    receiver = Receiver([503, 200])
    try:
        hook = Webhook.objects.create(partner=partner, url=receiver.url, secret=SECRET)
        claim = publish("Worker webhook claim.")
        tasks.notify_partners.delay("published", claim.pk)
        delivered = wait_for(
            lambda: WebhookDelivery.objects.filter(webhook=hook, succeeded=True).exists(), timeout=60
        )
        assert delivered, celery_worker_process.log_path.read_text()[-3000:]
        rows = list(WebhookDelivery.objects.filter(webhook=hook).order_by("attempt"))
        assert [(r.attempt, r.status_code) for r in rows] == [(1, 503), (2, 200)]
        assert (rows[1].at - rows[0].at).total_seconds() >= 0.9  # waited the back-off
        assert json.loads(receiver.requests[1][1])["fact_check"]["id"] == claim.pk
    finally:
        receiver.close()
