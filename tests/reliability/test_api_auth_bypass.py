"""The partner API attacked by hand: no credential trick gets data, nothing answers 5xx.

Every endpoint is called with missing, garbled, revoked and foreign credentials; partners
probe each other's tips and unpublished claims; keys try scopes they do not hold.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from partners import services as partners
from partners.models import Partner
from tests.factories import claim_in_state

pytestmark = pytest.mark.django_db

SECRET_TEXT = "Draft claim nobody outside the desk may see: zebra budget 77%."


@pytest.fixture
def world(db):
    """Two partners with keys and tips, one published fact-check, one draft claim."""
    ours, theirs = Partner.objects.create(name="Ours"), Partner.objects.create(name="Theirs")
    keys = {
        "read": partners.api_key_create(partner=ours, name="r", scopes="read")[1],
        "submit": partners.api_key_create(partner=ours, name="s", scopes="submit")[1],
        "full": partners.api_key_create(partner=ours, name="f", scopes="read,submit")[1],
        "theirs": partners.api_key_create(partner=theirs, name="t", scopes="read,submit")[1],
    }
    revoked_key, revoked = partners.api_key_create(partner=ours, name="old", scopes="read,submit")
    partners.api_key_revoke(api_key=revoked_key)
    keys["revoked"] = revoked
    inactive = Partner.objects.create(name="Gone", active=False)
    keys["inactive"] = partners.api_key_create(partner=inactive, name="g", scopes="read,submit")[1]
    their_tip = partners.tip_submit(partner=theirs, text="Their private tip about 12% of bridges.").claim
    our_tip = partners.tip_submit(partner=ours, text="Our tip about 40,000 nurses leaving.").claim
    published = claim_in_state("published", text="Unemployment fell to 4.2% in March.")
    draft = claim_in_state("in_review", text=SECRET_TEXT)
    return {"keys": keys, "their_tip": their_tip, "our_tip": our_tip, "published": published, "draft": draft}


def endpoints(world) -> list[tuple[str, str]]:
    p, d, t = world["published"].pk, world["draft"].pk, world["their_tip"].pk
    return [
        ("get", "/api/v1/fact-checks/"),
        ("get", f"/api/v1/fact-checks/{p}/"),
        ("get", f"/api/v1/fact-checks/{p}/claimreview/"),
        ("get", f"/api/v1/fact-checks/{d}/"),
        ("get", f"/api/v1/fact-checks/{d}/claimreview/"),
        ("get", "/api/v1/claims/search/?q=zebra+budget"),
        ("get", "/api/v1/tips/"),
        ("get", f"/api/v1/tips/{t}/"),
        ("post", "/api/v1/tips/"),
        ("put", f"/api/v1/fact-checks/{p}/"),
        ("delete", f"/api/v1/tips/{t}/"),
    ]


def call(method: str, url: str, authorization: str | None):
    extra = {"HTTP_AUTHORIZATION": authorization} if authorization is not None else {}
    client = Client()
    if method == "post":
        return client.post(
            url, {"text": "A tip that must not be stored 5%."}, content_type="application/json", **extra
        )
    return getattr(client, method)(url, **extra)


GARBLED = [
    None,
    "",
    "Api-Key",
    "Api-Key ",
    "Api-Key    ",
    "Api-Key garbage",
    "Api-Key fc_",
    "Api-Key fc_.",
    "Api-Key fc_x.",
    "Api-Key fc_.secret",
    "Api-Key fc_" + "a" * 17 + ".secret",
    "Api-Key fc_abc\x00def.secret",
    "Api-Key fc_abc.sec\x00ret",
    "Api-Key fc_\xff\xfe.x",
    "Api-Key fc_ab'c--.x",
    "Api-Key fc_%.x",
    "Api-Key fc_" + "é" * 8 + ".x",
    "Api-Key " + "A" * 100_000,
    "Bearer anything",
    "Basic YWRtaW46YWRtaW4=",
]


@pytest.mark.parametrize("authorization", GARBLED, ids=lambda a: repr(a)[:40])
def test_garbled_or_missing_credentials_get_401_json_everywhere(world, authorization):
    for method, url in endpoints(world):
        response = call(method, url, authorization)
        # A method no endpoint has may answer 405 before authentication: it reveals nothing.
        allowed = {401, 405} if method in {"put", "delete"} else {401}
        assert response.status_code in allowed, (method, url, response.status_code, response.content[:200])
        assert "json" in response["Content-Type"]  # the ClaimReview view errors as ld+json
        assert b"nobody outside" not in response.content and b"bridges" not in response.content


@pytest.mark.parametrize("which", ["revoked", "inactive"])
def test_revoked_key_or_inactive_partner_gets_401(world, which):
    key = world["keys"][which]
    for method, url in endpoints(world):
        response = call(method, url, f"Api-Key {key}")
        assert response.status_code == 401, (method, url, response.status_code)


def test_valid_key_with_the_secret_of_another_key_is_refused(world):
    ours, theirs = world["keys"]["read"], world["keys"]["theirs"]
    spliced = ours.split(".")[0] + "." + theirs.split(".", 1)[1]
    assert call("get", "/api/v1/fact-checks/", f"Api-Key {spliced}").status_code == 401


def test_a_partner_never_sees_another_partners_tips(world):
    key = f"Api-Key {world['keys']['full']}"
    assert call("get", f"/api/v1/tips/{world['their_tip'].pk}/", key).status_code == 404
    listed = call("get", "/api/v1/tips/", key)
    assert listed.status_code == 200
    assert "bridges" not in listed.content.decode()
    assert "nurses" in listed.content.decode()


def test_unpublished_claims_do_not_leak_through_any_read_endpoint(world):
    key = f"Api-Key {world['keys']['read']}"
    draft = world["draft"].pk
    assert call("get", f"/api/v1/fact-checks/{draft}/", key).status_code == 404
    assert call("get", f"/api/v1/fact-checks/{draft}/claimreview/", key).status_code == 404
    for url in [
        "/api/v1/fact-checks/",
        "/api/v1/fact-checks/?q=zebra",
        "/api/v1/claims/search/?q=zebra+budget+77",
    ]:
        response = call("get", url, key)
        assert response.status_code == 200, url
        assert "nobody outside the desk" not in response.content.decode(), url


def test_published_fact_check_carries_no_internal_fields(world):
    response = call(
        "get", f"/api/v1/fact-checks/{world['published'].pk}/", f"Api-Key {world['keys']['read']}"
    )
    assert response.status_code == 200
    text = response.content.decode().lower()
    for internal in (
        "assignee",
        "email",
        "@example.org",
        "author",
        "reviewer",
        "password",
        'note":',
    ):
        assert internal not in text, internal


def test_scopes_cannot_be_escalated(world):
    keys = world["keys"]
    assert call("post", "/api/v1/tips/", f"Api-Key {keys['read']}").status_code == 403
    assert call("get", "/api/v1/fact-checks/", f"Api-Key {keys['submit']}").status_code == 403
    for method, url in [
        ("put", f"/api/v1/fact-checks/{world['published'].pk}/"),
        ("delete", "/api/v1/tips/"),
    ]:
        assert call(method, url, f"Api-Key {keys['full']}").status_code in {403, 405}
    assert call("post", "/api/v1/tips/", f"Api-Key {keys['full']}").status_code == 201


def test_a_logged_in_non_staff_user_gets_no_data(world):
    user = get_user_model().objects.create_user("reader", password="pw-for-tests-123", is_staff=False)
    client = Client()
    client.force_login(user)
    response = client.get("/api/v1/fact-checks/")
    assert response.status_code == 401
    tips = client.get("/api/v1/tips/")
    assert tips.status_code == 401 and b"bridges" not in tips.content
