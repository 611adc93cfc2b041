"""Partners move here from ``factcheck``, and a tip gets a row of its own.

``Partner``, ``ApiKey``, ``Webhook`` and ``WebhookDelivery`` keep their tables
(``db_table``), rows and content types' permissions (moved below); keys hashed before the
move still authenticate. ``Tip`` replaces the partner fields of ``factcheck.Claim``: one
row per claim a partner sent, copied here before ``factcheck`` 0010 drops those fields
(``run_before``), so the migrations depend one way, like the code.
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

MOVED = ("partner", "apikey", "webhook", "webhookdelivery")


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="factcheck", model__in=MOVED).update(app_label="partners")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="partners", model__in=MOVED).update(app_label="factcheck")


def copy_tips(apps, schema_editor):
    """A Tip for every claim a partner sent (``factcheck`` still has the partner fields)."""
    Claim = apps.get_model("factcheck", "Claim")
    Tip = apps.get_model("partners", "Tip")
    rows = Claim.objects.filter(partner__isnull=False).values_list("pk", "partner_id", "tip_context", "created_at")
    batch = []
    for claim_id, partner_id, context, created_at in rows.iterator(chunk_size=2000):
        batch.append(Tip(claim_id=claim_id, partner_id=partner_id, context=context, submitted_at=created_at))
        if len(batch) >= 2000:
            Tip.objects.bulk_create(batch)
            batch = []
    Tip.objects.bulk_create(batch)


def copy_tips_back(apps, schema_editor):
    Claim = apps.get_model("factcheck", "Claim")
    for tip in apps.get_model("partners", "Tip").objects.iterator(chunk_size=2000):
        Claim.objects.filter(pk=tip.claim_id).update(partner_id=tip.partner_id, tip_context=tip.context)


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("factcheck", "0009_claim_list_order_idx"),
    ]
    run_before = [("factcheck", "0010_move_out_coverage_and_partners")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Partner',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, unique=True)),
                        ('contact', models.CharField(blank=True, help_text='Contact person or e-mail.', max_length=300)),
                        ('active', models.BooleanField(default=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                    ],
                    options={
                        'db_table': 'factcheck_partner',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='ApiKey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(blank=True, help_text="A label, e.g. 'production'.", max_length=100)),
                        ('prefix', models.CharField(max_length=16, unique=True)),
                        ('hashed_secret', models.CharField(max_length=128)),
                        ('scopes', models.CharField(default='read', help_text='Comma-separated: read, submit.', max_length=64)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('last_used_at', models.DateTimeField(blank=True, null=True)),
                        ('revoked', models.BooleanField(default=False)),
                        ('revoked_at', models.DateTimeField(blank=True, null=True)),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='api_keys', to='partners.partner')),
                    ],
                    options={
                        'verbose_name': 'API key',
                        'db_table': 'factcheck_apikey',
                        'ordering': ['partner', '-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Webhook',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('url', models.URLField(max_length=2000)),
                        ('secret', models.CharField(help_text='Shared secret for the X-Signature HMAC.', max_length=128)),
                        ('events', models.JSONField(blank=True, default=list, help_text='Subset of published, corrected, unpublished.')),
                        ('active', models.BooleanField(default=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='webhooks', to='partners.partner')),
                    ],
                    options={
                        'db_table': 'factcheck_webhook',
                    },
                ),
                migrations.CreateModel(
                    name='WebhookDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('event', models.CharField(max_length=32)),
                        ('event_id', models.CharField(blank=True, max_length=64)),
                        ('payload', models.JSONField(default=dict)),
                        ('attempt', models.PositiveSmallIntegerField(default=1)),
                        ('status_code', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('error', models.TextField(blank=True)),
                        ('succeeded', models.BooleanField(default=False)),
                        ('at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('webhook', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='partners.webhook')),
                    ],
                    options={
                        'verbose_name_plural': 'webhook deliveries',
                        'db_table': 'factcheck_webhookdelivery',
                        'ordering': ['-at'],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
        migrations.CreateModel(
            name='Tip',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('context', models.TextField(blank=True, help_text='What the partner said about it.')),
                ('submitted_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('claim', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='tip', to='factcheck.claim')),
                ('partner', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tips', to='partners.partner')),
            ],
            options={
                'ordering': ['-submitted_at', '-id'],
                'indexes': [models.Index(fields=['partner', '-submitted_at', '-id'], name='tip_partner_recent_idx')],
            },
        ),
        migrations.RunPython(copy_tips, copy_tips_back),
    ]
