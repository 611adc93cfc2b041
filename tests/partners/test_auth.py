"""Who may call: 401 for missing or unusable credentials, 403 only for a missing scope."""

import pytest

from partners import services as partners
from partners.models import ApiKey
from tests import factories

LIST = "/api/v1/fact-checks/"
pytestmark = pytest.mark.django_db


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["message"]
    if code:
        assert body["error"]["code"] == code


def test_no_credentials_is_401_json_with_challenge(client_for):
    response = client_for().get(LIST)
    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Api-Key")


def test_no_credentials_is_401_even_when_a_browser_asks_for_html(client_for):
    response = client_for().get(LIST, HTTP_ACCEPT="text/html")
    assert_error(response, 401)


def test_unknown_key_is_401(client_for, read_key):
    prefix = read_key.split(".")[0]
    assert_error(client_for("fc_000000000000.nope").get(LIST), 401, "authentication_failed")
    assert_error(client_for(prefix + ".wrong-secret").get(LIST), 401, "authentication_failed")
    assert_error(client_for("garbage").get(LIST), 401)


def test_a_wrong_secret_is_refused_after_the_right_one_was_accepted(client_for, read_key):
    prefix, secret = read_key.split(".")
    wrong = secret[:-1] + ("y" if secret[-1] == "x" else "x")
    assert client_for(read_key).get(LIST).status_code == 200
    assert_error(client_for(f"{prefix}.{wrong}").get(LIST), 401, "authentication_failed")
    assert client_for(read_key).get(LIST).status_code == 200


def test_a_key_accepted_once_is_not_hashed_with_its_salt_again(client_for, read_key, monkeypatch):
    salts = []
    real = partners._hash_secret

    def counting(secret, salt):
        salts.append(salt)
        return real(secret, salt)

    monkeypatch.setattr(partners, "_hash_secret", counting)
    for _ in range(3):
        assert client_for(read_key).get(LIST).status_code == 200
    assert len(salts) == 1


def test_empty_api_key_header_is_401(client_for):
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION="Api-Key ")
    assert_error(client.get(LIST), 401)


def test_other_scheme_counts_as_no_credentials(client_for):
    client = client_for()
    client.credentials(HTTP_AUTHORIZATION="Bearer abc")
    assert_error(client.get(LIST), 401, "not_authenticated")


def test_revoked_key_is_401(client_for, read_key):
    assert client_for(read_key).get(LIST).status_code == 200
    partners.api_key_revoke(api_key=ApiKey.objects.get())
    assert_error(client_for(read_key).get(LIST), 401, "authentication_failed")


def test_inactive_partner_key_is_401(client_for, partner, read_key):
    partner.active = False
    partner.save()
    assert_error(client_for(read_key).get(LIST), 401, "authentication_failed")


def test_read_only_key_cannot_submit_tips_403(api):
    response = api.post("/api/v1/tips/", {"text": "The moon is made of cheese, says the minister."})
    assert_error(response, 403, "permission_denied")


def test_submit_only_key_cannot_read_403(client_for, partner, make_key):
    assert_error(client_for(make_key(partner, "submit")).get(LIST), 403, "permission_denied")


def test_valid_key_is_200_and_marks_last_use(api):
    assert api.get(LIST).status_code == 200
    assert ApiKey.objects.get().last_used_at is not None


def test_only_a_hash_is_stored(partner):
    key, full = partners.api_key_create(partner=partner, name="x", scopes="read")
    assert full.split(".", 1)[1] not in key.hashed_secret
    assert partners.api_key_verify(full_key=full) == key
    assert partners.api_key_verify(full_key=full + "x") is None


def test_unknown_scope_is_refused(partner):
    with pytest.raises(partners.ScopeError):
        partners.api_key_create(partner=partner, scopes="read,admin")


def test_staff_session_may_browse(client):
    client.force_login(factories.UserFactory(is_staff=True))
    assert client.get(LIST, HTTP_ACCEPT="application/json").status_code == 200
    html = client.get(LIST, HTTP_ACCEPT="text/html")
    assert html.status_code == 200
    assert html["Content-Type"].startswith("text/html")


def test_non_staff_session_is_401(client):
    client.force_login(factories.UserFactory(is_staff=False))
    assert_error(client.get(LIST, HTTP_ACCEPT="application/json"), 401)


def test_staff_session_cannot_send_tips(client):
    client.force_login(factories.UserFactory(is_staff=True))
    response = client.post(
        "/api/v1/tips/",
        {"text": "A claim long enough to be a tip."},
        content_type="application/json",
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 403
