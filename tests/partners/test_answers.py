"""Cached answers: served with ETag and 304, never stale after a publish, a correction, an
unpublish or an import; search cached per normalised query; key checks and throttle counts
in one cache round trip on Redis."""

import uuid

import pytest
from django.core.cache import caches

from coverage.claimreview import ClaimReviewRecord
from coverage.matching.index import IndexItem, searchdocs_upsert
from coverage.services import prior_factchecks_import
from factcheck.workflow import transition
from partners import services as partners
from partners.models import ApiKey
from tests import factories

LIST = "/api/v1/fact-checks/"
SEARCH = "/api/v1/claims/search/"
pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_a_repeated_page_is_served_from_the_cache_without_a_query(api, publish, django_assert_num_queries):
    publish()
    first = api.get(LIST)
    assert first.status_code == 200
    with django_assert_num_queries(0):
        again = api.get(LIST)
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == "application/json"


@pytest.mark.parametrize("suffix", ["", "claimreview/"])
def test_etag_answers_304_without_a_body(api, publish, suffix):
    claim = publish()
    first = api.get(f"{LIST}{claim.pk}/{suffix}")
    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert "no-cache" in first["Cache-Control"]
    again = api.get(f"{LIST}{claim.pk}/{suffix}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    other = api.get(f"{LIST}{claim.pk}/{suffix}", HTTP_IF_NONE_MATCH='"something-else"')
    assert other.status_code == 200 and other.content == first.content


def test_publish_correction_and_unpublish_are_seen_at_once(api, publish, django_capture_on_commit_callbacks):
    shown = publish()
    assert ids(api.get(LIST)) == [shown.pk]
    detail_before = api.get(f"{LIST}{shown.pk}/")
    claim = factories.claim_in_state("approved", author=factories.FactCheckerFactory())
    with django_capture_on_commit_callbacks(execute=True):
        transition(claim, "publish", user=factories.EditorFactory())
    assert ids(api.get(LIST)) == [claim.pk, shown.pk]

    with django_capture_on_commit_callbacks(execute=True):
        transition(
            shown,
            "correct",
            user=factories.EditorFactory(),
            summary="The corrected figure is 5.1 percent, not 4.2 percent.",
            correction_note="The March figure was revised.",
        )
        transition(shown, "approve_correction", user=factories.EditorFactory())
    detail_after = api.get(f"{LIST}{shown.pk}/", HTTP_IF_NONE_MATCH=detail_before["ETag"])
    assert detail_after.status_code == 200
    assert detail_after.json()["verdict"]["summary"].startswith("The corrected figure")
    assert detail_after["ETag"] != detail_before["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        transition(claim, "unpublish", user=factories.EditorFactory(), note="A source was withdrawn.")
    assert ids(api.get(LIST)) == [shown.pk]
    assert api.get(f"{LIST}{claim.pk}/").status_code == 410


def test_an_edit_of_a_published_claims_article_or_outlet_is_seen_at_once(
    api, publish, django_capture_on_commit_callbacks
):
    article = factories.ArticleFactory(title="Old headline")
    claim = publish(article=article)
    before = api.get(f"{LIST}{claim.pk}/")
    assert before.json()["article"]["title"] == "Old headline"

    with django_capture_on_commit_callbacks(execute=True):
        article.title = "New headline"
        article.save()
    after = api.get(f"{LIST}{claim.pk}/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after.json()["article"]["title"] == "New headline"

    with django_capture_on_commit_callbacks(execute=True):
        article.outlet.name = "Renamed Outlet"
        article.outlet.save()
    assert "Renamed Outlet" in api.get(f"{LIST}{claim.pk}/").content.decode()


def test_errors_are_not_cached(api, publish, django_capture_on_commit_callbacks):
    claim = factories.claim_in_state("approved", author=factories.FactCheckerFactory())
    assert api.get(f"{LIST}{claim.pk}/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        transition(claim, "publish", user=factories.EditorFactory())
    assert api.get(f"{LIST}{claim.pk}/").status_code == 200


def test_search_is_cached_per_normalised_query(api, publish, django_assert_num_queries):
    claim = publish("Vaccines cause autism in young children.")
    searchdocs_upsert(items=[IndexItem(kind="claim", object_id=claim.pk, text=claim.text)])
    first = api.get(SEARCH, {"q": "vaccines cause autism"})
    assert [row["fact_check_id"] for row in first.json()["claims"]] == [claim.pk]
    with django_assert_num_queries(0):
        spaced = api.get(SEARCH, {"q": "  vaccines   cause\tautism "})
    assert spaced.json()["claims"] == first.json()["claims"]


def test_a_claimreview_import_is_seen_by_search_at_once(api, django_capture_on_commit_callbacks):
    assert api.get(SEARCH, {"q": "drinking seawater cures colds"}).json()["claims"] == []
    record = ClaimReviewRecord(
        url="https://other.example/review/seawater",
        claim_reviewed="Drinking seawater cures colds.",
        rating_text="False",
        publisher="Other Checkers",
    )
    with django_capture_on_commit_callbacks(execute=True):
        prior_factchecks_import(records=[record])
    rows = api.get(SEARCH, {"q": "drinking seawater cures colds"}).json()["claims"]
    assert [row["claim_review"]["url"] for row in rows] == [record.url]


def test_a_partner_deactivated_is_refused_at_once_though_its_key_was_cached(client_for, partner, read_key):
    client = client_for(read_key)
    assert client.get(LIST).status_code == 200
    partner.active = False
    partner.save()
    partners.partner_keys_forget(partner=partner)
    assert client.get(LIST).status_code == 401


def test_a_scope_change_in_the_admin_applies_at_once(admin_client, client_for, partner, read_key):
    client = client_for(read_key)
    assert client.get(LIST).status_code == 200
    key = ApiKey.objects.get()
    response = admin_client.post(
        f"/admin/partners/apikey/{key.pk}/change/", {"name": "renamed", "scopes": "submit"}
    )
    assert response.status_code == 302, response.content
    assert client.get(LIST).status_code == 403


@pytest.fixture
def redis_cache(settings):
    """The API on a real Redis, its keys under a prefix of this test's own (removed after;
    the database may be shared, so it is not flushed)."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/13",
            "KEY_PREFIX": prefix,
        }
    }
    backend = caches["default"]
    yield backend
    client = backend._cache.get_client(write=True)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


def test_key_check_and_throttle_take_one_round_trip_on_redis(
    redis_cache, api, publish, monkeypatch, settings
):
    from redis.connection import Connection

    publish()
    assert api.get(LIST).status_code == 200  # the key row and the answer are cached now
    sent = []
    real_send = Connection.send_packed_command

    def counting_send(self, command, check_health=True):
        sent.append(command)
        return real_send(self, command, check_health)

    monkeypatch.setattr(Connection, "send_packed_command", counting_send)
    assert api.get(LIST).status_code == 200
    # the gate's: key row, failures, throttle count, data version and the cached answer
    assert len(sent) == 1


def test_the_throttle_counts_on_redis(redis_cache, api, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"read": "3/min"}}
    statuses = [api.get(LIST).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
