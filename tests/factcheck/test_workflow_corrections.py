"""A correction is proposed by one Editor and made public only by another (the two-person rule).

``correct`` proposes: a new verdict version, not current, not published. ``approve_correction``
(another Editor) makes it the current, published version; ``withdraw_correction`` drops it.
"""

import pytest
from django.core import mail

from factcheck import workflow
from factcheck.models import ClaimState, ReviewEvent, Verdict
from factcheck.workflow import TransitionNotAllowed
from tests.factories import EditorFactory, FactCheckerFactory, SuperuserFactory, claim_in_state

pytestmark = pytest.mark.django_db

WEBHOOKS = "partners.tasks.notify_partners"
REMATCH = "coverage.tasks.rematch_after_publish"
MAIL = "factcheck.tasks.send_review_event_email"


def _propose(claim, user, **params):
    params.setdefault("rating", "mostly_false")
    params.setdefault("correction_note", "The March figure was revised.")
    return workflow.transition(claim, "correct", user=user, **params)


def _versions(claim):
    """(version, is current, never published) of each verdict version, oldest first."""
    rows = Verdict.objects.filter(claim=claim).order_by("version")
    return [(v.version, v.is_current, v.published_at is None) for v in rows]


def test_a_proposed_correction_is_not_current_and_not_published(editor):
    claim = claim_in_state("published", author=FactCheckerFactory())
    old = claim.current_verdict
    old_urls = list(old.sources.values_list("url", flat=True))

    _propose(claim, editor, summary="The rate rose by 30%, not 100%.")

    claim.refresh_from_db()
    assert claim.state == ClaimState.PUBLISHED
    assert claim.current_verdict == old and old.published_at is not None
    proposal = claim.pending_correction
    assert (proposal.version, proposal.is_current, proposal.published_at) == (2, False, None)
    assert (proposal.rating, proposal.summary) == ("mostly_false", "The rate rose by 30%, not 100%.")
    assert (proposal.author, proposal.reviewer) == (editor, None)
    assert proposal.correction_note == "The March figure was revised."
    assert list(proposal.sources.values_list("url", flat=True)) == old_urls
    event = ReviewEvent.objects.get(claim=claim, transition="correct")
    assert (event.from_state, event.to_state) == ("published", "published")


def test_the_proposer_cannot_approve_their_own_correction(editor):
    claim = claim_in_state("published", author=FactCheckerFactory())
    _propose(claim, editor)

    with pytest.raises(TransitionNotAllowed) as refused:
        workflow.transition(claim, "approve_correction", user=editor)

    assert refused.value.reason == "You proposed this correction; another Editor must approve it."
    assert _versions(claim) == [(1, True, False), (2, False, True)]
    assert "approve_correction" not in [t.name for t in workflow.available_transitions(claim, editor)]


def test_a_superuser_who_proposed_a_correction_cannot_approve_it():
    admin = SuperuserFactory()
    claim = claim_in_state("published", author=FactCheckerFactory())
    _propose(claim, admin)

    with pytest.raises(TransitionNotAllowed, match="You proposed this correction"):
        workflow.transition(claim, "approve_correction", user=admin)

    assert _versions(claim) == [(1, True, False), (2, False, True)]
    assert workflow.check(claim, "approve_correction", user=admin) is not None


def test_a_superuser_cannot_publish_a_verdict_they_wrote():
    admin = SuperuserFactory()
    claim = claim_in_state("approved", author=admin)
    with pytest.raises(TransitionNotAllowed, match="You wrote this verdict"):
        workflow.transition(claim, "publish", user=admin)


def test_another_editor_approves_and_the_correction_becomes_the_published_version(
    editor, other_editor, queued, django_capture_on_commit_callbacks
):
    claim = claim_in_state("published", author=FactCheckerFactory())
    with django_capture_on_commit_callbacks(execute=True):
        _propose(claim, editor)
    assert [task for task, _ in queued if task != MAIL] == []  # the proposal tells nobody outside
    old = claim.current_verdict

    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(claim, "approve_correction", user=other_editor)

    claim.refresh_from_db()
    assert claim.state == ClaimState.PUBLISHED
    assert _versions(claim) == [(1, False, False), (2, True, False)]
    current = claim.current_verdict
    assert (current.author, current.reviewer, current.rating) == (editor, other_editor, "mostly_false")
    assert current.published_at >= old.published_at
    assert claim.pending_correction is None
    others = sorted((task, args) for task, args in queued if task != MAIL)
    assert others == sorted([(WEBHOOKS, ("corrected", claim.pk)), (REMATCH, (claim.pk,))])
    event = ReviewEvent.objects.get(claim=claim, transition="approve_correction")
    assert (event.actor, event.from_state, event.to_state) == (other_editor, "published", "published")


def test_the_proposer_is_told_by_mail_when_the_correction_is_approved(
    editor, other_editor, django_capture_on_commit_callbacks
):
    editor.email = "proposer@desk.example"
    editor.save()
    claim = claim_in_state("published", author=FactCheckerFactory())
    _propose(claim, editor)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(claim, "approve_correction", user=other_editor)
    assert [m.to for m in mail.outbox] == [["proposer@desk.example"]]
    assert "Your correction was approved" in mail.outbox[0].subject


def test_withdrawing_drops_the_proposal_and_leaves_version_one_public(
    editor, other_editor, queued, django_capture_on_commit_callbacks
):
    claim = claim_in_state("published", author=FactCheckerFactory())
    _propose(claim, editor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(claim, "withdraw_correction", user=other_editor, note="The figure stands.")

    assert _versions(claim) == [(1, True, False)]
    assert claim.pending_correction is None
    assert [task for task, _ in queued if task != MAIL] == []
    event = ReviewEvent.objects.get(claim=claim, transition="withdraw_correction")
    assert (event.note, event.to_state) == ("The figure stands.", "published")
    # A new proposal may follow, and takes the next free version number.
    _propose(claim, editor)
    assert _versions(claim) == [(1, True, False), (2, False, True)]


def test_the_proposer_may_withdraw_but_a_note_is_needed(editor):
    claim = claim_in_state("published", author=FactCheckerFactory())
    _propose(claim, editor)
    with pytest.raises(TransitionNotAllowed, match="needs a note"):
        workflow.transition(claim, "withdraw_correction", user=editor)
    workflow.transition(claim, "withdraw_correction", user=editor, note="Wrong claim.")
    assert _versions(claim) == [(1, True, False)]


def test_only_one_correction_may_wait_at_a_time(editor, other_editor):
    claim = claim_in_state("published", author=FactCheckerFactory())
    _propose(claim, editor)
    with pytest.raises(TransitionNotAllowed, match="already waits for approval"):
        _propose(claim, other_editor)
    assert Verdict.objects.filter(claim=claim).count() == 2
    names = [t.name for t in workflow.available_transitions(claim, other_editor)]
    assert names == ["approve_correction", "withdraw_correction", "assign", "comment"]


@pytest.mark.parametrize("name", ["approve_correction", "withdraw_correction"])
def test_approve_and_withdraw_need_a_pending_correction(name, editor):
    claim = claim_in_state("published", author=FactCheckerFactory())
    with pytest.raises(TransitionNotAllowed, match="No correction waits for approval"):
        workflow.transition(claim, name, user=editor, note="n")


def test_unpublish_waits_until_the_pending_correction_is_settled(editor, other_editor):
    claim = claim_in_state("published", author=FactCheckerFactory())
    _propose(claim, editor)
    with pytest.raises(TransitionNotAllowed, match="withdraw or approve it first"):
        workflow.transition(claim, "unpublish", user=other_editor, note="Legal complaint.")
    workflow.transition(claim, "withdraw_correction", user=other_editor, note="Unpublishing instead.")
    workflow.transition(claim, "unpublish", user=other_editor, note="Legal complaint.")
    assert claim.state == ClaimState.IN_REVIEW


def test_an_editor_who_only_approved_the_first_version_may_approve_the_correction(editor):
    first_author, proposer = EditorFactory(), EditorFactory()
    claim = claim_in_state("published", author=first_author)
    _propose(claim, proposer)
    workflow.transition(claim, "approve_correction", user=first_author)
    assert claim.current_verdict.version == 2
