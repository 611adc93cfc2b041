"""The ClaimReview JSON-LD on each fact-check page, read back with extruct, and hostile text."""

import json

import lxml.html
import pytest
from django.test import override_settings
from django.urls import reverse

from factcheck import ratings
from public.claimreview import factcheck_slug
from tests.public.html import assert_valid_html, jsonld_blocks, raw_jsonld, script_elements

pytestmark = pytest.mark.django_db

HOSTILE = "</script><script>alert(1)</script>"


def page(client, claim):
    response = client.get(reverse("public:factcheck_detail", kwargs={"slug": factcheck_slug(claim=claim)}))
    assert response.status_code == 200
    return response.content


@override_settings(SITE_URL="https://checks.example.org", ORGANISATION_NAME="Example Fact Desk")
def test_one_claimreview_block_with_every_field(client, make_factcheck):
    claim = make_factcheck(text="Unemployment fell to 4.2% in March.")
    content = page(client, claim)
    (review,) = jsonld_blocks(content)
    tree = lxml.html.fromstring(content)
    assert tree.xpath("//link[@rel='canonical']/@href") == [review["url"]]
    assert tree.xpath("//meta[@property='og:url']/@content") == [review["url"]]
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == (
        f"https://checks.example.org/fact-checks/unemployment-fell-to-42-in-march-{claim.pk}/"
    )
    assert review["claimReviewed"] == "Unemployment fell to 4.2% in March."
    assert review["author"] == {
        "@type": "Organization",
        "name": "Example Fact Desk",
        "url": "https://checks.example.org/",
    }
    assert review["datePublished"] == "2026-03-02T09:30:00+00:00"
    assert "dateModified" not in review
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (1, 5, 1)
    assert rating["alternateName"] == "False"
    assert rating["ratingExplanation"] == "Official statistics show unemployment rose to 5.1% in March."
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Jane Minister"}
    assert item["datePublished"] == "2026-02-27T18:00:00+00:00"
    (appearance,) = item["appearance"]
    assert appearance["@type"] == "CreativeWork"
    assert appearance["url"] == claim.article.url
    assert appearance["headline"] == "Minister defends jobs record"
    assert appearance["publisher"] == {"@type": "Organization", "name": "The Daily Example"}


def test_corrected_fact_check_keeps_first_date_and_adds_modified_and_new_rating(client, make_factcheck):
    claim = make_factcheck(state="corrected")
    (review,) = jsonld_blocks(page(client, claim))
    assert review["datePublished"] == "2026-03-02T09:30:00+00:00"
    assert review["dateModified"] == "2026-03-09T14:15:00+00:00"
    assert review["reviewRating"]["alternateName"] == "Mostly false"
    assert review["reviewRating"]["ratingValue"] == 2


@pytest.mark.parametrize("rating", ratings.SCALE, ids=lambda r: r.key)
def test_every_rating_maps_to_its_number_and_label(client, make_factcheck, rating):
    claim = make_factcheck(rating=rating.key)
    (review,) = jsonld_blocks(page(client, claim))
    got = review["reviewRating"]
    assert got["alternateName"] == rating.label
    if rating.value is None:  # text-only ratings carry no number at all
        assert not {"ratingValue", "bestRating", "worstRating"} & got.keys()
    else:
        assert (got["ratingValue"], got["bestRating"], got["worstRating"]) == (rating.value, 5, 1)


def test_claim_reviewed_is_short_and_never_carries_the_rating(client, make_factcheck):
    text = (
        "The government has built more than three hundred thousand new homes in every single year "
        "since the election, according to the housing minister."
    )
    claim = make_factcheck(text=text, rating="mostly_false")
    (review,) = jsonld_blocks(page(client, claim))
    short = review["claimReviewed"]
    assert len(short) <= 75
    assert short.endswith("…") and text.startswith(short[:-1])
    assert "false" not in short.lower()
    assert review["itemReviewed"]["name"] == text  # the full claim is not lost


def test_claim_without_article_or_claimant_leaves_those_fields_out(client, make_factcheck):
    claim = make_factcheck(claimant="")
    claim.article = None
    claim.save()
    (review,) = jsonld_blocks(page(client, claim))
    assert "author" not in review["itemReviewed"]
    assert "appearance" not in review["itemReviewed"]
    assert "datePublished" not in review["itemReviewed"]


def hostile_claim(make_factcheck):
    """Every field a reader's text can reach, each carrying a script-breaking payload."""
    claim = make_factcheck(
        text=f"Claim {HOSTILE} & more",
        claimant=f"Mr {HOSTILE}",
        quote=f"Quote {HOSTILE}",
        summary=f"Summary {HOSTILE} <img src=x onerror=alert(2)>",
        article_title=f"Title {HOSTILE}",
        outlet_name=f"Outlet {HOSTILE}",
        state="corrected",
    )
    verdict = claim.current_verdict
    verdict.correction_note = f"Note {HOSTILE}"
    verdict.summary = f"Summary {HOSTILE} <img src=x onerror=alert(2)>"
    verdict.save()
    for source in verdict.sources.all():
        source.title = f"Source {HOSTILE}"
        source.publisher = f"Publisher {HOSTILE}"
        source.note = f"Source note {HOSTILE}"
        source.save()
    return claim


def test_hostile_text_in_every_field_renders_inert_in_html_and_json_ld(client, make_factcheck):
    claim = hostile_claim(make_factcheck)
    content = page(client, claim)
    html = content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in html  # shown as text
    scripts = script_elements(content)
    assert [s.get("type") for s in scripts] == ["application/ld+json"]
    raw = scripts[0].text
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert "\\u003c/script\\u003e" in raw
    review = raw_jsonld(content)
    assert review["itemReviewed"]["author"]["name"] == f"Mr {HOSTILE}"
    assert review["itemReviewed"]["name"] == f"Claim {HOSTILE} & more"
    assert review["itemReviewed"]["appearance"][0]["headline"] == f"Title {HOSTILE}"
    assert review["itemReviewed"]["appearance"][0]["publisher"]["name"] == f"Outlet {HOSTILE}"
    assert review["reviewRating"]["ratingExplanation"].startswith(f"Summary {HOSTILE}")
    (parsed,) = jsonld_blocks(content)
    assert parsed == review
    assert_valid_html(content)
    # Every visible field still reads as the text the editor typed.
    text = lxml.html.fromstring(content).text_content()
    for expected in ("Mr ", "Quote ", "Title ", "Outlet ", "Note ", "Source ", "Publisher ", "Source note "):
        assert f"{expected}{HOSTILE}" in text


def test_javascript_links_are_never_published(client, make_factcheck):
    claim = make_factcheck()
    claim.article.url = "javascript:alert(1)"
    claim.article.save()
    source = claim.current_verdict.sources.first()
    source.url = "JavaScript:alert(document.cookie)"
    source.save()
    content = page(client, claim)
    assert "javascript:" not in content.decode().lower()
    assert "url" not in raw_jsonld(content)["itemReviewed"]["appearance"][0]


def test_hostile_search_text_is_escaped_on_the_list(client, make_factcheck):
    make_factcheck()
    response = client.get("/fact-checks/", {"q": HOSTILE})
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;/script&gt;" in html
    assert_valid_html(response.content)


def test_json_ld_block_is_valid_json_with_unicode_kept(client, make_factcheck):
    claim = make_factcheck(text="Le chômage a baissé de 4 % — selon le ministre\u2028.")
    content = page(client, claim)
    raw = script_elements(content)[0].text
    assert "chômage" in raw and "\u2028" not in raw
    assert json.loads(raw)["itemReviewed"]["name"] == claim.text
