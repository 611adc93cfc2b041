"""Admin logins are locked after repeated failures (django-axes), per user and address and per address."""

import pytest
from django.test import override_settings

from tests import factories

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"
PASSWORD = "right-pw-for-tests-123"
LOCKED = "Too many failed logins"


@pytest.fixture
def editor():
    user = factories.UserFactory(username="editor", is_staff=True)
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(client, username, password, address="10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


@override_settings(AXES_FAILURE_LIMIT=5)
def test_the_right_password_is_refused_after_five_wrong_ones(client, editor):
    for _ in range(4):
        response = log_in(client, "editor", "wrong")
        assert response.status_code == 200 and b"Please enter the correct" in response.content
    fifth = log_in(client, "editor", "wrong")
    assert fifth.status_code == 429 and LOCKED.encode() in fifth.content
    response = log_in(client, "editor", PASSWORD)
    assert response.status_code == 429
    assert LOCKED.encode() in response.content and b"Try again in 0:15:00" in response.content
    assert "_auth_user_id" not in client.session


@override_settings(AXES_FAILURE_LIMIT=5)
def test_another_user_from_another_address_is_not_locked(client, editor):
    other = factories.UserFactory(username="checker", is_staff=True)
    other.set_password(PASSWORD)
    other.save()
    for _ in range(6):
        log_in(client, "editor", "wrong", address="10.1.1.1")
    response = log_in(client, "checker", PASSWORD, address="10.2.2.2")
    assert response.status_code == 302 and response["Location"] == "/admin/"


@override_settings(AXES_FAILURE_LIMIT=5)
def test_an_address_guessing_many_user_names_is_locked(client, editor):
    for number in range(5):
        log_in(client, f"guess{number}", "wrong", address="10.3.3.3")
    response = log_in(client, "editor", PASSWORD, address="10.3.3.3")
    assert response.status_code == 429 and LOCKED.encode() in response.content


@override_settings(AXES_FAILURE_LIMIT=5)
def test_failures_below_the_limit_do_not_lock_and_success_resets_them(client, editor):
    for _ in range(4):
        log_in(client, "editor", "wrong")
    assert log_in(client, "editor", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        log_in(client, "editor", "wrong")
    assert log_in(client, "editor", PASSWORD).status_code == 302
