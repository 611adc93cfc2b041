"""On real services: a committed transition's follow-ups run in a real Celery worker.

The worker shares the test database; its e-mail backend is the console one, so the
message lands in the worker's log, and ``ReviewEvent.notified_at`` shows it was sent.
"""

import pytest

from factcheck import workflow
from factcheck.models import ReviewEvent
from tests.factories import EditorFactory, FactCheckerFactory, claim_in_state
from tests.support import wait_for

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]


def test_publish_mails_the_author_and_runs_follow_ups_in_the_worker(celery_worker_process, settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    author = FactCheckerFactory(email="author@example.org")
    claim = claim_in_state("approved", author=author, text="Bus fares doubled in 2024, the council said.")

    workflow.transition(claim, "publish", user=EditorFactory())  # autocommit: queued at once

    event = ReviewEvent.objects.get(claim=claim, transition="publish")
    log = celery_worker_process.log_path
    assert wait_for(
        lambda: ReviewEvent.objects.filter(pk=event.pk, notified_at__isnull=False).exists(), timeout=60
    ), log.read_text()
    assert wait_for(
        lambda: "Your fact-check was published: Bus fares doubled" in log.read_text(), timeout=60
    ), log.read_text()
    text = log.read_text()
    assert "To: author@example.org" in text
    # This app's e-mail, and the tasks the other apps queue on claim_transitioned.
    for task in (
        "factcheck.tasks.send_review_event_email",
        "coverage.tasks.rematch_after_publish",
        "partners.tasks.notify_partners",
    ):
        assert wait_for(lambda task=task: f"{task}[" in log.read_text(), timeout=60), task
