"""What each transition does besides changing the state, and the follow-up work it starts.

Everything here runs inside the engine's transaction, with the claim row locked.
"""

import logging

from django.utils import timezone

from factcheck.models import Claim, ReviewEvent, Source, Verdict
from factcheck.selectors import verdict_next_version
from factcheck.signals import claim_transitioned
from factcheck.sources import sources_clean
from factcheck.tasks import send_review_event_email as send_review_event_email_task

logger = logging.getLogger(__name__)


def _start_research(claim: Claim, user, params: dict) -> None:
    if claim.assignee_id is None:
        claim.assignee = user


def _assign(claim: Claim, user, params: dict) -> None:
    claim.assignee = params["assignee"]


def _approve(claim: Claim, user, params: dict) -> None:
    Verdict.objects.filter(claim=claim, is_current=True).update(reviewer=user, updated_at=timezone.now())


def _publish(claim: Claim, user, params: dict) -> None:
    now = timezone.now()
    Verdict.objects.filter(claim=claim, is_current=True).update(
        reviewer=user, published_at=now, updated_at=now
    )


def _correct(claim: Claim, user, params: dict) -> None:
    """Propose a correction: the next verdict version, neither current nor published. What the
    proposal does not change (rating, headline, summary, explanation, sources) is copied from
    the current version, which stays public until the correction is approved."""
    old = Verdict.objects.select_for_update().get(claim=claim, is_current=True)
    new = Verdict.objects.create(
        claim=claim,
        rating=params.get("rating") or old.rating,
        headline=" ".join((params.get("headline") or old.headline).split()),
        summary=(params.get("summary") or old.summary).strip(),
        body=(old.body if params.get("body") is None else params["body"]).strip(),
        author=user,
        version=verdict_next_version(claim_id=claim.pk),
        is_current=False,
        correction_note=params["correction_note"].strip(),
        published_at=None,
    )
    fields = ("url", "title", "publisher", "accessed_at", "note")
    kept = {s.url: {name: getattr(s, name) for name in fields} for s in old.sources.all()}
    if params.get("sources") is not None:
        # A source kept from the published version keeps its access date and note.
        given = [{**kept.get(row.get("url", "").strip(), {}), **row} for row in params["sources"]]
        rows = sources_clean(given)
    else:
        rows = list(kept.values())
    Source.objects.bulk_create(Source(verdict=new, **row) for row in rows)


def _approve_correction(claim: Claim, user, params: dict) -> None:
    """The proposed version becomes the current, published one; the old one stays as history."""
    proposal = _pending_correction(claim)
    now = timezone.now()
    # The old version first: at most one current version per claim at any moment.
    Verdict.objects.filter(claim=claim, is_current=True).update(is_current=False, updated_at=now)
    Verdict.objects.filter(pk=proposal.pk).update(
        is_current=True, reviewer=user, published_at=now, updated_at=now
    )


def _withdraw_correction(claim: Claim, user, params: dict) -> None:
    """Drop the proposed version and its sources; the event keeps the note saying why."""
    _pending_correction(claim).delete()


def _pending_correction(claim: Claim) -> Verdict:
    proposal = claim.pending_correction
    if proposal is None:  # the guards refuse first; this keeps a caller without them honest
        raise Verdict.DoesNotExist("No correction waits for approval.")
    return proposal


APPLY = {
    "start_research": _start_research,
    "assign": _assign,
    "approve": _approve,
    "publish": _publish,
    "correct": _correct,
    "approve_correction": _approve_correction,
    "withdraw_correction": _withdraw_correction,
}


# --- follow-up work, after commit ------------------------------------------------------

# Who is told by e-mail: the assignee, or the author of the version concerned (for an approved
# correction its proposer, who is also the current verdict's author afterwards).
MAIL_ASSIGNEE_ON = {"assign", "request_changes"}
MAIL_AUTHOR_ON = {"approve", "publish", "unpublish", "approve_correction"}


def follow_up(claim: Claim, event: ReviewEvent, author_id: int | None) -> None:
    """Queue this app's e-mails and tell the other apps (``claim_transitioned``).

    ``author_id`` is the author of the version the transition concerns: the current
    verdict's before the transition, the proposal's for ``approve_correction``.
    """
    recipients = mail_recipients(claim, event, author_id)
    if recipients:
        send_review_event_email_task.delay_on_commit(event.pk, recipients)
    claim_transitioned.send(sender=Claim, claim_id=claim.pk, transition=event.transition, event_id=event.pk)


def mail_recipients(claim: Claim, event: ReviewEvent, author_id: int | None) -> list[int]:
    """User ids to tell, never the actor themself (they know what they just did)."""
    wanted: set[int | None] = set()
    if event.transition in MAIL_ASSIGNEE_ON:
        # Changes requested on an unassigned claim go to whoever wrote the verdict.
        fallback = author_id if event.transition == "request_changes" else None
        wanted.add(claim.assignee_id or fallback)
    if event.transition in MAIL_AUTHOR_ON:
        wanted.add(author_id)
    wanted.discard(event.actor_id)
    return sorted(pk for pk in wanted if pk is not None)
