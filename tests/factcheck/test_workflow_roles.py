"""The role groups the data migration creates, and what each role may do."""

import pytest
from django.contrib.auth.models import Group

from desk.roles import ROLES, role_group, role_groups_ensure
from factcheck.workflow import TRANSITIONS

pytestmark = pytest.mark.django_db


def _perms(group_name):
    group = Group.objects.get(name=group_name)
    return {
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")
    }


def test_the_migration_created_the_three_roles_with_their_permissions():
    assert set(Group.objects.values_list("name", flat=True)) >= {"Reporter", "Fact-checker", "Editor"}
    for name, perms in ROLES.items():
        assert _perms(name) == set(perms)


def test_each_role_holds_everything_the_one_before_it_holds():
    reporter, fact_checker, editor = (_perms(n) for n in ("Reporter", "Fact-checker", "Editor"))
    assert reporter < fact_checker < editor


@pytest.mark.parametrize(
    ("role", "may"),
    [
        ("reporter", {"comment"}),
        ("fact_checker", {"comment", "select", "dismiss", "reopen", "start_research", "submit"}),
        ("editor", set(TRANSITIONS)),
    ],
)
def test_role_permissions_match_the_transitions_each_role_may_take(request, role, may):
    user = request.getfixturevalue(role)
    assert {name for name, spec in TRANSITIONS.items() if user.has_perm(spec.permission)} == may


def test_reporters_may_add_claims_and_fact_checkers_write_verdicts(reporter, fact_checker):
    assert reporter.has_perm("factcheck.add_claim")
    assert not reporter.has_perm("factcheck.change_verdict")
    assert fact_checker.has_perm("factcheck.change_verdict") and fact_checker.has_perm("factcheck.add_source")


def test_role_groups_are_restored_after_a_flush_or_a_deletion():
    Group.objects.filter(name="Editor").delete()
    Group.objects.get(name="Reporter").permissions.clear()
    role_groups_ensure()
    assert _perms("Editor") == set(ROLES["Editor"])
    assert _perms("Reporter") == set(ROLES["Reporter"])


def test_role_group_refuses_an_unknown_role():
    with pytest.raises(ValueError, match="unknown role"):
        role_group("Intern")


def test_desk_user_creates_a_staff_user_in_a_role_with_a_one_time_password(auth_request):
    from io import StringIO

    from django.contrib.auth import authenticate, get_user_model
    from django.core.management import call_command

    out = StringIO()
    call_command("desk_user", "ana", "--role", "Fact-checker", "--email", "ana@example.org", stdout=out)
    password = out.getvalue().split("password: ")[1].split()[0]
    user = get_user_model().objects.get(username="ana")
    assert user.is_staff and not user.is_superuser
    assert [g.name for g in user.groups.all()] == ["Fact-checker"]
    assert authenticate(auth_request, username="ana", password=password) == user

    out = StringIO()
    call_command("desk_user", "ana", "--role", "Editor", stdout=out)
    assert "now in the Editor role" in out.getvalue() and "password" not in out.getvalue()
    user = get_user_model().objects.get(username="ana")
    assert [g.name for g in user.groups.all()] == ["Editor"]
    assert user.email == "ana@example.org"
    assert user.has_perm("factcheck.publish_claim")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["bob", "--role", "Editor", "--email", "not-an-address"], "not an e-mail address"),
        (["  ", "--role", "Editor"], "username"),
    ],
)
def test_desk_user_refuses_bad_input(args, message):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=message):
        call_command("desk_user", *args)
