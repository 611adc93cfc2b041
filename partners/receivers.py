"""Reactions to ``factcheck``'s signals and to edits of what the API shows of ``editorial``,
connected in ``PartnersConfig.ready``."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from core.dataversion import data_version_bump
from editorial.models import Article, Outlet
from factcheck.models import Claim
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


# A published fact-check's answer shows its article (title, URL, date) and outlet (name,
# domain): an edit of either makes every cached answer stale, so the data version moves.
# Articles without a public claim (most imports) change no answer and leave it alone.
@receiver(post_save, sender=Article, dispatch_uid="partners.article_saved")
def article_saved(sender, instance, created, **kwargs):
    if not created and Claim.objects.filter(article=instance, first_published_at__isnull=False).exists():
        data_version_bump()


@receiver(post_save, sender=Outlet, dispatch_uid="partners.outlet_saved")
def outlet_saved(sender, instance, created, **kwargs):
    if not created:
        data_version_bump()
