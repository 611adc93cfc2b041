"""Two editors at once on PostgreSQL: exactly one wins, exactly one event row, nothing lost.

Each contender is a real thread with its own database connection. To make the race real
rather than lucky, the test holds the claim's row lock itself, starts both contenders,
waits until PostgreSQL shows both blocked on that lock, and only then lets go.
"""

import pytest
from django.db import connection, transaction

from factcheck import workflow
from factcheck.models import Claim, ReviewEvent
from factcheck.services.verdicts import VerdictEditRefused, verdict_save
from factcheck.workflow import TransitionNotAllowed, WorkflowError
from tests.factories import EditorFactory, FactCheckerFactory, claim_in_state
from tests.support import contender, pg_lock_waiters, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]
ROUNDS = 3


def _activity() -> list:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid, state, wait_event_type, wait_event, left(query, 80) FROM pg_stat_activity"
            " WHERE datname = current_database()"
        )
        return cursor.fetchall()


def _race(claim_id: int, attempts: list) -> list:
    """Run each ``attempt(claim)`` in its own thread while this connection holds the row lock."""
    made = [
        contender(lambda attempt=attempt: attempt(Claim.objects.get(pk=claim_id))) for attempt in attempts
    ]
    threads = [thread for thread, _ in made]
    try:
        with transaction.atomic():
            Claim.objects.select_for_update().get(pk=claim_id)
            for thread in threads:
                thread.start()
            queued = wait_for(lambda: pg_lock_waiters() >= len(attempts), timeout=30, interval=0.02)
            assert queued, f"contenders never queued on the lock: {_activity()}"
    finally:
        # Even on failure: no thread may outlive the test (the flush would deadlock with it).
        for thread in threads:
            if thread.is_alive() or thread.ident:
                thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return [outcome[0] if outcome else None for _, outcome in made]


@pytest.mark.parametrize(
    ("name", "state", "target"), [("publish", "approved", "published"), ("approve", "in_review", "approved")]
)
@pytest.mark.parametrize("with_version", [False, True])
def test_two_editors_at_once_one_wins_and_one_event_is_written(name, state, target, with_version):
    author = FactCheckerFactory()
    first, second = EditorFactory(), EditorFactory()
    for _ in range(ROUNDS):
        claim = claim_in_state(state, author=author)
        version = claim.version if with_version else None
        outcomes = _race(
            claim.pk,
            [
                lambda c, who=who, version=version: workflow.transition(
                    c, name, user=who, expected_version=version
                )
                for who in (first, second)
            ],
        )

        winners = [o for o in outcomes if isinstance(o, Claim)]
        losers = [o for o in outcomes if isinstance(o, TransitionNotAllowed)]
        assert (len(winners), len(losers)) == (1, 1), outcomes
        if with_version:
            assert "was changed by another editor at" in losers[0].reason
        else:
            assert "is not possible while the claim is" in losers[0].reason
        claim.refresh_from_db()
        assert (claim.state, claim.version) == (target, 2)
        assert ReviewEvent.objects.filter(claim=claim, transition=name).count() == 1


def test_two_verdict_saves_from_the_same_revision_one_is_refused():
    fact_checker, editor = FactCheckerFactory(), EditorFactory()
    claim = claim_in_state("researching", author=fact_checker)
    summary = "Official statistics show unemployment rose to 5.1% in March."
    outcomes = _race(
        claim.pk,
        [
            lambda c, who=who, rating=rating: verdict_save(
                claim=c, user=who, rating=rating, summary=summary, expected_revision=1
            )
            for who, rating in ((fact_checker, "mostly_false"), (editor, "half_true"))
        ],
    )
    saved = [o for o in outcomes if not isinstance(o, WorkflowError)]
    refused = [o for o in outcomes if isinstance(o, VerdictEditRefused)]
    assert (len(saved), len(refused)) == (1, 1), outcomes
    verdict = claim.current_verdict
    assert (verdict.revision, verdict.rating) == (2, saved[0].rating)
