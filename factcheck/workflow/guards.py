"""Guards: the conditions a transition needs besides the starting state and the permission.

Each guard returns ``None`` when it passes, else a sentence for the user. Guards in
``CLAIM_GUARDS`` look only at the claim and the actor, so ``available_transitions`` can
evaluate them to decide which buttons to show; ``INPUT_GUARDS`` look at what the user
typed (the note, an assignee) and run only when the transition is attempted.
"""

import re
from collections.abc import Callable
from functools import cached_property

from django.contrib.auth import get_user_model

from factcheck import ratings
from factcheck.models import Claim, ReviewEvent, Verdict
from factcheck.sources import SourceProblem, sources_clean

# A sentence ends with a full stop, question or exclamation mark (maybe inside quotes or
# brackets). Anchored at the end, so a long summary costs one linear scan.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*\Z")
MIN_SUMMARY_WORDS = 4
NOTE_MAX_CHARS = 5000
HEADLINE_MAX_CHARS = 300
BODY_MAX_CHARS = 100_000


class Facts:
    """What guards ask about one claim, each fetched at most once per check."""

    def __init__(self, claim: Claim, user):
        self.claim, self.user = claim, user

    @cached_property
    def verdict(self) -> Verdict | None:
        return self.claim.current_verdict

    @cached_property
    def source_count(self) -> int:
        verdict = self.verdict
        if verdict is None:
            return 0
        cache = getattr(verdict, "_prefetched_objects_cache", {})
        return len(cache["sources"]) if "sources" in cache else verdict.sources.count()

    @cached_property
    def pending_correction(self) -> Verdict | None:
        return self.claim.pending_correction

    @cached_property
    def user_wrote_verdict(self) -> bool:
        """The author, or anyone who edited this version: the two-person rule binds co-authors."""
        return self._user_wrote(self.verdict)

    @cached_property
    def user_proposed_correction(self) -> bool:
        """The proposer, or anyone who edited the proposed version."""
        return self._user_wrote(self.pending_correction)

    def _user_wrote(self, verdict: Verdict | None) -> bool:
        # Only authorship and edits count: a superuser is bound like anyone else.
        if verdict is None or self.user is None or self.user.pk is None:
            return False
        if verdict.author_id == self.user.pk:
            return True
        return ReviewEvent.objects.filter(
            claim_id=self.claim.pk,
            actor_id=self.user.pk,
            transition__in=("verdict_edit", "source_add", "source_remove"),
            at__gte=verdict.created_at,
        ).exists()


def summary_problem(summary: str) -> str | None:
    text = (summary or "").strip()
    if not text:
        return "The verdict needs a summary."
    if len(text.split()) < MIN_SUMMARY_WORDS or not _SENTENCE_END.search(text):
        return "The verdict summary needs at least one full sentence, ending with a full stop."
    return None


def verdict_complete(facts: Facts) -> str | None:
    verdict = facts.verdict
    if verdict is None:
        return "Write a verdict first: a headline, a rating, a summary and at least one source."
    if not verdict.headline.strip():
        return "The verdict needs a headline."
    if not verdict.rating:
        return "The verdict needs a rating."
    if ratings.rating_for(verdict.rating) is None:
        return f"The verdict's rating “{verdict.rating}” is not on the rating scale."
    return summary_problem(verdict.summary) or (
        "A verdict needs at least one source." if facts.source_count == 0 else None
    )


def verdict_published(facts: Facts) -> str | None:
    if facts.verdict is None or facts.verdict.published_at is None:
        return "There is no published verdict to correct."
    return None


def no_pending_correction(facts: Facts) -> str | None:
    if facts.pending_correction is not None:
        return "A correction already waits for approval; withdraw or approve it first."
    return None


def correction_pending(facts: Facts) -> str | None:
    if facts.pending_correction is None:
        return "No correction waits for approval."
    return None


def two_person_rule(action: str) -> Callable[[Facts], str | None]:
    def guard(facts: Facts) -> str | None:
        if facts.user_wrote_verdict:
            return f"You wrote this verdict; another Editor must {action} it."
        return None

    return guard


def correction_two_person_rule(facts: Facts) -> str | None:
    if facts.user_proposed_correction:
        return "You proposed this correction; another Editor must approve it."
    return None


CLAIM_GUARDS: dict[str, list[Callable[[Facts], str | None]]] = {
    "submit": [verdict_complete],
    "approve": [verdict_complete, two_person_rule("approve")],
    "publish": [verdict_complete, two_person_rule("publish")],
    "correct": [verdict_published, no_pending_correction],
    "approve_correction": [verdict_published, correction_pending, correction_two_person_rule],
    "withdraw_correction": [correction_pending],
    # Unpublishing with a proposal open would leave it to resurface on the next publication.
    "unpublish": [no_pending_correction],
}


# --- input guards: (facts, note, params) -> reason ---------------------------------------


def note_given(label: str, needs_note: bool) -> Callable[..., str | None]:
    def guard(facts: Facts, note: str, params: dict) -> str | None:
        if len(note) > NOTE_MAX_CHARS:
            return f"The note is too long ({len(note)} characters; at most {NOTE_MAX_CHARS})."
        if needs_note and not note.strip():
            return f"“{label}” needs a note saying why."
        return None

    return guard


def assignee_valid(facts: Facts, note: str, params: dict) -> str | None:
    if "assignee" not in params:
        return "Choose who to assign the claim to."
    assignee = params["assignee"]
    if assignee is None:
        return None if facts.claim.assignee_id else "The claim is not assigned to anyone."
    if not isinstance(assignee, get_user_model()) or assignee.pk is None:
        return "Choose an existing user to assign the claim to."
    if assignee.pk == facts.claim.assignee_id:
        return f"The claim is already assigned to {display_name(assignee)}."
    if not assignee.is_active or not assignee.has_perm("factcheck.research_claim"):
        return f"{display_name(assignee)} cannot be assigned: only Fact-checkers and Editors work on claims."
    return None


def correction_valid(facts: Facts, note: str, params: dict) -> str | None:
    correction_note = (params.get("correction_note") or note or "").strip()
    if not correction_note:
        return "A correction needs a correction note saying what changed and why."
    rating = params.get("rating")
    if rating is not None and ratings.rating_for(rating) is None:
        return f"“{rating}” is not a rating on the scale."
    if params.get("headline") is not None and len(params["headline"]) > HEADLINE_MAX_CHARS:
        return f"The headline is too long (at most {HEADLINE_MAX_CHARS} characters)."
    if params.get("body") is not None and len(params["body"]) > BODY_MAX_CHARS:
        return f"The explanation is too long (at most {BODY_MAX_CHARS} characters)."
    if params.get("sources") is not None:
        try:
            sources_clean(params["sources"])
        except SourceProblem as exc:
            return exc.reason
        if not params["sources"]:
            return "A corrected verdict still needs at least one source."
    if params.get("summary") is not None:
        return summary_problem(params["summary"])
    return None


INPUT_GUARDS: dict[str, list[Callable[..., str | None]]] = {
    "assign": [assignee_valid],
    "correct": [correction_valid],
}


def display_name(user) -> str:
    if user is None:
        return "nobody"
    return user.get_full_name() or user.get_username()
