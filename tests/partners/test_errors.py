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
