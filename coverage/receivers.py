"""Reactions to ``factcheck``'s signals, connected in ``CoverageConfig.ready``."""

from django.dispatch import receiver

from coverage.tasks import group_claim as group_claim_task
from coverage.tasks import rematch_after_publish as rematch_after_publish_task
from factcheck.signals import claim_transitioned, claims_created

# A published fact-check becomes prior coverage for later claims, an approved correction
# changes it, an unpublished one leaves the index: all three re-index it and re-match open
# claims. A proposed correction (``correct``) changes nothing public until it is approved.
REMATCH_ON = frozenset({"publish", "approve_correction", "unpublish"})


# A new claim is grouped first (is it a repeat?); the grouping task queues its matching.
@receiver(claims_created, dispatch_uid="coverage.match_new_claims")
def match_new_claims(sender, claim_ids, **kwargs):
    for claim_id in claim_ids:
        group_claim_task.delay_on_commit(claim_id)


@receiver(claim_transitioned, dispatch_uid="coverage.rematch_after_publish")
def rematch_after_publish(sender, claim_id, transition, **kwargs):
    if transition in REMATCH_ON:
        rematch_after_publish_task.delay_on_commit(claim_id)
