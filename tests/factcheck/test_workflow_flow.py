"""The whole desk flow through ``transition``, as the admin and the API will drive it."""

import pytest

from factcheck import verdicts, workflow
from factcheck.models import ClaimState, ReviewEvent
from tests.factories import ClaimFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_password_hashing")]


def test_claim_goes_from_candidate_to_published_and_every_step_is_recorded(fact_checker, editor):
    claim = ClaimFactory()
    workflow.transition(claim, "select", user=fact_checker)
    workflow.transition(claim, "start_research", user=fact_checker)
    assert claim.assignee_id == fact_checker.pk
    verdicts.verdict_save(
        claim=claim, user=fact_checker, rating="false", summary="Official figures show it rose to 5.1%."
    )
    verdicts.source_add(claim=claim, user=fact_checker, url="https://stats.example.org/lms")
    workflow.transition(claim, "submit", user=fact_checker)
    workflow.transition(claim, "approve", user=editor)
    claim = workflow.transition(claim, "publish", user=editor)

    assert claim.state == ClaimState.PUBLISHED
    verdict = claim.current_verdict
    assert verdict.published_at is not None and verdict.reviewer == editor
    assert verdict.author == fact_checker
    steps = list(
        ReviewEvent.objects.filter(claim=claim)
        .exclude(transition__in=["verdict_edit", "source_add"])
        .values_list("transition", "from_state", "to_state")
    )
    assert steps == [
        ("select", "candidate", "selected"),
        ("start_research", "selected", "researching"),
        ("submit", "researching", "in_review"),
        ("approve", "in_review", "approved"),
        ("publish", "approved", "published"),
    ]
    assert claim.version == 6
