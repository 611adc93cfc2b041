"""Tips: validated, one open tip per text per partner, each partner sees only its own."""

import pytest
from django.utils import timezone

from factcheck.models import Claim, ClaimOrigin, ClaimState
from tests import factories

TIPS = "/api/v1/tips/"
pytestmark = pytest.mark.django_db
TEXT = "The new stadium will cost taxpayers nothing, the mayor said."


def test_submit_creates_a_candidate_partner_claim(submit_api, partner):
    response = submit_api.post(
        TIPS,
        {
            "text": TEXT,
            "url": "https://social.example/post/1",
            "context": "Viral post",
            "claimant": "The mayor",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    claim = Claim.objects.get(pk=body["id"])
    assert (claim.origin, claim.state, claim.tip.partner) == (
        ClaimOrigin.PARTNER,
        ClaimState.CANDIDATE,
        partner,
    )
    assert (claim.appearance_url, claim.tip.context, claim.claimant) == (
        "https://social.example/post/1",
        "Viral post",
        "The mayor",
    )
    assert body["state"] == "candidate" and body["fact_check"] is None


def test_repeat_of_an_open_tip_returns_it(submit_api):
    first = submit_api.post(TIPS, {"text": TEXT}, format="json").json()
    again = submit_api.post(TIPS, {"text": "  the new stadium will cost taxpayers NOTHING, the mayor said "})
    assert again.status_code == 200
    assert again.json()["id"] == first["id"]
    assert Claim.objects.count() == 1


def test_dismissed_tip_does_not_block_a_new_one(submit_api):
    first = submit_api.post(TIPS, {"text": TEXT}, format="json").json()
    Claim.objects.filter(pk=first["id"]).update(state=ClaimState.DISMISSED)
    assert submit_api.post(TIPS, {"text": TEXT}, format="json").status_code == 201


def test_same_text_from_two_partners_is_two_tips(client_for, submit_api, other_partner, make_key):
    submit_api.post(TIPS, {"text": TEXT}, format="json")
    other = client_for(make_key(other_partner, "read,submit"))
    assert other.post(TIPS, {"text": TEXT}, format="json").status_code == 201


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "text"),
        ({"text": "short"}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"text": TEXT, "url": "not a url"}, "url"),
        ({"text": TEXT, "url": "ftp://files.example/x"}, "url"),
        ({"text": TEXT, "claimant": "c" * 301}, "claimant"),
        ({"text": "nul \x00 byte in the text here"}, "text"),
    ],
)
def test_invalid_tips_are_400_with_fields(submit_api, payload, field):
    response = submit_api.post(TIPS, payload, format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert Claim.objects.count() == 0


def test_malformed_json_is_400_json(submit_api):
    response = submit_api.post(TIPS, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_partners_see_only_their_own_tips(client_for, submit_api, other_partner, make_key):
    mine = submit_api.post(TIPS, {"text": TEXT}, format="json").json()["id"]
    other = client_for(make_key(other_partner, "read,submit"))
    theirs = other.post(TIPS, {"text": "Another claim that is long enough."}, format="json").json()["id"]
    factories.ClaimFactory(origin=ClaimOrigin.EXTRACTED)  # not a tip at all
    assert [t["id"] for t in submit_api.get(TIPS).json()["results"]] == [mine]
    response = submit_api.get(f"{TIPS}{theirs}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert submit_api.get(f"{TIPS}{mine}/").status_code == 200


def test_published_tip_links_its_fact_check(submit_api, api):
    tip_id = submit_api.post(TIPS, {"text": TEXT}, format="json").json()["id"]
    claim = Claim.objects.get(pk=tip_id)
    claim.state = ClaimState.PUBLISHED
    claim.save()
    factories.VerdictFactory(claim=claim, published_at=timezone.now())
    tip = submit_api.get(f"{TIPS}{tip_id}/").json()
    assert tip["fact_check"]["id"] == tip_id
    assert api.get(tip["fact_check"]["url"]).status_code == 200


@pytest.mark.parametrize("page_size", [2, 40])
def test_tip_list_query_count_is_bounded(submit_api, partner, django_assert_max_num_queries, page_size):
    for i in range(page_size + 1):
        factories.TipFactory(partner=partner, claim__text=f"Tip number {i} to check.")
    with django_assert_max_num_queries(4):
        response = submit_api.get(TIPS, {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


def test_a_new_tip_is_matched_against_prior_coverage(submit_api, django_capture_on_commit_callbacks):
    from coverage.matching.index import IndexItem, searchdocs_upsert
    from coverage.models import CoverageMatch

    prior = factories.PriorFactCheckFactory(claim_reviewed="The new stadium will cost taxpayers nothing.")
    searchdocs_upsert(items=[IndexItem(kind="factcheck", object_id=prior.pk, text=prior.claim_reviewed)])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tip_id = submit_api.post(TIPS, {"text": TEXT}, format="json").json()["id"]
    assert callbacks, "matching was not queued"
    assert CoverageMatch.objects.filter(claim_id=tip_id, prior_factcheck=prior).exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit_api.post(TIPS, {"text": TEXT}, format="json")
    assert not callbacks  # a repeat is not matched again


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_identical_tips_sent_at_once_make_one_claim(partner):
    """The partner row lock serialises concurrent submissions, so the dedup check cannot race."""
    import threading

    from django.db import connection

    from partners.services import tip_submit

    barrier, results = threading.Barrier(4), []

    def send():
        try:
            barrier.wait()
            results.append(tip_submit(partner=partner, text=TEXT).claim.pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and len(set(results)) == 1
    assert Claim.objects.filter(tip__partner=partner).count() == 1
