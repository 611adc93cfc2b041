"""Create the desk's role groups with their model permissions.

Reporter < Fact-checker < Editor: each role holds everything the one before it holds.
Superusers need no group. Re-running (or migrating back and forth) is safe: groups are
fetched or created and their permissions set to exactly the lists below.
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
    "factcheck.view_coveragematch",
    "factcheck.view_priorfactcheck",
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
    "factcheck.change_coveragematch",
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
    """The groups as this migration left them; ``desk/migrations/0001_role_groups`` has today's lists."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted.append(Permission.objects.get(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)


def remove_role_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("editorial", "0001_initial"),
        ("factcheck", "0002_claim_workflow_permissions"),
    ]

    operations = [migrations.RunPython(create_role_groups, remove_role_groups)]
