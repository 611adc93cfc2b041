"""Webhook URLs inside our network: refused in the admin, at save, and at delivery without a connection."""

import pytest
from django.test import override_settings

from core.outbound import OutboundRefused
from partners import tasks
from partners.models import Webhook, WebhookDelivery
from tests import factories
from tests.core.test_outbound import listener, pending_connections, recorded  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
INSIDE = [
    "http://127.0.0.1:5432/",
    "http://169.254.169.254/",
    "http://[::1]:8765/",
    "http://localhost:6379/",
    "http://10.0.0.1/",
    "http://[fe80::1]/",
    "http://0.0.0.0/",
    "http://[::ffff:127.0.0.1]/",
]


@pytest.fixture(autouse=True)
def _inside_refused(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False


@pytest.fixture
def admin_client(client):
    client.force_login(factories.SuperuserFactory())
    return client


def stored_hook(partner, url):
    """A row as saved before the check existed (or by SQL): ``bulk_create`` skips ``save()``."""
    (hook,) = Webhook.objects.bulk_create([Webhook(partner=partner, url=url, secret="s", events=[])])
    return hook


@pytest.mark.parametrize("url", INSIDE)
def test_admin_form_refuses_inside_urls_naming_the_problem(admin_client, partner, url):
    response = admin_client.post(
        "/admin/partners/webhook/add/",
        {"partner": partner.pk, "url": url, "secret": "abc", "events": ["published"], "active": "on"},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["url"]
    assert any("only public addresses are called" in error for error in errors), errors
    assert not Webhook.objects.exists()


@pytest.mark.parametrize("url", INSIDE)
def test_save_refuses_inside_urls(partner, url):
    with pytest.raises(OutboundRefused, match="only public addresses"):
        Webhook.objects.create(partner=partner, url=url, secret="s")
    assert not Webhook.objects.exists()


@override_settings(WEBHOOK_MAX_ATTEMPTS=6, WEBHOOK_BACKOFF_SECONDS=0)
@pytest.mark.parametrize("url", INSIDE)
def test_delivery_to_an_inside_url_fails_once_without_connecting(partner, publish, url):
    hook = stored_hook(partner, url)
    claim = publish()
    with recorded() as events:
        tasks.notify_partners.delay("published", claim.pk)
    assert [e for e in events if e[0] == "socket.connect"] == []
    (delivery,) = WebhookDelivery.objects.filter(webhook=hook)  # not retried
    assert not delivery.succeeded and delivery.status_code is None
    assert delivery.error.startswith("Refused, not called: ")
    assert "only public addresses are called" in delivery.error


@override_settings(WEBHOOK_MAX_ATTEMPTS=6, WEBHOOK_BACKOFF_SECONDS=0)
def test_the_log_does_not_tell_an_open_port_from_a_closed_one(partner, publish, listener):  # noqa: F811
    open_port = listener.getsockname()[1]
    closed_port = 9  # nothing is connected to either, so nothing tells them apart
    open_hook = stored_hook(partner, f"http://127.0.0.1:{open_port}/")
    closed_hook = stored_hook(partner, f"http://127.0.0.1:{closed_port}/")
    tasks.notify_partners.delay("published", publish().pk)
    (opened,) = WebhookDelivery.objects.filter(webhook=open_hook)
    (closed,) = WebhookDelivery.objects.filter(webhook=closed_hook)
    assert pending_connections(listener) == 0
    assert (opened.status_code, opened.succeeded) == (closed.status_code, closed.succeeded) == (None, False)
    assert opened.error.replace(str(open_port), "PORT") == closed.error.replace(str(closed_port), "PORT")
