"""Errors under /api/ are JSON with one shape, whatever raised them; elsewhere Django's pages."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/nope/", "/api/v2/", "/api/", "/api/v1/fact-checks/abc/"])
def test_unknown_api_urls_are_json_404(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": {"code": "not_found", "message": "No such resource."}}


def test_method_not_allowed_is_json(api):
    response = api.delete("/api/v1/fact-checks/")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"


def test_server_error_under_api_is_json(rf):
    from core.handlers import handler500

    response = handler500(rf.get("/api/v1/fact-checks/"))
    assert response.status_code == 500
    assert b'"server_error"' in response.content


def test_outside_api_404_stays_html(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert not response["Content-Type"].startswith("application/json")


def test_root_lists_resources(api):
    body = api.get("/api/v1/").json()
    assert body["fact_checks"].endswith("/api/v1/fact-checks/")
    assert body["schema"].endswith("/api/v1/schema/")


@pytest.mark.parametrize("path", ["/api/v1/nope/", "/api/v2/", "/api/v1/fact-checks/abc/"])
def test_unknown_api_urls_are_json_404_with_debug_on(api, settings, path):
    settings.DEBUG = True
    response = api.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"error": {"code": "not_found", "message": "No such resource."}}


def test_a_missing_slash_is_still_redirected_with_debug_on(api, settings):
    settings.DEBUG = True
    response = api.get("/api/v1/fact-checks")
    assert response.status_code == 301
    assert response["Location"].endswith("/api/v1/fact-checks/")


def test_outside_api_the_debug_404_page_stays(client, settings):
    settings.DEBUG = True
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.fixture
def withdrawn(publish):
    from factcheck.workflow import transition
    from tests.factories import EditorFactory

    claim = publish("The bridge cost 3 billion pounds.")
    transition(claim, "unpublish", user=EditorFactory(), note="A source was withdrawn.")
    return claim


@pytest.mark.parametrize("suffix", ["", "claimreview/"])
def test_a_withdrawn_fact_check_is_410_in_the_error_shape(api, client, withdrawn, suffix):
    from public.claimreview import factcheck_url

    response = api.get(f"/api/v1/fact-checks/{withdrawn.pk}/{suffix}")
    assert response.status_code == 410
    assert response.json()["error"]["code"] == "gone"
    # the same answer as the public page gives
    assert client.get(factcheck_url(claim=withdrawn)).status_code == 410


def test_a_withdrawn_fact_check_leaves_the_list(api, withdrawn):
    assert api.get("/api/v1/fact-checks/").json()["results"] == []


@pytest.mark.parametrize("suffix", ["", "claimreview/"])
def test_a_never_published_claim_is_404(api, suffix):
    from factcheck.models import ClaimState
    from tests import factories

    draft = factories.ClaimFactory(state=ClaimState.IN_REVIEW)
    factories.VerdictFactory(claim=draft)
    response = api.get(f"/api/v1/fact-checks/{draft.pk}/{suffix}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_rating_lists_the_valid_ones(api):
    from factcheck import ratings

    response = api.get("/api/v1/fact-checks/", {"rating": "pants-on-fire"})
    assert response.status_code == 400
    [message] = response.json()["error"]["fields"]["rating"]
    assert "pants-on-fire" in message
    for key, _label in ratings.CHOICES:
        assert key in message


def test_options_on_tips_describes_what_a_post_takes(submit_api):
    response = submit_api.options("/api/v1/tips/")
    assert response.status_code == 200
    post = response.json()["actions"]["POST"]
    assert set(post) == {"text", "url", "context", "claimant"}
    assert post["text"]["required"] is True
    assert not any(field["read_only"] for field in post.values())
