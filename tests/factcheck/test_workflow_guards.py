"""Guards: notes, a complete verdict, the two-person rule, corrections, assignment, staleness."""

import pytest
from django.utils import timezone

from factcheck import workflow
from factcheck.models import ClaimState, ReviewEvent, Verdict
from factcheck.services import verdicts
from factcheck.workflow import TransitionNotAllowed
from tests.factories import (
    EditorFactory,
    FactCheckerFactory,
    ReporterFactory,
    SourceFactory,
    SuperuserFactory,
    VerdictFactory,
    claim_in_state,
)

pytestmark = pytest.mark.django_db


def _refused(claim, name, *, user, match, **kwargs):
    with pytest.raises(TransitionNotAllowed, match=match) as refused:
        workflow.transition(claim, name, user=user, **kwargs)
    assert not ReviewEvent.objects.filter(claim=claim, transition=name).exists()
    return refused.value


# --- notes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "state"),
    [
        ("dismiss", "candidate"),
        ("request_changes", "in_review"),
        ("unpublish", "published"),
        ("correct", "published"),
        ("comment", "selected"),
    ],
)
@pytest.mark.parametrize("note", ["", "   \n "])
def test_transition_that_needs_a_note_is_refused_without_one(name, state, note, editor):
    claim = claim_in_state(state, author=FactCheckerFactory())
    reason = _refused(claim, name, user=editor, note=note, match="note").reason
    assert reason.endswith(".")
    claim.refresh_from_db()
    assert claim.state == state


def test_dismiss_keeps_the_note_in_the_history(fact_checker):
    claim = claim_in_state("candidate")
    workflow.transition(claim, "dismiss", user=fact_checker, note="  An opinion, not a checkable claim. ")
    assert ReviewEvent.objects.get(claim=claim).note == "An opinion, not a checkable claim."


def test_a_note_longer_than_the_limit_is_refused(fact_checker):
    claim = claim_in_state("candidate")
    _refused(claim, "dismiss", user=fact_checker, note="x" * 5001, match="too long")


# --- submit needs a complete verdict ----------------------------------------------------------


def test_submit_without_a_verdict_is_refused(fact_checker):
    claim = claim_in_state("researching", verdict=False)
    _refused(claim, "submit", user=fact_checker, match="Write a verdict first")


def test_submit_without_a_rating_is_refused(fact_checker):
    claim = claim_in_state("researching", verdict=False)
    SourceFactory(verdict=VerdictFactory(claim=claim, rating=""))
    _refused(claim, "submit", user=fact_checker, match="needs a rating")


@pytest.mark.parametrize("summary", ["", "False.", "rose to five percent", "See the figures below"])
def test_submit_without_a_summary_of_at_least_a_sentence_is_refused(fact_checker, summary):
    claim = claim_in_state("researching", verdict=False)
    SourceFactory(verdict=VerdictFactory(claim=claim, summary=summary))
    _refused(claim, "submit", user=fact_checker, match="summary")


def test_submit_without_a_source_is_refused(fact_checker):
    claim = claim_in_state("researching", verdict=False)
    VerdictFactory(claim=claim)
    reason = _refused(claim, "submit", user=fact_checker, match="source").reason
    assert reason == "A verdict needs at least one source."


def test_submit_with_a_complete_verdict_goes_to_review(fact_checker):
    claim = claim_in_state("researching", verdict=False)
    SourceFactory(verdict=VerdictFactory(claim=claim, summary="It rose to 5.1% (ONS, “March”)."))
    workflow.transition(claim, "submit", user=fact_checker)
    assert claim.state == ClaimState.IN_REVIEW


# --- the two-person rule ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "state"), [("approve", "in_review"), ("publish", "approved")])
def test_editor_cannot_approve_or_publish_their_own_verdict(name, state, editor, other_editor):
    claim = claim_in_state(state, author=editor)
    reason = _refused(claim, name, user=editor, match="You wrote this verdict").reason
    assert reason == f"You wrote this verdict; another Editor must {name} it."
    workflow.transition(claim, name, user=other_editor)
    assert claim.state == {"approve": "approved", "publish": "published"}[name]


def test_the_two_person_rule_binds_superusers_too():
    admin = SuperuserFactory()
    claim = claim_in_state("in_review", author=admin)
    _refused(claim, "approve", user=admin, match="You wrote this verdict")


def test_an_editor_who_edited_the_verdict_counts_as_its_author(fact_checker, editor, other_editor):
    claim = claim_in_state("researching", author=fact_checker)
    verdict = claim.current_verdict
    verdicts.verdict_save(
        claim=claim, user=editor, rating="mostly_false", summary=verdict.summary, expected_revision=1
    )
    workflow.transition(claim, "submit", user=fact_checker)
    _refused(claim, "approve", user=editor, match="You wrote this verdict")
    workflow.transition(claim, "approve", user=other_editor)


def test_approve_sets_the_reviewer_and_publish_the_publication_time(editor, other_editor):
    claim = claim_in_state("in_review", author=FactCheckerFactory())
    workflow.transition(claim, "approve", user=editor)
    assert claim.current_verdict.reviewer == editor
    assert claim.current_verdict.published_at is None
    before = timezone.now()
    workflow.transition(claim, "publish", user=other_editor)
    verdict = claim.current_verdict
    assert verdict.reviewer == other_editor
    assert verdict.published_at >= before


# --- correct ----------------------------------------------------------------------------------------


def test_correct_adds_a_verdict_version_and_keeps_the_old_one(editor, other_editor):
    author = FactCheckerFactory()
    claim = claim_in_state("published", author=author)
    old = claim.current_verdict
    old_urls = list(old.sources.values_list("url", flat=True))

    workflow.transition(
        claim, "correct", user=editor, correction_note="The March figure was revised.", rating="mostly_false"
    )
    workflow.transition(claim, "approve_correction", user=other_editor)

    claim.refresh_from_db()
    assert claim.state == ClaimState.PUBLISHED
    old.refresh_from_db()
    new = claim.current_verdict
    assert (old.is_current, new.is_current) == (False, True)
    assert (old.version, new.version) == (1, 2)
    assert (old.rating, new.rating) == ("false", "mostly_false")
    assert new.summary == old.summary
    assert new.correction_note == "The March figure was revised."
    assert new.published_at is not None and (new.author, new.reviewer) == (editor, other_editor)
    assert list(new.sources.values_list("url", flat=True)) == old_urls
    assert old.sources.count() == len(old_urls)
    event = ReviewEvent.objects.get(claim=claim, transition="correct")
    assert (event.from_state, event.to_state, event.note) == ("published", "published", new.correction_note)


def test_correct_takes_the_note_as_correction_note(editor):
    claim = claim_in_state("published", author=FactCheckerFactory())
    workflow.transition(claim, "correct", user=editor, note="Typo in the summary fixed.")
    assert claim.pending_correction.correction_note == "Typo in the summary fixed."
    assert Verdict.objects.filter(claim=claim).count() == 2


def test_correct_twice_makes_three_versions_one_current(editor, other_editor):
    claim = claim_in_state("published", author=FactCheckerFactory())
    for n in (1, 2):
        workflow.transition(claim, "correct", user=editor, note=f"Correction {n}.")
        workflow.transition(claim, "approve_correction", user=other_editor)
    versions = list(
        Verdict.objects.filter(claim=claim).order_by("version").values_list("version", "is_current")
    )
    assert versions == [(1, False), (2, False), (3, True)]


@pytest.mark.parametrize(
    ("params", "match"),
    [({"rating": "sort_of"}, "not a rating"), ({"summary": "nope"}, "summary")],
)
def test_correct_refuses_a_bad_rating_or_summary(editor, params, match):
    claim = claim_in_state("published", author=FactCheckerFactory())
    _refused(claim, "correct", user=editor, note="Fixing it.", match=match, **params)
    assert Verdict.objects.filter(claim=claim).count() == 1


def test_correct_needs_a_published_verdict(editor):
    claim = claim_in_state("published", verdict=False)
    _refused(claim, "correct", user=editor, note="Fix.", match="no published verdict")


# --- assign --------------------------------------------------------------------------------------


def test_assign_changes_the_assignee_not_the_state(editor, fact_checker):
    claim = claim_in_state("selected")
    workflow.transition(claim, "assign", user=editor, assignee=fact_checker)
    claim.refresh_from_db()
    assert (claim.state, claim.assignee) == ("selected", fact_checker)
    event = ReviewEvent.objects.get(claim=claim)
    assert (event.transition, event.from_state, event.to_state) == ("assign", "selected", "selected")


def test_assign_to_nobody_unassigns(editor, fact_checker):
    claim = claim_in_state("selected", assignee=fact_checker)
    workflow.transition(claim, "assign", user=editor, assignee=None)
    claim.refresh_from_db()
    assert claim.assignee is None


@pytest.mark.parametrize(
    ("make_assignee", "match"),
    [
        (lambda: ReporterFactory(), "only Fact-checkers and Editors"),
        (lambda: FactCheckerFactory(is_active=False), "only Fact-checkers and Editors"),
        (lambda: "someone", "existing user"),
    ],
)
def test_assign_refuses_someone_who_cannot_work_on_claims(editor, make_assignee, match):
    claim = claim_in_state("selected")
    _refused(claim, "assign", user=editor, assignee=make_assignee(), match=match)


def test_assign_needs_an_assignee_and_a_change(editor, fact_checker):
    claim = claim_in_state("selected", assignee=fact_checker)
    _refused(claim, "assign", user=editor, match="Choose who")
    _refused(claim, "assign", user=editor, assignee=fact_checker, match="already assigned")


# --- comment --------------------------------------------------------------------------------------


def test_reporter_can_comment_without_making_open_forms_stale(reporter):
    claim = claim_in_state("researching", author=FactCheckerFactory())
    version = claim.version
    workflow.transition(claim, "comment", user=reporter, note="The minister repeated it today.")
    claim.refresh_from_db()
    assert claim.version == version
    event = ReviewEvent.objects.get(claim=claim)
    assert (event.transition, event.from_state, event.to_state) == ("comment", "researching", "researching")


# --- stale versions --------------------------------------------------------------------------------


def test_a_transition_based_on_a_stale_version_is_refused(fact_checker, editor):
    claim = claim_in_state("candidate")
    seen_version = claim.version
    workflow.transition(claim_in_state_copy(claim), "select", user=editor)

    reason = _refused(
        claim, "dismiss", user=fact_checker, note="Opinion.", expected_version=seen_version, match="reload"
    ).reason
    claim.refresh_from_db()
    assert reason == (
        f"This claim was changed by another editor at {timezone.localtime(claim.updated_at):%H:%M};"
        " reload and try again."
    )
    assert claim.state == ClaimState.SELECTED


def test_a_transition_with_the_current_version_goes_through(fact_checker):
    claim = claim_in_state("candidate")
    workflow.transition(claim, "select", user=fact_checker, expected_version=claim.version)
    workflow.transition(claim, "start_research", user=fact_checker, expected_version=claim.version)
    assert claim.state == ClaimState.RESEARCHING


def test_a_stale_instance_without_expected_version_still_sees_the_current_state(fact_checker):
    claim = claim_in_state("candidate")
    stale_copy = claim_in_state_copy(claim)
    workflow.transition(claim, "dismiss", user=fact_checker, note="Opinion.")
    # The copy still says "candidate", but the engine reads the locked row.
    _refused(stale_copy, "select", user=fact_checker, match="is not possible while the claim is Dismissed")


def claim_in_state_copy(claim):
    from factcheck.models import Claim

    return Claim.objects.get(pk=claim.pk)


# --- available_transitions and check -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "role", "expected"),
    [
        ("candidate", "reporter", ["comment"]),
        ("candidate", "fact_checker", ["select", "dismiss", "comment"]),
        ("candidate", "editor", ["select", "dismiss", "assign", "comment"]),
        ("dismissed", "fact_checker", ["reopen", "comment"]),
        ("researching", "fact_checker", ["submit", "comment"]),
        ("in_review", "fact_checker", ["comment"]),
        ("in_review", "editor", ["request_changes", "approve", "assign", "comment"]),
        ("in_review", "author_editor", ["request_changes", "assign", "comment"]),
        ("approved", "editor", ["publish", "assign", "comment"]),
        ("published", "editor", ["correct", "unpublish", "assign", "comment"]),
    ],
)
def test_available_transitions_lists_only_what_would_work(state, role, expected):
    author = EditorFactory()
    user = {
        "reporter": ReporterFactory,
        "fact_checker": FactCheckerFactory,
        "editor": EditorFactory,
        "author_editor": lambda: author,
    }[role]()
    claim = claim_in_state(state, author=author)
    names = [t.name for t in workflow.available_transitions(claim, user)]
    assert names == expected
    labels = {t.name: (t.label, t.needs_note) for t in workflow.available_transitions(claim, user)}
    assert labels["comment"] == ("Comment", True)


def test_submit_is_not_offered_until_the_verdict_is_complete(fact_checker):
    claim = claim_in_state("researching", verdict=False)
    VerdictFactory(claim=claim)
    assert "submit" not in [t.name for t in workflow.available_transitions(claim, fact_checker)]
    assert workflow.check(claim, "submit", user=fact_checker) == "A verdict needs at least one source."


def test_check_without_a_note_asks_only_about_the_button_and_with_one_about_the_input(fact_checker):
    claim = claim_in_state("candidate")
    assert workflow.check(claim, "dismiss", user=fact_checker) is None
    assert "needs a note" in workflow.check(claim, "dismiss", user=fact_checker, note="")
    assert workflow.check(claim, "dismiss", user=fact_checker, note="Opinion.") is None
    assert workflow.check(claim, "nonsense", user=fact_checker).startswith("There is no action")


def test_available_transitions_for_a_prefetched_claim_costs_at_most_two_queries(
    django_assert_max_num_queries, editor
):
    from factcheck.models import Claim
    from factcheck.selectors import with_verdicts

    claim_in_state("approved", author=FactCheckerFactory())
    claim = with_verdicts(Claim.objects.all()).get()
    editor.get_all_permissions()  # the permission cache is per request in real use
    with django_assert_max_num_queries(2):
        workflow.available_transitions(claim, editor)


def test_a_deleted_claim_is_refused_with_a_sentence(editor, fact_checker):
    from factcheck.models import Claim

    claim = claim_in_state("candidate")
    Claim.objects.filter(pk=claim.pk).delete()
    with pytest.raises(TransitionNotAllowed, match="This claim was deleted"):
        workflow.transition(claim, "select", user=editor)
    with pytest.raises(verdicts.VerdictEditRefused, match="This claim was deleted"):
        verdicts.verdict_save(claim=claim, user=fact_checker, rating="", summary="")


def test_assign_accepts_a_user_id_and_refuses_an_unknown_one(editor, fact_checker):
    claim = claim_in_state("selected")
    workflow.transition(claim, "assign", user=editor, assignee=fact_checker.pk)
    assert claim.assignee_id == fact_checker.pk
    with pytest.raises(TransitionNotAllowed, match="existing user"):
        workflow.transition(claim, "assign", user=editor, assignee=999_999)
    assert ReviewEvent.objects.filter(claim=claim).count() == 1
