"""End to end on real services: an imported article is extracted by a real Celery worker."""

import re

import pytest
from django.core.management import call_command

from editorial.models import Article
from tests.support import wait_for

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True)]


def test_imported_article_is_extracted_by_the_worker(celery_worker_process, tmp_path, settings):
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    (tmp_path / "a.txt").write_text(
        "Budget row\nThe finance minister said on Tuesday that the deficit fell to 3.1% of GDP in 2024, "
        "according to the Treasury. Opposition leader Jane Roe said 40,000 nurses had left the NHS."
    )
    call_command("import_seeds", str(tmp_path))
    article = Article.objects.get()

    assert wait_for(
        lambda: Article.objects.filter(pk=article.pk, extraction__isnull=False).exists(), timeout=60
    ), celery_worker_process.log_path.read_text()
    assert article.claims.count() >= 1
    # The worker logs "succeeded" a moment after the task's transaction committed.
    log = celery_worker_process.log_path.read_text
    assert wait_for(
        lambda: re.search(r"factcheck\.tasks\.extract_claims\[\S+\] succeeded", log()), timeout=10
    ), log()
