"""Signals ``factcheck`` sends so the apps above it can follow up without it knowing them.

Both are sent inside the write's transaction; a receiver that queues work does so with
``delay_on_commit``, so nothing runs for a write that rolls back.

- ``claims_created(claim_ids)``: new claims exist (extracted from an article, or a partner's
  tip). Prior-coverage matching (``coverage``) listens.
- ``claim_transitioned(claim_id, transition, event_id)``: a workflow transition was taken
  and its ``ReviewEvent`` written. Re-matching after a publish (``coverage``) and partner
  webhooks (``partners``) listen.
- ``appearance_added(claim_id, canonical_id)``: a claim became an appearance of a canonical
  claim (grouped automatically or merged by an editor). Partner webhooks (``partners``)
  listen, for a published canonical claim.
"""

from django.dispatch import Signal

claims_created = Signal()  # kwargs: claim_ids (list[int])
claim_transitioned = Signal()  # kwargs: claim_id, transition, event_id
appearance_added = Signal()  # kwargs: claim_id, canonical_id
