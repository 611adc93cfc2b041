"""A correction reaches partners (webhook ``corrected``, the API) only once another Editor approves it."""

import json

import pytest

from factcheck.workflow import TransitionNotAllowed, transition
from tests.factories import claim_in_state
from tests.partners.test_webhooks import Receiver, hook_for

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _loopback_allowed(settings):
    """The receiver listens on 127.0.0.1, which outbound deliveries refuse unless told otherwise."""
    settings.OUTBOUND_ALLOW_PRIVATE = True


@pytest.fixture
def receiver():
    made = Receiver([200])
    yield made
    made.close()


def test_a_correction_reaches_partners_when_a_second_editor_approves_it(
    partner, receiver, django_capture_on_commit_callbacks, fact_checker, editor, other_editor, api
):
    """Proposed: the API still serves version 1 and no event goes out. Approved by another
    Editor: one ``corrected`` event, and the API serves version 2 with its correction note."""
    hook_for(partner, receiver.url)
    claim = claim_in_state("approved", author=fact_checker)
    with django_capture_on_commit_callbacks(execute=True):
        transition(claim, "publish", user=editor)
        transition(claim, "correct", user=editor, note="We misread the table.", rating="mostly_false")
    body = api.get(f"/api/v1/fact-checks/{claim.pk}/").json()
    assert (body["verdict"]["version"], body["corrections"]) == (1, [])
    assert "We misread the table." not in json.dumps(body)
    with pytest.raises(TransitionNotAllowed, match="another Editor must approve it"):
        transition(claim, "approve_correction", user=editor)

    with django_capture_on_commit_callbacks(execute=True):
        transition(claim, "approve_correction", user=other_editor)

    body = api.get(f"/api/v1/fact-checks/{claim.pk}/").json()
    assert (body["verdict"]["version"], body["verdict"]["rating"]["key"]) == (2, "mostly_false")
    assert [c["note"] for c in body["corrections"]] == ["We misread the table."]
    events = [json.loads(sent)["event"] for _headers, sent in receiver.requests]
    assert events == ["published", "corrected"]
