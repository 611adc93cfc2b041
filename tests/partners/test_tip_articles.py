"""A tip of several sentences is read as a small article: one tip per claim worth checking,
each with the partner, address and context, matched like any new claim, and shown so on
the claim page."""

import pytest
from django.urls import reverse

from factcheck.models import Claim, ClaimOrigin, ClaimState
from partners.models import Tip
from tests import factories

TIPS = "/api/v1/tips/"
pytestmark = pytest.mark.django_db

BRIDGE = "The council spent 4.2 million pounds on the new bridge last year, the mayor said."
JOBS = "Unemployment in the city fell by 12% since 2020, according to her office."
MOOD = "What a lovely day it was at the opening."
CRIME = "Crime rose 30 percent in the same period, police figures show."
STORY = f"{BRIDGE} {JOBS} {MOOD} {CRIME}"
POST = {"text": STORY, "url": "https://social.example/post/9", "context": "A thread going round"}


def test_a_tip_of_several_sentences_gives_a_tip_per_claim_worth_checking(submit_api, partner):
    response = submit_api.post(TIPS, POST, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert [tip["text"] for tip in body["tips"]] == [BRIDGE, JOBS, CRIME]  # the text's order
    first = body["tips"][0]["id"]
    # The answer's own fields are the first tip's, as for a tip of one sentence.
    assert (body["id"], body["text"], body["part_of"]) == (first, BRIDGE, first)
    assert {tip["part_of"] for tip in body["tips"]} == {first}
    assert {tip["url"] for tip in body["tips"]} == {POST["url"]}
    assert {tip["context"] for tip in body["tips"]} == {POST["context"]}

    claims = Claim.objects.filter(pk__in=[tip["id"] for tip in body["tips"]]).select_related("tip")
    assert len(claims) == 3 and Claim.objects.count() == 3  # nothing for the sentence of mood
    for claim in claims:
        assert (claim.origin, claim.state, claim.tip.partner) == (
            ClaimOrigin.PARTNER,
            ClaimState.CANDIDATE,
            partner,
        )
        assert claim.appearance_url == POST["url"] and claim.tip.sent_text == STORY
        assert STORY[claim.start : claim.end] == claim.text  # its place in the text sent
        assert claim.checkworthiness > 0
    assert Claim.objects.get(text=BRIDGE).claimant == "Mayor"  # attributed within the text

    listed = submit_api.get(TIPS).json()["results"]
    assert sorted(tip["text"] for tip in listed) == sorted([BRIDGE, JOBS, CRIME])
    assert {tip["part_of"] for tip in listed} == {first}


def test_a_tip_of_one_sentence_is_one_claim_as_sent(submit_api):
    text = "Unemployment in the city fell by 12% since 2020, her office says"
    body = submit_api.post(TIPS, {"text": text}, format="json").json()
    assert body["text"] == text and body["part_of"] is None
    assert [tip["id"] for tip in body["tips"]] == [body["id"]]
    tip = Tip.objects.get(claim_id=body["id"])
    assert (tip.sent_text, tip.part_of, tip.claim.start) == ("", None, None)


def test_a_longer_text_with_no_claim_worth_checking_is_kept_whole(submit_api):
    text = "Is this true? Please check it. Thanks!"
    body = submit_api.post(TIPS, {"text": text}, format="json").json()
    assert [tip["text"] for tip in body["tips"]] == [text]
    assert Claim.objects.get().text == text


def test_sending_the_text_again_returns_its_open_tips(submit_api):
    first = submit_api.post(TIPS, POST, format="json").json()
    again = submit_api.post(TIPS, {"text": "  " + STORY.upper() + " "}, format="json")
    assert again.status_code == 200
    assert [tip["id"] for tip in again.json()["tips"]] == [tip["id"] for tip in first["tips"]]
    assert Claim.objects.count() == 3


def test_an_open_tip_sent_alone_before_is_reused_in_a_longer_text(submit_api):
    alone = submit_api.post(TIPS, {"text": JOBS}, format="json").json()
    body = submit_api.post(TIPS, POST, format="json").json()
    ids = [tip["id"] for tip in body["tips"]]
    assert ids[1] == alone["id"] and len(set(ids)) == 3
    assert Claim.objects.count() == 3
    assert Tip.objects.get(claim_id=alone["id"]).part_of is None  # it keeps how it came


def test_each_claim_of_the_text_is_matched_like_any_new_claim(submit_api, django_capture_on_commit_callbacks):
    from coverage.matching.index import IndexItem, searchdocs_upsert
    from coverage.models import CoverageMatch

    priors = []
    for sentence in (BRIDGE, CRIME):
        prior = factories.PriorFactCheckFactory(claim_reviewed=sentence)
        searchdocs_upsert(items=[IndexItem(kind="factcheck", object_id=prior.pk, text=prior.claim_reviewed)])
        priors.append(prior)
    with django_capture_on_commit_callbacks(execute=True):
        body = submit_api.post(TIPS, POST, format="json").json()
    by_text = {tip["text"]: tip["id"] for tip in body["tips"]}
    assert CoverageMatch.objects.filter(claim_id=by_text[BRIDGE], prior_factcheck=priors[0]).exists()
    assert CoverageMatch.objects.filter(claim_id=by_text[CRIME], prior_factcheck=priors[1]).exists()
    assert Claim.objects.filter(pk__in=by_text.values(), matched_at__isnull=False).count() == 3


def test_the_claim_page_shows_the_tip_and_the_text_it_was_taken_from(submit_api, client, fact_checker):
    body = submit_api.post(
        TIPS, {**POST, "context": "<script>alert(1)</script> from a thread"}, format="json"
    ).json()
    jobs = next(tip["id"] for tip in body["tips"] if tip["text"] == JOBS)
    client.force_login(fact_checker)
    page = client.get(reverse("admin:factcheck_claim_change", args=[jobs])).content.decode()
    assert "Partner News" in page and POST["url"] in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; from a thread" in page and "<script>alert(1)" not in page
    assert '<mark class="desk-hl desk-hl-current">' + JOBS in page
    assert MOOD in page  # the rest of the text around it
    for tip in body["tips"]:
        if tip["id"] != jobs:
            assert reverse("admin:factcheck_claim_change", args=[tip["id"]]) in page
