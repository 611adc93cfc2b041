"""The public side follows the real workflow: publish, correct, unpublish, publish again."""

import json

import pytest
from django.urls import reverse

from factcheck import workflow
from factcheck.services import verdicts
from public.claimreview import factcheck_slug, factcheck_url
from tests.factories import ArticleFactory, ClaimFactory
from tests.public.html import jsonld_blocks

pytestmark = pytest.mark.django_db


def _published_claim(fact_checker, editor):
    claim = ClaimFactory(text="Crime doubled in a year.", claimant="A candidate", article=ArticleFactory())
    workflow.transition(claim, "select", user=fact_checker)
    workflow.transition(claim, "start_research", user=fact_checker)
    verdicts.verdict_save(
        claim=claim,
        user=fact_checker,
        headline="The figures say otherwise",
        rating="false",
        summary="Police data show a 3% rise.",
    )
    verdicts.source_add(claim=claim, user=fact_checker, url="https://police.example.org/stats")
    workflow.transition(claim, "submit", user=fact_checker)
    workflow.transition(claim, "approve", user=editor)
    return workflow.transition(claim, "publish", user=editor)


def _in_listings(client, claim) -> dict[str, bool]:
    url = factcheck_url(claim=claim)
    return {
        "list": claim.text.encode() in client.get("/fact-checks/").content,
        "json": url.encode() in client.get("/fact-checks/feed.json").content,
        "atom": url.encode() in client.get("/fact-checks/feed.xml").content,
        "sitemap": url.encode() in client.get("/sitemap.xml").content,
    }


def test_publish_correct_unpublish_and_republish_through_the_workflow(
    client, fact_checker, editor, other_editor
):
    claim = _published_claim(fact_checker, editor)
    page_url = reverse("public:factcheck_detail", kwargs={"slug": factcheck_slug(claim=claim)})
    response = client.get(page_url)
    assert response.status_code == 200
    (review,) = jsonld_blocks(response.content)
    first_published = claim.current_verdict.published_at
    assert review["datePublished"] == first_published.isoformat(timespec="seconds")
    assert review["reviewRating"]["alternateName"] == "False"
    assert _in_listings(client, claim) == {"list": True, "json": True, "atom": True, "sitemap": True}

    workflow.transition(
        claim,
        "correct",
        user=editor,
        note="Correction",
        rating="mostly_false",
        summary="Police data show a 30% rise, not 100%.",
        correction_note="We used the wrong base year.",
    )
    workflow.transition(claim, "approve_correction", user=other_editor)
    response = client.get(page_url)
    html = response.content.decode()
    assert "We used the wrong base year." in html and "rating False → Mostly false" in html
    (review,) = jsonld_blocks(response.content)
    assert review["reviewRating"]["alternateName"] == "Mostly false"
    assert review["datePublished"] == first_published.isoformat(timespec="seconds")
    assert review["dateModified"] >= review["datePublished"]  # same second when the machine is fast
    assert b"Corrected: Mostly false: Crime doubled in a year." in client.get("/fact-checks/feed.xml").content

    workflow.transition(claim, "unpublish", user=editor, note="A legal complaint is being checked.")
    response = client.get(page_url)
    assert response.status_code == 410
    assert b"A legal complaint" not in response.content
    assert _in_listings(client, claim) == {"list": False, "json": False, "atom": False, "sitemap": False}

    workflow.transition(claim, "approve", user=other_editor)
    workflow.transition(claim, "publish", user=other_editor)
    assert client.get(page_url).status_code == 200
    assert _in_listings(client, claim) == {"list": True, "json": True, "atom": True, "sitemap": True}


def _public_view(client, claim) -> dict:
    """What the page, its ClaimReview, the feeds and the public JSON say about the claim."""
    page = client.get(reverse("public:factcheck_detail", kwargs={"slug": factcheck_slug(claim=claim)}))
    (review,) = jsonld_blocks(page.content)
    feed = json.dumps(json.loads(client.get("/fact-checks/feed.json").content))
    return {
        "rating": review["reviewRating"]["alternateName"],
        "note_on_page": "We used the wrong base year." in page.content.decode(),
        "atom_corrected": b"Corrected:" in client.get("/fact-checks/feed.xml").content,
        "feed_rating_mostly_false": "Mostly false" in feed,
    }


def test_a_correction_goes_public_only_when_another_editor_approves_it(
    client, fact_checker, editor, other_editor
):
    claim = _published_claim(fact_checker, editor)
    before = _public_view(client, claim)
    assert before == {
        "rating": "False",
        "note_on_page": False,
        "atom_corrected": False,
        "feed_rating_mostly_false": False,
    }

    workflow.transition(
        claim,
        "correct",
        user=editor,
        note="We used the wrong base year.",
        rating="mostly_false",
        summary="Police data show a 30% rise, not 100%.",
    )
    assert _public_view(client, claim) == before
    with pytest.raises(workflow.TransitionNotAllowed, match="another Editor must approve it"):
        workflow.transition(claim, "approve_correction", user=editor)
    assert _public_view(client, claim) == before

    workflow.transition(claim, "approve_correction", user=other_editor)
    after = _public_view(client, claim)
    assert after == {
        "rating": "Mostly false",
        "note_on_page": True,
        "atom_corrected": True,
        "feed_rating_mostly_false": True,
    }


def test_a_withdrawn_correction_never_reaches_the_page(client, fact_checker, editor, other_editor):
    claim = _published_claim(fact_checker, editor)
    before = _public_view(client, claim)
    workflow.transition(claim, "correct", user=editor, note="We used the wrong base year.", rating="true")
    workflow.transition(claim, "withdraw_correction", user=other_editor, note="The base year was right.")
    assert _public_view(client, claim) == before
