"""The desk's role groups with their model permissions, across the apps.

Reporter < Fact-checker < Editor: each role holds everything the one before it holds.
Superusers need no group. Re-running (or migrating back and forth) is safe: groups are
fetched or created and their permissions set to exactly the lists below. On a database
made before the apps were split, the groups exist (``factcheck`` 0003) and hold the same
permissions, whose content types the ``coverage`` and ``partners`` migrations moved.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = [
    "factcheck.view_claim",
    "factcheck.add_claim",
    "factcheck.comment_claim",
    "factcheck.view_verdict",
    "factcheck.view_source",
    "factcheck.view_reviewevent",
    "coverage.view_coveragematch",
    "coverage.view_priorfactcheck",
    "editorial.view_article",
    "editorial.view_outlet",
]
FACT_CHECKER = REPORTER + [
    "factcheck.change_claim",
    "factcheck.select_claim",
    "factcheck.dismiss_claim",
    "factcheck.reopen_claim",
    "factcheck.research_claim",
    "factcheck.submit_claim",
    "factcheck.add_verdict",
    "factcheck.change_verdict",
    "factcheck.add_source",
    "factcheck.change_source",
    "factcheck.delete_source",
    "coverage.change_coveragematch",
]
EDITOR = FACT_CHECKER + [
    "factcheck.request_changes_claim",
    "factcheck.approve_claim",
    "factcheck.publish_claim",
    "factcheck.correct_claim",
    "factcheck.unpublish_claim",
    "factcheck.assign_claim",
    "editorial.add_article",
    "editorial.change_article",
]
ROLES = {"Reporter": REPORTER, "Fact-checker": FACT_CHECKER, "Editor": EDITOR}


def create_role_groups(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); create them
    # now so this migration can attach them on a fresh database.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    set_role_groups(apps)


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


def keep_role_groups(apps, schema_editor):
    """Migrating back leaves the groups, their permissions and their members alone.

    ``factcheck`` 0003, which stays applied, made these groups, and its lists name the same
    permission rows as the lists above (unapplying ``coverage`` 0001 moves their content
    types back); deleting the groups would take every user's role with them.
    """


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("editorial", "0002_article_extraction_moved"),
        ("factcheck", "0012_claim_fingerprint_one_algorithm"),
        ("coverage", "0001_initial"),
        ("partners", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_role_groups, keep_role_groups)]
