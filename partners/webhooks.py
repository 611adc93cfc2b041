"""Partner webhooks: build the event, sign it, POST it, log every attempt.

An event is built once, when the fan-out runs (``webhook_event_build``), and the same
body is sent on every retry, so a partner can check the signature and de-duplicate on
``id``. Delivery is at least once: a partner may see an event twice, never a different
body under the same id.

Signature: ``X-Signature: sha256=<hex HMAC-SHA256 of the raw body with the webhook's
secret>``; ``X-Webhook-Event`` and ``X-Webhook-Id`` repeat the event type and id.
"""

import hashlib
import hmac
import http.client
import json
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from core import outbound
from factcheck.models import Claim
from partners.api.serializers import AppearanceSerializer, FactCheckSerializer
from partners.models import Webhook, WebhookDelivery
from partners.selectors import factcheck_feed

EVENTS = Webhook.EVENTS
MAX_BACKOFF_SECONDS = 3600
USER_AGENT = "factcheck-cms-webhooks/1"
_ERROR_MAX = 1000
_RESPONSE_MAX_BYTES = 64 * 1024  # the status is what counts; the rest of a long answer is not read


def webhooks_for(*, event: str) -> list[Webhook]:
    """Active webhooks of active partners that subscribe to ``event`` (no list: every event)."""
    hooks = Webhook.objects.filter(active=True, partner__active=True).order_by("pk")
    return [hook for hook in hooks if not hook.events or event in hook.events]


def webhook_event_build(*, event: str, claim_id: int, appearance_id: int | None = None) -> dict | None:
    """The event body, or None when the claim is gone or no longer matches the event.

    ``published``/``corrected`` carry the fact-check as ``fact-checks/{id}/`` shows it (and
    are dropped if it was unpublished meanwhile); ``unpublished`` carries only the id;
    ``appeared`` carries the fact-check and the new ``appearance`` of its claim (dropped
    unless the fact-check is published and the appearance still belongs to it).
    """
    if event not in EVENTS:
        raise ValueError(f"Unknown webhook event {event!r}; expected one of {', '.join(EVENTS)}.")
    if event == "unpublished":
        claim = Claim.objects.filter(pk=claim_id).only("pk", "state_changed_at").first()
        if claim is None:
            return None
        marker, data = claim.state_changed_at.isoformat(), {"id": claim_id}
    else:
        claim = factcheck_feed().filter(pk=claim_id).first()
        if claim is None:
            return None
        verdict = claim.current_verdict
        marker = f"{verdict.version}:{verdict.published_at.isoformat()}"
        data = FactCheckSerializer(claim).data
    body: dict = {"event": event, "created_at": timezone.now().isoformat(), "fact_check": data}
    if event == "appeared":
        appearance = (
            Claim.objects.select_related("article__outlet")
            .filter(pk=appearance_id, same_as_id=claim_id)
            .first()
        )
        if appearance is None:
            return None
        marker, body["appearance"] = f"appearance:{appearance.pk}", AppearanceSerializer(appearance).data
    event_id = hashlib.sha256(f"{event}:{claim_id}:{marker}".encode()).hexdigest()[:32]
    return {"id": event_id, **body}


def webhook_body(payload: dict) -> bytes:
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, default=str).encode()


def webhook_sign(*, body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Attempt:
    delivery: WebhookDelivery
    retry: bool  # a network error or a 5xx: worth trying again


def webhook_attempt(*, webhook: Webhook, payload: dict, attempt: int) -> Attempt:
    """POST the signed body once and log the attempt as a ``WebhookDelivery``.

    The request goes through ``core.outbound``: only public addresses, the checked address
    is the one connected to, no redirect followed (a 3xx is a failed delivery), the answer
    read up to a limit. A refused target is logged as a failed delivery and not retried;
    no connection is made to it, so its log row reads the same whether a port there is
    open or closed.
    """
    body = webhook_body(payload)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Signature": webhook_sign(body=body, secret=webhook.secret),
        "X-Webhook-Event": payload["event"],
        "X-Webhook-Id": payload["id"],
    }
    status, error, retry = None, "", False
    try:
        response = outbound.outbound_post(
            webhook.url,
            body=body,
            headers=headers,
            timeout=settings.WEBHOOK_TIMEOUT_SECONDS,
            max_bytes=_RESPONSE_MAX_BYTES,
        )
    except outbound.OutboundRefused as exc:
        error = f"Refused, not called: {exc.reason}"
    except (OSError, http.client.HTTPException, ValueError) as exc:
        error, retry = f"{type(exc).__name__}: {exc}", True
    else:
        status = response.status
        if not 200 <= status < 300:
            error = f"HTTP {status} {response.reason}"
            retry = status >= 500
    delivery = WebhookDelivery.objects.create(
        webhook=webhook,
        event=payload["event"],
        event_id=payload["id"],
        payload=payload,
        attempt=attempt,
        status_code=status,
        error=error[:_ERROR_MAX],
        succeeded=status is not None and 200 <= status < 300,
    )
    return Attempt(delivery=delivery, retry=retry)


def webhook_already_delivered(*, webhook_id: int, event_id: str) -> bool:
    return WebhookDelivery.objects.filter(webhook_id=webhook_id, event_id=event_id, succeeded=True).exists()


def backoff_seconds(attempt: int) -> int:
    """Seconds to wait after failed attempt ``attempt`` (1-based): base, 2×base, 4×base …, capped."""
    return min(MAX_BACKOFF_SECONDS, settings.WEBHOOK_BACKOFF_SECONDS * 2 ** (attempt - 1))
