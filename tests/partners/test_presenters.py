"""The fact-check answers built from plain rows are the serializers' JSON, byte for byte."""

import datetime as dt

import orjson
import pytest
from django.test import RequestFactory
from django.utils import timezone

from factcheck.models import Claim, ClaimState
from factcheck.workflow import transition
from partners.api import serializers as s
from partners.api.presenters import factcheck_present, factchecks_present
from partners.api.renderers import OrjsonRenderer
from partners.selectors import factcheck_keys, factchecks_by_ids
from tests import factories

pytestmark = pytest.mark.django_db


def rendered(data) -> bytes:
    return OrjsonRenderer().render(data)


@pytest.fixture
def varied(publish):
    """Fact-checks of every shape the answers have: corrections (and a draft one), repeats
    in and out of articles, no article, an article without outlet or date, no sources or
    three, no claimant, text-only and unknown ratings, unicode, unsafe links, a withdrawn one."""
    now = timezone.now()
    no_outlet = factories.ArticleFactory(outlet=None, published_at=None, url="javascript:alert(1)")
    dated = factories.ArticleFactory(
        title="Ünïcødé — 東京 <b>&</b>",
        url="https://news.example/a?x=1&y=ü",
        published_at=now - dt.timedelta(days=3),
    )
    made = [
        publish("Crime fell by half.", article=dated, sources=3),
        publish("Ünïcødé claim: 東京 “quoted” — 🚀 <script>", claimant="", sources=0),
        publish(
            "No article, a link that is not http.", appearance_url="javascript:alert(1)", rating="unproven"
        ),
        publish("Article without outlet or date.", article=no_outlet, rating=""),
        publish(
            "A rating key no longer known.", rating="pants-on-fire", published_at=now - dt.timedelta(days=400)
        ),
    ]
    corrected = made[0]
    first = corrected.verdicts.get()
    first.is_current = False
    first.save()
    factories.SourceFactory(verdict=first)
    second = factories.VerdictFactory(
        claim=corrected,
        version=2,
        is_current=True,
        rating="mostly_false",
        correction_note="We misread the table.",
        published_at=now,
    )
    factories.SourceFactory(verdict=second, accessed_at=None)
    factories.VerdictFactory(
        claim=corrected, version=3, is_current=False, correction_note="DRAFT", published_at=None
    )
    # Repeats of the first: in an article, without one (a partner's link), a candidate.
    factories.ClaimFactory(text="Crime halved, he said.", same_as=corrected, article=dated, claimant="A post")
    factories.ClaimFactory(
        text="Crime fell 50%", same_as=corrected, appearance_url="https://social.example/p/1", claimant="Ünï"
    )
    # Created last, seen first: its article came out before the fact-check's own.
    older = factories.ArticleFactory(published_at=now - dt.timedelta(days=10))
    factories.ClaimFactory(text="Crime is down by half.", same_as=corrected, article=older, claimant="")
    factories.ClaimFactory(
        text="Crime fell by half (candidate).", same_as=made[1], state=ClaimState.CANDIDATE
    )
    gone = publish("Withdrawn after a source was retracted.")
    transition(gone, "unpublish", user=factories.EditorFactory(), note="A source was withdrawn.")
    return made, gone


def serialized(ids, request):
    return s.FactCheckSerializer(factchecks_by_ids(ids), many=True, context={"request": request}).data


@pytest.mark.parametrize("request_path", ["/api/v1/fact-checks/", None])
def test_list_page_is_the_serializers_json(varied, request_path):
    made, gone = varied
    request = RequestFactory().get(request_path) if request_path else None
    ids = list(factcheck_keys().order_by("-first_published_at", "-id").values_list("pk", flat=True))
    assert sorted(ids) == sorted(c.pk for c in made)
    # ids no longer public (the withdrawn one) are left out by both
    asked = [*ids, gone.pk]
    expected = serialized(asked, request)
    assert len(expected) == len(made)
    assert rendered(factchecks_present(asked, request)) == rendered(expected)
    assert factchecks_present([], request) == []


def test_details_are_the_serializers_json(varied):
    made, gone = varied
    request = RequestFactory().get("/api/v1/fact-checks/1/", HTTP_HOST="127.0.0.1:8443", secure=True)
    for claim in made:
        expected = s.FactCheckSerializer(factchecks_by_ids([claim.pk])[0], context={"request": request}).data
        assert rendered(factcheck_present(claim.pk, request)) == rendered(expected)
    assert factcheck_present(gone.pk, request) is None
    assert factcheck_present(Claim.objects.order_by("-pk").first().pk + 1, request) is None


def test_the_api_answers_the_serializers_json(api, varied):
    made, _gone = varied
    body = api.get("/api/v1/fact-checks/", {"page_size": 100}).content
    request = RequestFactory().get("/api/v1/fact-checks/")
    ids = [row["id"] for row in orjson.loads(body)["results"]]
    assert orjson.loads(body)["results"] == orjson.loads(rendered(serialized(ids, request)))
    detail = api.get(f"/api/v1/fact-checks/{made[0].pk}/").content
    assert orjson.loads(detail) == orjson.loads(rendered(serialized([made[0].pk], request)[0]))
    seen = [a["text"] for a in orjson.loads(detail)["appearances"]]
    assert seen == [
        "Crime is down by half.",
        "Crime fell by half.",
        "Crime halved, he said.",
        "Crime fell 50%",
    ]
    assert [c["note"] for c in orjson.loads(detail)["corrections"]] == ["We misread the table."]


def test_an_id_no_column_can_hold_is_no_fact_check(varied):
    request = RequestFactory().get("/api/v1/fact-checks/")
    assert factchecks_present([2**70, -(2**70)], request) == []
    assert factcheck_present(2**70, request) is None
