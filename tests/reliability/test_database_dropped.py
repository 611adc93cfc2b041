"""The app's PostgreSQL connection dropped mid-request: a clean 503, nothing half-written.

Each request below waits on a lock held by a side connection; its own backend is then
terminated, exactly what a failover or an administrator's ``pg_terminate_backend`` does.
"""

import pytest
from django.db import close_old_connections
from django.urls import reverse

from factcheck.models import Source, Verdict
from factcheck.workflow import transition
from partners import services as partners
from partners.models import Partner
from tests.factories import ArticleFactory, ClaimFactory, SuperuserFactory
from tests.reliability.pg_faults import connection_killed_while_waiting_on

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def next_request():
    """What Django's handler does at each request start (the test client skips it): drop the
    connection that died, so the next request opens a fresh one."""
    close_old_connections()


def test_admin_page_answers_503_when_its_connection_is_killed_mid_request(client):
    ArticleFactory(title="Budget row")
    client.force_login(SuperuserFactory())
    url = reverse("admin:editorial_article_changelist")

    with connection_killed_while_waiting_on("editorial_article", "ACCESS EXCLUSIVE") as killed:
        response = client.get(url)

    assert killed, "the request never waited on the lock"
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Temporarily unavailable" in response.content.decode()
    assert "Traceback" not in response.content.decode()
    next_request()
    recovered = client.get(url)
    assert recovered.status_code == 200 and "Budget row" in recovered.content.decode()


def test_api_answers_503_json_when_its_connection_is_killed_mid_request(client):
    _, key = partners.api_key_create(partner=Partner.objects.create(name="P"), name="t", scopes="read")
    url = reverse("api:factcheck-list")

    with connection_killed_while_waiting_on("factcheck_claim", "ACCESS EXCLUSIVE") as killed:
        response = client.get(url, HTTP_AUTHORIZATION=f"Api-Key {key}")

    assert killed
    assert response.status_code == 503
    assert response.json() == {
        "error": {
            "code": "service_unavailable",
            "message": "The database is temporarily unavailable; retry later.",
        }
    }
    next_request()
    assert client.get(url, HTTP_AUTHORIZATION=f"Api-Key {key}").status_code == 200


def test_verdict_save_killed_between_verdict_and_sources_leaves_no_half_written_verdict(client, fact_checker):
    claim = ClaimFactory()
    transition(claim, "select", user=fact_checker)
    client.force_login(fact_checker)
    url = reverse("admin:factcheck_claim_verdict", args=[claim.pk])
    post = {
        "verdict-rating": "false",
        "verdict-summary": "Official statistics show it rose to 5.1% in March.",
        "verdict-revision": 0,
        "sources-TOTAL_FORMS": 2,
        "sources-INITIAL_FORMS": 0,
        "sources-MIN_NUM_FORMS": 0,
        "sources-MAX_NUM_FORMS": 50,
        "sources-0-url": "https://stats.example.org/march",
        "sources-0-title": "Labour market, March",
        "sources-1-url": "https://stats.example.org/april",
        "sources-1-title": "Labour market, April",
    }

    # SHARE blocks the source INSERT but not the reads and the verdict INSERT before it.
    with connection_killed_while_waiting_on("factcheck_source", "SHARE") as killed:
        response = client.post(url, post)

    assert killed, "the save never reached the source insert"
    assert response.status_code == 503
    next_request()
    assert Verdict.objects.filter(claim=claim).count() == 0
    assert Source.objects.count() == 0

    next_request()
    retried = client.post(url, post)
    assert retried.status_code == 302
    verdict = Verdict.objects.get(claim=claim)
    assert sorted(verdict.sources.values_list("url", flat=True)) == [
        "https://stats.example.org/april",
        "https://stats.example.org/march",
    ]
