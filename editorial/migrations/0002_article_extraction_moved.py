"""The extraction bookkeeping left this app (``factcheck.ArticleExtraction`` holds it now;
``factcheck`` 0011 copied the rows first)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="article", name="editorial_a_extract_f495a2_idx"),
        migrations.RemoveField(model_name="article", name="extracted_at"),
        migrations.RemoveField(model_name="article", name="extracted_hash"),
    ]
