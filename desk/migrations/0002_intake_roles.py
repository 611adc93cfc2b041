"""The role groups gain the intake: every role sees feeds and adds articles by URL;
Fact-checkers also fetch a feed now; Editors add, change, pause and resume feeds.

The lists extend ``0001_role_groups``'s; ``desk.roles`` reads today's lists from here.
"""

from importlib import import_module

from django.contrib.auth.management import create_permissions
from django.db import migrations

_before = import_module("desk.migrations.0001_role_groups")


def _added(role: list[str], below: list[str]) -> list[str]:
    return [perm for perm in role if perm not in below]


REPORTER = _before.REPORTER + [
    "editorial.view_feed",
    "editorial.view_feeditem",
    "editorial.add_article_by_url",
]
FACT_CHECKER = REPORTER + _added(_before.FACT_CHECKER, _before.REPORTER) + ["editorial.fetch_feed"]
EDITOR = FACT_CHECKER + _added(_before.EDITOR, _before.FACT_CHECKER) + [
    "editorial.add_feed",
    "editorial.change_feed",
]
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


def add_intake_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    set_role_groups(apps)


def back_to_0001(apps, schema_editor):
    _before.set_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0001_role_groups"),
        ("editorial", "0003_feeds"),
    ]

    operations = [migrations.RunPython(add_intake_permissions, back_to_0001)]
