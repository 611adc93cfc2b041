"""Invalid or missing API credentials are limited per client address: 429 with Retry-After."""

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db
LIST = "/api/v1/fact-checks/"


def failure_rate(rate):
    from django.conf import settings

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "unauthenticated": rate}
    return override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates})


def test_invalid_keys_from_one_address_are_throttled(client_for, read_key):
    guesser = client_for("fc_notakey.0123456789abcdef")
    with failure_rate("5/min"):
        codes = [guesser.get(LIST, REMOTE_ADDR="10.9.9.9").status_code for _ in range(5)]
        assert codes == [401] * 5
        response = guesser.get(LIST, REMOTE_ADDR="10.9.9.9")
        assert response.status_code == 429
        assert 0 < int(response["Retry-After"]) <= 60
        assert response.json()["error"]["code"] == "throttled"
        # The address is refused before any key is checked: a right key cannot be told apart.
        assert client_for(read_key).get(LIST, REMOTE_ADDR="10.9.9.9").status_code == 429
        # A valid key from another address still works.
        assert client_for(read_key).get(LIST, REMOTE_ADDR="10.8.8.8").status_code == 200


def test_requests_without_credentials_count_too(client_for):
    anonymous = client_for()
    with failure_rate("3/min"):
        assert [anonymous.get(LIST, REMOTE_ADDR="10.7.7.7").status_code for _ in range(4)] == [
            401,
            401,
            401,
            429,
        ]


def test_valid_keys_do_not_use_up_the_address_budget(client_for, read_key, partner):
    api = client_for(read_key)
    with failure_rate("2/min"):
        assert {api.get(LIST, REMOTE_ADDR="10.6.6.6").status_code for _ in range(5)} == {200}


def test_a_forwarded_for_header_does_not_pick_a_fresh_bucket(client_for):
    guesser = client_for("fc_notakey.0123456789abcdef")
    with failure_rate("2/min"):
        codes = [
            guesser.get(LIST, REMOTE_ADDR="10.5.5.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}").status_code
            for n in range(3)
        ]
    assert codes == [401, 401, 429]
