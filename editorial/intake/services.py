"""Writes of the intake: adding feeds, fetching them and their items, adding a page by URL.

Articles are keyed by canonical URL: an item found again (in the same feed, another feed
or a sitemap) is the same article, and a changed page updates it through
``article_ingest``, which re-runs claim extraction only when the text changed. A second
run over unchanged feeds writes no article and no item: a 304 costs one request, and an
item whose entry is unchanged is not fetched again.
"""

from __future__ import annotations

import hashlib
import logging
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.errors import ApplicationError
from editorial.importers import ArticleData
from editorial.intake import formats
from editorial.intake.extract import PageArticle, extract_article
from editorial.intake.fetcher import ACCEPT_HTML, Fetched, FetchError, fetch
from editorial.models import Article, Feed, FeedItem, Outlet
from editorial.services import IngestResult, article_ingest, outlet_for
from editorial.tasks import fetch_feed_item as fetch_feed_item_task
from editorial.tasks import send_feed_failing_email as send_feed_failing_email_task

logger = logging.getLogger(__name__)

ITEM_RETRY_FIRST = timedelta(minutes=15)
ITEM_RETRY_MAX = timedelta(days=1)
_CHUNK = 500


class IntakeError(ApplicationError):
    """A feed or page that cannot be taken in; ``reason`` says why."""

    code = "intake_refused"


@dataclass(frozen=True)
class Probe:
    """What a URL answered: its kind, title and how many items it lists."""

    url: str
    kind: str
    title: str
    items: int
    sitemaps: int = 0


@dataclass
class FeedFetchResult:
    feed_id: int
    status: str  # "fetched", "unchanged" or "failed"
    reason: str = ""
    new: int = 0
    updated: int = 0
    queued: int = 0
    item_errors: list[formats.ItemError] = field(default_factory=list)


@dataclass(frozen=True)
class ItemOutcome:
    status: str  # "new", "updated", "unchanged", "summary_only" or "failed"
    reason: str = ""
    article_id: int | None = None
    url: str = ""


# --- adding a feed -----------------------------------------------------------------------


def feed_probe(*, url: str, kind: str = "") -> Probe:
    """Fetch ``url`` once and say what it is; ``IntakeError`` or ``FetchError`` if it is not
    a feed, sitemap or article page (with ``kind`` given, it must be that kind)."""
    url = url.strip()
    if not formats.is_http_url(url):
        raise IntakeError(f"{url!r} is not an http(s) URL.")
    if kind and kind not in formats.KINDS:
        raise IntakeError(f"{kind!r} is not a kind; kinds are {', '.join(formats.KINDS)}.")
    fetched = fetch(url)
    try:
        body = _maybe_gunzip(fetched.body)
        detected = formats.detect_kind(body, fetched.content_type)
        if kind and kind != detected:
            raise formats.FormatError(f"the answer is {detected}, not {kind}")
        if detected == "page":
            page = extract_article(body, url=fetched.url, content_type=fetched.content_type or "text/html")
            return Probe(url=url, kind="page", title=page.title, items=1)
        parsed = formats.parse(body, detected, base_url=fetched.url)
    except formats.FormatError as exc:
        raise IntakeError(f"{url}: {exc.reason}.") from None
    return Probe(url, detected, parsed.title, len(parsed.entries), sitemaps=len(parsed.sitemaps))


def feed_add(
    *, url: str, outlet: str = "", kind: str = "", interval: int | None = None
) -> tuple[Feed, Probe]:
    """Probe ``url`` and store it as a feed, due at once; a refused URL stores nothing."""
    url = url.strip()
    if interval is not None and not 1 <= interval <= Feed.MAX_INTERVAL_MINUTES:
        raise IntakeError(f"The interval must be 1 to {Feed.MAX_INTERVAL_MINUTES} minutes, not {interval}.")
    existing = Feed.objects.filter(url=url).first()
    if existing is not None:
        raise IntakeError(f"{url} is already feed #{existing.pk}.")
    probe = feed_probe(url=url, kind=kind)
    with transaction.atomic():
        feed = Feed.objects.create(
            url=url,
            kind=probe.kind,
            title=probe.title[:500],
            outlet=outlet_for(outlet.strip()) or feed_outlet_default(url=url, probe=probe),
            fetch_interval=interval or settings.FETCH_DEFAULT_INTERVAL_MINUTES,
        )
    return feed, probe


def feed_outlet_default(*, url: str, probe: Probe) -> Outlet | None:
    """The outlet of a feed added without one, so its articles are attributed to someone.

    The outlet already known by the URL's host (``Outlet.domain``, ``www.`` ignored); else one
    named by the feed's own title (RSS, Atom, JSON Feed), or by the host for a sitemap or a
    page, whose titles name a document rather than the publication.
    """
    host = (urlsplit(url).hostname or "").lower().removeprefix("www.")
    if not host:
        return None
    known = Outlet.objects.filter(domain__iexact=host).order_by("pk").first()
    if known is not None:
        return known
    titled = probe.kind in (Feed.Kind.RSS, Feed.Kind.ATOM, Feed.Kind.JSONFEED)
    name = " ".join(probe.title.split())[:200] if titled else ""
    outlet, _ = Outlet.objects.get_or_create(name=name or host, defaults={"domain": host})
    return outlet


def feed_pause(*, feed_id: int) -> Feed:
    Feed.objects.filter(pk=feed_id).update(active=False)
    return Feed.objects.get(pk=feed_id)


def feed_resume(*, feed_id: int) -> Feed:
    """Active again and due at once, its failure count kept (the back-off continues)."""
    Feed.objects.filter(pk=feed_id).update(active=True, next_fetch_at=None)
    return Feed.objects.get(pk=feed_id)


# --- fetching a feed ---------------------------------------------------------------------


def feeds_due(*, now: datetime | None = None) -> QuerySet[Feed]:
    now = now or timezone.now()
    return Feed.objects.filter(active=True).filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))


def items_due(*, now: datetime | None = None) -> QuerySet[FeedItem]:
    return FeedItem.objects.filter(retry_at__lte=now or timezone.now(), feed__active=True)


def feed_claim_due(*, feed: Feed, now: datetime) -> bool:
    """Move the feed's next fetch past ``now`` if no one else did: the caller then fetches it."""
    later = now + timedelta(minutes=feed.effective_interval)
    return bool(Feed.objects.filter(pk=feed.pk, next_fetch_at=feed.next_fetch_at).update(next_fetch_at=later))


def item_claim_due(*, item_id: int, retry_at: datetime, now: datetime) -> bool:
    later = now + ITEM_RETRY_FIRST
    return bool(FeedItem.objects.filter(pk=item_id, retry_at=retry_at).update(retry_at=later))


def feed_fetch(*, feed_id: int, inline_items: bool = True) -> FeedFetchResult:
    """Fetch one feed and take in what is new or changed.

    1. A conditional GET; a 304 ends it (``unchanged``).
    2. The answer is parsed (a sitemap index: each of its sitemaps fetched and parsed).
    3. New items are stored, changed ones marked; unchanged ones are not touched.
    4. The feed's health is stored only then (a failure in 1-3 keeps the old ETag, so
       the next run reads the feed again).
    5. The new and changed items are fetched here (``inline_items``) or queued, one task
       per item.
    """
    feed = Feed.objects.select_related("outlet").get(pk=feed_id)
    result = FeedFetchResult(feed_id=feed.pk, status="fetched")
    try:
        fetched = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
        if fetched.not_modified:
            _feed_succeeded(feed, fetched, "304 not modified")
            result.status = "unchanged"
            return result
        if feed.kind == Feed.Kind.PAGE:
            return _page_feed_fetch(feed, fetched, result)
        parsed = _parse(fetched, feed.kind)
        to_fetch = _items_upsert(feed, parsed.entries)
    except (FetchError, IntakeError) as exc:
        _feed_failed(feed, exc.reason)
        return FeedFetchResult(feed_id=feed.pk, status="failed", reason=exc.reason)
    result.item_errors = parsed.errors
    skipped = f"; {len(parsed.errors)} items unreadable" if parsed.errors else ""
    _feed_succeeded(
        feed,
        fetched,
        f"{fetched.status}, {len(parsed.entries)} items{skipped}",
        note="\n".join(parsed.refused),
    )
    for item_id in to_fetch:
        if inline_items:
            _count(result, feed_item_fetch(item_id=item_id))
        else:
            fetch_feed_item_task.delay_on_commit(item_id)
            result.queued += 1
    if not (result.new or result.updated or result.queued):
        result.status = "unchanged"
    return result


def _count(result: FeedFetchResult, outcome: ItemOutcome) -> None:
    if outcome.status == "new":
        result.new += 1
    elif outcome.status == "updated":
        result.updated += 1
    elif outcome.status in ("summary_only", "failed"):
        result.item_errors.append(formats.ItemError(outcome.url, outcome.reason))


def _page_feed_fetch(feed: Feed, fetched: Fetched, result: FeedFetchResult) -> FeedFetchResult:
    """A feed of kind page is its own one item: the answer is extracted at once."""
    entry = formats.Entry(url=formats.normalize_url(feed.url))
    _items_upsert(feed, [entry], touch=False)
    item = FeedItem.objects.get(feed=feed, url=entry.url)
    outcome = _item_take(item, fetched)
    if outcome.status in ("failed", "summary_only"):
        _feed_failed(feed, outcome.reason)
        return FeedFetchResult(feed_id=feed.pk, status="failed", reason=outcome.reason)
    _feed_succeeded(feed, fetched, f"{fetched.status}, a page")
    _count(result, outcome)
    if outcome.status == "unchanged":
        result.status = "unchanged"
    return result


def _maybe_gunzip(body: bytes) -> bytes:
    if formats.looks_gzipped(body):
        return formats.gunzip_bounded(body, settings.FETCH_MAX_BYTES)
    return body


_FEEDS = {"rss", "atom", "jsonfeed"}


def _parse(fetched: Fetched, kind: str) -> formats.Parsed:
    """The answer read as the feed's kind; a feed that became another feed format is read as
    what it is now, anything else (a page where a feed was) is refused."""
    try:
        body = _maybe_gunzip(fetched.body)
        detected = formats.detect_kind(body, fetched.content_type)
        if detected != kind and not (detected in _FEEDS and kind in _FEEDS):
            raise formats.FormatError(f"not a {kind} any more: the answer is a {detected}")
        parsed = formats.parse(body, detected, base_url=fetched.url)
    except formats.FormatError as exc:
        raise IntakeError(exc.reason) from None
    if parsed.sitemaps:
        _sitemap_children(parsed, fetched.url)
    elif detected == "sitemap":
        _sitemap_bound_urls(parsed, fetched.url)
    return parsed


def _sitemap_children(index: formats.Parsed, index_url: str) -> None:
    """Read the sitemaps an index lists into it, breadth first, nested indexes included.

    Bounded so that a hostile or looping index ends: a sitemap already read is not read
    again (a loop), indexes are followed ``FETCH_SITEMAP_MAX_DEPTH`` levels deep, at most
    ``FETCH_SITEMAP_MAX_CHILDREN`` sitemaps are fetched in all and at most
    ``FETCH_SITEMAP_MAX_URLS`` URLs kept. Each refusal is an error in words, and is also
    kept in ``index.refused`` (the feed's last error). A sitemap that fails is an error of
    its own; the index fails only when none of its sitemaps could be read.
    """
    max_depth = settings.FETCH_SITEMAP_MAX_DEPTH
    max_sitemaps = settings.FETCH_SITEMAP_MAX_CHILDREN
    max_urls = settings.FETCH_SITEMAP_MAX_URLS
    seen = {formats.normalize_url(index_url)}
    queue: deque[tuple[str, int, str]] = deque((url, 1, index_url) for url in index.sitemaps)
    index.sitemaps = []
    read = failed = 0

    def refuse(where: str, reason: str) -> None:
        index.errors.append(formats.ItemError(where, reason))
        index.refused.append(f"{where}: {reason}")

    while queue:
        url, depth, parent = queue.popleft()
        key = formats.normalize_url(url)
        if key in seen:
            refuse(url, f"listed again by {parent}: a loop, not read twice")
            continue
        seen.add(key)
        if read >= max_sitemaps:
            refuse(url, f"more than {max_sitemaps} sitemaps in all; this one and {len(queue)} more not read")
            break
        if len(index.entries) >= max_urls:
            refuse(
                url, f"{max_urls} URLs already read, the most kept; this one and {len(queue)} more not read"
            )
            break
        try:
            child = formats.parse(_maybe_gunzip(fetch(url).body), "sitemap", base_url=url)
        except (FetchError, formats.FormatError) as exc:
            index.errors.append(formats.ItemError(url, exc.reason))
            read += 1
            failed += 1
            continue
        read += 1
        index.errors.extend(child.errors)
        if child.sitemaps:
            if depth >= max_depth:
                refuse(
                    url,
                    f"an index nested {depth} deep lists {len(child.sitemaps)} more sitemaps; "
                    f"indexes are followed {max_depth} deep at most, so they are not read",
                )
            else:
                queue.extend((grandchild, depth + 1, url) for grandchild in child.sitemaps)
        room = max_urls - len(index.entries)
        index.entries.extend(child.entries[:room])
        if len(child.entries) > room:
            refuse(url, f"the sitemaps list more than {max_urls} URLs in all; the rest are not read")
            break
    if read and failed == read:
        raise IntakeError(f"none of the {read} sitemaps of the index could be read")


def _sitemap_bound_urls(parsed: formats.Parsed, url: str) -> None:
    max_urls = settings.FETCH_SITEMAP_MAX_URLS
    if len(parsed.entries) > max_urls:
        del parsed.entries[max_urls:]
        reason = f"the sitemap lists more than {max_urls} URLs; the rest are not read"
        parsed.errors.append(formats.ItemError(url, reason))
        parsed.refused.append(f"{url}: {reason}")


def _items_upsert(feed: Feed, entries: Iterable[formats.Entry], *, touch: bool = True) -> list[int]:
    """Store new entries, mark changed ones pending; the ids to fetch. Unchanged: no write."""
    by_url: dict[str, formats.Entry] = {}
    for entry in entries:
        by_url.setdefault(entry.url, entry)
    urls = list(by_url)
    to_fetch: list[int] = []
    with transaction.atomic():
        for start in range(0, len(urls), _CHUNK):
            chunk = urls[start : start + _CHUNK]
            known = {item.url: item for item in FeedItem.objects.filter(feed=feed, url__in=chunk)}
            new = [_item_new(feed, by_url[url]) for url in chunk if url not in known]
            FeedItem.objects.bulk_create(new, batch_size=_CHUNK)
            if new:
                to_fetch.extend(
                    FeedItem.objects.filter(feed=feed, url__in=[i.url for i in new]).values_list(
                        "pk", flat=True
                    )
                )
            for url, item in known.items():
                entry = by_url[url]
                if touch and item.fingerprint != entry.fingerprint:
                    _item_describe(item, entry)
                    item.status = FeedItem.Status.PENDING
                    item.save()
                    to_fetch.append(item.pk)
        count = FeedItem.objects.filter(feed=feed).count()
        if count != feed.items_seen:
            Feed.objects.filter(pk=feed.pk).update(items_seen=count)
            feed.items_seen = count
    return to_fetch


def _item_new(feed: Feed, entry: formats.Entry) -> FeedItem:
    item = FeedItem(feed=feed, url=entry.url)
    _item_describe(item, entry)
    return item


def _item_describe(item: FeedItem, entry: formats.Entry) -> None:
    item.title = entry.title[:500]
    item.summary = entry.summary
    item.published_at = entry.published_at
    item.authors = entry.authors[:500]
    item.language = entry.language[:16]
    item.fingerprint = entry.fingerprint


def _feed_succeeded(feed: Feed, fetched: Fetched, status: str, *, note: str = "") -> None:
    """Healthy again; ``note`` (what of the answer was refused, e.g. a sitemap index's limits)
    is kept as the last error without counting as a failure."""
    now = timezone.now()
    feed.etag, feed.last_modified = (
        (fetched.etag, fetched.last_modified)
        if not fetched.not_modified
        else (
            feed.etag,
            feed.last_modified,
        )
    )
    feed.last_fetched_at, feed.last_status = now, status[:100]
    feed.consecutive_failures, feed.failing_since, feed.last_error = 0, None, note
    feed.failure_alerted_at = None
    feed.next_fetch_at = now + timedelta(minutes=feed.effective_interval)
    feed.save(
        update_fields=[
            "etag",
            "last_modified",
            "last_fetched_at",
            "last_status",
            "consecutive_failures",
            "failing_since",
            "last_error",
            "failure_alerted_at",
            "next_fetch_at",
        ]
    )


def _feed_failed(feed: Feed, reason: str) -> None:
    """Count the failure; the next fetch waits the interval doubled per failure, up to a day."""
    now = timezone.now()
    feed.refresh_from_db(fields=["consecutive_failures", "failing_since"])
    feed.consecutive_failures += 1
    feed.failing_since = feed.failing_since or now
    feed.last_fetched_at, feed.last_status, feed.last_error = now, "failed", reason
    feed.next_fetch_at = now + timedelta(minutes=feed.effective_interval)
    feed.save(
        update_fields=[
            "consecutive_failures",
            "failing_since",
            "last_fetched_at",
            "last_status",
            "last_error",
            "next_fetch_at",
        ]
    )
    logger.info("Feed %s failed: %s", feed.pk, reason)
    crossed = Feed.objects.filter(
        pk=feed.pk,
        failure_alerted_at__isnull=True,
        consecutive_failures__gte=settings.FEED_FAILING_ALERT_AFTER,
    ).update(failure_alerted_at=now)
    if crossed:  # claimed here: a retry or another worker's failure does not mail again
        send_feed_failing_email_task.delay_on_commit(feed.pk)


def feed_failing_notify(*, feed_id: int) -> int:
    """Mail the alert group that the feed is failing; the number of e-mails sent."""
    from django.contrib.auth import get_user_model
    from django.core.mail import EmailMessage, get_connection
    from django.urls import reverse

    feed = Feed.objects.get(pk=feed_id)
    if feed.failure_alerted_at is None:
        return 0  # recovered before the mail went out
    users = (
        get_user_model()
        .objects.filter(groups__name=settings.FEED_FAILING_ALERT_GROUP, is_active=True)
        .exclude(email="")
        .distinct()
    )
    since = f"{feed.failing_since:%Y-%m-%d %H:%M} UTC" if feed.failing_since else "recently"
    subject = f"[{settings.ORGANISATION_NAME}] Feed failing: {feed}"[:200]
    body = "\n".join(
        [
            f"The feed {feed.url} has failed {feed.consecutive_failures} times in a row, since {since}.",
            "",
            f"Last error: {feed.last_error}",
            "",
            f"Open the feed: {settings.SITE_URL}{reverse('admin:editorial_feed_change', args=[feed.pk])}",
            "",
        ]
    )
    messages = [EmailMessage(subject=subject, body=body, to=[user.email]) for user in users]
    return get_connection().send_messages(messages) or 0 if messages else 0


# --- fetching an item --------------------------------------------------------------------


def feed_item_fetch(*, item_id: int) -> ItemOutcome:
    """Fetch an item's page and store its article; on failure keep the feed's summary and retry.

    A new item whose URL another item already brought in is linked to that article without
    a request. A known page is asked for conditionally.
    """
    item = FeedItem.objects.select_related("feed__outlet", "article").get(pk=item_id)
    if item.article_id is None and item.attempts == 0:
        twin = (
            FeedItem.objects.filter(url=item.url, status=FeedItem.Status.FETCHED, article__isnull=False)
            .exclude(pk=item.pk)
            .order_by("pk")
            .first()
        )
        if twin is not None and twin.article_id is not None:
            _item_fetched(item, twin.article_id, etag=twin.etag, last_modified=twin.last_modified)
            return ItemOutcome("unchanged", article_id=twin.article_id)
    known = item.article_id is not None and item.status == FeedItem.Status.FETCHED
    try:
        fetched = fetch(
            item.url,
            etag=item.etag if known else "",
            last_modified=item.last_modified if known else "",
            accept=ACCEPT_HTML,
        )
    except FetchError as exc:
        return _item_page_failed(item, exc.reason)
    return _item_take(item, fetched)


def _item_take(item: FeedItem, fetched: Fetched) -> ItemOutcome:
    if fetched.not_modified and item.article_id:
        _item_fetched(item, item.article_id, etag=item.etag, last_modified=item.last_modified)
        return ItemOutcome("unchanged", article_id=item.article_id)
    try:
        page = extract_article(fetched.body, url=fetched.url, content_type=fetched.content_type)
    except formats.FormatError as exc:
        return _item_page_failed(item, exc.reason)
    with transaction.atomic():
        ingest = article_store(page=page, outlet=item.feed.outlet, fallback=item, existing=item.article)
        assert ingest.article is not None
        _item_fetched(item, ingest.article.pk, etag=fetched.etag, last_modified=fetched.last_modified)
    status = {"imported": "new", "updated": "updated"}.get(ingest.status, "unchanged")
    return ItemOutcome(status, article_id=ingest.article.pk)


def _item_fetched(item: FeedItem, article_id: int, *, etag: str, last_modified: str) -> None:
    """Record the item's article; no write when nothing about it changed."""
    wanted = {
        "article_id": article_id,
        "status": FeedItem.Status.FETCHED,
        "etag": etag,
        "last_modified": last_modified,
        "error": "",
        "attempts": 0,
        "retry_at": None,
    }
    if all(getattr(item, name) == value for name, value in wanted.items()):
        return
    for name, value in wanted.items():
        setattr(item, name, value)
    item.fetched_at = timezone.now()
    item.save()


def _item_page_failed(item: FeedItem, reason: str) -> ItemOutcome:
    """Keep what the feed said (an article from its title and summary) and retry later."""
    item.attempts += 1
    item.error = reason
    give_up = item.attempts >= settings.FETCH_ITEM_MAX_ATTEMPTS
    delay = min(ITEM_RETRY_FIRST * 2 ** (item.attempts - 1), ITEM_RETRY_MAX)
    item.retry_at = None if give_up else timezone.now() + delay
    with transaction.atomic():
        if item.article_id is None and item.title and item.summary:
            ingest = article_ingest(data=_summary_data(item))
            item.article = ingest.article
        if item.status != FeedItem.Status.FETCHED or item.article_id is None:
            item.status = FeedItem.Status.SUMMARY_ONLY if item.article_id else FeedItem.Status.FAILED
        item.save()
    status = "summary_only" if item.status == FeedItem.Status.SUMMARY_ONLY else "failed"
    return ItemOutcome(status, reason=reason, article_id=item.article_id, url=item.url)


def _summary_data(item: FeedItem) -> ArticleData:
    existing = article_at(item.url)
    return ArticleData(
        title=item.title,
        body=item.summary,
        external_key=existing.external_key if existing else url_key(item.url),
        url=item.url,
        published_at=item.published_at,
        outlet=item.feed.outlet.name if item.feed.outlet else "",
        authors=item.authors,
        language=item.language or "en",
    )


# --- articles by canonical URL -----------------------------------------------------------


def article_at(url: str) -> Article | None:
    """The article stored at ``url``. The ``url != ""`` term lets SQLite use the partial
    unique index on ``Article.url`` (PostgreSQL would without it)."""
    return Article.objects.filter(url=url).exclude(url="").order_by("pk").first()


def url_key(url: str) -> str:
    """The ``external_key`` of an article known by its URL."""
    return "url:" + hashlib.sha256(url.encode()).hexdigest()


def article_store(
    *,
    page: PageArticle,
    outlet: Outlet | None,
    fallback: FeedItem | None = None,
    existing: Article | None = None,
) -> IngestResult:
    """Create or update the article at ``page.url`` (canonical): one article per URL, whoever
    brought it (a feed, a sitemap, a person). A changed text re-runs extraction."""
    article = article_at(page.url) or existing
    title = page.title or (fallback.title if fallback else "") or page.url
    published = (fallback.published_at if fallback else None) or page.published_at
    data = ArticleData(
        title=title[:500],
        body=page.text,
        external_key=article.external_key if article else url_key(page.url),
        url=page.url,
        published_at=published,
        outlet=outlet.name if outlet else (article.outlet.name if article and article.outlet else ""),
        authors=page.authors or (fallback.authors if fallback else ""),
        language=page.language or (fallback.language if fallback else "") or "en",
    )
    return article_ingest(data=data)


def article_preview_by_url(*, url: str) -> PageArticle:
    """Fetch ``url`` and extract its article as a feed item's is; nothing is stored."""
    url = url.strip()
    if not formats.is_http_url(url):
        raise IntakeError(f"{url!r} is not an http(s) URL.")
    fetched = fetch(url, accept=ACCEPT_HTML)
    try:
        return extract_article(fetched.body, url=fetched.url, content_type=fetched.content_type)
    except formats.FormatError as exc:
        raise IntakeError(f"{url}: {exc.reason}.") from None


def article_add_by_url(*, page: PageArticle, outlet: str = "") -> IngestResult:
    """Store a previewed page as an article (or update the one at its canonical URL)."""
    with transaction.atomic():
        return article_store(page=page, outlet=outlet_for(outlet.strip()))
