"""Fixtures for the partner API: partners, keys, published fact-checks, an API client."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from factcheck.models import ClaimState
from partners import services as partners
from partners.models import Partner
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_throttles():
    """Throttle counters live in the cache; each test starts with empty buckets."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def partner(db):
    return Partner.objects.create(name="Partner News", contact="desk@partner.example")


@pytest.fixture
def other_partner(db):
    return Partner.objects.create(name="Other Partner")


@pytest.fixture
def make_key(db):
    def make(partner, scopes="read", name="test"):
        _key, full = partners.api_key_create(partner=partner, name=name, scopes=scopes)
        return full

    return make


@pytest.fixture
def read_key(partner, make_key):
    return make_key(partner, "read")


@pytest.fixture
def full_key(partner, make_key):
    return make_key(partner, "read,submit")


@pytest.fixture
def client_for():
    def make(key=None):
        client = APIClient()
        if key:
            client.credentials(HTTP_AUTHORIZATION=f"Api-Key {key}")
        return client

    return make


@pytest.fixture
def api(client_for, read_key):
    return client_for(read_key)


@pytest.fixture
def submit_api(client_for, full_key):
    return client_for(full_key)


@pytest.fixture
def publish(db):
    """Make a published fact-check: state published, a current verdict with published_at."""

    def make(text=None, *, rating="false", published_at=None, sources=2, article=None, **claim_fields):
        fields = {"state": ClaimState.PUBLISHED, "article": article, **claim_fields}
        if text:
            fields["text"] = text
        claim = factories.ClaimFactory(**fields)
        verdict = factories.VerdictFactory(
            claim=claim, rating=rating, published_at=published_at or timezone.now(), is_current=True
        )
        for _ in range(sources):
            factories.SourceFactory(verdict=verdict)
        return claim

    return make
