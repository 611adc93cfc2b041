"""What a transition starts after it commits: e-mails here, and ``claim_transitioned`` for the
apps above (webhooks in ``partners``, re-matching in ``coverage``), which queue their own
tasks. The real tasks are recorded as they are queued (``core.tasks.Task.delay_or_note``)."""

import pytest
from django.db import transaction

from factcheck import workflow
from factcheck.models import ReviewEvent
from factcheck.signals import claim_transitioned
from tests.factcheck.workflow_support import (
    EDITOR_TRANSITIONS,
    FACT_CHECKER_TRANSITIONS,
    inputs_for,
    prepare,
    state_cases,
)
from tests.factories import EditorFactory, FactCheckerFactory, claim_in_state

pytestmark = pytest.mark.django_db

MAIL = "factcheck.tasks.send_review_event_email"
WEBHOOKS = "partners.tasks.notify_partners"
REMATCH = "coverage.tasks.rematch_after_publish"


@pytest.mark.parametrize(
    ("name", "state", "expected"),
    [
        ("publish", "approved", [(WEBHOOKS, ("published",)), (REMATCH, ())]),
        ("correct", "published", []),  # a proposal: public once approved
        ("approve_correction", "published", [(WEBHOOKS, ("corrected",)), (REMATCH, ())]),
        ("withdraw_correction", "published", []),
        ("unpublish", "published", [(WEBHOOKS, ("unpublished",)), (REMATCH, ())]),
        ("approve", "in_review", []),
    ],
)
def test_publishing_transitions_queue_webhooks_and_rematching_after_commit(
    name, state, expected, queued, editor, django_capture_on_commit_callbacks
):
    claim = claim_in_state(state, author=FactCheckerFactory())
    prepare(name, claim)
    with django_capture_on_commit_callbacks() as callbacks:
        workflow.transition(claim, name, user=editor, **inputs_for(name))
        assert queued == []  # nothing is queued before the commit
    for callback in callbacks:
        callback()
    others = [(task, args) for task, args in queued if task != MAIL]
    assert sorted(others) == sorted((task, (*args, claim.pk)) for task, args in expected)


def test_the_signal_carries_the_claim_the_transition_and_its_event(editor):
    received = []

    def listen(sender, **kwargs):
        received.append({key: kwargs[key] for key in ("claim_id", "transition", "event_id")})

    claim_transitioned.connect(listen, dispatch_uid="test-listen")
    try:
        claim = claim_in_state("approved", author=FactCheckerFactory())
        workflow.transition(claim, "publish", user=editor)
    finally:
        claim_transitioned.disconnect(dispatch_uid="test-listen")
    event = ReviewEvent.objects.get(claim=claim, transition="publish")
    assert received == [{"claim_id": claim.pk, "transition": "publish", "event_id": event.pk}]


def test_a_rolled_back_transition_queues_nothing(queued, editor, django_capture_on_commit_callbacks):
    claim = claim_in_state("approved", author=FactCheckerFactory())
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        workflow.transition(claim, "publish", user=editor)
        raise RuntimeError("the request failed after the transition")
    assert callbacks == [] and queued == []
    claim.refresh_from_db()
    assert claim.state == "approved"
    assert not claim.events.exists()


def test_a_refused_transition_queues_nothing(queued, fact_checker, django_capture_on_commit_callbacks):
    claim = claim_in_state("approved", author=FactCheckerFactory())
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(workflow.TransitionNotAllowed),
    ):
        workflow.transition(claim, "publish", user=fact_checker)
    assert callbacks == [] and queued == []


# What each transition queues after commit, written out (nothing for the others).
QUEUED = {
    "assign": [MAIL],  # to the new assignee
    "request_changes": [MAIL],  # to the assignee
    "approve": [MAIL],  # to the verdict's author
    "publish": [MAIL, WEBHOOKS, REMATCH],  # the author; partners; index it, re-match open claims
    "approve_correction": [MAIL, WEBHOOKS, REMATCH],  # the proposer; partners; re-index, re-match
    "unpublish": [MAIL, WEBHOOKS, REMATCH],  # REMATCH takes it out of the search index
}


@pytest.mark.parametrize(
    ("name", "state"), state_cases(FACT_CHECKER_TRANSITIONS + EDITOR_TRANSITIONS + ["comment"])
)
def test_each_transition_queues_exactly_its_follow_ups(
    name, state, queued, django_capture_on_commit_callbacks
):
    claim = claim_in_state(state, author=FactCheckerFactory(), assignee=FactCheckerFactory())
    prepare(name, claim)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(claim, name, user=EditorFactory(), **inputs_for(name))
    assert sorted(task for task, _ in queued) == sorted(QUEUED.get(name, []))
