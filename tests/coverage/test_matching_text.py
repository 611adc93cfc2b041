"""Query preparation for prior-coverage matching: tweet hashtags and @handles spelled out."""

from datetime import date

import pytest

from coverage.claimreview import ClaimReviewRecord
from coverage.matching import search
from coverage.matching.text import query_terms, query_text, split_compound, word_count
from coverage.services import prior_factchecks_import


def test_split_compound_finds_the_glued_words():
    assert split_compound("StopTheSteal") == "Stop The Steal"
    assert split_compound("USAToday") == "USA Today"
    assert split_compound("COVID19") == "COVID 19"
    assert split_compound("real_donald_trump") == "real donald trump"
    assert split_compound("lowercase") == "lowercase"


def test_query_text_spells_out_hashtags_and_keeps_handles():
    tweet = (
        "Drone strike on #Soleimani caught on camera pic.twitter.com/Tv — Jo Doe (@JoeBiden) January 6, 2020"
    )
    spelled = query_text(tweet)
    assert "Soleimani" in spelled.split()
    assert "#" not in spelled and "pic.twitter" not in spelled
    assert "@JoeBiden Joe Biden" in spelled
    assert query_terms(query_text("#WuhanLab leak")) == ["wuhan", "lab", "leak"]


def test_query_text_leaves_emails_and_plain_text_alone():
    assert query_text("write to desk@example.org today") == "write to desk@example.org today"
    assert query_text("  Taxes   went up. ") == "Taxes went up."


def test_word_count_is_not_inflated_by_spelled_out_tags():
    """The short-claim downgrade counts the words the claimant wrote, not the spelled-out ones."""
    assert word_count("#StopTheSteal now") == 2


@pytest.mark.django_db
def test_a_hashtag_tweet_finds_the_check_by_its_words(lexical_only):
    """Lexical only, so the match can come from nothing but the spelled-out hashtag."""
    prior_factchecks_import(
        records=[
            ClaimReviewRecord(
                url=f"https://checker.example/{n}",
                claim_reviewed=claim,
                rating_text="False",
                review_date=date(2024, 1, 1),
            )
            for n, claim in enumerate(
                [
                    "The coronavirus escaped from a laboratory in Wuhan.",
                    "A new bridge opened in the city of Wuhan last year.",
                    "Drinking hot water kills the coronavirus.",
                ]
            )
        ]
    )
    matches = search("It came out of the #WuhanLaboratory, admit it!", limit=3)
    assert matches and matches[0].text == "The coronavirus escaped from a laboratory in Wuhan."
