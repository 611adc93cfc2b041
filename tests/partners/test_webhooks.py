"""Webhooks against a real HTTP server on loopback: signature, retry on 5xx, give-up, logging."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from factcheck.models import ClaimState
from partners import tasks, webhooks
from partners.models import Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db
SECRET = "s3cret-for-tests"


@pytest.fixture(autouse=True)
def _loopback_allowed(settings):
    """The receivers listen on 127.0.0.1, which the outbound guard refuses unless told otherwise."""
    settings.OUTBOUND_ALLOW_PRIVATE = True


class Receiver:
    """Answers each POST with the next status in ``script`` (the last one repeats)."""

    def __init__(self, script):
        self.script = list(script)
        self.requests = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.script.pop(0) if len(receiver.script) > 1 else receiver.script[0]
                self.send_response(status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver_factory():
    made = []

    def make(*script):
        made.append(Receiver(script or [200]))
        return made[-1]

    yield make
    for receiver in made:
        receiver.close()


def hook_for(partner, url, events=None):
    return Webhook.objects.create(partner=partner, url=url, secret=SECRET, events=events or [])


def test_published_event_is_signed_and_carries_the_fact_check(partner, publish, receiver_factory):
    receiver = receiver_factory(200)
    hook = hook_for(partner, receiver.url, ["published"])
    claim = publish("Signed claim text.")
    assert tasks.notify_partners.delay("published", claim.pk).get() == 1
    ((headers, body),) = receiver.requests
    expected = "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Signature"] == expected
    event = json.loads(body)
    assert event["event"] == "published" and headers["X-Webhook-Id"] == event["id"]
    assert event["fact_check"]["id"] == claim.pk
    assert event["fact_check"]["text"] == "Signed claim text."
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert (delivery.status_code, delivery.succeeded, delivery.attempt) == (200, True, 1)


@override_settings(WEBHOOK_MAX_ATTEMPTS=5, WEBHOOK_BACKOFF_SECONDS=0)
def test_5xx_is_retried_until_success(partner, publish, receiver_factory):
    receiver = receiver_factory(500, 503, 200)
    hook = hook_for(partner, receiver.url)
    tasks.notify_partners.delay("corrected", publish().pk)
    attempts = list(WebhookDelivery.objects.filter(webhook=hook).order_by("attempt"))
    assert [(d.attempt, d.status_code, d.succeeded) for d in attempts] == [
        (1, 500, False),
        (2, 503, False),
        (3, 200, True),
    ]
    bodies = {body for _headers, body in receiver.requests}
    assert len(bodies) == 1  # the same event, byte for byte, on every try


@override_settings(WEBHOOK_MAX_ATTEMPTS=3, WEBHOOK_BACKOFF_SECONDS=0)
def test_gives_up_after_max_attempts(partner, publish, receiver_factory):
    receiver = receiver_factory(502)
    hook = hook_for(partner, receiver.url)
    tasks.notify_partners.delay("published", publish().pk)
    rows = WebhookDelivery.objects.filter(webhook=hook)
    assert rows.count() == 3 == len(receiver.requests)
    assert not rows.filter(succeeded=True).exists()
    assert set(rows.values_list("status_code", flat=True)) == {502}


@override_settings(WEBHOOK_MAX_ATTEMPTS=3, WEBHOOK_BACKOFF_SECONDS=0)
def test_network_error_is_retried_and_logged(partner, publish, receiver_factory):
    receiver = receiver_factory(200)
    url = receiver.url
    receiver.close()  # nothing listens there now: connection refused
    hook = hook_for(partner, url)
    tasks.notify_partners.delay("published", publish().pk)
    rows = WebhookDelivery.objects.filter(webhook=hook)
    assert rows.count() == 3
    assert all(r.status_code is None and r.error for r in rows)


@override_settings(WEBHOOK_MAX_ATTEMPTS=5, WEBHOOK_BACKOFF_SECONDS=0)
def test_4xx_is_not_retried(partner, publish, receiver_factory):
    receiver = receiver_factory(410)
    hook = hook_for(partner, receiver.url)
    tasks.notify_partners.delay("published", publish().pk)
    assert WebhookDelivery.objects.filter(webhook=hook).count() == 1


def test_only_subscribed_active_hooks_of_active_partners(partner, other_partner, publish, receiver_factory):
    receiver = receiver_factory(200)
    hook_for(partner, receiver.url, ["unpublished"])
    Webhook.objects.create(partner=partner, url=receiver.url, secret=SECRET, active=False)
    hook_for(other_partner, receiver.url)
    other_partner.active = False
    other_partner.save()
    assert tasks.notify_partners.delay("published", publish().pk).get() == 0
    assert receiver.requests == []


def test_unpublished_event_carries_only_the_id(partner, publish, receiver_factory):
    receiver = receiver_factory(200)
    hook_for(partner, receiver.url)
    claim = publish()
    claim.state = ClaimState.IN_REVIEW
    claim.save()
    tasks.notify_partners.delay("unpublished", claim.pk)
    event = json.loads(receiver.requests[0][1])
    assert event["fact_check"] == {"id": claim.pk}


def test_published_event_for_a_draft_is_dropped(partner, receiver_factory):
    from tests import factories

    receiver = receiver_factory(200)
    hook_for(partner, receiver.url)
    draft = factories.ClaimFactory(state=ClaimState.IN_REVIEW)
    assert tasks.notify_partners.delay("published", draft.pk).get() == 0
    assert receiver.requests == []


def test_a_delivered_event_is_not_sent_twice(partner, publish, receiver_factory):
    receiver = receiver_factory(200)
    hook = hook_for(partner, receiver.url)
    claim = publish()
    payload = webhooks.webhook_event_build(event="published", claim_id=claim.pk)
    tasks.deliver_webhook_event.delay("published", claim.pk, hook.pk, payload)
    tasks.deliver_webhook_event.delay("published", claim.pk, hook.pk, payload)
    assert len(receiver.requests) == 1


def test_unknown_event_is_refused():
    with pytest.raises(ValueError, match="Unknown webhook event"):
        webhooks.webhook_event_build(event="deleted", claim_id=1)


def test_backoff_doubles_and_is_capped():
    with override_settings(WEBHOOK_BACKOFF_SECONDS=30):
        assert [webhooks.backoff_seconds(n) for n in (1, 2, 3)] == [30, 60, 120]
        assert webhooks.backoff_seconds(20) == webhooks.MAX_BACKOFF_SECONDS


def test_workflow_publish_and_unpublish_reach_the_partner(
    partner, receiver_factory, django_capture_on_commit_callbacks, fact_checker, editor, api
):
    """End to end: the workflow queues ``notify_partners``; the partner's server gets both events
    and the fact-check appears in, then leaves, the API."""
    from factcheck.workflow import transition
    from tests.factories import claim_in_state

    receiver = receiver_factory(200)
    hook_for(partner, receiver.url)
    claim = claim_in_state("approved", author=fact_checker)
    with django_capture_on_commit_callbacks(execute=True):
        transition(claim, "publish", user=editor)
    assert api.get(f"/api/v1/fact-checks/{claim.pk}/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        transition(claim, "unpublish", user=editor, note="The source was withdrawn.")
    assert (
        api.get(f"/api/v1/fact-checks/{claim.pk}/").status_code == 410
    )  # withdrawn: gone, as its public page says
    events = [json.loads(body)["event"] for _headers, body in receiver.requests]
    assert events == ["published", "unpublished"]
