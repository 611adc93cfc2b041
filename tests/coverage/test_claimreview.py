"""Parsing ClaimReview JSON-LD, DataFeed, JSONL and HTML into records (no database)."""

import json
from datetime import date

from coverage.claimreview import parse_html, parse_json, parse_jsonl, parse_path, record_from


def review(n=1, **extra):
    data = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://checker.example/review/{n}",
        "claimReviewed": f"Claim number {n} about the moon being made of cheese.",
        "datePublished": "2024-03-05",
        "inLanguage": "en",
        "name": f"No, the moon is not cheese ({n})",
        "author": {"@type": "Organization", "name": "Checker"},
        "reviewRating": {"@type": "Rating", "ratingValue": "1", "alternateName": "False"},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": "A. Politician"},
            "datePublished": "2024-03-01T10:00:00Z",
        },
    }
    data.update(extra)
    return data


def test_single_object_maps_every_field():
    result = parse_json(json.dumps(review()))
    assert result.errors == []
    (record,) = result.records
    assert record.url == "https://checker.example/review/1"
    assert record.claim_reviewed.startswith("Claim number 1")
    assert (record.claimant, record.publisher, record.rating_text) == ("A. Politician", "Checker", "False")
    assert record.rating_value == 1.0
    assert (record.review_date, record.claim_date) == (date(2024, 3, 5), date(2024, 3, 1))
    assert (record.language, record.title) == ("en", "No, the moon is not cheese (1)")


def test_list_and_graph_are_unwrapped():
    assert len(parse_json(json.dumps([review(1), review(2)])).records) == 2
    graph = {"@context": "https://schema.org", "@graph": [review(3), {"@type": "WebPage"}, review(4)]}
    result = parse_json(json.dumps(graph))
    assert [r.url[-1] for r in result.records] == ["3", "4"]
    assert len(result.errors) == 1 and "not ClaimReview" in result.errors[0].reason


def test_datafeed_items_may_be_null():
    feed = {
        "@type": "DataFeed",
        "dataFeedElement": [
            {"@type": "DataFeedItem", "item": [review(1), None]},
            {"@type": "DataFeedItem", "item": None},
            {"@type": "DataFeedItem", "item": [review(2)]},
        ],
    }
    result = parse_json(json.dumps(feed))
    assert result.errors == []
    assert [r.url[-1] for r in result.records] == ["1", "2"]


def test_datafeed_elements_may_be_the_reviews_themselves():
    """schema.org's dataFeedElement takes a Thing as well as a DataFeedItem wrapper."""
    feed = {
        "@type": "DataFeed",
        "dataFeedElement": [
            review(1),
            {"@type": "DataFeedItem", "item": review(2)},
            {**review(3), "@type": "WebPage"},
        ],
    }
    result = parse_json(json.dumps(feed))
    assert [r.url[-1] for r in result.records] == ["1", "2"]
    assert len(result.errors) == 1
    assert result.errors[0].where.endswith("dataFeedElement[2]")
    assert "not ClaimReview" in result.errors[0].reason


def test_bad_records_are_reported_and_the_rest_kept():
    bad = [
        review(1),
        review(2, url="not a url"),
        review(3, claimReviewed=""),
        {**review(4), "@type": "Article"},
        "just a string",
        review(5, url=None),
    ]
    result = parse_json(json.dumps(bad), source="feed.json")
    assert [r.url[-1] for r in result.records] == ["1"]
    reasons = [e.reason for e in result.errors]
    assert any("invalid url" in r for r in reasons)
    assert any("missing claimReviewed" in r for r in reasons)
    assert any("not ClaimReview" in r for r in reasons)
    assert any("got str" in r for r in reasons)
    assert any(r == "missing url" for r in reasons)
    assert all(e.where.startswith("feed.json[") for e in result.errors)


def test_jsonl_reports_the_line_of_each_bad_record():
    content = "\n".join([json.dumps(review(1)), "{not json", "", json.dumps(review(2, url="ftp://x"))])
    result = parse_jsonl(content, source="f.jsonl")
    assert [r.url[-1] for r in result.records] == ["1"]
    assert [e.where for e in result.errors] == ["f.jsonl: line 2", "f.jsonl: line 4"]


def test_html_page_with_json_ld_blocks():
    page = (
        "<html><head><script type='application/ld+json'>"
        + json.dumps(review(7))
        + '</script><script type="application/ld+json">{"@type": "Organization"}</script></head></html>'
    )
    result = parse_html(page)
    assert [r.url[-1] for r in result.records] == ["7"]
    assert parse_html("<html></html>").errors[0].reason == "no ClaimReview JSON-LD in the page"


def test_malformed_json_and_unreadable_files(tmp_path):
    assert "malformed JSON" in parse_json("{").errors[0].reason
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\xff\xfe\x00binary")
    assert parse_path(binary).errors[0].reason == "not UTF-8 text"
    assert parse_json("{}").errors[0].reason.startswith("@type is None")


def test_odd_but_valid_values_are_tolerated():
    record = record_from(
        review(
            datePublished="5 March 2024",
            author=[{"name": "Checker A"}, {"name": "Checker B"}],
            inLanguage={"@type": "Language", "name": "English", "alternateName": "en"},
            reviewRating={"ratingValue": "n/a", "name": "Mostly false"},
        )
    )
    assert record.review_date is None  # unparseable dates are dropped, not fatal
    assert record.publisher == "Checker A, Checker B"
    assert (record.language, record.rating_text, record.rating_value) == ("en", "Mostly false", None)
