"""Grouping of repeated claims: repeats join one canonical claim, near-misses are suggested."""

import pytest
from django.test import TestCase

from coverage import tasks
from coverage.grouping import claim_group
from coverage.models import SameClaimSuggestion, SearchDoc
from coverage.selectors import claims_pending_grouping
from factcheck.models import Claim, ClaimOrigin, ClaimState, ReviewEvent
from factcheck.services.claims import claim_add
from tests import factories

pytestmark = pytest.mark.django_db

WAITING = "Waiting lists fell by 12 percent last year."
WAITING_AGAIN = "Hospital waiting lists fell by 12% last year."
NURSES = "We have hired 4,000 new nurses since 2023."
NURSES_AGAIN = "The government had hired 4,000 more nurses since 2023."
CRIME = "Crime fell 18% in the city last year, the mayor said."
CRIME_OTHER = "Crime fell 40% in the city last year, the mayor said."


def grouped(text: str, **fields) -> Claim:
    claim = factories.ClaimFactory(text=text, **fields)
    with TestCase.captureOnCommitCallbacks(execute=True):  # the task's work commits
        claim_group(claim_id=claim.pk)
    claim.refresh_from_db()
    return claim


def test_repeats_in_other_words_join_the_first_claim():
    waiting, nurses = grouped(WAITING), grouped(NURSES)
    again = grouped(WAITING_AGAIN)
    more = grouped(NURSES_AGAIN)
    assert (waiting.same_as_id, nurses.same_as_id) == (None, None)
    assert again.same_as_id == waiting.pk
    assert more.same_as_id == nurses.pk
    event = ReviewEvent.objects.get(claim=again, transition="group")
    assert event.actor is None and f"claim {waiting.pk}" in event.note


def test_a_different_figure_is_suggested_and_says_what_differs():
    first = grouped(CRIME)
    other = grouped(CRIME_OTHER)
    assert other.same_as_id is None
    suggestion = SameClaimSuggestion.objects.get(claim=other)
    assert suggestion.canonical_id == first.pk
    assert suggestion.differences == ["figure: 40% / 18%"]


def test_a_different_year_is_never_grouped():
    first = grouped("Crime fell in the city centre in 2023, police figures show.")
    other = grouped("Crime fell in the city centre in 2019, police figures show.")
    assert other.same_as_id is None
    assert SameClaimSuggestion.objects.get(claim=other, canonical=first).differences == ["date: 2019 / 2023"]


def test_a_handle_for_the_name_it_spells_is_the_same_claim():
    first = grouped("I always said @BarackObama will attack Iran before the election.")
    again = grouped("I always said Barack Obama will attack Iran before the election.")
    assert again.same_as_id == first.pk


@pytest.mark.parametrize(
    ("first_text", "other_text"),
    [
        (
            "#Hollyweed: pranksters changed the Hollywood sign overnight",
            "Someone altered the Hollywood sign to read Hollyweed last night",
        ),
        (
            "Good news, @DIRECTV customers! They are refunding Sunday Ticket to fans offended by the anthem protests.",
            "Just got a full refund from Direct TV for Sunday Ticket because of the anthem protests",
        ),
    ],
)
def test_tweets_of_one_rumour_with_a_hashtag_or_handle_are_grouped(first_text, other_text):
    for text in ("The Hollywood hills are dry this summer.", "Sunday sports on TV cost more this year."):
        grouped(text)  # stored claims that make the common words common
    first = grouped(first_text)
    assert grouped(other_text).same_as_id == first.pk


def test_word_counts_follow_the_stored_claims():
    from coverage.matching import terms

    counts = terms.counts_for()
    grouped(WAITING)
    assert (counts.docs, counts.counts["waiting"], counts.counts["nurses"]) == (1, 1, 0)
    grouped(NURSES)
    assert (counts.docs, counts.counts["waiting"], counts.counts["nurses"]) == (2, 1, 1)
    grouped(WAITING_AGAIN)
    grouped(CRIME)
    assert (counts.docs, counts.counts["waiting"], counts.counts["nurses"]) == (4, 2, 1)
    counts.checked_at = 0.0  # the next refresh reads the rows committed meanwhile
    counts.refresh()  # and skips the ones this process counted already
    assert (counts.docs, counts.counts["waiting"], counts.counts["nurses"]) == (4, 2, 1)


def test_a_vector_written_with_its_row_is_searchable_at_once_and_read_back_never():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core import embedding
    from coverage.matching import vectors

    if not embedding.available():
        pytest.fail("the embedding extra is needed here (requirements-embeddings.txt)")
    grouped(WAITING)
    cache = vectors.cache_for()
    cache.checked_at = 0.0
    cache.refresh()  # a cache that has read the stored rows
    second = grouped(NURSES)
    doc = SearchDoc.objects.get(kind="appearance", object_id=second.pk)
    assert doc.pk in cache.row_of  # cached on commit, before any refresh read it
    stored = vectors.decode(doc.embedding)
    assert (cache.matrix[cache.row_of[doc.pk]] == stored).all()
    cache.checked_at = 0.0
    with CaptureQueriesContext(connection) as queries:
        cache.refresh()
    assert not any('"embedding"' in q["sql"] for q in queries.captured_queries)  # no blob re-read


def test_a_repeat_right_after_its_first_claim_joins_it_on_a_machine_just_booted(monkeypatch):
    """The process's clock counts from boot: a few seconds after it, each claim's vector is
    still cached as it commits, so the next claim finds it without waiting for a refresh."""
    import time

    from core import embedding

    if not embedding.available():
        pytest.fail("the embedding extra is needed here (requirements-embeddings.txt)")
    real, started = time.monotonic, time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: 30.0 + (real() - started))
    waiting, nurses = grouped(WAITING), grouped(NURSES)
    assert grouped(WAITING_AGAIN).same_as_id == waiting.pk
    assert grouped(NURSES_AGAIN).same_as_id == nurses.pk


def test_another_person_in_the_same_place_is_only_suggested():
    first = grouped("Police say Smith lied to the council about the school budget.")
    other = grouped("Police say Jones lied to the council about the school budget.")
    assert other.same_as_id is None
    assert SameClaimSuggestion.objects.get(claim=other, canonical=first).differences == [
        "name: jones / smith"
    ]


@pytest.mark.parametrize(
    ("first_text", "other_text", "expected"),
    [
        (
            "Electric cars produce more emissions than petrol cars over their lifetime.",
            "Electric cars produce fewer emissions than petrol cars over their lifetime.",
            ["direction: down / up"],
        ),
        (
            "The new vaccine causes infertility in young women, the post claims.",
            "The new vaccine does not cause infertility in young women, the post claims.",
            ["negation: cause, infertility, young denied by one text, stated by the other"],
        ),
    ],
)
def test_a_claim_and_its_opposite_or_denial_are_only_suggested(first_text, other_text, expected):
    first = grouped(first_text)
    other = grouped(other_text)
    assert other.same_as_id is None  # a verdict must not follow a claim to its opposite
    assert SameClaimSuggestion.objects.get(claim=other, canonical=first).differences == expected


def test_very_short_texts_are_only_suggested():
    first = grouped("Crime is up.")
    other = grouped("Crime is rising.")
    assert other.same_as_id is None
    suggestion = SameClaimSuggestion.objects.get(claim=other, canonical=first)
    assert suggestion.short and suggestion.differences == []


def test_an_appearance_of_an_appearance_points_at_the_canonical_claim():
    first = grouped(WAITING)
    second = grouped(WAITING_AGAIN)
    third = grouped("Hospital waiting lists in England fell by 12% last year.")
    assert second.same_as_id == first.pk
    assert third.same_as_id == first.pk


def test_dismissed_claims_are_not_grouped_with():
    first = grouped(WAITING)
    Claim.objects.filter(pk=first.pk).update(state=ClaimState.DISMISSED)
    again = grouped(WAITING_AGAIN)
    assert again.same_as_id is None
    assert not SameClaimSuggestion.objects.filter(claim=again).exists()


def test_any_state_but_dismissed_is_a_target():
    first = grouped(WAITING, state=ClaimState.PUBLISHED)
    assert grouped(WAITING_AGAIN).same_as_id == first.pk


def test_grouping_the_same_claim_twice_changes_nothing():
    first = grouped(WAITING)
    again = grouped(WAITING_AGAIN)
    version = again.version
    assert claim_group(claim_id=again.pk).outcome == "done"
    assert claim_group(claim_id=first.pk).outcome == "done"
    again.refresh_from_db()
    assert (again.same_as_id, again.version) == (first.pk, version)
    assert ReviewEvent.objects.filter(claim=again, transition="group").count() == 1
    assert SearchDoc.objects.filter(kind="appearance").count() == 2


def test_the_same_text_twice_groups_the_second_with_the_first():
    first = grouped(NURSES, origin=ClaimOrigin.PARTNER)
    second = grouped(NURSES, origin=ClaimOrigin.MANUAL)
    assert second.same_as_id == first.pk


def test_a_deleted_claim_is_not_an_error():
    assert claim_group(claim_id=987654).outcome == "gone"


def test_a_new_claim_of_any_origin_is_grouped_then_matched(django_capture_on_commit_callbacks):
    first = grouped(WAITING)
    with django_capture_on_commit_callbacks(execute=True):
        tip = claim_add(text=WAITING_AGAIN, origin=ClaimOrigin.PARTNER)
    tip.refresh_from_db()
    assert tip.same_as_id == first.pk and tip.grouped_at is not None
    assert tip.matched_at is not None  # matching ran after grouping


def test_lexical_only_groups_by_shared_words_and_still_checks_figures(lexical_only):
    first = grouped(NURSES)
    same = grouped(NURSES_AGAIN)
    crime = grouped(CRIME)
    other = grouped(CRIME_OTHER)
    unrelated = grouped("The bridge will reopen to traffic before the summer holidays.")
    assert same.same_as_id == first.pk
    assert other.same_as_id is None
    assert SameClaimSuggestion.objects.get(claim=other).canonical_id == crime.pk
    assert unrelated.same_as_id is None


def test_the_sweep_groups_claims_whose_task_was_lost():
    from datetime import timedelta

    from coverage.sweeps import claims_sweep_ungrouped

    first = grouped(WAITING)
    lost = factories.ClaimFactory(text=WAITING_AGAIN)  # created, its task never ran
    assert list(claims_pending_grouping(older_than=timedelta(0))) == [lost]
    assert claims_sweep_ungrouped(older_than=timedelta(0)).queued == 1  # eager: runs here
    lost.refresh_from_db()
    assert (lost.same_as_id, lost.grouped_at is not None) == (first.pk, True)
    assert not claims_pending_grouping(older_than=timedelta(0)).exists()


def test_grouping_task_returns_its_outcome():
    first = grouped(WAITING)
    claim = factories.ClaimFactory(text=WAITING_AGAIN)
    assert tasks.group_claim.delay(claim.pk).get() == "joined"
    assert tasks.group_claim.delay(claim.pk).get() == "done"
    assert Claim.objects.get(pk=claim.pk).same_as_id == first.pk
