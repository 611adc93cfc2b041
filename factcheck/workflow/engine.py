"""The one entry point that changes a claim's state: ``transition``.

The admin, the API, commands and tests all call it, so the rules hold whatever the door
(see wagtail's ``actions/base.py`` for the same idea).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.errors import ApplicationError
from factcheck.models import Claim, ClaimState, ReviewEvent
from factcheck.services.feed import feed_changed, feed_values
from factcheck.workflow import effects
from factcheck.workflow.guards import CLAIM_GUARDS, INPUT_GUARDS, Facts, note_given
from factcheck.workflow.registry import STATE_TRANSITIONS, TRANSITIONS, Transition


class WorkflowError(ApplicationError):
    """A refused change of a claim or its verdict; ``reason`` is a sentence for the user."""


class TransitionNotAllowed(WorkflowError):
    def __init__(self, reason: str, *, transition: str = ""):
        super().__init__(reason)
        self.transition = transition


def _state_label(state: str) -> str:
    return ClaimState(state).label if state in ClaimState.values else state


def stale_reason(row, what: str = "claim") -> str:
    """The one sentence for an edit based on a stale page: ``row`` is what changed meanwhile."""
    changed = getattr(row, "updated_at", None)
    when = f" at {timezone.localtime(changed):%H:%M}" if changed else ""
    return f"This {what} was changed by another editor{when}; reload and try again."


def _refusal(spec: Transition, facts: Facts) -> str | None:
    """State, permission, then the guards that need no input: the order a user would ask."""
    user, claim = facts.user, facts.claim
    if user is None or not getattr(user, "is_authenticated", False):
        return f"Sign in to {spec.action}."
    if not user.is_active:
        return "Your account is inactive."
    if claim.state not in spec.sources:
        allowed = " or ".join(sorted(_state_label(s) for s in spec.sources))
        return f"“{spec.label}” is not possible while the claim is {_state_label(claim.state)}; it must be {allowed}."
    if not user.has_perm(spec.permission):
        return f"Only {spec.role} may {spec.action}."
    for guard in CLAIM_GUARDS.get(spec.name, ()):
        if reason := guard(facts):
            return reason
    return None


def _input_refusal(spec: Transition, facts: Facts, note: str, params: dict) -> str | None:
    for guard in [note_given(spec.label, spec.needs_note), *INPUT_GUARDS.get(spec.name, ())]:
        if reason := guard(facts, note, params):
            return reason
    return None


def _spec(name: str) -> Transition:
    try:
        return TRANSITIONS[name]
    except KeyError:
        raise TransitionNotAllowed(f"There is no action “{name}”.", transition=name) from None


def check(claim: Claim, name: str, *, user, note: str | None = None, **params) -> str | None:
    """Why ``user`` may not take ``name`` on ``claim`` now, or None if they may.

    Without ``note`` only the claim and the actor are checked (is the button worth
    showing?); with it, the note and ``params`` are checked as ``transition`` would.
    """
    try:
        spec = _spec(name)
    except TransitionNotAllowed as exc:
        return exc.reason
    facts = Facts(claim, user)
    reason = _refusal(spec, facts)
    if reason is None and note is not None:
        reason = _input_refusal(spec, facts, note, _normalise(spec, note, params)[1])
    return reason


def available_transitions(claim: Claim, user) -> list[Transition]:
    """The transitions ``user`` may take on ``claim`` now, in diagram order (for buttons)."""
    facts = Facts(claim, user)
    return [spec for spec in TRANSITIONS.values() if _refusal(spec, facts) is None]


def transition_options(claim: Claim, user) -> list[tuple[Transition, str | None]]:
    """Every transition ``user``'s role may ever take from the claim's state, with the reason
    it is unavailable now (``None``: available), in diagram order.

    A transition the role never holds, or one that does not start from this state, is
    left out: the page shows no control that the user could never use here.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    facts = Facts(claim, user)
    return [
        (spec, _refusal(spec, facts))
        for spec in TRANSITIONS.values()
        if claim.state in spec.sources and user.has_perm(spec.permission)
    ]


NEXT_STEP = {
    ClaimState.CANDIDATE: "A Fact-checker or an Editor selects it for checking or dismisses it.",
    ClaimState.DISMISSED: "Dismissed. A Fact-checker or an Editor may reopen it.",
    ClaimState.SELECTED: "Waiting for a Fact-checker to start research.",
    ClaimState.RESEARCHING: "Waiting for {who} to write the verdict and submit it for review.",
    ClaimState.IN_REVIEW: "Waiting for an Editor's review (not the verdict's author).",
    ClaimState.APPROVED: "Approved. Waiting for an Editor to publish it.",
    ClaimState.PUBLISHED: "Published. An Editor may propose a correction.",
}


def next_step(claim: Claim) -> str:
    """Who must act next on ``claim``, in one sentence (uses a ``verdicts`` prefetch if made)."""
    if claim.state == ClaimState.PUBLISHED and claim.pending_correction is not None:
        return "A correction waits for the approval of an Editor other than its proposer."
    text = NEXT_STEP.get(ClaimState(claim.state), "")
    assignee = claim.assignee if claim.assignee_id else None
    who = (assignee.get_full_name() or assignee.get_username()) if assignee is not None else ""
    return text.format(who=who or "the fact-checker")


def _normalise(spec: Transition, note: str, params: dict) -> tuple[str, dict]:
    unknown = set(params) - spec.params
    if unknown:
        raise TypeError(f"transition {spec.name!r} takes no parameter(s) {sorted(unknown)}")
    note = (note or "").strip()
    assignee = params.get("assignee")
    if spec.name == "assign" and isinstance(assignee, int) and not isinstance(assignee, bool):
        # An id (from the API or a command) stands for the user; an unknown id stays invalid.
        params = {**params, "assignee": get_user_model().objects.filter(pk=assignee).first() or assignee}
    if spec.name == "correct":
        params = {**params, "correction_note": (params.get("correction_note") or note).strip()}
        note = note or params["correction_note"]
    return note, params


def transition(
    claim: Claim, name: str, *, user, note: str = "", expected_version: int | None = None, **params
) -> Claim:
    """Take transition ``name`` on ``claim`` as ``user``; return the updated claim.

    1. lock the claim row and refuse if ``expected_version`` is stale;
    2. check state, permission and guards; refuse with ``TransitionNotAllowed``;
    3. apply the transition's effects, set state, version and time, write a ReviewEvent;
    4. queue the e-mails and send ``claim_transitioned`` (webhooks and re-matching listen),
       all of which run after commit.
    The caller's ``claim`` instance is refreshed too.
    """
    spec = _spec(name)
    note, params = _normalise(spec, note, params)
    with transaction.atomic():
        locked = Claim.objects.select_for_update().filter(pk=claim.pk).first()
        if locked is None:
            raise TransitionNotAllowed("This claim was deleted; reload the page.", transition=name)
        if expected_version is not None and locked.version != expected_version:
            raise TransitionNotAllowed(stale_reason(locked), transition=name)
        facts = Facts(locked, user)
        reason = _refusal(spec, facts) or _input_refusal(spec, facts, note, params)
        if reason:
            raise TransitionNotAllowed(reason, transition=name)
        # Whose version the transition concerns: an approved correction's is its proposer's.
        concerned = facts.pending_correction if spec.name == "approve_correction" else facts.verdict
        author_id = concerned.author_id if concerned else None
        event = _apply(spec, locked, user=user, note=note, params=params)
        effects.follow_up(locked, event, author_id)
    for field in ("state", "state_changed_at", "version", "assignee_id", "updated_at"):
        setattr(claim, field, getattr(locked, field))
    forget_feed_fields(claim)
    claim._state.fields_cache.pop("assignee", None)
    return locked


FEED_FIELDS = ("first_published_at", "modified_at")


def forget_feed_fields(claim: Claim) -> None:
    """The database computed the feed fields; the instance defers them (read on first use),
    so a later ``save()`` of it writes only the fields it holds, never stale feed values."""
    for field in FEED_FIELDS:
        claim.__dict__.pop(field, None)


def _apply(spec: Transition, claim: Claim, *, user, note: str, params: dict) -> ReviewEvent:
    from_state = claim.state
    if apply := effects.APPLY.get(spec.name):
        apply(claim, user, params)
    now = timezone.now()
    if spec.changes_claim:
        changes = {"version": claim.version + 1, "updated_at": now, "assignee_id": claim.assignee_id}
        if spec.name in STATE_TRANSITIONS:
            changes.update(state=spec.target or from_state, state_changed_at=now)
        # The stored feed fields in the same statement (publish, corrections and unpublish
        # change what the feed shows; every write moves ``modified_at``).
        state = spec.target or from_state if spec.name in STATE_TRANSITIONS else from_state
        changes.update(feed_values(state=state, updated_at=now))
        # Compare-and-set as well as the row lock: a backend without SELECT ... FOR UPDATE
        # still cannot apply two transitions to one version.
        if not Claim.objects.filter(pk=claim.pk, version=claim.version).update(**changes):
            raise TransitionNotAllowed(stale_reason(claim), transition=spec.name)
        was_public = claim.first_published_at is not None
        for field, value in changes.items():
            if field not in FEED_FIELDS:
                setattr(claim, field, value)
        forget_feed_fields(claim)
        feed_changed(was_public=was_public, is_public=claim.state == ClaimState.PUBLISHED)
    return ReviewEvent.objects.create(
        claim=claim,
        actor=user,
        transition=spec.name,
        from_state=from_state,
        to_state=claim.state,
        note=note,
        at=now,
    )
