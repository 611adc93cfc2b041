"""Editors merge repeated claims and split them apart (``factcheck.merge_claim``).

The lists extend ``0002_intake_roles``'s; ``desk.roles`` reads today's lists from here.
"""

from importlib import import_module

from django.contrib.auth.management import create_permissions
from django.db import migrations

_before = import_module("desk.migrations.0002_intake_roles")

REPORTER = list(_before.REPORTER)
FACT_CHECKER = list(_before.FACT_CHECKER)
EDITOR = [*_before.EDITOR, "factcheck.merge_claim"]
ROLES = {"Reporter": REPORTER, "Fact-checker": FACT_CHECKER, "Editor": EDITOR}


def set_role_groups(apps):
    """Also called by ``desk.roles`` (with the live registry) after a test flush."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def add_merge_permission(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    set_role_groups(apps)


def back_to_0002(apps, schema_editor):
    _before.set_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0003_search_trigram_indexes"),
        ("factcheck", "0013_claim_same_as"),
    ]

    operations = [migrations.RunPython(add_merge_permission, back_to_0002)]
