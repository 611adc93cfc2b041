"""Prior coverage moves here from ``factcheck``: the models, not the tables.

``PriorFactCheck``, ``SearchDoc`` and ``CoverageMatch`` keep their tables (``db_table``)
and rows; this migration only adds them to this app's state, and moves their content
types (so permissions, role groups and admin history follow). ``factcheck`` 0010 then
removes them from its own state, and must run after this one (``run_before``), which keeps
the dependency of the migrations one-way like the code's.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MOVED = ("priorfactcheck", "searchdoc", "coveragematch")


def move_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="factcheck", model__in=MOVED).update(app_label="coverage")


def move_content_types_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="coverage", model__in=MOVED).update(app_label="factcheck")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("editorial", "0001_initial"),
        ("factcheck", "0009_claim_list_order_idx"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]
    run_before = [("factcheck", "0010_move_out_coverage_and_partners")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PriorFactCheck',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('claim_reviewed', models.TextField()),
                        ('claimant', models.CharField(blank=True, max_length=300)),
                        ('rating_text', models.CharField(blank=True, max_length=200)),
                        ('rating_value', models.FloatField(blank=True, null=True)),
                        ('publisher', models.CharField(blank=True, max_length=200)),
                        ('url', models.URLField(max_length=2000, unique=True)),
                        ('review_date', models.DateField(blank=True, null=True)),
                        ('claim_date', models.DateField(blank=True, null=True)),
                        ('language', models.CharField(blank=True, max_length=16)),
                        ('title', models.TextField(blank=True, help_text='Headline of the review, kept as context.')),
                        ('raw', models.JSONField(blank=True, default=dict, help_text='The ClaimReview as imported.')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                    ],
                    options={
                        'verbose_name': 'prior fact-check',
                        'db_table': 'factcheck_priorfactcheck',
                        'ordering': ['-review_date', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='SearchDoc',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('factcheck', 'Imported fact-check'), ('claim', 'Our published fact-check'), ('article', 'Our article')], max_length=16)),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('text', models.TextField(help_text='The claim (or headline) matched against.')),
                        ('context', models.TextField(blank=True, help_text='Title / subtitle, weighted lower.')),
                        ('claimant', models.CharField(blank=True, help_text='Who made the claim; matched lexically, not embedded.', max_length=300)),
                        ('item_date', models.DateField(blank=True, help_text='Review or publication date.', null=True)),
                        ('embedding', models.BinaryField(blank=True, null=True)),
                        ('embedding_model', models.CharField(blank=True, max_length=64)),
                        ('updated_at', models.DateTimeField(auto_now=True, db_index=True)),
                    ],
                    options={
                        'db_table': 'factcheck_searchdoc',
                        'indexes': [models.Index(fields=['embedding_model'], name='searchdoc_embedding_model')],
                        'constraints': [models.UniqueConstraint(fields=('kind', 'object_id'), name='searchdoc_unique_item')],
                    },
                ),
                migrations.CreateModel(
                    name='CoverageMatch',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.FloatField()),
                        ('method', models.CharField(help_text='lexical, semantic, hybrid, …', max_length=32)),
                        ('rank', models.PositiveSmallIntegerField(default=0)),
                        ('is_strong', models.BooleanField(default=False)),
                        ('status', models.CharField(choices=[('suggested', 'Suggested'), ('confirmed', 'Confirmed'), ('rejected', 'Rejected')], db_index=True, default='suggested', max_length=16)),
                        ('decided_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('updated_at', models.DateTimeField(auto_now=True)),
                        ('claim', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='matches', to='factcheck.claim')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('prior_article', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='editorial.article')),
                        ('prior_claim', models.ForeignKey(blank=True, help_text='One of our own earlier claims (with its verdict).', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='matched_by', to='factcheck.claim')),
                        ('prior_factcheck', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='matches', to='coverage.priorfactcheck')),
                    ],
                    options={
                        'verbose_name_plural': 'coverage matches',
                        'db_table': 'factcheck_coveragematch',
                        'ordering': ['claim', '-score'],
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('prior_article__isnull', True), ('prior_claim__isnull', False), ('prior_factcheck__isnull', True)), models.Q(('prior_article__isnull', False), ('prior_claim__isnull', True), ('prior_factcheck__isnull', True)), models.Q(('prior_article__isnull', True), ('prior_claim__isnull', True), ('prior_factcheck__isnull', False)), _connector='OR'), name='coverage_match_exactly_one_target'), models.CheckConstraint(condition=models.Q(('score__gte', 0), ('score__lte', 1)), name='coverage_match_score_0_1'), models.UniqueConstraint(condition=models.Q(('prior_claim__isnull', False)), fields=('claim', 'prior_claim'), name='coverage_match_unique_claim'), models.UniqueConstraint(condition=models.Q(('prior_article__isnull', False)), fields=('claim', 'prior_article'), name='coverage_match_unique_article'), models.UniqueConstraint(condition=models.Q(('prior_factcheck__isnull', False)), fields=('claim', 'prior_factcheck'), name='coverage_match_unique_factcheck')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, move_content_types_back),
    ]
