"""Shared helpers for the workflow tests: the transition table, who may take each, what it needs.

The table is written out from the claim workflow diagram (DESIGN.md), not read from
``factcheck.workflow.TRANSITIONS``, so a change to the registry has to agree with it.
"""

from factcheck import workflow
from tests.factories import EditorFactory, FactCheckerFactory

STATES = ["candidate", "dismissed", "selected", "researching", "in_review", "approved", "published"]
# transition -> (the states it starts from, the state it leads to; None: stays where it is)
TABLE: dict[str, tuple[set[str], str | None]] = {
    "select": ({"candidate"}, "selected"),
    "dismiss": ({"candidate"}, "dismissed"),
    "reopen": ({"dismissed"}, "candidate"),
    "start_research": ({"selected"}, "researching"),
    "submit": ({"researching"}, "in_review"),
    "request_changes": ({"in_review"}, "researching"),
    "approve": ({"in_review"}, "approved"),
    "publish": ({"approved"}, "published"),
    "correct": ({"published"}, None),
    "approve_correction": ({"published"}, None),
    "withdraw_correction": ({"published"}, None),
    "unpublish": ({"published"}, "in_review"),
    "assign": (set(STATES) - {"dismissed"}, None),
    "comment": (set(STATES), None),
}
NEEDS_NOTE = {"dismiss", "request_changes", "correct", "withdraw_correction", "unpublish", "comment"}

FACT_CHECKER_TRANSITIONS = ["select", "dismiss", "reopen", "start_research", "submit"]
EDITOR_TRANSITIONS = [
    "request_changes",
    "approve",
    "publish",
    "correct",
    "approve_correction",
    "withdraw_correction",
    "unpublish",
    "assign",
]
# Transitions that act on a proposed correction: ``prepare`` makes one first.
ON_A_PROPOSAL = {"approve_correction", "withdraw_correction"}
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
    if name in NEEDS_NOTE:
        kwargs["note"] = "Checked with the desk: see the linked release."
    if name == "assign":
        kwargs["assignee"] = FactCheckerFactory()
    return kwargs


def prepare(name: str, claim) -> None:
    """What a transition needs on the claim besides its state: a correction proposed by another Editor."""
    if name in ON_A_PROPOSAL:
        workflow.transition(claim, "correct", user=EditorFactory(), note="The figure was revised.")


def state_cases(names):
    """(transition, starting state) for every allowed starting state of each transition."""
    return [(name, state) for name in names for state in sorted(TABLE[name][0])]


def forbidden_cases(names):
    return [(name, state) for name in names for state in STATES if state not in TABLE[name][0]]
