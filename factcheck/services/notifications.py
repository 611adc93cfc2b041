"""E-mails that tell people about workflow events that concern them.

Sent by the ``send_review_event_email`` task after the transition committed. Delivery is
at most once per event: the task claims ``ReviewEvent.notified_at`` before sending and
releases it only if sending failed, so a re-delivered task does not mail twice.
"""

import logging
import re
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from factcheck.models import ReviewEvent, Verdict
from factcheck.tasks import send_review_event_email as send_review_event_email_task
from factcheck.workflow import display_name, effects

logger = logging.getLogger(__name__)

SUBJECTS = {
    "assign": "Assigned to you: {claim}",
    "request_changes": "Changes requested: {claim}",
    "approve": "Your verdict was approved: {claim}",
    "publish": "Your fact-check was published: {claim}",
    "unpublish": "Your fact-check was unpublished: {claim}",
    "approve_correction": "Your correction was approved: {claim}",
}
_SPACE = re.compile(r"\s+")


def review_event_notify(*, event_id: int, recipient_ids: list[int]) -> int:
    """Send the e-mails for one event; return how many were sent (0 if already sent)."""
    if not ReviewEvent.objects.filter(pk=event_id, notified_at__isnull=True).update(
        notified_at=timezone.now()
    ):
        return 0
    try:
        event = ReviewEvent.objects.select_related("claim", "actor").get(pk=event_id)
        users = get_user_model().objects.filter(pk__in=recipient_ids, is_active=True).exclude(email="")
        messages = [event_message(event, user) for user in users]
        return get_connection().send_messages(messages) or 0
    except Exception:
        # Not sent: let the task's retry send it.
        ReviewEvent.objects.filter(pk=event_id).update(notified_at=None)
        raise


def event_message(event: ReviewEvent, user) -> EmailMessage:
    claim_text = _SPACE.sub(" ", str(event.claim)).strip()
    template = SUBJECTS.get(event.transition, "Claim update: {claim}")
    subject = f"[{settings.ORGANISATION_NAME}] " + template.format(claim=claim_text)
    lines = [
        f"Hello {display_name(user)},",
        "",
        f"{display_name(event.actor)} took “{event.transition.replace('_', ' ')}” on a claim"
        f" ({event.get_from_state_display()} → {event.get_to_state_display()}):",
        "",
        f"  {event.claim.text}",
        "",
    ]
    if event.note:
        lines += ["Note:", event.note, ""]
    lines += [f"Open the claim: {claim_url(event.claim_id)}", ""]
    return EmailMessage(subject=subject[:200], body="\n".join(lines), to=[user.email])


def claim_url(claim_id: int) -> str:
    try:
        path = reverse("admin:factcheck_claim_change", args=[claim_id])
    except NoReverseMatch:
        path = f"/admin/factcheck/claim/{claim_id}/change/"
    return settings.SITE_URL + path


# --- recovery: e-mails whose task was lost ---------------------------------------------------

RENOTIFY_WINDOW = timedelta(days=2)  # older news is not worth an e-mail any more


def review_events_pending_mail(*, older_than: timedelta) -> QuerySet[ReviewEvent]:
    """Events that should have sent e-mail but never did (broker down, queue lost)."""
    now = timezone.now()
    return ReviewEvent.objects.filter(
        transition__in=effects.MAIL_ASSIGNEE_ON | effects.MAIL_AUTHOR_ON,
        notified_at__isnull=True,
        at__lte=now - older_than,
        at__gte=now - RENOTIFY_WINDOW,
    ).order_by("at", "pk")


def review_events_renotify(*, older_than: timedelta, limit: int = 500) -> int:
    """Queue the e-mail task again for pending events; return how many were queued.

    For the periodic sweep (the ``sweep_unsent_mail`` task). Recipients are worked out again from
    the claim as it is now (assignee, current verdict's author); an event with nobody to
    tell is marked done. Sending stays at most once per event (``notified_at``). Stops at
    the first broker error: the next sweep tries again.
    """
    queued = 0
    for event in review_events_pending_mail(older_than=older_than).select_related("claim")[:limit]:
        author_id = (
            Verdict.objects.filter(claim_id=event.claim_id, is_current=True)
            .values_list("author_id", flat=True)
            .first()
        )
        recipients = effects.mail_recipients(event.claim, event, author_id)
        if not recipients:
            ReviewEvent.objects.filter(pk=event.pk).update(notified_at=timezone.now())
            continue
        try:
            send_review_event_email_task.delay(event.pk, recipients)
        except BrokerError as exc:
            logger.warning("E-mail sweep stopped, broker unavailable after %d: %s", queued, exc)
            break
        queued += 1
    return queued
