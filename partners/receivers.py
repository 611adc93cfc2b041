"""Reactions to ``factcheck``'s signals, connected in ``PartnersConfig.ready``."""

from django.dispatch import receiver

from factcheck.signals import appearance_added, claim_transitioned
from partners.tasks import notify_partners as notify_partners_task

# Workflow transition -> the webhook event partners subscribe to. A correction reaches
# partners when it is approved, not when it is proposed (``correct``).
WEBHOOK_EVENTS = {"publish": "published", "approve_correction": "corrected", "unpublish": "unpublished"}


@receiver(claim_transitioned, dispatch_uid="partners.notify_partners")
def notify_partners(sender, claim_id, transition, **kwargs):
    if transition in WEBHOOK_EVENTS:
        notify_partners_task.delay_on_commit(WEBHOOK_EVENTS[transition], claim_id)


# A new appearance of a claim: partners hear of it when the claim is a published
# fact-check (``webhook_event_build`` drops the event otherwise).
@receiver(appearance_added, dispatch_uid="partners.notify_appeared")
def notify_appeared(sender, claim_id, canonical_id, **kwargs):
    notify_partners_task.delay_on_commit("appeared", canonical_id, appearance_id=claim_id)
