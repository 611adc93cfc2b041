"""HTML and script typed into any text field render inert on every page, the admin included.

One payload goes into every text field a user, a partner, an import or the extractor can
fill; then every admin changelist and change page, the dashboard, the public pages, their
JSON-LD and the feeds are fetched. The payload must only ever appear escaped.
"""

import json
import re

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from coverage.models import CoverageMatch, MatchStatus, PriorFactCheck
from factcheck.models import ReviewEvent, Source
from partners.models import Partner, Tip
from tests.factories import ArticleFactory, OutletFactory, SuperuserFactory, claim_in_state

pytestmark = pytest.mark.django_db

PAYLOAD = "</script><script>alert('xss')</script><img src=x onerror=alert(1)>\"'&<b>bold</b>"
LIVE = ["<script>alert('xss')", "<img src=x onerror", "<b>bold</b>"]


def seeded():
    outlet = OutletFactory(name=f"Outlet {PAYLOAD}"[:200])
    article = ArticleFactory(
        outlet=outlet,
        title=PAYLOAD,
        body=f"Intro {PAYLOAD}. The minister said 5% {PAYLOAD}.",
        authors=PAYLOAD,
    )
    claim = claim_in_state(
        "published", article=article, text=f"Claim {PAYLOAD}", claimant=PAYLOAD, quote=PAYLOAD
    )
    verdict = claim.verdicts.get(is_current=True)
    verdict.summary = f"Summary {PAYLOAD}"
    verdict.correction_note = PAYLOAD
    verdict.save()
    Source.objects.filter(verdict=verdict).update(title=PAYLOAD, publisher=PAYLOAD, note=PAYLOAD)
    ReviewEvent.objects.create(
        claim=claim, transition="comment", from_state="published", to_state="published", note=PAYLOAD
    )
    prior = PriorFactCheck.objects.create(
        claim_reviewed=PAYLOAD, claimant=PAYLOAD, rating_text=PAYLOAD, publisher=PAYLOAD,
        url="https://other.example/review/1", title=PAYLOAD, raw={"name": PAYLOAD},
    )  # fmt: skip
    CoverageMatch.objects.create(
        claim=claim, prior_factcheck=prior, score=0.9, method="lexical", status=MatchStatus.SUGGESTED
    )
    partner = Partner.objects.create(name=f"Partner {PAYLOAD}"[:200], contact=PAYLOAD)
    tipped = claim_in_state("candidate", text=f"Tip {PAYLOAD}", origin="partner", appearance_url=PAYLOAD)
    Tip.objects.create(claim=tipped, partner=partner, context=PAYLOAD)
    return claim


def admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model, _ in admin.site._registry.items():
        meta = model._meta
        try:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        except NoReverseMatch:
            continue
        for pk in model._default_manager.values_list("pk", flat=True)[:5]:
            urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[pk]))
    return urls


def assert_inert(url: str, html: str) -> None:
    for live in LIVE:
        assert live not in html, f"{url} renders {live!r} unescaped"
    for attributes, block in re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S):
        if "ld+json" in attributes:
            json.loads(block)  # whole: the payload's </script> did not cut the block short
        else:
            assert "alert(" not in block, f"{url}: the payload reached a script: {block[:200]!r}"


def test_payload_is_escaped_on_every_admin_page(client):
    seeded()
    client.force_login(SuperuserFactory())
    shown = []
    for url in admin_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_inert(url, html)
        if "&lt;script&gt;alert(" in html:
            shown.append(url)
    assert len(shown) >= 10, shown  # the payload is really on the pages, escaped


def test_payload_is_escaped_on_public_pages_feeds_and_json_ld(client):
    seeded()
    listing = client.get("/fact-checks/")
    assert listing.status_code == 200
    html = listing.content.decode()
    assert_inert("/fact-checks/", html)
    details = set(re.findall(r'href="(/fact-checks/(?!feed|rating-scale)[^"/]+/)"', html))
    assert details, "the published fact-check is not listed"
    for url in [*details, "/fact-checks/rating-scale/", "/fact-checks/feed.xml", "/fact-checks/feed.json"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_inert(url, response.content.decode())
