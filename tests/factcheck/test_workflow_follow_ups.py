"""Work a transition queues for after commit: e-mails, webhooks, re-matching.

Webhook delivery and re-matching belong to other parts of the project; the workflow looks
them up by name on ``factcheck.tasks``. Here a recording task stands in for them, and a
separate test checks that the real ones, once they exist, accept the arguments passed.
"""

import inspect

import pytest
from celery import shared_task
from django.core import mail
from django.db import transaction

from factcheck import tasks, workflow
from factcheck.workflow import effects
from tests.factcheck.workflow_support import (
    EDITOR_TRANSITIONS,
    FACT_CHECKER_TRANSITIONS,
    inputs_for,
    state_cases,
)
from tests.factories import FactCheckerFactory, claim_in_state

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]
RECORDED: list[tuple] = []


@shared_task(name="tests.record_follow_up")
def record_follow_up(*args):
    RECORDED.append(args)


@pytest.fixture
def recorded(monkeypatch):
    RECORDED.clear()
    monkeypatch.setattr(tasks, effects.WEBHOOK_TASK, record_follow_up, raising=False)
    monkeypatch.setattr(tasks, effects.REMATCH_TASK, record_follow_up, raising=False)
    return RECORDED


@pytest.mark.parametrize(
    ("name", "state", "expected"),
    [
        ("publish", "approved", [("webhook", "published"), ("rematch",)]),
        ("correct", "published", [("webhook", "corrected"), ("rematch",)]),
        ("unpublish", "published", [("webhook", "unpublished"), ("rematch",)]),
        ("approve", "in_review", []),
    ],
)
def test_publishing_transitions_queue_webhooks_and_rematching_after_commit(
    name, state, expected, recorded, editor, django_capture_on_commit_callbacks
):
    claim = claim_in_state(state, author=FactCheckerFactory())
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.transition(claim, name, user=editor, **inputs_for(name))
        assert recorded == []  # nothing runs before the commit

    for callback in callbacks:
        callback()

    wanted = [(kind[1], claim.pk) if kind[0] == "webhook" else (claim.pk,) for kind in expected]
    assert recorded == wanted


def test_without_webhook_or_rematch_tasks_the_workflow_still_works(
    monkeypatch, editor, django_capture_on_commit_callbacks
):
    monkeypatch.delattr(tasks, effects.WEBHOOK_TASK, raising=False)
    monkeypatch.delattr(tasks, effects.REMATCH_TASK, raising=False)
    claim = claim_in_state("approved", author=FactCheckerFactory())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        workflow.transition(claim, "publish", user=editor)
    assert len(callbacks) == 1  # the e-mail to the verdict's author only
    assert len(mail.outbox) == 1


def test_a_rolled_back_transition_queues_nothing(recorded, editor, django_capture_on_commit_callbacks):
    claim = claim_in_state("approved", author=FactCheckerFactory())
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow.transition(claim, "publish", user=editor)
        raise RuntimeError("the request failed after the transition")
    assert callbacks == [] and recorded == [] and mail.outbox == []
    claim.refresh_from_db()
    assert claim.state == "approved"
    assert not claim.events.exists()


def test_a_refused_transition_queues_nothing(recorded, fact_checker, django_capture_on_commit_callbacks):
    claim = claim_in_state("approved", author=FactCheckerFactory())
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(workflow.TransitionNotAllowed),
    ):
        workflow.transition(claim, "publish", user=fact_checker)
    assert callbacks == [] and recorded == []


@pytest.mark.parametrize(
    ("name", "args"),
    [(effects.WEBHOOK_TASK, ("published", 1)), (effects.REMATCH_TASK, (1,))],
)
def test_follow_up_tasks_that_exist_accept_the_arguments_the_workflow_passes(name, args):
    task = getattr(tasks, name, None)
    if task is None:
        return  # not built yet: the workflow skips it (test above)
    inspect.signature(task.run).bind(*args)


QUEUED = {
    "assign": 1,  # e-mail to the new assignee
    "request_changes": 1,  # e-mail to the assignee
    "approve": 1,  # e-mail to the verdict's author
    "publish": 3,  # webhooks, re-matching, e-mail to the author
    "correct": 2,  # webhooks, re-matching
    "unpublish": 3,  # webhooks, removal from the search index, e-mail to the author
}


@pytest.mark.parametrize(
    ("name", "state"), state_cases(FACT_CHECKER_TRANSITIONS + EDITOR_TRANSITIONS + ["comment"])
)
def test_each_transition_queues_exactly_its_follow_ups(
    name, state, recorded, django_capture_on_commit_callbacks
):
    from tests.factories import EditorFactory

    claim = claim_in_state(state, author=FactCheckerFactory(), assignee=FactCheckerFactory())
    user = EditorFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.transition(claim, name, user=user, **inputs_for(name))
    assert len(callbacks) == QUEUED.get(name, 0)
