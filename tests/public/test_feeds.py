"""feed.json (DataFeed of ClaimReview), its round trip through import_claimreview, Atom, sitemap."""

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.test import override_settings

from coverage.models import PriorFactCheck
from editorial.models import Article, Outlet
from factcheck.models import Claim
from public.claimreview import factcheck_url
from tests.public.conftest import T0
from tests.public.html import xml_root

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
LONG_CLAIM = (
    "The council spent more on consultants last year than on the whole of its library service, "
    "its leader told a public meeting in the town hall."
)


def feed(client) -> dict:
    response = client.get("/fact-checks/feed.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


@override_settings(SITE_URL="https://checks.example.org", ORGANISATION_NAME="Example Fact Desk")
def test_feed_is_a_datafeed_of_claimreviews_of_published_fact_checks_only(client, make_factcheck):
    live = make_factcheck(text=LONG_CLAIM)
    corrected = make_factcheck(text="Corrected one.", state="corrected")
    make_factcheck(text="Withdrawn one.", state="unpublished")
    make_factcheck(text="Draft one.", state="never")
    data = feed(client)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "DataFeed"
    assert data["url"] == "https://checks.example.org/fact-checks/feed.json"
    assert data["dateModified"] == "2026-03-09T14:15:00+00:00"
    elements = data["dataFeedElement"]
    assert [e["@type"] for e in elements] == ["DataFeedItem", "DataFeedItem"]
    reviews = [e["item"][0] for e in elements]
    assert [r["url"] for r in reviews] == [factcheck_url(claim=c) for c in (corrected, live)]
    assert all(r["@type"] == "ClaimReview" and "@context" not in r for r in reviews)
    assert elements[0]["dateCreated"] == "2026-03-02T09:30:00+00:00"
    assert elements[0]["dateModified"] == "2026-03-09T14:15:00+00:00"
    assert reviews[1]["claimReviewed"] == LONG_CLAIM  # the feed carries the claim as said
    assert reviews[1]["reviewRating"]["alternateName"] == "False"


def test_empty_feed_is_still_a_valid_datafeed(client):
    data = feed(client)
    assert data["@type"] == "DataFeed" and data["dataFeedElement"] == []


@override_settings(SITE_URL="https://checks.example.org", ORGANISATION_NAME="Example Fact Desk")
def test_round_trip_export_then_import_into_a_fresh_database_loses_no_shared_field(
    client, make_factcheck, tmp_path
):
    """Export from one instance, wipe it, import the file with the real command."""
    one = make_factcheck(text=LONG_CLAIM, claimant="Cllr Ann Leader", state="corrected")  # now Mostly false
    two = make_factcheck(text="Bus fares doubled.", claimant="", rating="misleading")
    two.article.language = "fr"
    two.article.save()
    expected = {
        factcheck_url(claim=c): {
            "claim_reviewed": c.text,
            "claimant": c.claimant,
            "rating_text": {"mostly_false": "Mostly false", "misleading": "Misleading"}[rating],
            "rating_value": {"mostly_false": 2.0, "misleading": None}[rating],
            "publisher": "Example Fact Desk",
            "review_date": T0.date(),
            "claim_date": c.article.published_at.date(),
            "language": lang,
        }
        for c, rating, lang in ((one, "mostly_false", "en"), (two, "misleading", "fr"))
    }
    path = tmp_path / "feed.json"
    path.write_bytes(client.get("/fact-checks/feed.json").content)

    Claim.objects.all().delete()  # a fresh instance: none of the exporting side's rows
    Article.objects.all().delete()
    Outlet.objects.all().delete()
    out = io.StringIO()
    call_command("import_claimreview", str(path), stdout=out)

    imported = {p.url: p for p in PriorFactCheck.objects.all()}
    assert set(imported) == set(expected)
    for url, fields in expected.items():
        got = {name: getattr(imported[url], name) for name in fields}
        assert got == fields, url
    assert "imported 2" in out.getvalue()


def test_atom_feed_lists_new_and_corrected_fact_checks(client, make_factcheck):
    make_factcheck(text="A new claim.", published_at=T0.replace(day=20))
    corrected = make_factcheck(text="A corrected claim.", state="corrected")
    make_factcheck(text="A withdrawn claim.", state="unpublished")
    response = client.get("/fact-checks/feed.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = xml_root(response.content)
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles == ["False: A new claim.", "Corrected: Mostly false: A corrected claim."]
    second = entries[1]
    assert second.findtext(f"{ATOM}id") == factcheck_url(claim=corrected)
    assert second.find(f"{ATOM}link").get("href") == factcheck_url(claim=corrected)
    assert second.findtext(f"{ATOM}published") == "2026-03-02T09:30:00+00:00"
    assert second.findtext(f"{ATOM}updated") == "2026-03-09T14:15:00+00:00"
    assert "We misread the seasonally adjusted table" in second.findtext(f"{ATOM}summary")
    assert response["Last-Modified"] == "Fri, 20 Mar 2026 09:30:00 GMT"


def test_atom_feed_escapes_hostile_text(client, make_factcheck):
    make_factcheck(text="</title><script>alert(1)</script>", summary="<b>x</b> & y")
    content = client.get("/fact-checks/feed.xml").content
    entry = xml_root(content).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "False: </title><script>alert(1)</script>"
    # The summary is type="html": once the XML is decoded, the markup must still be escaped.
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    assert summary.text == "<p>&lt;b&gt;x&lt;/b&gt; &amp; y</p>"
    assert b"<script>" not in content


@override_settings(SITE_URL="https://checks.example.org")
def test_sitemap_lists_published_fact_checks_on_the_site_url(client, make_factcheck):
    live = make_factcheck()
    corrected = make_factcheck(text="Corrected claim.", state="corrected")
    make_factcheck(text="Withdrawn.", state="unpublished")
    make_factcheck(text="Draft.", state="never")
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
        for u in xml_root(response.content).findall(f"{SITEMAP}url")
    }
    assert urls == {
        factcheck_url(claim=live): "2026-03-02",
        factcheck_url(claim=corrected): "2026-03-09",
        "https://checks.example.org/fact-checks/": None,
        "https://checks.example.org/fact-checks/rating-scale/": None,
    }


def test_feed_items_are_capped_and_newest_first(client, make_factcheck):
    for n in range(3):
        make_factcheck(text=f"Claim {n}.", published_at=T0 + dt.timedelta(hours=n))
    titles = [
        e.findtext(f"{ATOM}title")
        for e in xml_root(client.get("/fact-checks/feed.xml").content).findall(f"{ATOM}entry")
    ]
    assert titles == ["False: Claim 2.", "False: Claim 1.", "False: Claim 0."]


def test_hostile_text_survives_the_feed_round_trip_exactly(client, make_factcheck, tmp_path):
    hostile = '</script><script>alert(1)</script> & "quoted" \u2028 line'
    claim = make_factcheck(text=f"Claim {hostile}", claimant=f"Mr {hostile}")
    raw = client.get("/fact-checks/feed.json").content.decode()
    assert "<" not in raw and ">" not in raw and "&" not in raw
    (tmp_path / "feed.json").write_text(raw)
    url = factcheck_url(claim=claim)
    Claim.objects.all().delete()
    call_command("import_claimreview", str(tmp_path / "feed.json"), stdout=io.StringIO())
    prior = PriorFactCheck.objects.get(url=url)
    # The importer normalises whitespace (the U+2028 becomes a space); nothing else changes.
    assert prior.claim_reviewed == " ".join(f"Claim {hostile}".split())
    assert prior.claimant == " ".join(f"Mr {hostile}".split())
