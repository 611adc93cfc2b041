"""A published fact-check covers every appearance of its claim: the page lists where it
appeared, first appearance first, and ClaimReview carries them as ``appearance``."""

import datetime as dt

import pytest
from django.urls import reverse

from coverage.grouping import claim_group
from factcheck.models import Claim
from public.claimreview import factcheck_slug
from tests import factories
from tests.public.conftest import T_SAID
from tests.public.html import jsonld_blocks

pytestmark = pytest.mark.django_db

REPEAT = "Unemployment had fallen to 4.2% in March, according to the minister."


def page(client, claim):
    response = client.get(reverse("public:factcheck_detail", kwargs={"slug": factcheck_slug(claim=claim)}))
    assert response.status_code == 200
    return response


def test_an_appearance_joining_after_publication_is_on_the_page_and_in_claimreview(client, make_factcheck):
    claim = make_factcheck()
    claim_group(claim_id=claim.pk)
    before = page(client, claim)
    earlier = factories.ArticleFactory(
        title="Jobs row goes on",
        url="https://other.example/jobs",
        published_at=T_SAID - dt.timedelta(days=2),
        outlet=factories.OutletFactory(name="Other Paper"),
    )
    repeat = factories.ClaimFactory(text=REPEAT, article=earlier, claimant="The minister")
    claim_group(claim_id=repeat.pk)
    assert Claim.objects.get(pk=repeat.pk).same_as_id == claim.pk

    after = page(client, claim)
    html = after.content.decode()
    assert "Where the claim appeared" in html and REPEAT in html and "Other Paper" in html
    assert html.index(REPEAT) < html.index(claim.text, html.index("Where the claim appeared"))
    item = jsonld_blocks(after.content)[0]["itemReviewed"]
    urls = [a.get("url") for a in item["appearance"]]
    assert urls == ["https://other.example/jobs", claim.article.url]  # first appearance first
    assert item["firstAppearance"]["url"] == "https://other.example/jobs"
    assert after["ETag"] != before["ETag"]  # the page changed, so caches must not serve the old one


def test_a_fact_check_seen_once_lists_no_appearances_section(client, make_factcheck):
    claim = make_factcheck()
    response = page(client, claim)
    assert "Where the claim appeared" not in response.content.decode()
    assert len(jsonld_blocks(response.content)[0]["itemReviewed"]["appearance"]) == 1
