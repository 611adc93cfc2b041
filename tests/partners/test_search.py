"""claims/search: ranked matches among our published fact-checks and imported ones."""

import pytest
from django.utils import timezone

from coverage.models import PriorFactCheck
from factcheck.models import Claim, ClaimState
from tests import factories

SEARCH = "/api/v1/claims/search/"
pytestmark = pytest.mark.django_db


def index_everything():
    """Put our claims (drafts too, to prove the API filters them) and prior fact-checks in the
    matcher's index, as its indexing does."""
    from coverage.matching.index import IndexItem, searchdocs_upsert

    items = [IndexItem(kind="claim", object_id=c.pk, text=c.text) for c in Claim.objects.all()]
    items += [
        IndexItem(kind="factcheck", object_id=p.pk, text=p.claim_reviewed)
        for p in PriorFactCheck.objects.all()
    ]
    searchdocs_upsert(items=items)


def test_finds_ours_and_prior_and_never_drafts(api, publish):
    ours = publish("Vaccines cause autism in young children, the post claims.", rating="false")
    prior = factories.PriorFactCheckFactory(
        claim_reviewed="Vaccines cause autism.", publisher="Other Checkers", rating_text="False"
    )
    draft = factories.ClaimFactory(text="Vaccines cause autism, draft claim.", state=ClaimState.IN_REVIEW)
    factories.VerdictFactory(claim=draft)
    factories.PriorFactCheckFactory(claim_reviewed="The weather was sunny on Tuesday.")
    index_everything()
    response = api.get(SEARCH, {"q": "Do vaccines cause autism?"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["query"] == "Do vaccines cause autism?"
    found = [(row["kind"], row["fact_check_id"] or row["claim_review"]["url"]) for row in body["claims"]]
    assert ("fact_check", ours.pk) in found
    assert ("prior_fact_check", prior.url) in found
    assert all(row["fact_check_id"] != draft.pk for row in body["claims"])
    scores = [row["score"] for row in body["claims"]]
    assert scores == sorted(scores, reverse=True)
    mine = next(row for row in body["claims"] if row["kind"] == "fact_check")
    assert mine["claim_review"]["textual_rating"] == "False"
    assert mine["claim_review"]["rating_value"] == 1


@pytest.mark.parametrize(
    ("rating", "label", "value"), [("false", "False", 1), ("misleading", "Misleading", None)]
)
def test_our_match_shows_the_fact_checks_link_date_and_current_rating(api, publish, rating, label, value):
    from public.claimreview import factcheck_url

    ours = publish("Wind farms kill most of the birds in Europe, ünïcode included.", rating="true")
    ours.verdicts.update(is_current=False)  # corrected: the second version is the current one
    factories.VerdictFactory(
        claim=ours, version=2, rating=rating, is_current=True, published_at=timezone.now()
    )
    index_everything()
    response = api.get(SEARCH, {"q": "Do wind farms kill birds in Europe?"})
    assert response.status_code == 200, response.content
    row = next(row for row in response.json()["claims"] if row["fact_check_id"] == ours.pk)
    ours.refresh_from_db()
    assert row["text"] == ours.text and row["claimant"] == ours.claimant
    assert row["claim_review"] == {
        "publisher": row["claim_review"]["publisher"],
        "url": factcheck_url(claim=ours),
        "title": ours.text,
        "review_date": ours.first_published_at.date().isoformat(),
        "textual_rating": label,
        "rating_value": value,
    }


def test_limit_and_min_score(api, publish):
    for i in range(5):
        factories.PriorFactCheckFactory(claim_reviewed=f"Vaccines cause autism variant {i}.")
    index_everything()
    assert len(api.get(SEARCH, {"q": "vaccines cause autism", "limit": 2}).json()["claims"]) == 2
    rows = api.get(SEARCH, {"q": "vaccines cause autism", "min_score": 0.99}).json()["claims"]
    assert all(row["score"] >= 0.99 for row in rows)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "q"),
        ({"q": "ab"}, "q"),
        ({"q": "vaccines", "limit": 0}, "limit"),
        ({"q": "vax", "min_score": 2}, "min_score"),
    ],
)
def test_bad_queries_are_400(api, params, field):
    response = api.get(SEARCH, params)
    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


def test_search_query_count_is_bounded(api, publish, django_assert_max_num_queries):
    for i in range(8):
        publish(f"Vaccines cause autism, version {i}.")
        factories.PriorFactCheckFactory(claim_reviewed=f"Vaccines cause autism, prior {i}.")
    index_everything()
    for limit in (2, 20):
        with django_assert_max_num_queries(12):
            assert api.get(SEARCH, {"q": "vaccines autism", "limit": limit}).status_code == 200


@pytest.mark.parametrize(
    "ages", [(4 * 365, 3), (3, 4 * 365)], ids=["old-stored-first", "recent-stored-first"]
)
def test_of_two_checks_of_one_claim_the_recent_one_comes_first_as_the_claim_is_seen_today(api, ages):
    from datetime import timedelta

    from coverage.matching.index import searchdocs_embed
    from coverage.services import search_index_sync

    today = timezone.localdate()
    stored = {
        days: factories.PriorFactCheckFactory(
            url=f"https://checker{n}.example/bleach",
            claim_reviewed="Drinking bleach cures the coronavirus.",
            title="Can you cure COVID-19 by drinking bleach?",
            review_date=today - timedelta(days=days),
        )
        for n, days in enumerate(ages)
    }
    old, recent = stored[4 * 365], stored[3]
    factories.PriorFactCheckFactory(claim_reviewed="The Great Wall of China is visible from space.")
    searchdocs_embed(doc_ids=search_index_sync())
    response = api.get(SEARCH, {"q": "A post says you can cure the coronavirus by drinking bleach"})
    assert response.status_code == 200, response.content
    urls = [row["claim_review"]["url"] for row in response.json()["claims"]]
    assert urls[:2] == [recent.url, old.url]
