"""The public fact-check as an article: headline, the claim as checked, explanation,
byline with both names, and a corrections log that says what changed."""

import lxml.html
import pytest
from django.urls import reverse

from factcheck import workflow
from factcheck.models import DeskProfile
from public.claimreview import factcheck_slug
from tests.factories import ClaimFactory, EditorFactory, FactCheckerFactory, SourceFactory, VerdictFactory
from tests.public.html import assert_headings_in_order, assert_valid_html, jsonld_blocks

pytestmark = pytest.mark.django_db

BODY = (
    "## What the figures show\n\nThe [March release](https://stats.example.org/march) shows a rise.\n\n"
    "<script>alert('x')</script>\n\n- one\n- two"
)


def _page(client, claim):
    return client.get(reverse("public:factcheck_detail", kwargs={"slug": factcheck_slug(claim=claim)}))


@pytest.fixture
def article_factcheck(make_factcheck):
    author = FactCheckerFactory(first_name="Fiona", last_name="Checker")
    reviewer = EditorFactory(first_name="Edward", last_name="Editor")
    DeskProfile.objects.create(user=reviewer, display_name="Ed Editor")
    claim = make_factcheck(
        text="“We both agree—crime doubled in a year,” he said.",
        checked_wording="Crime doubled in a year.",
    )
    claim.verdicts.update(
        headline="Crime rose 3%, it did not double", body=BODY, author=author, reviewer=reviewer
    )
    return claim


def test_the_page_is_a_fact_check_article(client, article_factcheck):
    response = _page(client, article_factcheck)
    assert response.status_code == 200
    tree = lxml.html.fromstring(response.content)
    assert tree.findtext(".//h1") == "Crime rose 3%, it did not double"
    html = response.content.decode()
    assert "Crime doubled in a year." in html  # the claim as checked
    assert "As it appeared: ““We both agree—crime doubled in a year,” he said.”" in html
    explanation = tree.find(".//div[@class='explanation']")
    link = explanation.find(".//a")
    assert link.get("href") == "https://stats.example.org/march" and link.get("rel") == "nofollow noopener"
    assert explanation.find(".//script") is None and "&lt;script&gt;" in html
    assert explanation.find(".//h3") is not None  # "##" sits under the section's h2
    byline = tree.find(".//p[@class='byline']").text_content()
    assert "By Fiona Checker, reviewed by Ed Editor" in byline
    assert_valid_html(response.content)
    assert_headings_in_order(response.content)


def test_claimreview_carries_the_headline_and_the_claim_as_checked(client, article_factcheck):
    (review,) = jsonld_blocks(_page(client, article_factcheck).content)
    assert review["headline"] == "Crime rose 3%, it did not double"
    assert review["claimReviewed"] == "Crime doubled in a year."


def test_a_correction_that_adds_a_source_says_what_changed(client, fact_checker, editor, other_editor):
    claim = ClaimFactory(state="published")
    verdict = VerdictFactory(claim=claim, rating="half_true", published_at="2026-03-02T09:30:00Z")
    SourceFactory(verdict=verdict, url="https://stats.example.org/a", title="Release A")
    workflow.transition(
        claim,
        "correct",
        user=editor,
        note="New data.",
        rating="false",
        sources=[
            {"url": "https://stats.example.org/a", "title": "Release A"},
            {"url": "https://stats.example.org/b", "title": "Release B"},
        ],
    )
    workflow.transition(claim, "approve_correction", user=other_editor)
    html = _page(client, claim).content.decode()
    assert "rating Half true → False" in html
    assert "Sources added:</strong> Release B" in html
    assert "New data." in html
    sources = lxml.html.fromstring(html).findall(".//ol[@class='sources']/li")
    assert len(sources) == 2
