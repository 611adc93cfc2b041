"""Two people on the same claim page: the later save of a stale form never overwrites.

Both load the verdict editor as a browser would (the hidden revision comes from the
rendered page, not from the test), both edit, the first save wins, the second is refused
with a reason and the stored verdict is the first one, untouched. On PostgreSQL the two
saves also run at the same moment from two threads.
"""

import re
import threading

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from factcheck.models import Verdict
from factcheck.workflow import transition
from tests.factories import ClaimFactory, FactCheckerFactory

pytestmark = pytest.mark.django_db


def open_editor(user, claim) -> tuple[Client, dict]:
    client = Client()
    client.force_login(user)
    html = client.get(reverse("admin:factcheck_claim_change", args=[claim.pk])).content.decode()
    revision = re.search(r'name="verdict-revision" value="(\d+)"', html).group(1)
    form = {
        "verdict-revision": revision,
        "sources-TOTAL_FORMS": 1,
        "sources-INITIAL_FORMS": 0,
        "sources-MIN_NUM_FORMS": 0,
        "sources-MAX_NUM_FORMS": 50,
    }
    return client, form


def save(client, claim, form, *, rating, summary):
    url = reverse("admin:factcheck_claim_verdict", args=[claim.pk])
    return client.post(url, {**form, "verdict-rating": rating, "verdict-summary": summary})


@pytest.fixture
def two_on_one_claim(db):
    first, second = FactCheckerFactory(), FactCheckerFactory()
    claim = ClaimFactory()
    transition(claim, "select", user=first)
    return claim, first, second


def test_the_stale_of_two_open_forms_is_refused_and_overwrites_nothing(two_on_one_claim):
    claim, first, second = two_on_one_claim
    a, form_a = open_editor(first, claim)
    b, form_b = open_editor(second, claim)

    assert (
        save(a, claim, form_a, rating="false", summary="It rose to 5.1%, the figures show.").status_code
        == 302
    )
    refused = save(b, claim, form_b, rating="true", summary="It fell, as the minister said.")

    verdict = Verdict.objects.get(claim=claim, is_current=True)
    assert (verdict.rating, verdict.summary) == ("false", "It rose to 5.1%, the figures show.")
    assert any("not saved" in str(m) for m in get_messages(refused.wsgi_request))
    again, fresh = open_editor(second, claim)  # reloading shows the winner and a new revision
    assert fresh["verdict-revision"] != form_b["verdict-revision"]
    assert (
        save(again, claim, fresh, rating="true", summary="It fell, as the minister said.").status_code == 302
    )
    assert Verdict.objects.get(claim=claim, is_current=True).rating == "true"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_of_one_revision_store_exactly_one(two_on_one_claim):
    claim, first, second = two_on_one_claim
    forms = [open_editor(first, claim), open_editor(second, claim)]
    barrier = threading.Barrier(2)
    statuses = []

    def post(client, form, rating):
        barrier.wait()
        try:
            statuses.append(
                save(
                    client, claim, form, rating=rating, summary=f"Rated {rating} on the evidence."
                ).status_code
            )
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=(*f, r)) for f, r in zip(forms, ["false", "true"], strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    verdicts = Verdict.objects.filter(claim=claim)
    assert verdicts.count() == 1 and verdicts.get().revision == 1
    assert sorted(statuses) == [200, 302]  # the loser is shown the page again with the reason
