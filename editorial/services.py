"""Write operations on the newsroom's content."""

import hashlib
from dataclasses import dataclass
from typing import Literal

from django.db import IntegrityError, transaction

from editorial.importers import ArticleData
from editorial.models import Article, Outlet
from editorial.signals import article_text_changed

IngestStatus = Literal["imported", "updated", "unchanged"]

_META_FIELDS = ("url", "published_at", "authors", "language")


@dataclass(frozen=True)
class IngestResult:
    status: IngestStatus
    article: Article | None


def article_key(*, url: str, title: str, body: str) -> str:
    """The ``external_key`` of an article added by hand: from its URL, else from its text.

    The same page added twice gets the same key, so the second add is refused as a
    duplicate instead of creating a second article.
    """
    basis = f"url:{url.strip()}" if url.strip() else f"text:{content_hash(title=title, body=body)}"
    return "manual:" + hashlib.sha256(basis.encode()).hexdigest()[:40]


def content_hash(*, title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


def article_ingest(*, data: ArticleData, dry_run: bool = False) -> IngestResult:
    """Create or update the article keyed by ``data.external_key``, in one transaction.

    Idempotent: the same data twice changes nothing. A changed title or body sends
    ``article_text_changed`` so its claims are extracted again; metadata-only changes
    (URL, date, authors) update the row without re-extraction. Two workers storing the same
    new article at once (one story in two feeds) both succeed: the one whose insert loses
    to the other's takes the stored row as an update.
    """
    try:
        return _article_ingest(data, dry_run)
    except IntegrityError:
        if not Article.objects.filter(external_key=data.external_key).exists():
            raise  # not the race on the key: some other constraint refused the row
        return _article_ingest(data, dry_run)


def _article_ingest(data: ArticleData, dry_run: bool) -> IngestResult:
    digest = content_hash(title=data.title, body=data.body)
    with transaction.atomic():
        article = Article.objects.select_for_update().filter(external_key=data.external_key).first()
        if article is None:
            if dry_run:
                return IngestResult("imported", None)
            article = Article.objects.create(
                outlet=outlet_for(data.outlet),
                title=data.title,
                body=data.body,
                external_key=data.external_key,
                content_hash=digest,
                **{name: getattr(data, name) for name in _META_FIELDS},
            )
            article_text_changed.send(sender=Article, article=article)
            return IngestResult("imported", article)

        text_changed = article.content_hash != digest
        meta_changed = any(getattr(article, n) != getattr(data, n) for n in _META_FIELDS) or (
            data.outlet and (article.outlet is None or article.outlet.name != data.outlet)
        )
        if not (text_changed or meta_changed):
            return IngestResult("unchanged", article)
        if dry_run:
            return IngestResult("updated", article)
        article.title, article.body, article.content_hash = data.title, data.body, digest
        for name in _META_FIELDS:
            setattr(article, name, getattr(data, name))
        if data.outlet:
            article.outlet = outlet_for(data.outlet)
        article.save()
        if text_changed:
            article_text_changed.send(sender=Article, article=article)
        return IngestResult("updated", article)


def outlet_for(name: str) -> Outlet | None:
    if not name:
        return None
    outlet, _ = Outlet.objects.get_or_create(name=name)
    return outlet
