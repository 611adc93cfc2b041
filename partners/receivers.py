"""Reactions to ``factcheck``'s signals, connected in ``PartnersConfig.ready``."""

from django.dispatch import receiver

from factcheck.signals import claim_transitioned
from partners.tasks import notify_partners as notify_partners_task

# Workflow transition -> the webhook event partners subscribe to. A correction reaches
# partners when it is approved, not when it is proposed (``correct``).
WEBHOOK_EVENTS = {"publish": "published", "approve_correction": "corrected", "unpublish": "unpublished"}


@receiver(claim_transitioned, dispatch_uid="partners.notify_partners")
def notify_partners(sender, claim_id, transition, **kwargs):
    if transition in WEBHOOK_EVENTS:
        notify_partners_task.delay_on_commit(WEBHOOK_EVENTS[transition], claim_id)
