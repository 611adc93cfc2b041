import pytest

pytestmark = pytest.mark.django_db


def test_admin_login_page_answers(client):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert b"csrfmiddlewaretoken" in response.content


def test_api_root_answers_json(client):
    response = client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response.json()["version"] == "v1"


def test_admin_index_needs_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_migrations_are_complete():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()
