"""What the action panel offers: every transition a role has from a state, each with the
reason it is unavailable now, and who must act next."""

import pytest

from factcheck import workflow
from factcheck.models import ClaimState, Verdict
from factcheck.workflow.registry import TRANSITIONS
from tests.factories import ClaimFactory, SourceFactory, VerdictFactory

pytestmark = pytest.mark.django_db

S = ClaimState


def _options(claim, user) -> dict[str, str | None]:
    return {spec.name: reason for spec, reason in workflow.transition_options(claim, user)}


@pytest.mark.parametrize("state", S.values)
@pytest.mark.parametrize("role", ["reporter", "fact_checker", "editor"])
def test_options_are_exactly_the_roles_transitions_from_the_state(state, role, request):
    user = request.getfixturevalue(role)
    claim = ClaimFactory(state=state)
    names = set(_options(claim, user))
    expected = {
        name for name, spec in TRANSITIONS.items() if state in spec.sources and user.has_perm(spec.permission)
    }
    assert names == expected
    # Whatever is offered now is offered as a button: its reason is None exactly then.
    available = {spec.name for spec in workflow.available_transitions(claim, user)}
    assert {n for n, reason in _options(claim, user).items() if reason is None} == available


def test_a_reporter_gets_no_control_but_the_comment(reporter):
    for state in S.values:
        assert set(_options(ClaimFactory(state=state), reporter)) <= {"comment"}


@pytest.mark.parametrize(
    ("verdict", "reason"),
    [
        (None, "Write a verdict first: a headline, a rating, a summary and at least one source."),
        ({"headline": ""}, "The verdict needs a headline."),
        ({"rating": ""}, "The verdict needs a rating."),
        (
            {"summary": "False."},
            "The verdict summary needs at least one full sentence, ending with a full stop.",
        ),
        ({}, "A verdict needs at least one source."),
    ],
)
def test_submit_is_greyed_with_what_the_verdict_still_needs(fact_checker, verdict, reason):
    claim = ClaimFactory(state=S.RESEARCHING)
    if verdict is not None:
        VerdictFactory(claim=claim, **verdict)
    assert _options(claim, fact_checker)["submit"] == reason


def test_submit_is_offered_once_the_verdict_is_complete(fact_checker):
    claim = ClaimFactory(state=S.RESEARCHING)
    SourceFactory(verdict=VerdictFactory(claim=claim))
    assert _options(claim, fact_checker)["submit"] is None


def test_the_author_editor_sees_approve_greyed_with_the_two_person_rule(editor, other_editor):
    claim = ClaimFactory(state=S.IN_REVIEW)
    SourceFactory(verdict=VerdictFactory(claim=claim, author=editor))
    assert _options(claim, editor)["approve"] == "You wrote this verdict; another Editor must approve it."
    assert _options(claim, editor)["request_changes"] is None
    assert _options(claim, other_editor)["approve"] is None


def test_corrections_each_say_why_not(editor, other_editor):
    claim = ClaimFactory(state=S.PUBLISHED)
    published = VerdictFactory(claim=claim, published_at="2026-03-02T09:30:00Z")
    SourceFactory(verdict=published)
    options = _options(claim, editor)
    assert options["correct"] is None
    assert options["approve_correction"] == "No correction waits for approval."
    assert options["withdraw_correction"] == "No correction waits for approval."
    workflow.transition(claim, "correct", user=editor, note="Wrong base year.", rating="mostly_false")
    options = _options(claim, editor)
    assert options["correct"] == "A correction already waits for approval; withdraw or approve it first."
    assert options["approve_correction"] == "You proposed this correction; another Editor must approve it."
    assert options["unpublish"] == "A correction already waits for approval; withdraw or approve it first."
    assert _options(claim, other_editor)["approve_correction"] is None


@pytest.mark.parametrize(
    ("state", "words"),
    [
        (S.CANDIDATE, "selects it for checking or dismisses it"),
        (S.DISMISSED, "may reopen it"),
        (S.SELECTED, "Waiting for a Fact-checker to start research"),
        (S.RESEARCHING, "Waiting for the fact-checker to write the verdict"),
        (S.IN_REVIEW, "Waiting for an Editor's review"),
        (S.APPROVED, "Waiting for an Editor to publish it"),
        (S.PUBLISHED, "An Editor may propose a correction"),
    ],
)
def test_next_step_names_who_acts(state, words):
    assert words in workflow.next_step(ClaimFactory(state=state))


def test_next_step_names_the_assignee_and_a_pending_correction(fact_checker, editor):
    fact_checker.first_name, fact_checker.last_name = "Fiona", "Checker"
    fact_checker.save()
    claim = ClaimFactory(state=S.RESEARCHING, assignee=fact_checker)
    assert (
        workflow.next_step(claim)
        == "Waiting for Fiona Checker to write the verdict and submit it for review."
    )
    published = ClaimFactory(state=S.PUBLISHED)
    SourceFactory(verdict=VerdictFactory(claim=published, published_at="2026-03-02T09:30:00Z"))
    Verdict.objects.create(claim=published, version=2, is_current=False, rating="true", author=editor)
    assert "correction waits" in workflow.next_step(published)
