"""How ``bench.retrieval`` reads the dates of the shared collections and queries."""

from datetime import date

import pytest

from bench import retrieval


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        ({"date": "26 May 2015"}, {"review_date": date(2015, 5, 26)}),
        ({"date": "2019-10-22T08:00:00"}, {"review_date": date(2019, 10, 22)}),
        (
            {"date": "stated on October 22, 2019 in a campaign mailer.:"},
            {"claim_date": date(2019, 10, 22)},
        ),
        ({"date": "sometime in spring"}, {"review_date": None}),
        ({"date": "31 February 2015"}, {"review_date": None}),
        ({}, {"review_date": None}),
    ],
)
def test_a_collections_date_is_its_review_date_or_the_day_the_claim_was_stated(row, expected):
    assert retrieval._item_dates(row) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (
            {"text": "Iran could threaten Trump hotels. — Ilhan Omar (@IlhanMN) January 6, 2020"},
            date(2020, 1, 6),
        ),
        ({"text": "He said so on January 6, 2020 at a rally"}, None),
        ({"text": "No byline here", "debate": "20121023_third_presidential_debate"}, date(2012, 10, 23)),
        ({"text": "x", "debate": "third_presidential_debate"}, None),
        ({"text": "x", "date": "2021-03-04"}, date(2021, 3, 4)),
    ],
)
def test_a_querys_date_is_its_own_date_its_debates_day_or_its_tweet_byline(query, expected):
    assert retrieval._query_date(query) == expected
