"""The connection dropped while a middleware, not the view, talks to the database: still 503.

``SessionMiddleware`` saves a changed session after the view returned, so a connection
killed there raises inside the middleware chain, where a view's ``process_exception``
never sees it and Django would answer its plain 500. No view of ours changes the session
yet (logins save it inside the view), so this module's URLconf adds one that does, in
front of the project's URLs.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import close_old_connections
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from tests.factories import SuperuserFactory
from tests.reliability.pg_faults import connection_killed_while_waiting_on

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls(__name__),
]


def remember_visit(request):
    """Change the session in the view; SessionMiddleware saves it on the way out."""
    request.session["visits"] = request.session.get("visits", 0) + 1
    return HttpResponse(f"visit {request.session['visits']}")


urlpatterns = [path("remember/", remember_visit), path("", include("config.urls"))]
handler500 = "core.handlers.handler500"


class LastSeenMiddleware:
    """A middleware that writes after the view, as an activity tracker would."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            get_user_model().objects.filter(pk=request.user.pk).update(first_name="seen")
        return response


def stored_visits(client: Client) -> int | None:
    session = Session.objects.get(session_key=client.session.session_key)
    return session.get_decoded().get("visits")


def test_session_save_killed_after_the_view_answers_503_not_500():
    # As in production: Django turns the error into a response instead of re-raising it.
    client = Client(raise_request_exception=False)
    client.force_login(SuperuserFactory())
    assert client.get("/remember/").content == b"visit 1"

    # SHARE lets the view read the session and blocks only the UPDATE that saves it.
    with connection_killed_while_waiting_on("django_session", "SHARE") as killed:
        response = client.get("/remember/")

    assert killed, "the session save never waited on the lock"
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Temporarily unavailable" in body and "Traceback" not in body
    assert "may have been saved" in body  # the view had finished: no promise that nothing was
    assert stored_visits(client) == 1  # the save that died wrote nothing

    close_old_connections()  # what Django's handler does at the next request's start
    assert client.get("/remember/").content == b"visit 2"
    assert stored_visits(client) == 2


def test_any_middleware_query_killed_after_the_view_answers_503(settings):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, f"{__name__}.LastSeenMiddleware"]
    client = Client(raise_request_exception=False)
    user = SuperuserFactory(first_name="")
    client.force_login(user)

    with connection_killed_while_waiting_on("auth_user", "SHARE") as killed:
        response = client.get("/remember/")

    assert killed, "the middleware's update never waited on the lock"
    assert response.status_code == 503  # Django's own answer would be its 500 page
    assert "may have been saved" in response.content.decode()
    close_old_connections()
    user.refresh_from_db()
    assert user.first_name == ""
