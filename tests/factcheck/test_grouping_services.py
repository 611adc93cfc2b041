"""Editors merge repeated claims into one canonical claim and split appearances off."""

import pytest

from factcheck.models import Claim, ClaimState, ReviewEvent
from factcheck.services.grouping import GroupingError, claim_join, claim_split, claims_merge
from factcheck.signals import appearance_added
from tests import factories

pytestmark = pytest.mark.django_db


def versions(*claims):
    return {c.pk: Claim.objects.get(pk=c.pk).version for c in claims}


@pytest.fixture
def announced():
    seen = []

    def listen(sender, claim_id, canonical_id, **kwargs):
        seen.append((claim_id, canonical_id))

    appearance_added.connect(listen, dispatch_uid="test-announced")
    yield seen
    appearance_added.disconnect(dispatch_uid="test-announced")


def test_merge_repoints_every_member_and_writes_events(editor, announced):
    canonical, other, follower = factories.ClaimFactory.create_batch(3)
    Claim.objects.filter(pk=follower.pk).update(same_as=other)
    claims_merge(
        canonical_id=canonical.pk,
        claim_ids=[other.pk],
        actor=editor,
        expected_versions=versions(canonical, other),
    )
    assert set(Claim.objects.filter(same_as=canonical).values_list("pk", flat=True)) == {
        other.pk,
        follower.pk,
    }
    assert not Claim.objects.filter(same_as=other).exists()  # never a chain
    assert ReviewEvent.objects.filter(transition="merge", actor=editor).count() == 3
    assert sorted(announced) == sorted([(other.pk, canonical.pk), (follower.pk, canonical.pk)])


def test_merge_with_a_stale_version_changes_nothing(editor):
    canonical, other = factories.ClaimFactory.create_batch(2)
    seen = versions(canonical, other)
    Claim.objects.filter(pk=other.pk).update(version=seen[other.pk] + 1)  # someone saved meanwhile
    with pytest.raises(GroupingError, match="changed by another editor"):
        claims_merge(canonical_id=canonical.pk, claim_ids=[other.pk], actor=editor, expected_versions=seen)
    assert Claim.objects.get(pk=other.pk).same_as_id is None
    assert not ReviewEvent.objects.filter(transition="merge").exists()


def test_only_editors_merge(fact_checker):
    canonical, other = factories.ClaimFactory.create_batch(2)
    with pytest.raises(GroupingError, match="Only Editors"):
        claims_merge(
            canonical_id=canonical.pk,
            claim_ids=[other.pk],
            actor=fact_checker,
            expected_versions=versions(canonical, other),
        )


def test_merge_keeps_both_verdicts_the_canonicals_covers_the_group(editor):
    canonical, other = factories.ClaimFactory.create_batch(2)
    kept = factories.VerdictFactory(claim=canonical, rating="false")
    history = factories.VerdictFactory(claim=other, rating="true")
    claims_merge(
        canonical_id=canonical.pk,
        claim_ids=[other.pk],
        actor=editor,
        expected_versions=versions(canonical, other),
    )
    assert Claim.objects.get(pk=canonical.pk).current_verdict == kept
    assert Claim.objects.get(pk=other.pk).verdicts.get() == history  # still there, as history
    assert "kept in its history" in ReviewEvent.objects.get(claim=other, transition="merge").note


def test_merge_into_a_claim_without_the_verdict_is_refused(editor):
    canonical, other = factories.ClaimFactory.create_batch(2)
    factories.VerdictFactory(claim=other)
    with pytest.raises(GroupingError, match="pick the claim whose verdict should stay"):
        claims_merge(
            canonical_id=canonical.pk,
            claim_ids=[other.pk],
            actor=editor,
            expected_versions=versions(canonical, other),
        )


def test_a_published_claim_is_not_merged_into_another(editor):
    canonical = factories.ClaimFactory()
    published = factories.ClaimFactory(state=ClaimState.PUBLISHED)
    with pytest.raises(GroupingError, match="unpublish it"):
        claims_merge(
            canonical_id=canonical.pk,
            claim_ids=[published.pk],
            actor=editor,
            expected_versions=versions(canonical, published),
        )


def test_merge_into_an_appearance_is_refused(editor):
    canonical, appearance, other = factories.ClaimFactory.create_batch(3)
    Claim.objects.filter(pk=appearance.pk).update(same_as=canonical)
    with pytest.raises(GroupingError, match="merge into that one"):
        claims_merge(
            canonical_id=appearance.pk,
            claim_ids=[other.pk],
            actor=editor,
            expected_versions=versions(appearance, other),
        )


def test_split_makes_the_appearance_canonical(editor):
    canonical, appearance = factories.ClaimFactory.create_batch(2)
    Claim.objects.filter(pk=appearance.pk).update(same_as=canonical)
    split = claim_split(
        claim_id=appearance.pk, actor=editor, expected_version=versions(appearance)[appearance.pk]
    )
    assert split.same_as_id is None
    assert ReviewEvent.objects.filter(transition="split").count() == 2


def test_split_with_a_stale_version_is_refused(editor):
    canonical, appearance = factories.ClaimFactory.create_batch(2)
    Claim.objects.filter(pk=appearance.pk).update(same_as=canonical)
    with pytest.raises(GroupingError, match="changed by another editor"):
        claim_split(claim_id=appearance.pk, actor=editor, expected_version=appearance.version - 1)
    assert Claim.objects.get(pk=appearance.pk).same_as_id == canonical.pk


def test_split_of_a_canonical_claim_is_refused(editor):
    claim = factories.ClaimFactory()
    with pytest.raises(GroupingError, match="nothing to split"):
        claim_split(claim_id=claim.pk, actor=editor, expected_version=claim.version)


def test_join_refuses_a_target_merged_meanwhile():
    canonical, merged, new = factories.ClaimFactory.create_batch(3)
    Claim.objects.filter(pk=merged.pk).update(same_as=canonical)
    assert claim_join(claim_id=new.pk, canonical_id=merged.pk, score=0.9) is False
    assert claim_join(claim_id=new.pk, canonical_id=canonical.pk, score=0.9) is True
    assert Claim.objects.get(pk=new.pk).same_as_id == canonical.pk


def test_a_claim_cannot_be_its_own_appearance():
    from django.db import IntegrityError, transaction

    claim = factories.ClaimFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(same_as=claim)
