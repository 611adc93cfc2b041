"""Signals ``factcheck`` sends so the apps above it can follow up without it knowing them.

Both are sent inside the write's transaction; a receiver that queues work does so with
``delay_on_commit``, so nothing runs for a write that rolls back.

- ``claims_created(claim_ids)``: new claims exist (extracted from an article, or a partner's
  tip). Prior-coverage matching (``coverage``) listens.
- ``claim_transitioned(claim_id, transition, event_id)``: a workflow transition was taken
  and its ``ReviewEvent`` written. Re-matching after a publish (``coverage``) and partner
  webhooks (``partners``) listen.
"""

from django.dispatch import Signal

claims_created = Signal()  # kwargs: claim_ids (list[int])
claim_transitioned = Signal()  # kwargs: claim_id, transition, event_id
