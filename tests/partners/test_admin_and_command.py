"""Keys from the admin (full key shown once) and from ``create_api_key``; the partner admin pages."""

import io

import pytest
from django.core.management import CommandError, call_command

from partners import services as partners
from partners.models import ApiKey, Partner, Webhook, WebhookDelivery
from tests import factories

pytestmark = pytest.mark.django_db
PUBLIC_HOOK = "https://93.184.215.14/x"  # a public address, never called here: no DNS, no request


@pytest.fixture
def admin_client(client):
    client.force_login(factories.SuperuserFactory())
    return client


def test_admin_add_key_shows_full_key_once(admin_client, partner, client_for):
    response = admin_client.post(
        "/admin/partners/apikey/add/", {"partner": partner.pk, "name": "prod", "scopes": ["read", "submit"]}
    )
    assert response.status_code == 302
    key = ApiKey.objects.get()
    first_page = admin_client.get(response.url).content.decode()
    full = next(word for word in first_page.split() if word.startswith("fc_"))
    assert full.startswith(f"fc_{key.prefix}.")
    assert partners.api_key_verify(full_key=full) == key
    assert key.scopes == "read,submit"
    for url in (response.url, f"/admin/partners/apikey/{key.pk}/change/"):
        page = admin_client.get(url).content.decode()
        assert full not in page and key.hashed_secret not in page
    assert client_for(full).get("/api/v1/fact-checks/").status_code == 200


def test_admin_key_needs_a_scope(admin_client, partner):
    response = admin_client.post("/admin/partners/apikey/add/", {"partner": partner.pk, "name": "x"})
    assert response.status_code == 200
    assert not ApiKey.objects.exists()


def test_admin_revoke_action(admin_client, partner, read_key, client_for):
    key = ApiKey.objects.get()
    response = admin_client.post(
        "/admin/partners/apikey/", {"action": "revoke_keys", "_selected_action": [key.pk]}
    )
    assert response.status_code == 302
    key.refresh_from_db()
    assert key.revoked and key.revoked_at
    assert client_for(read_key).get("/api/v1/fact-checks/").status_code == 401


def test_admin_pages_render(admin_client, partner, read_key):
    hook = Webhook.objects.create(partner=partner, url=PUBLIC_HOOK, secret="s", events=["published"])
    WebhookDelivery.objects.create(webhook=hook, event="published", event_id="abc", status_code=500)
    for url in (
        "/admin/partners/partner/",
        f"/admin/partners/partner/{partner.pk}/change/",
        "/admin/partners/apikey/",
        "/admin/partners/apikey/add/",
        "/admin/partners/webhook/",
        f"/admin/partners/webhook/{hook.pk}/change/",
        "/admin/partners/webhook/add/",
        "/admin/partners/webhookdelivery/",
        "/admin/partners/webhookdelivery/?succeeded__exact=0",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_admin_webhook_refuses_non_http_url(admin_client, partner):
    response = admin_client.post(
        "/admin/partners/webhook/add/",
        {
            "partner": partner.pk,
            "url": "ftp://93.184.215.14/x",
            "secret": "abc",
            "events": ["published"],
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert not Webhook.objects.exists()
    response = admin_client.post(
        "/admin/partners/webhook/add/",
        {
            "partner": partner.pk,
            "url": PUBLIC_HOOK,
            "secret": "abc",
            "events": ["published"],
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert Webhook.objects.get().events == ["published"]


def test_non_staff_cannot_reach_key_admin(client):
    client.force_login(factories.UserFactory(is_staff=False))
    assert client.get("/admin/partners/apikey/").status_code == 302


def test_command_creates_partner_and_prints_key_on_its_own_line(client_for):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "create_api_key", "New Partner", "--scopes", "read,submit", "--name", "ci", stdout=out, stderr=err
    )
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fc_")
    key = ApiKey.objects.get()
    assert (key.partner.name, key.name, key.scopes) == ("New Partner", "ci", "read,submit")
    assert client_for(lines[0]).get("/api/v1/fact-checks/").status_code == 200


def test_command_reuses_an_existing_partner(partner):
    call_command("create_api_key", partner.name, stdout=io.StringIO(), stderr=io.StringIO())
    assert Partner.objects.count() == 1
    assert ApiKey.objects.get().scopes == "read"


def test_command_refuses_unknown_scope():
    with pytest.raises(CommandError, match="Unknown scope"):
        call_command(
            "create_api_key", "P", "--scopes", "read,delete", stdout=io.StringIO(), stderr=io.StringIO()
        )
    assert not Partner.objects.exists()
