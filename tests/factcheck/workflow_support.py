"""Shared helpers for the workflow tests: who may take each transition, what it needs."""

from factcheck.workflow import TRANSITIONS
from tests.factories import FactCheckerFactory

FACT_CHECKER_TRANSITIONS = ["select", "dismiss", "reopen", "start_research", "submit"]
EDITOR_TRANSITIONS = ["request_changes", "approve", "publish", "correct", "unpublish", "assign"]
EXPECTED_TARGET = {
    "select": "selected",
    "dismiss": "dismissed",
    "reopen": "candidate",
    "start_research": "researching",
    "submit": "in_review",
    "request_changes": "researching",
    "approve": "approved",
    "publish": "published",
    "unpublish": "in_review",
}


def inputs_for(name: str) -> dict:
    """Keyword arguments that satisfy a transition's input guards (note, assignee, …)."""
    kwargs: dict = {}
    if TRANSITIONS[name].needs_note:
        kwargs["note"] = "Checked with the desk: see the linked release."
    if name == "assign":
        kwargs["assignee"] = FactCheckerFactory()
    return kwargs


def state_cases(names):
    """(transition, starting state) for every allowed starting state of each transition."""
    return [(name, state) for name in names for state in sorted(TRANSITIONS[name].sources)]


def forbidden_cases(names):
    from factcheck.models import ClaimState

    return [
        (name, state)
        for name in names
        for state in ClaimState.values
        if state not in TRANSITIONS[name].sources
    ]
