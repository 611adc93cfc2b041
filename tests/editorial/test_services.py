import pytest

from editorial.importers import ArticleData
from editorial.services import article_ingest
from factcheck.tasks import extract_claims

pytestmark = pytest.mark.django_db


def data(**overrides):
    fields = {"title": "T", "body": "The mayor said 12 bridges were repaired in 2024.", "external_key": "k"}
    return ArticleData(**(fields | overrides))


def test_new_article_queues_extraction_after_commit(django_capture_on_commit_callbacks, monkeypatch):
    queued = []
    monkeypatch.setattr(extract_claims, "delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks() as callbacks:
        result = article_ingest(data=data())
    assert queued == [], "must not queue before commit"
    assert len(callbacks) == 1
    for callback in callbacks:
        callback()
    assert queued == [(result.article.pk,)]


def test_metadata_change_updates_without_requeueing(django_capture_on_commit_callbacks):
    article_ingest(data=data())
    with django_capture_on_commit_callbacks() as callbacks:
        result = article_ingest(data=data(url="https://news.example/x"))
    assert result.status == "updated"
    assert result.article.url == "https://news.example/x"
    assert callbacks == []


def test_text_change_requeues(django_capture_on_commit_callbacks):
    article_ingest(data=data())
    with django_capture_on_commit_callbacks() as callbacks:
        result = article_ingest(data=data(body="The mayor said 13 bridges were repaired."))
    assert result.status == "updated"
    assert len(callbacks) == 1
