"""What each transition does besides changing the state, and the follow-up work it starts.

Everything here runs inside the engine's transaction, with the claim row locked.
"""

import logging

from django.utils import timezone

from factcheck.models import Claim, ReviewEvent, Source, Verdict
from factcheck.selectors import verdict_next_version
from factcheck.signals import claim_transitioned
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
    """A new verdict version: the old one stays (no longer current), its sources are copied."""
    old = Verdict.objects.select_for_update().get(claim=claim, is_current=True)
    next_version = verdict_next_version(claim_id=claim.pk)
    Verdict.objects.filter(pk=old.pk).update(is_current=False)
    new = Verdict.objects.create(
        claim=claim,
        rating=params.get("rating") or old.rating,
        summary=(params.get("summary") or old.summary).strip(),
        author=user,
        reviewer=user,
        version=next_version,
        correction_note=params["correction_note"].strip(),
        published_at=timezone.now(),
    )
    Source.objects.bulk_create(
        Source(
            verdict=new,
            url=s.url,
            title=s.title,
            publisher=s.publisher,
            accessed_at=s.accessed_at,
            note=s.note,
        )
        for s in old.sources.all()
    )


APPLY = {
    "start_research": _start_research,
    "assign": _assign,
    "approve": _approve,
    "publish": _publish,
    "correct": _correct,
}


# --- follow-up work, after commit ------------------------------------------------------

# Who is told by e-mail: the assignee, or the current verdict's author.
MAIL_ASSIGNEE_ON = {"assign", "request_changes"}
MAIL_AUTHOR_ON = {"approve", "publish", "unpublish"}


def follow_up(claim: Claim, event: ReviewEvent, author_id: int | None) -> None:
    """Queue this app's e-mails and tell the other apps (``claim_transitioned``).

    ``author_id`` is the current verdict's author before the transition.
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
