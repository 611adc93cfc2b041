"""The fact-check feed: only what is published, every filter, ordering, cursor pages, bounded queries."""

import datetime as dt

import pytest
from django.utils import timezone

from factcheck.models import ClaimState
from factcheck.services.claims import claim_update
from factcheck.workflow import transition
from tests import factories

LIST = "/api/v1/fact-checks/"
pytestmark = pytest.mark.django_db


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_lists_published_and_hides_everything_else(api, publish):
    shown = publish("Published claim about the budget.")
    for state in [s for s in ClaimState.values if s != ClaimState.PUBLISHED]:
        draft = factories.ClaimFactory(state=state)
        factories.VerdictFactory(claim=draft, published_at=timezone.now())
    # published state but the verdict never went out: not a published fact-check
    unpublished_verdict = factories.ClaimFactory(state=ClaimState.PUBLISHED)
    factories.VerdictFactory(claim=unpublished_verdict, published_at=None)
    no_verdict = factories.ClaimFactory(state=ClaimState.PUBLISHED)
    assert ids(api.get(LIST)) == [shown.pk]
    for hidden in (unpublished_verdict, no_verdict):
        assert api.get(f"{LIST}{hidden.pk}/").status_code == 404


def test_published_without_the_publish_transition_is_listed(api):
    """Whatever put it there (a data import, the admin): state + live verdict is enough."""
    claim = factories.ClaimFactory(state=ClaimState.PUBLISHED)
    factories.VerdictFactory(claim=claim, published_at=timezone.now())
    assert ids(api.get(LIST)) == [claim.pk]


def test_detail_shape_and_no_internal_fields(api, publish, article):
    editor = factories.UserFactory(email="secret-editor@example.org")
    claim = publish("Exports doubled last year.", article=article, assignee=editor, created_by=editor)
    factories.TipFactory(claim=claim, context="internal context from a partner")
    verdict = claim.verdicts.get()
    verdict.author = editor
    verdict.save()
    response = api.get(f"{LIST}{claim.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == "Exports doubled last year."
    assert body["verdict"]["rating"] == {"key": "false", "label": "False", "value": 1, "best": 5, "worst": 1}
    assert len(body["verdict"]["sources"]) == 2
    assert body["article"]["outlet"]["name"] == article.outlet.name
    assert body["url"].endswith(f"/api/v1/fact-checks/{claim.pk}/")
    raw = response.content.decode()
    for secret in ("secret-editor", "assignee", "internal context", "checkworthiness", "author", "state"):
        assert secret not in raw


def test_corrections_show_published_versions_only(api, publish):
    claim = publish("Crime fell by half.")
    first = claim.verdicts.get()
    first.is_current = False
    first.save()
    factories.VerdictFactory(
        claim=claim,
        version=2,
        is_current=True,
        rating="mostly_false",
        correction_note="We misread the table.",
        published_at=timezone.now(),
    )
    factories.VerdictFactory(
        claim=claim, version=3, is_current=False, correction_note="DRAFT note", published_at=None
    )
    body = api.get(f"{LIST}{claim.pk}/").json()
    assert body["verdict"]["version"] == 2
    assert body["verdict"]["rating"]["key"] == "mostly_false"
    assert [c["note"] for c in body["corrections"]] == ["We misread the table."]
    assert "DRAFT" not in api.get(f"{LIST}{claim.pk}/").content.decode()


def test_filter_rating(api, publish):
    false = publish(rating="false")
    publish(rating="true")
    assert ids(api.get(LIST, {"rating": "false"})) == [false.pk]
    assert api.get(LIST, {"rating": "nonsense"}).json()["error"]["fields"]["rating"]


def test_filter_claimant_and_outlet(api, publish):
    outlet = factories.OutletFactory(name="Daily Planet", domain="planet.example")
    one = publish(claimant="Jane Minister", article=factories.ArticleFactory(outlet=outlet))
    publish(claimant="Someone Else")
    assert ids(api.get(LIST, {"claimant": "minister"})) == [one.pk]
    assert ids(api.get(LIST, {"outlet": "daily planet"})) == [one.pk]
    assert ids(api.get(LIST, {"outlet": "planet.example"})) == [one.pk]
    assert ids(api.get(LIST, {"outlet": "nowhere"})) == []


def test_filter_published_range(api, publish):
    old = publish(published_at=timezone.make_aware(dt.datetime(2024, 1, 10, 12)))
    new = publish(published_at=timezone.make_aware(dt.datetime(2025, 6, 1, 12)))
    assert ids(api.get(LIST, {"published_after": "2025-01-01"})) == [new.pk]
    assert ids(api.get(LIST, {"published_before": "2024-12-31"})) == [old.pk]
    assert ids(api.get(LIST, {"published_after": "2024-01-10", "published_before": "2024-01-10"})) == [old.pk]
    assert api.get(LIST, {"published_after": "not-a-date"}).status_code == 400


def test_filter_updated_since_counts_a_correction(api, publish):
    a = publish()
    b = publish()
    cutoff = timezone.now()
    proposer, approver = factories.EditorFactory(), factories.EditorFactory()
    transition(
        b,
        "correct",
        user=proposer,
        summary="The corrected figure is 5.1 percent, not 4.2 percent.",
        correction_note="Revised.",
    )
    assert ids(api.get(LIST, {"updated_since": cutoff.isoformat()})) == [b.pk]
    transition(b, "approve_correction", user=approver)
    assert api.get(f"{LIST}{b.pk}/").json()["verdict"]["summary"].startswith("The corrected figure")
    assert ids(api.get(LIST, {"updated_since": cutoff.isoformat()})) == [b.pk]
    assert set(ids(api.get(LIST, {"updated_since": "2000-01-01T00:00:00Z"}))) == {a.pk, b.pk}
    assert api.get(LIST, {"updated_since": "0001-01-01T00:00:00+14:00"}).status_code == 400


def test_filter_q_needs_every_word(api, publish):
    a = publish("Unemployment fell to a record low in March.")
    b = publish("Unemployment rose sharply in April.")
    b_verdict = b.verdicts.get()
    b_verdict.summary = "The record shows otherwise."
    b_verdict.save()
    assert ids(api.get(LIST, {"q": "unemployment march"})) == [a.pk]
    assert set(ids(api.get(LIST, {"q": "record"}))) == {a.pk, b.pk}


def test_ordering_by_published_and_updated(api, publish):
    now = timezone.now()
    older = publish(published_at=now - dt.timedelta(days=2))
    newer = publish(published_at=now - dt.timedelta(days=1))
    claim_update(claim_id=older.pk, expected_version=older.version, fields={"claimant": "touched"})
    assert ids(api.get(LIST)) == [newer.pk, older.pk]
    assert ids(api.get(LIST, {"ordering": "published_at"})) == [older.pk, newer.pk]
    assert ids(api.get(LIST, {"ordering": "-updated_at"})) == [older.pk, newer.pk]
    assert api.get(LIST, {"ordering": "text"}).json()["error"]["fields"]["ordering"]


def test_cursor_pages_walk_everything_once(api, publish):
    now = timezone.now()
    made = [publish(published_at=now - dt.timedelta(minutes=i)).pk for i in range(7)]
    seen, url = [], LIST + "?page_size=3"
    while url:
        page = api.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    assert seen == made
    assert api.get(LIST, {"page_size": 0}).status_code == 400
    bogus = api.get(LIST, {"cursor": "bogus"})
    assert bogus.status_code == 400
    assert bogus.json()["error"]["fields"]["cursor"]


@pytest.mark.parametrize("page_size", [2, 50])
def test_list_query_count_is_bounded(api, publish, django_assert_max_num_queries, page_size):
    for _ in range(page_size + 1):
        publish(article=factories.ArticleFactory(), sources=3)
    with django_assert_max_num_queries(5):  # at any page size; three are the page: ids, claims, verdicts
        response = api.get(LIST, {"page_size": page_size})
    assert len(response.json()["results"]) == page_size


def test_claimreview_json_ld(api, publish):
    article = factories.ArticleFactory(url="https://news.example/bridge")
    claim = publish(
        "The bridge cost 3 billion.", rating="mostly_false", article=article, claimant="The mayor"
    )
    response = api.get(f"{LIST}{claim.pk}/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    doc = response.json()
    assert doc["@type"] == "ClaimReview"
    assert doc["claimReviewed"] == "The bridge cost 3 billion."
    rating = {
        "@type": "Rating",
        "alternateName": "Mostly false",
        "ratingValue": 2,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert rating.items() <= doc["reviewRating"].items()
    assert doc["url"] == api.get(f"{LIST}{claim.pk}/").json()["public_url"]
    assert doc["itemReviewed"]["author"]["name"] == "The mayor"
    assert doc["itemReviewed"]["appearance"][0]["url"] == article.url


def test_claimreview_text_only_rating_has_no_number(api, publish):
    claim = publish(rating="misleading")
    rating = api.get(f"{LIST}{claim.pk}/claimreview/").json()["reviewRating"]
    assert rating["alternateName"] == "Misleading"
    assert "ratingValue" not in rating


def test_claimreview_of_a_draft_is_404(api):
    draft = factories.ClaimFactory(state=ClaimState.IN_REVIEW)
    factories.VerdictFactory(claim=draft)
    response = api.get(f"{LIST}{draft.pk}/claimreview/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_forged_cursor_is_400_naming_the_parameter(api, publish):
    import base64

    publish()
    for position in ("not-a-date", "2025-13-45T99:00:00", "0001-01-01T00:00:00%2B14:00"):
        cursor = base64.b64encode(f"o=0&r=0&p={position}".encode()).decode()
        response = api.get(LIST, {"cursor": cursor})
        assert response.status_code == 400
        error = response.json()["error"]
        assert error["code"] == "invalid"
        assert list(error["fields"]) == ["cursor"]


def test_non_http_article_links_are_not_passed_on(api, publish):
    article = factories.ArticleFactory(url="javascript:alert(1)")
    claim = publish(article=article)
    assert api.get(f"{LIST}{claim.pk}/").json()["article"]["url"] == ""
