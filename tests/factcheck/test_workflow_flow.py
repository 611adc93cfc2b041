"""The whole desk flow through ``transition``, as the admin and the API will drive it."""

import pytest

from factcheck import workflow
from factcheck.models import ClaimState, ReviewEvent
from factcheck.services import verdicts
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def test_claim_goes_from_candidate_to_published_and_every_step_is_recorded(fact_checker, editor):
    claim = ClaimFactory()
    workflow.transition(claim, "select", user=fact_checker)
    workflow.transition(claim, "start_research", user=fact_checker)
    assert claim.assignee_id == fact_checker.pk
    verdicts.verdict_save(
        claim=claim,
        user=fact_checker,
        headline="The figures say otherwise",
        rating="false",
        summary="Official figures show it rose to 5.1%.",
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


def test_a_claim_sent_back_corrected_withdrawn_and_republished_keeps_its_whole_history(
    fact_checker, editor, other_editor, django_capture_on_commit_callbacks
):
    from django.core import mail

    claim = ClaimFactory()
    summary = "Official figures show it rose to 5.1%."
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(claim, "select", user=fact_checker)
        workflow.transition(claim, "start_research", user=fact_checker)
        verdict = verdicts.verdict_save(
            claim=claim,
            user=fact_checker,
            headline="The figures say otherwise",
            rating="false",
            summary=summary,
            sources=[{"url": "https://stats.example.org/lms"}],
        )
        workflow.transition(claim, "submit", user=fact_checker)
        workflow.transition(claim, "request_changes", user=editor, note="Cite the March release.")
        verdicts.verdict_save(
            claim=claim,
            user=fact_checker,
            headline="The figures say otherwise",
            rating="false",
            summary=summary,
            expected_revision=verdict.revision,
            sources=[{"url": "https://stats.example.org/lms"}, {"url": "https://stats.example.org/march"}],
        )
        workflow.transition(claim, "submit", user=fact_checker)
        workflow.transition(claim, "approve", user=editor)
        workflow.transition(claim, "publish", user=other_editor)
        workflow.transition(
            claim, "correct", user=editor, note="Rating changed after revision.", rating="mostly_false"
        )
        workflow.transition(claim, "approve_correction", user=other_editor)
        workflow.transition(claim, "unpublish", user=editor, note="Legal review.")
        workflow.transition(claim, "approve", user=other_editor)
        workflow.transition(claim, "publish", user=other_editor)

    claim.refresh_from_db()
    assert claim.state == ClaimState.PUBLISHED
    versions = list(claim.verdicts.order_by("version").values_list("version", "rating", "is_current"))
    assert versions == [(1, "false", False), (2, "mostly_false", True)]
    current = claim.current_verdict
    assert current.sources.count() == 2 and current.published_at is not None
    # The correction's proposer is the editor, so the two-person rule let the other editor
    # approve it and, after the unpublish, publish it again.
    assert current.author == editor and current.reviewer == other_editor
    history = list(claim.events.values_list("transition", flat=True))
    assert history == [
        "select", "start_research", "verdict_edit", "submit", "request_changes", "verdict_edit",
        "submit", "approve", "publish", "correct", "approve_correction", "unpublish", "approve",
        "publish",
    ]  # fmt: skip
    # Who heard about what: the fact-checker (assignee, first author), then the correction's
    # proposer (not about the unpublish: they did it themselves).
    subjects = [(m.to[0].split("@")[0], m.subject.split("] ")[1].split(":")[0]) for m in mail.outbox]
    assert subjects == [
        (fact_checker.username, "Changes requested"),
        (fact_checker.username, "Your verdict was approved"),
        (fact_checker.username, "Your fact-check was published"),
        (editor.username, "Your correction was approved"),
        (editor.username, "Your verdict was approved"),
        (editor.username, "Your fact-check was published"),
    ]
