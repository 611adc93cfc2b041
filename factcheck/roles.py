"""The desk's role groups (Reporter, Fact-checker, Editor) and a way to restore them.

The groups and their permissions are created by the data migration
``0003_workflow_role_groups``; ``role_groups_ensure`` re-applies the same lists, for a
database that was flushed (transactional tests) or had a group deleted by hand.
"""

from importlib import import_module

from django.apps import apps
from django.contrib.auth.models import Group

REPORTER, FACT_CHECKER, EDITOR = "Reporter", "Fact-checker", "Editor"
_migration = import_module("factcheck.migrations.0003_workflow_role_groups")
ROLES: dict[str, list[str]] = _migration.ROLES


def role_groups_ensure() -> None:
    """Create the role groups if missing and set their permissions to the migration's lists."""
    _migration.set_role_groups(apps)


def role_group(name: str) -> Group:
    if name not in ROLES:
        raise ValueError(f"unknown role {name!r}; roles are {', '.join(ROLES)}")
    group = Group.objects.filter(name=name).first()
    if group is None or not group.permissions.exists():
        role_groups_ensure()
        group = Group.objects.get(name=name)
    return group
