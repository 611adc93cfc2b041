"""Every transition: the allowed paths, each forbidden starting state, each refused role.

Guards (notes, verdict completeness, the two-person rule) are in test_workflow_guards.py,
follow-up work in test_workflow_follow_ups.py.
"""

import pytest
from django.utils import timezone

from factcheck import workflow
from factcheck.models import ClaimState, ReviewEvent
from factcheck.workflow import TRANSITIONS, TransitionNotAllowed
from tests.factcheck.workflow_support import (
    EDITOR_TRANSITIONS,
    EXPECTED_TARGET,
    FACT_CHECKER_TRANSITIONS,
    TABLE,
    forbidden_cases,
    inputs_for,
    prepare,
    state_cases,
)
from tests.factories import (
    EditorFactory,
    FactCheckerFactory,
    ReporterFactory,
    SuperuserFactory,
    UserFactory,
    claim_in_state,
)

pytestmark = pytest.mark.django_db
ALL = FACT_CHECKER_TRANSITIONS + EDITOR_TRANSITIONS + ["comment"]


def _actor_for(name):
    if name in EDITOR_TRANSITIONS:
        return EditorFactory()
    if name == "comment":
        return ReporterFactory()
    return FactCheckerFactory()


@pytest.mark.parametrize(("name", "state"), state_cases(ALL))
def test_allowed_transition_moves_the_claim_and_writes_one_event(name, state):
    author = FactCheckerFactory()
    claim = claim_in_state(state, author=author)
    prepare(name, claim)
    actor = _actor_for(name)
    before = timezone.now()
    old_version = claim.version

    result = workflow.transition(claim, name, user=actor, **inputs_for(name))

    result.refresh_from_db()
    expected = EXPECTED_TARGET.get(name, state)
    assert result.state == expected == claim.state
    event = ReviewEvent.objects.get(claim=claim, transition=name)
    assert (event.actor, event.from_state, event.to_state) == (actor, state, expected)
    assert event.at >= before
    assert event.note == inputs_for(name).get("note", "")
    if TRANSITIONS[name].changes_claim:
        assert result.version == old_version + 1
    else:
        assert result.version == old_version
    if name in EXPECTED_TARGET or name in {"correct", "approve_correction", "withdraw_correction"}:
        assert result.state_changed_at >= before


@pytest.mark.parametrize(("name", "state"), forbidden_cases(ALL))
def test_transition_is_refused_from_a_state_it_does_not_start_from(name, state):
    claim = claim_in_state(state, author=FactCheckerFactory())
    old_version = claim.version

    with pytest.raises(TransitionNotAllowed) as refused:
        workflow.transition(claim, name, user=SuperuserFactory(), **inputs_for(name))

    assert "is not possible while the claim is" in refused.value.reason
    assert ClaimState(state).label in refused.value.reason
    assert refused.value.transition == name
    claim.refresh_from_db()
    assert (claim.state, claim.version) == (state, old_version)
    assert not ReviewEvent.objects.filter(claim=claim).exists()


REFUSED_ROLES = [(name, ReporterFactory) for name in FACT_CHECKER_TRANSITIONS + EDITOR_TRANSITIONS] + [
    (name, FactCheckerFactory) for name in EDITOR_TRANSITIONS
]


@pytest.mark.parametrize(("name", "role_factory"), REFUSED_ROLES)
def test_transition_is_refused_to_a_role_without_the_permission(name, role_factory):
    state = sorted(TABLE[name][0])[0]
    claim = claim_in_state(state, author=FactCheckerFactory())

    with pytest.raises(TransitionNotAllowed) as refused:
        workflow.transition(claim, name, user=role_factory(), **inputs_for(name))

    spec = TRANSITIONS[name]
    assert refused.value.reason == f"Only {spec.role} may {spec.action}."
    claim.refresh_from_db()
    assert claim.state == state
    assert not ReviewEvent.objects.filter(claim=claim).exists()


def test_the_refusal_names_the_role_and_the_action():
    claim = claim_in_state("approved", author=FactCheckerFactory())
    with pytest.raises(TransitionNotAllowed, match=r"^Only an Editor may publish\.$"):
        workflow.transition(claim, "publish", user=FactCheckerFactory())


@pytest.mark.parametrize("name", FACT_CHECKER_TRANSITIONS + EDITOR_TRANSITIONS + ["comment"])
def test_a_user_without_any_role_is_refused_everything(name):
    state = sorted(TABLE[name][0])[0]
    claim = claim_in_state(state, author=FactCheckerFactory())
    with pytest.raises(TransitionNotAllowed, match=r"^Only "):
        workflow.transition(claim, name, user=UserFactory(), **inputs_for(name))


def test_an_inactive_editor_is_refused():
    claim = claim_in_state("approved", author=FactCheckerFactory())
    editor = EditorFactory(is_active=False)
    with pytest.raises(TransitionNotAllowed, match="inactive"):
        workflow.transition(claim, "publish", user=editor)


def test_nobody_signed_in_is_refused():
    from django.contrib.auth.models import AnonymousUser

    claim = claim_in_state("candidate")
    with pytest.raises(TransitionNotAllowed, match="Sign in"):
        workflow.transition(claim, "select", user=AnonymousUser())


def test_an_unknown_transition_is_refused_with_a_sentence(editor):
    claim = claim_in_state("candidate")
    with pytest.raises(TransitionNotAllowed, match="There is no action “archive”"):
        workflow.transition(claim, "archive", user=editor)


def test_an_unexpected_parameter_is_a_programming_error(editor):
    claim = claim_in_state("candidate")
    with pytest.raises(TypeError, match="assignee"):
        workflow.transition(claim, "select", user=editor, assignee=editor)


def test_superuser_may_take_every_transition_on_the_way_to_published():
    admin, author = SuperuserFactory(), FactCheckerFactory()
    claim = claim_in_state("candidate")
    workflow.transition(claim, "select", user=admin)
    workflow.transition(claim, "start_research", user=author)
    claim_with_verdict = claim_in_state("researching", author=author)
    for name in ["submit", "approve", "publish"]:
        workflow.transition(claim_with_verdict, name, user=admin)
    assert claim_with_verdict.state == "published"


def test_start_research_assigns_the_claim_to_whoever_starts_if_nobody_is(fact_checker, editor):
    unassigned = claim_in_state("selected")
    workflow.transition(unassigned, "start_research", user=fact_checker)
    assert unassigned.assignee_id == fact_checker.pk

    assigned = claim_in_state("selected", assignee=editor)
    workflow.transition(assigned, "start_research", user=fact_checker)
    assert assigned.assignee_id == editor.pk


@pytest.mark.parametrize(("name", "state"), state_cases(ALL))
def test_each_transition_takes_a_bounded_number_of_queries(name, state, django_assert_max_num_queries):
    claim = claim_in_state(state, author=FactCheckerFactory())
    prepare(name, claim)
    user = _actor_for(name)
    kwargs = inputs_for(name)
    for person in (user, kwargs.get("assignee")):
        if person is not None:
            person.get_all_permissions()  # loaded once per request in real use
    with django_assert_max_num_queries(12):
        workflow.transition(claim, name, user=user, **kwargs)


def test_a_correction_copies_many_sources_in_one_query(django_assert_max_num_queries, editor):
    from tests.factories import SourceFactory

    claim = claim_in_state("published", author=FactCheckerFactory())
    for _ in range(30):
        SourceFactory(verdict=claim.current_verdict)
    editor.get_all_permissions()
    with django_assert_max_num_queries(12):
        workflow.transition(claim, "correct", user=editor, note="Figures revised.")
    assert claim.pending_correction.sources.count() == 31


def test_the_registry_is_the_diagram():
    """Every transition of the design's diagram, from where to where, and nothing else."""
    assert {name: (set(spec.sources), spec.target) for name, spec in TRANSITIONS.items()} == TABLE
