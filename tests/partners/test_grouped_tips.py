"""A tip that repeats a published claim is answered at once, and partners hear of the repeat."""

import hashlib
import hmac
import json

import pytest
from django.utils import timezone

from coverage.grouping import claim_group
from factcheck.models import Claim, ClaimState
from partners.models import Webhook, WebhookDelivery
from partners.webhooks import webhook_event_build
from tests import factories
from tests.partners.test_webhooks import SECRET, Receiver

pytestmark = pytest.mark.django_db
TIPS = "/api/v1/tips/"
CHECKED = "We have hired 4,000 new nurses since 2023, the health secretary said."
REPEAT = "The government had hired 4,000 more nurses since 2023."


@pytest.fixture
def published():
    claim = factories.ClaimFactory(text=CHECKED, state=ClaimState.PUBLISHED)
    factories.VerdictFactory(
        claim=claim, rating="mostly_false", summary="It hired 2,100.", published_at=timezone.now()
    )
    claim_group(claim_id=claim.pk)
    return claim


def test_a_tip_repeating_a_published_claim_gets_the_fact_check_at_once(submit_api, published):
    response = submit_api.post(TIPS, {"text": REPEAT}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert Claim.objects.get(pk=body["id"]).same_as_id == published.pk
    answer = body["fact_check"]
    assert (answer["id"], answer["rating"], answer["summary"]) == (
        published.pk,
        "mostly_false",
        "It hired 2,100.",
    )
    assert answer["public_url"].endswith(f"-{published.pk}/")
    assert submit_api.get(f"{TIPS}{body['id']}/").json()["fact_check"]["id"] == published.pk


def test_a_tip_about_something_else_has_no_fact_check(submit_api, published):
    body = submit_api.post(
        TIPS, {"text": "The new stadium will cost taxpayers nothing at all."}, format="json"
    ).json()
    assert body["fact_check"] is None


@pytest.fixture
def receiver(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = True  # the receiver listens on 127.0.0.1
    made = Receiver([200])
    yield made
    made.close()


def test_a_new_appearance_of_a_published_claim_fires_a_signed_appeared_webhook(
    submit_api, partner, published, receiver, django_capture_on_commit_callbacks
):
    hook = Webhook.objects.create(partner=partner, url=receiver.url, secret=SECRET, events=["appeared"])
    with django_capture_on_commit_callbacks(execute=True):
        tip_id = submit_api.post(TIPS, {"text": REPEAT}, format="json").json()["id"]
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert (delivery.event, delivery.succeeded) == ("appeared", True)
    ((headers, body),) = receiver.requests
    assert headers["X-Signature"] == "sha256=" + hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    sent = json.loads(body)
    assert (sent["event"], sent["fact_check"]["id"]) == ("appeared", published.pk)
    assert (sent["appearance"]["text"], Claim.objects.get(pk=tip_id).same_as_id) == (REPEAT, published.pk)


def test_no_appeared_event_for_an_unpublished_claim():
    canonical = factories.ClaimFactory(text=CHECKED)
    appearance = factories.ClaimFactory(text=REPEAT, same_as=canonical)
    assert webhook_event_build(event="appeared", claim_id=canonical.pk, appearance_id=appearance.pk) is None


def test_the_api_detail_lists_appearances(api, published):
    factories.ClaimFactory(text=REPEAT, same_as=published, appearance_url="https://social.example/p/9")
    body = api.get(f"/api/v1/fact-checks/{published.pk}/").json()
    assert [a["text"] for a in body["appearances"]] == [CHECKED, REPEAT]
    assert body["appearances"][1]["url"] == "https://social.example/p/9"
