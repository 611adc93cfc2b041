"""Every desk role brings articles in (``editorial.add_article``), not only Editors.

The lists extend ``0004_merge_claim_permission``'s; ``desk.roles`` reads today's lists from here.
"""

from importlib import import_module

from django.db import migrations

_before = import_module("desk.migrations.0004_merge_claim_permission")

REPORTER = [*_before.REPORTER, "editorial.add_article"]
FACT_CHECKER = [*_before.FACT_CHECKER, "editorial.add_article"]
EDITOR = list(_before.EDITOR)
ROLES = {"Reporter": REPORTER, "Fact-checker": FACT_CHECKER, "Editor": EDITOR}


def set_role_groups(apps):
    """Also called by ``desk.roles`` (with the live registry) after a test flush."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in dict.fromkeys(perms):
            app_label, codename = perm.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def forwards(apps, schema_editor):
    set_role_groups(apps)


def backwards(apps, schema_editor):
    _before.set_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("desk", "0004_merge_claim_permission")]

    operations = [migrations.RunPython(forwards, backwards)]
