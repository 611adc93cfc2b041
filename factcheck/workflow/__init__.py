"""The claim workflow: states, transitions, guards, who may.

Public interface (the admin, the API, commands and tests use only these names)::

    transition(claim, name, *, user, note="", expected_version=None, **params) -> Claim
    check(claim, name, *, user, note=None, **params) -> str | None   # why not, or None
    available_transitions(claim, user) -> list[Transition]           # .name .label .needs_note
    transition_options(claim, user) -> list[(Transition, reason | None)]  # every one the role has here
    next_step(claim) -> str                                          # who must act next
    TRANSITIONS: dict[str, Transition]
    TransitionNotAllowed (a WorkflowError; ``.reason`` is a sentence for the user)

See ``registry.py`` for the diagram as data and ``guards.py`` for the rules.
"""

from factcheck.workflow.engine import (
    TransitionNotAllowed,
    WorkflowError,
    available_transitions,
    check,
    next_step,
    stale_reason,
    transition,
    transition_options,
)
from factcheck.workflow.guards import display_name
from factcheck.workflow.registry import TRANSITIONS, Transition

__all__ = [
    "TRANSITIONS",
    "Transition",
    "TransitionNotAllowed",
    "WorkflowError",
    "available_transitions",
    "check",
    "display_name",
    "next_step",
    "stale_reason",
    "transition",
    "transition_options",
]
