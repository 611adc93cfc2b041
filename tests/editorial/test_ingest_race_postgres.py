"""One new article stored by two workers at once on PostgreSQL (one story in two feeds).

The test inserts the article itself in an open transaction, so the contender's lookup finds
nothing and its insert waits on the key; only when PostgreSQL shows it waiting does the
test commit. Without handling, the contender's insert fails on the unique key.
"""

import pytest
from django.db import transaction

from editorial.importers import ArticleData
from editorial.models import Article
from editorial.services import article_ingest
from tests.support import contender, pg_lock_waiters, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _data(body: str) -> ArticleData:
    return ArticleData(
        external_key="url:https://news.example/two",
        title="Story two",
        body=body,
        outlet="The Weekly",
        url="https://news.example/two",
    )


@pytest.mark.parametrize(("body", "expected"), [("Two.", "unchanged"), ("Two, updated.", "updated")])
def test_the_worker_that_loses_the_insert_takes_the_stored_row(body, expected):
    thread, outcome = contender(lambda: article_ingest(data=_data(body)))
    with transaction.atomic():
        first = article_ingest(data=_data("Two."))
        thread.start()
        assert wait_for(lambda: pg_lock_waiters() == 1, timeout=20), "the contender never waited on the key"
    thread.join(20)

    assert first.status == "imported"
    assert len(outcome) == 1 and not isinstance(outcome[0], Exception), outcome
    assert outcome[0].status == expected and outcome[0].article.pk == first.article.pk
    assert Article.objects.filter(external_key="url:https://news.example/two").count() == 1
    assert Article.objects.get().body == body
