"""Fact-checks in each public state, built straight in the database.

They are made without the workflow on purpose: a published fact-check is any claim in
state ``published`` with a current verdict whose ``published_at`` is set, however it got
there, and the pages must not depend on what only the ``publish`` transition fills in.
"""

import datetime as dt
import itertools

import pytest

from factcheck.models import ClaimState, ReviewEvent
from tests import factories

T0 = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)
T_SAID = dt.datetime(2026, 2, 27, 18, 0, tzinfo=dt.UTC)
T_CORRECTED = dt.datetime(2026, 3, 9, 14, 15, tzinfo=dt.UTC)
_article_numbers = itertools.count(1)


def build_factcheck(
    *,
    state: str = "published",
    text: str = "Unemployment fell to 4.2% in March, the minister said.",
    claimant: str = "Jane Minister",
    rating: str = "false",
    summary: str = "Official statistics show unemployment rose to 5.1% in March.",
    published_at: dt.datetime | None = T0,
    article_title: str = "Minister defends jobs record",
    outlet_name: str = "The Daily Example",
    article_url: str = "",
    sources: int = 2,
    **claim_fields,
):
    """A claim, its article and one verdict version with sources; ``state`` picks the story.

    ``published``: live. ``corrected``: live, a second version with a correction note.
    ``unpublished``: was live, moved back to review (an ``unpublish`` event).
    ``never``: approved, never published.
    """
    outlet = factories.OutletFactory(name=outlet_name)
    article_url = article_url or f"https://daily.example/news/jobs-record-{next(_article_numbers)}"
    article = factories.ArticleFactory(
        outlet=outlet, title=article_title, url=article_url, published_at=T_SAID
    )
    claim_state = {
        "published": ClaimState.PUBLISHED,
        "corrected": ClaimState.PUBLISHED,
        "unpublished": ClaimState.IN_REVIEW,
        "never": ClaimState.APPROVED,
    }[state]
    claim = factories.ClaimFactory(
        text=text, claimant=claimant, state=claim_state, article=article, **claim_fields
    )
    first = factories.VerdictFactory(
        claim=claim,
        rating=rating,
        summary=summary,
        published_at=None if state == "never" else published_at,
        is_current=state != "corrected",
    )
    for n in range(sources):
        factories.SourceFactory(
            verdict=first,
            title=f"Labour market statistics, table {n + 1}",
            publisher="Office for Statistics",
            accessed_at=dt.date(2026, 3, 1),
        )
    if state == "corrected":
        second = factories.VerdictFactory(
            claim=claim,
            version=2,
            rating="mostly_false",
            summary="Unemployment rose, but by less than we first reported: 4.6%, not 5.1%.",
            correction_note="We misread the seasonally adjusted table; the rate was 4.6%.",
            published_at=T_CORRECTED,
            is_current=True,
        )
        for source in first.sources.all():
            factories.SourceFactory(
                verdict=second,
                url=source.url,
                title=source.title,
                publisher=source.publisher,
                accessed_at=source.accessed_at,
            )
    if state == "unpublished":
        ReviewEvent.objects.create(
            claim=claim, transition="unpublish", from_state="published", to_state="in_review", note="Legal"
        )
    return claim


@pytest.fixture
def make_factcheck(db):
    return build_factcheck
