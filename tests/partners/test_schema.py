"""The OpenAPI schema: generated without warnings, served with docs, and honoured by the API
(a schemathesis run with a valid key and all its checks finds no 5xx, no response that breaks
the schema, no schema-valid request refused and no schema-invalid one accepted)."""

import io

import pytest
from django.core import signals
from django.core.management import call_command
from django.db import close_old_connections

pytestmark = pytest.mark.django_db


def test_schema_generates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out), stderr=io.StringIO())
    text = out.read_text()
    for path in (
        "/fact-checks/",
        "/fact-checks/{id}/claimreview/",
        "/claims/search/",
        "/tips/",
        "/tips/{id}/",
    ):
        assert f"/api/v1{path}:" in text
    for param in (
        "rating",
        "claimant",
        "outlet",
        "published_after",
        "published_before",
        "updated_since",
        "q",
    ):
        assert f"name: {param}" in text
    assert "ApiKeyAuth" in text and "'429':" in text and "'401':" in text


def test_answers_are_read_only_in_the_schema(client):
    """What the API answers is marked read-only; what a tip takes is writable."""
    schemas = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()["components"]["schemas"]
    for name in ("FactCheck", "Verdict", "Tip", "SearchResult", "SearchResponse"):
        properties = schemas[name]["properties"]
        assert all(prop.get("readOnly") for prop in properties.values()), name
    tip_input = schemas["TipInputRequest"]["properties"]
    assert set(tip_input) == {"text", "url", "context", "claimant"}
    assert not any(prop.get("readOnly") for prop in tip_input.values())


def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "Fact-check CMS partner API"
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html and "cdn.jsdelivr" not in html and "unpkg" not in html
    redoc = client.get("/api/v1/redoc/")
    assert redoc.status_code == 200 and "cdn.jsdelivr" not in redoc.content.decode()


@pytest.fixture
def in_process_wsgi():
    """The WSGI app sharing the test's transaction: as Django's test client does, keep the
    request signals from closing the connection in the middle of the test."""
    from config.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield application
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(publish, partner, make_key):
    from coverage.matching.index import IndexItem, searchdocs_upsert
    from tests import factories

    claims = [
        publish(f"Vaccines cause autism, claim {i}.", rating=r) for i, r in enumerate(["false", "misleading"])
    ]
    prior = factories.PriorFactCheckFactory()
    factories.TipFactory(partner=partner, claim__text="A tip about vaccines.")
    searchdocs_upsert(
        items=[IndexItem(kind="claim", object_id=c.pk, text=c.text) for c in claims]
        + [IndexItem(kind="factcheck", object_id=prior.pk, text=prior.claim_reviewed)]
    )
    return make_key(partner, "read,submit")


def test_schemathesis_finds_no_server_error_or_schema_violation(in_process_wsgi, seeded, settings):
    import schemathesis
    from hypothesis import HealthCheck, given
    from hypothesis import settings as hypothesis_settings
    from schemathesis import GenerationMode

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"read": "100000/min", "submit": "100000/min"},
    }
    headers = {"Authorization": f"Api-Key {seeded}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", in_process_wsgi)
    operations = [result.ok() for result in schema.get_all_operations()]
    seen = set()
    assert len(operations) == 7

    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @hypothesis_settings(
                max_examples=40,
                deadline=None,
                derandomize=True,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def run(case):
                # No ``checks``: every check schemathesis has, including that schema-valid
                # input is accepted (positive_data_acceptance) and invalid input refused
                # (negative_data_rejection).
                response = case.call_and_validate(headers=headers)
                seen.add((case.operation.label, response.status_code))

            run()
    # The run reached real data, not just refusals.
    ok = {label for label, status in seen if status in (200, 201)}
    expected = {
        "GET /api/v1/fact-checks/",
        "GET /api/v1/claims/search/",
        "GET /api/v1/tips/",
        "POST /api/v1/tips/",
    }
    assert expected <= ok, sorted(seen)
