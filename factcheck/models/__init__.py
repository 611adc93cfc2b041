"""The fact-check desk's tables, one module per concern, re-exported here."""

from factcheck.models.claims import (
    Claim,
    ClaimOrigin,
    ClaimPriority,
    ClaimState,
    ClaimType,
    ReviewEvent,
    Source,
    Verdict,
)
from factcheck.models.coverage import CoverageMatch, MatchStatus, PriorFactCheck
from factcheck.models.partners import ApiKey, Partner, Webhook, WebhookDelivery
from factcheck.models.search import SearchDoc, SearchKind

__all__ = [
    "ApiKey",
    "Claim",
    "ClaimOrigin",
    "ClaimPriority",
    "ClaimState",
    "ClaimType",
    "CoverageMatch",
    "MatchStatus",
    "Partner",
    "PriorFactCheck",
    "ReviewEvent",
    "SearchDoc",
    "SearchKind",
    "Source",
    "Verdict",
    "Webhook",
    "WebhookDelivery",
]
