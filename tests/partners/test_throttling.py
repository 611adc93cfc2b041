"""Per-key rate limits: 429 with Retry-After, separate buckets per key and per scope."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db
LIST = "/api/v1/fact-checks/"


def rates(read, submit):
    from django.conf import settings

    return override_settings(
        REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"read": read, "submit": submit}}
    )


def test_read_limit_gives_429_with_retry_after(api):
    with rates("3/min", "100/min"):
        assert [api.get(LIST).status_code for _ in range(3)] == [200, 200, 200]
        response = api.get(LIST)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "throttled"


def test_each_key_has_its_own_bucket(client_for, partner, make_key):
    first, second = client_for(make_key(partner)), client_for(make_key(partner))
    with rates("2/min", "100/min"):
        assert [first.get(LIST).status_code for _ in range(3)] == [200, 200, 429]
        assert second.get(LIST).status_code == 200


def test_a_wrong_secret_with_a_keys_prefix_does_not_spend_that_keys_quota(api, client_for, read_key):
    """Prefixes are not secret (they show in the admin and in logs): only a request that
    holds the secret counts against the key."""
    prefix = read_key.rsplit(".", 1)[0]
    forger = client_for(f"{prefix}.not-the-secret")
    with rates("3/min", "100/min"):
        assert [forger.get(LIST).status_code for _ in range(4)] == [401] * 4
        assert [api.get(LIST).status_code for _ in range(4)] == [200, 200, 200, 429]


def test_submit_has_its_own_rate(submit_api):
    with rates("100/min", "2/min"):
        codes = [
            submit_api.post(
                "/api/v1/tips/", {"text": f"Claim number {i} to check."}, format="json"
            ).status_code
            for i in range(3)
        ]
        assert codes == [201, 201, 429]
        assert submit_api.get(LIST).status_code == 200
