"""Prior coverage and partners leave this app: their models now live in ``coverage`` and
``partners`` (which added them to their state and copied the tips first; see their 0001).

The moved tables stay (state only); a claim loses its partner fields, and ``tip_url``
becomes ``appearance_url``: where a claim without an article appeared.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("factcheck", "0009_claim_list_order_idx"),
    ]

    operations = [
        migrations.RemoveField(model_name="claim", name="partner"),
        migrations.RemoveField(model_name="claim", name="tip_context"),
        migrations.RenameField(model_name="claim", old_name="tip_url", new_name="appearance_url"),
        migrations.AlterField(
            model_name="claim",
            name="appearance_url",
            field=models.URLField(
                blank=True, help_text="Where the claim appeared, when it came without an article.", max_length=2000
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="apikey", name="partner"),
                migrations.RemoveField(model_name="coveragematch", name="claim"),
                migrations.RemoveField(model_name="coveragematch", name="decided_by"),
                migrations.RemoveField(model_name="coveragematch", name="prior_article"),
                migrations.RemoveField(model_name="coveragematch", name="prior_claim"),
                migrations.RemoveField(model_name="coveragematch", name="prior_factcheck"),
                migrations.RemoveField(model_name="webhook", name="partner"),
                migrations.RemoveField(model_name="webhookdelivery", name="webhook"),
                migrations.DeleteModel(name="SearchDoc"),
                migrations.DeleteModel(name="ApiKey"),
                migrations.DeleteModel(name="CoverageMatch"),
                migrations.DeleteModel(name="PriorFactCheck"),
                migrations.DeleteModel(name="Partner"),
                migrations.DeleteModel(name="Webhook"),
                migrations.DeleteModel(name="WebhookDelivery"),
            ],
            database_operations=[],
        ),
    ]
