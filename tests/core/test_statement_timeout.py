"""PostgreSQL cancels a web request's statement that runs past ``DB_STATEMENT_TIMEOUT_MS``,
and the request answers 503 with a page saying so; commands run without the timeout."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.utils import load_backend
from django.http import HttpResponse
from django.test import Client
from django.urls import include, path

from core.middleware import QUERY_CANCELED

pytestmark = [pytest.mark.postgres, pytest.mark.urls(__name__)]
ROOT = Path(__file__).resolve().parents[2]


def slow_page(request):
    """A statement slower than a (tiny, local) statement timeout."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 100")
        cursor.execute("SELECT pg_sleep(1)")
    return HttpResponse("finished")


urlpatterns = [
    path("slow/", slow_page),
    path("api/slow/", slow_page),
    path("", include("config.urls")),
]


def _web_database(monkeypatch, timeout_ms: int) -> dict:
    """The ``default`` database as config/settings.py builds it for this environment."""
    monkeypatch.setenv("DB_STATEMENT_TIMEOUT_MS", str(timeout_ms))
    built = runpy.run_path(str(ROOT / "config" / "settings.py"))["DATABASES"]["default"]
    return {**connection.settings_dict, "OPTIONS": built["OPTIONS"]}


def test_the_settings_set_the_timeout_as_a_connection_option():
    expected = f"-c statement_timeout={settings.DB_STATEMENT_TIMEOUT_MS}"
    assert settings.DATABASES["default"]["OPTIONS"]["options"] == expected


@pytest.mark.django_db
def test_a_statement_past_the_timeout_is_cancelled(monkeypatch):
    probe = load_backend(connection.settings_dict["ENGINE"]).DatabaseWrapper(
        _web_database(monkeypatch, 200), "timeout_probe"
    )
    try:
        with probe.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "200ms"
            with pytest.raises(OperationalError) as raised:
                cursor.execute("SELECT pg_sleep(1)")
        assert raised.value.__cause__.sqlstate == QUERY_CANCELED
    finally:
        probe.close()


@pytest.mark.django_db
def test_a_cancelled_statement_answers_503_with_a_clear_page():
    client = Client(raise_request_exception=False)
    response = client.get("/slow/")
    assert response.status_code == 503
    assert b"took too long" in response.content
    assert response["Retry-After"]
    api = client.get("/api/slow/")
    assert api.status_code == 503
    assert "took too long" in api.json()["error"]["message"]


@pytest.mark.django_db
def test_management_commands_run_without_the_timeout():
    name = connection.settings_dict["NAME"]
    url = f"postgres://{connection.settings_dict['USER']}@{connection.settings_dict['HOST']}:{connection.settings_dict['PORT']}/{name}"
    show = "from django.db import connection; c = connection.cursor(); c.execute('SHOW statement_timeout'); print(c.fetchone()[0])"
    env = {**os.environ, "DATABASE_URL": url, "DB_STATEMENT_TIMEOUT_MS": "200"}
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", show],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.split()[-1] == "0"


@pytest.mark.django_db
@pytest.mark.parametrize("worker", [True, False], ids=["worker", "web"])
def test_a_celery_worker_connects_without_the_timeout(worker):
    """Celery's ``worker_init`` (sent once in the worker's main process, before the pool
    forks) clears the option, so every task's connection runs without it; a process that
    is no worker keeps it."""
    settings_dict = connection.settings_dict
    url = f"postgres://{settings_dict['USER']}@{settings_dict['HOST']}:{settings_dict['PORT']}/{settings_dict['NAME']}"
    script = "\n".join(
        [
            "import django; django.setup()",
            "from config.celery import app",
            "from celery.signals import worker_init",
            "from django.db import connection",
            "connection.ensure_connection()",  # a connection opened before the worker starts
            f"if {worker}: worker_init.send(sender=app)",
            "c = connection.cursor(); c.execute('SHOW statement_timeout'); print(c.fetchone()[0])",
        ]
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DB_STATEMENT_TIMEOUT_MS": "200",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[-1] == ("0" if worker else "200ms")
