"""Conditional GET (ETag, Last-Modified, 304) and a fixed number of queries per page."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.http import http_date

from factcheck.models import Claim, ClaimState, Verdict
from public.claimreview import factcheck_slug
from tests.public.conftest import T0, T_CORRECTED

pytestmark = pytest.mark.django_db


def detail_url(claim) -> str:
    return reverse("public:factcheck_detail", kwargs={"slug": factcheck_slug(claim=claim)})


def test_detail_sends_validators_and_answers_304(client, make_factcheck):
    claim = make_factcheck()
    url = detail_url(claim)
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert (
        etag.startswith('"') and "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    )
    claim.refresh_from_db()
    stamps = [claim.updated_at, claim.state_changed_at, *claim.verdicts.values_list("updated_at", flat=True)]
    assert modified == http_date(max(stamps).timestamp())
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == etag
    assert client.get(url, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_correction_changes_etag_and_last_modified(client, make_factcheck):
    claim = make_factcheck()
    url = detail_url(claim)
    before = client.get(url)
    Verdict.objects.filter(claim=claim).update(is_current=False)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    Verdict.objects.create(
        claim=claim,
        version=2,
        rating="true",
        summary="We were wrong.",
        correction_note="Fixed.",
        published_at=later,
        is_current=True,
    )
    after = client.get(
        url, headers={"If-None-Match": before["ETag"], "If-Modified-Since": before["Last-Modified"]}
    )
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after["Last-Modified"] == http_date(later.timestamp())


def test_a_source_edit_without_timestamps_still_changes_the_etag(client, make_factcheck):
    claim = make_factcheck()
    url = detail_url(claim)
    before = client.get(url)
    claim.current_verdict.sources.update(title="A renamed source")
    assert client.get(url, headers={"If-None-Match": before["ETag"]}).status_code == 200


def test_list_revalidates_and_changes_when_a_fact_check_is_withdrawn(client, make_factcheck):
    make_factcheck(text="Stays.")
    going = make_factcheck(text="Goes.")
    first = client.get("/fact-checks/")
    assert client.get("/fact-checks/", headers={"If-None-Match": first["ETag"]}).status_code == 304
    Claim.objects.filter(pk=going.pk).update(
        state=ClaimState.IN_REVIEW, state_changed_at=dt.datetime.now(dt.UTC) + dt.timedelta(seconds=5)
    )
    after = client.get("/fact-checks/", headers={"If-Modified-Since": first["Last-Modified"]})
    assert after.status_code == 200 and b"Goes." not in after.content


@pytest.mark.parametrize(
    "url", ["/fact-checks/feed.json", "/fact-checks/feed.xml", "/sitemap.xml", "/fact-checks/rating-scale/"]
)
def test_feeds_and_sitemap_answer_conditional_gets(client, make_factcheck, url):
    make_factcheck()
    first = client.get(url)
    assert first.status_code == 200 and first["ETag"]
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_gone_and_missing_pages_are_not_given_validators(client, make_factcheck):
    gone = client.get(detail_url(make_factcheck(state="unpublished")))
    assert gone.status_code == 410 and "ETag" not in gone


def _many(make_factcheck, n: int, **kwargs) -> list[Claim]:
    return [
        make_factcheck(text=f"Claim {i} about taxes.", published_at=T0 + dt.timedelta(minutes=i), **kwargs)
        for i in range(n)
    ]


def test_list_page_query_count_does_not_grow_with_fact_checks(
    client, make_factcheck, django_assert_max_num_queries
):
    _many(make_factcheck, 25, state="corrected")
    # count, page, verdict versions, 2 aggregates for Last-Modified
    with django_assert_max_num_queries(5):
        response = client.get("/fact-checks/?q=taxes&rating=mostly_false")
    assert response.content.count(b'class="card"') == 20


def test_detail_page_query_count_is_fixed(client, make_factcheck, django_assert_max_num_queries):
    claim = make_factcheck(state="corrected", sources=12)
    for version in range(3, 8):
        Verdict.objects.filter(claim=claim).update(is_current=False)
        Verdict.objects.create(
            claim=claim,
            version=version,
            rating="true",
            summary="s",
            correction_note="n",
            published_at=T_CORRECTED + dt.timedelta(days=version),
            is_current=True,
        )
    with django_assert_max_num_queries(4):  # claim + article + outlet, versions, sources, appearances
        response = client.get(detail_url(claim))
    assert response.status_code == 200
    assert response.content.count(b'class="correction"') == 6


@pytest.mark.parametrize("url", ["/fact-checks/feed.json", "/fact-checks/feed.xml", "/sitemap.xml"])
def test_feeds_and_sitemap_query_count_is_fixed(client, make_factcheck, django_assert_max_num_queries, url):
    _many(make_factcheck, 30, state="corrected")
    with django_assert_max_num_queries(5):
        assert client.get(url).status_code == 200
