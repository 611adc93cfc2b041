"""The desk's role groups (Reporter, Fact-checker, Editor) and a way to restore them.

The groups and their permissions are set by the data migrations ``desk/migrations/
0001_role_groups``, ``0002_intake_roles`` and ``0004_merge_claim_permission`` (today's lists; they run after every app's
permissions exist); ``role_groups_ensure``
re-applies the same lists, for a database that was flushed (transactional tests) or had a
group deleted by hand.
"""

import secrets
from importlib import import_module

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

REPORTER, FACT_CHECKER, EDITOR = "Reporter", "Fact-checker", "Editor"
_migration = import_module("desk.migrations.0005_everyone_adds_articles")
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


def desk_user_set_role(*, username: str, role: str, email: str = "") -> tuple[object, str | None]:
    """Create a staff user in ``role``, or move an existing one to it; return (user, password).

    A new user gets a random password, returned once (``None`` for an existing user). Roles
    nest, so a user is in exactly one role group: the others are removed.
    """
    username = username.strip()
    if not username or len(username) > 150:
        raise ValueError("A username of 1 to 150 characters is needed.")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise ValueError(f"“{email}” is not an e-mail address.") from None
    group = role_group(role)
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        password = None
        if user is None:
            password = secrets.token_urlsafe(12)
            user = User.objects.create_user(username=username, email=email, password=password, is_staff=True)
        else:
            user.is_staff = True
            user.email = email or user.email
            user.save(update_fields=["is_staff", "email"])
        user.groups.remove(*Group.objects.filter(name__in=ROLES).exclude(pk=group.pk))
        user.groups.add(group)
    return user, password
