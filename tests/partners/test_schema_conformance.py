"""What the schema allows the API accepts, and what it refuses the API refuses: NUL in text,
years outside 1900-9000, empty typed parameters, http(s) URLs, lengths as sent."""

import pytest

from factcheck.models import Claim

LIST = "/api/v1/fact-checks/"
SEARCH = "/api/v1/claims/search/"
TIPS = "/api/v1/tips/"
TEXT = "The new stadium will cost taxpayers nothing, the mayor said."
pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    return response.json()


def parameter(schema, path, name):
    (found,) = [p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name]
    return found["schema"]


def refused(response, field):
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"], error
    return error["fields"][field]


def test_nul_in_text_is_refused_and_the_schema_says_so(api, schema):
    for name in ("q", "claimant", "outlet"):
        refused(api.get(LIST, {name: "a\x00b"}), name)
        assert parameter(schema, "/api/v1/fact-checks/", name)["pattern"] == "^[^\\u0000]*$"
    refused(api.get(SEARCH, {"q": "vaccines \x00 autism"}), "q")
    assert "\\u0000" in parameter(schema, "/api/v1/claims/search/", "q")["pattern"]
    tip = schema["components"]["schemas"]["TipInputRequest"]["properties"]
    assert all("\\u0000" in tip[name]["pattern"] for name in ("text", "url", "context", "claimant"))


def test_text_filters_declare_their_length_limits(api, schema):
    assert parameter(schema, "/api/v1/fact-checks/", "claimant")["maxLength"] == 300
    assert parameter(schema, "/api/v1/fact-checks/", "q")["maxLength"] == 500
    # The limit counts what was sent, spaces included, as the schema's maxLength does.
    refused(api.get(LIST, {"claimant": "a" * 299 + "  "}), "claimant")
    assert api.get(LIST, {"claimant": "  a  "}).status_code == 200


def test_updated_since_years_are_bounded_in_the_schema_too(api, schema):
    declared = parameter(schema, "/api/v1/fact-checks/", "updated_since")
    assert declared["format"] == "date-time" and declared["pattern"].startswith("^(19")
    refused(api.get(LIST, {"updated_since": "1899-12-31T23:59:59Z"}), "updated_since")
    refused(api.get(LIST, {"updated_since": "9001-01-01T00:00:00Z"}), "updated_since")
    assert api.get(LIST, {"updated_since": "1900-01-01T00:00:00+14:00"}).status_code == 200
    assert api.get(LIST, {"updated_since": "9000-12-31T23:59:59-14:00"}).status_code == 200


@pytest.mark.parametrize("name", ["updated_since", "published_after", "published_before", "rating"])
def test_an_empty_typed_filter_is_refused(api, name):
    assert refused(api.get(LIST, {name: ""}), name) == ["Give a value or leave the parameter out."]


def test_empty_text_filters_are_no_filter(api, publish):
    shown = publish()
    for name in ("q", "claimant", "outlet"):
        response = api.get(LIST, {name: ""})
        assert [row["id"] for row in response.json()["results"]] == [shown.pk]


@pytest.mark.parametrize("name", ["limit", "min_score"])
def test_an_empty_number_in_claim_search_is_refused(api, name):
    refused(api.get(SEARCH, {"q": "vaccines cause autism", name: ""}), name)


def test_an_empty_format_is_refused(api, publish):
    claim = publish()
    url = f"{LIST}{claim.pk}/claimreview/"
    refused(api.get(url, {"format": ""}), "format")
    assert api.get(url, {"format": "json"}).status_code == 200


def test_search_query_needs_three_characters_besides_spaces(api):
    refused(api.get(SEARCH, {"q": "  ab  "}), "q")
    response = api.get(SEARCH, {"q": "  abc  "})
    assert response.status_code == 200 and response.json()["query"] == "abc"


@pytest.mark.parametrize(
    "url",
    [
        "https://" + "a" * 300 + ".example/story",  # longer than DNS allows; shown, never fetched
        "http://" + "label-" * 20 + "x.example",  # a label over 63 characters
        "HTTPS://news.example",
        "",
    ],
)
def test_any_http_url_the_schema_allows_is_accepted(submit_api, url):
    response = submit_api.post(TIPS, {"text": TEXT, "url": url}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["url"] == url


@pytest.mark.parametrize(
    "url", ["ftp://files.example/x", "https://", "https://user@news.example/", "https://a b.example"]
)
def test_other_urls_are_refused(submit_api, url):
    refused(submit_api.post(TIPS, {"text": TEXT, "url": url}, format="json"), "url")


def test_tip_lengths_count_what_was_sent_and_the_text_is_stored_stripped(submit_api):
    refused(submit_api.post(TIPS, {"text": "x" * 1995 + " " * 10}, format="json"), "text")
    refused(submit_api.post(TIPS, {"text": "   short   "}, format="json"), "text")
    refused(submit_api.post(TIPS, {"text": "\x1cabcdefghi\u3000"}, format="json"), "text")
    response = submit_api.post(TIPS, {"text": f"  {TEXT}\n", "claimant": " The mayor "}, format="json")
    assert response.status_code == 201, response.content
    claim = Claim.objects.get()
    assert (claim.text, claim.claimant) == (TEXT, "The mayor")
