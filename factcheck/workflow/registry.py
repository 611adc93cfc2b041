"""The claim state machine as data: which transition goes from where to where, and who may.

The admin draws its buttons from ``TRANSITIONS`` (label, whether a note is asked for),
the engine checks ``permission`` and ``sources``; guards live in ``guards.py``.
"""

from dataclasses import dataclass

from factcheck.models import ClaimState

S = ClaimState
ALL_STATES = frozenset(S.values)
FACT_CHECKER_OR_EDITOR = "a Fact-checker or an Editor"
EDITOR = "an Editor"


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str | None  # None: the state stays what it was (assign, the corrections, comment)
    permission: str  # app_label.codename, held through a role group
    role: str  # who holds it, for "Only an Editor may publish"
    action: str  # what it does, for the same sentence
    needs_note: bool = False
    changes_claim: bool = True  # bumps Claim.version (a comment leaves open forms valid)
    style: str = "default"  # a hint for buttons: default, primary, danger
    help: str = ""

    @property
    def params(self) -> frozenset[str]:
        return PARAMS.get(self.name, frozenset())


def _t(name, label, sources, target, role, action, **kw) -> Transition:
    # A correction is proposed, approved and withdrawn under one permission; the two-person
    # rule (guards.py), not the permission, keeps the proposer from approving it.
    codename = {
        "start_research": "research",
        "approve_correction": "correct",
        "withdraw_correction": "correct",
    }.get(name, name)
    return Transition(
        name, label, frozenset(sources), target, f"factcheck.{codename}_claim", role, action, **kw
    )


_ALL = (
    _t(
        "select",
        "Select for checking",
        [S.CANDIDATE],
        S.SELECTED,
        FACT_CHECKER_OR_EDITOR,
        "select claims",
        style="primary",
        help="Worth checking: put it on the desk.",
    ),
    _t(
        "dismiss",
        "Dismiss",
        [S.CANDIDATE],
        S.DISMISSED,
        FACT_CHECKER_OR_EDITOR,
        "dismiss claims",
        needs_note=True,
        style="danger",
        help="Not worth checking; say why.",
    ),
    _t(
        "reopen",
        "Reopen",
        [S.DISMISSED],
        S.CANDIDATE,
        FACT_CHECKER_OR_EDITOR,
        "reopen claims",
        help="Back to the candidates.",
    ),
    _t(
        "start_research",
        "Start research",
        [S.SELECTED],
        S.RESEARCHING,
        FACT_CHECKER_OR_EDITOR,
        "start research",
        style="primary",
        help="You take it on (assigned to you if nobody is).",
    ),
    _t(
        "submit",
        "Submit for review",
        [S.RESEARCHING],
        S.IN_REVIEW,
        FACT_CHECKER_OR_EDITOR,
        "submit verdicts for review",
        style="primary",
        help="Needs a headline, a rating, a summary of at least a sentence and a source.",
    ),
    _t(
        "request_changes",
        "Request changes",
        [S.IN_REVIEW],
        S.RESEARCHING,
        EDITOR,
        "request changes",
        needs_note=True,
        help="Back to research; say what to change.",
    ),
    _t(
        "approve",
        "Approve",
        [S.IN_REVIEW],
        S.APPROVED,
        EDITOR,
        "approve verdicts",
        style="primary",
        help="Another Editor than the verdict's author.",
    ),
    _t(
        "publish",
        "Publish",
        [S.APPROVED],
        S.PUBLISHED,
        EDITOR,
        "publish",
        style="primary",
        help="Goes out to the public and partners.",
    ),
    _t(
        "correct",
        "Propose a correction",
        [S.PUBLISHED],
        None,
        EDITOR,
        "propose corrections",
        needs_note=True,
        help="A new verdict version with a public correction note; public once another Editor approves it.",
    ),
    _t(
        "approve_correction",
        "Approve the correction",
        [S.PUBLISHED],
        None,
        EDITOR,
        "approve corrections",
        style="primary",
        help="Another Editor than the one who proposed it; goes out to the public and partners.",
    ),
    _t(
        "withdraw_correction",
        "Withdraw the correction",
        [S.PUBLISHED],
        None,
        EDITOR,
        "withdraw corrections",
        needs_note=True,
        style="danger",
        help="Drop the proposed correction; the published verdict stays as it is. Say why.",
    ),
    _t(
        "unpublish",
        "Unpublish",
        [S.PUBLISHED],
        S.IN_REVIEW,
        EDITOR,
        "unpublish fact-checks",
        needs_note=True,
        style="danger",
        help="Withdraw it; say why.",
    ),
    _t(
        "assign",
        "Assign",
        ALL_STATES - {S.DISMISSED},
        None,
        EDITOR,
        "assign claims",
        help="Choose who works on it.",
    ),
    _t(
        "comment",
        "Comment",
        ALL_STATES,
        None,
        "a Reporter, a Fact-checker or an Editor",
        "comment",
        needs_note=True,
        changes_claim=False,
        help="A note in the history.",
    ),
)

TRANSITIONS: dict[str, Transition] = {t.name: t for t in _ALL}

# Keyword parameters a transition accepts besides the note.
PARAMS: dict[str, frozenset[str]] = {
    "assign": frozenset({"assignee"}),
    "correct": frozenset({"rating", "summary", "headline", "body", "sources", "correction_note"}),
}

# Transitions that move the claim along the diagram; they also reset ``state_changed_at``.
STATE_TRANSITIONS = frozenset(n for n, t in TRANSITIONS.items() if n not in {"assign", "comment"})
