"""The stored feed fields (``Claim.first_published_at``, ``Claim.modified_at``) follow every
write that changes a public fact-check, and the data version moves after those writes only."""

import datetime as dt

import pytest
from django.utils import timezone

from core.dataversion import data_version
from factcheck import workflow
from factcheck.models import Claim, Verdict
from factcheck.services.claims import claim_update
from tests.factories import EditorFactory, FactCheckerFactory, claim_in_state

pytestmark = pytest.mark.django_db


def stored(claim) -> tuple:
    row = Claim.objects.values_list("first_published_at", "modified_at").get(pk=claim.pk)
    return row


def published_times(claim) -> list:
    return sorted(
        Verdict.objects.filter(claim=claim, published_at__isnull=False).values_list("published_at", flat=True)
    )


def test_publish_sets_the_first_publication_and_unpublish_clears_it(django_capture_on_commit_callbacks):
    claim = claim_in_state("approved", author=FactCheckerFactory())
    assert stored(claim)[0] is None
    before = data_version()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(claim, "publish", user=EditorFactory())
    first, modified = stored(claim)
    assert first == published_times(claim)[0]
    assert modified >= first
    assert data_version() > before

    before = data_version()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(claim, "unpublish", user=EditorFactory(), note="A source was withdrawn.")
    assert stored(claim)[0] is None
    assert data_version() > before


def test_an_approved_correction_keeps_the_first_publication_and_moves_the_modified_time(
    django_capture_on_commit_callbacks,
):
    claim = claim_in_state("published", author=FactCheckerFactory())
    Verdict.objects.filter(claim=claim).update(published_at=timezone.now() - dt.timedelta(days=3))
    Claim.objects.filter(pk=claim.pk).update(updated_at=timezone.now() - dt.timedelta(days=3))
    from factcheck.services.feed import claim_feed_refresh

    claim_feed_refresh(claim_ids=[claim.pk])
    first, modified = stored(claim)
    workflow.transition(claim, "correct", user=EditorFactory(), note="The figure was revised.")
    before = data_version()
    started = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(claim, "approve_correction", user=EditorFactory())
    new_first, new_modified = stored(claim)
    assert new_first == first == published_times(claim)[0]
    assert new_modified >= started > modified
    assert data_version() > before


def test_editing_a_public_claim_moves_the_modified_time_and_the_version(django_capture_on_commit_callbacks):
    claim = claim_in_state("published", author=FactCheckerFactory())
    _first, modified = stored(claim)
    before = data_version()
    with django_capture_on_commit_callbacks(execute=True):
        claim_update(claim_id=claim.pk, expected_version=claim.version, fields={"claimant": "The mayor"})
    assert stored(claim)[1] > modified
    assert data_version() > before


def test_desk_work_on_claims_that_are_not_public_leaves_the_version(django_capture_on_commit_callbacks):
    claim = claim_in_state("candidate")
    before = data_version()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(claim, "select", user=FactCheckerFactory())
        claim_update(claim_id=claim.pk, expected_version=claim.version, fields={"claimant": "The mayor"})
    assert data_version() == before
    assert stored(claim)[0] is None


def test_a_transition_does_not_let_a_later_save_write_stale_feed_fields():
    claim = claim_in_state("approved", author=FactCheckerFactory())
    workflow.transition(claim, "publish", user=EditorFactory())
    claim.priority = 1
    claim.save()
    assert stored(claim)[0] == published_times(claim)[0]
