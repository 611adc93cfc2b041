"""Feeds fetched from a real local server: every format, the polite rules, the bad answers."""

import gzip
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from editorial.intake.services import feed_add, feed_fetch, feed_item_fetch
from editorial.models import Article, Feed, FeedItem, Outlet
from editorial.signals import article_text_changed
from tests.intake_server import PARAGRAPHS, article_html, atom, jsonfeed, rss, sitemap, sitemap_index

pytestmark = pytest.mark.django_db


def pages(server, names, *, wrap=True):
    """Article pages at /a/<name>; their URLs."""
    urls = []
    for i, name in enumerate(names):
        text = [f"{name.title()} report, part {i}: {p}" for p in PARAGRAPHS]
        urls.append(server.add(f"/a/{name}", article_html(f"Story {name}", text, wrap=wrap)))
    return urls


@pytest.fixture
def received():
    seen = []

    def receiver(sender, article, **kwargs):
        seen.append(article.pk)

    article_text_changed.connect(receiver)
    yield seen
    article_text_changed.disconnect(receiver)


@pytest.mark.parametrize(
    ("kind", "build", "content_type"),
    [
        ("rss", rss, "application/rss+xml"),
        ("atom", atom, "application/atom+xml"),
        ("jsonfeed", jsonfeed, "application/feed+json"),
    ],
)
def test_each_feed_format_brings_its_articles_with_extracted_text(intake_server, kind, build, content_type):
    urls = pages(intake_server, ["budget", "nurses"])
    feed_url = intake_server.add(
        "/feed", build([("Budget", urls[0]), ("Nurses", urls[1])]), content_type=content_type
    )

    feed, probe = feed_add(url=feed_url, outlet="The Daily")
    result = feed_fetch(feed_id=feed.pk)

    assert (probe.kind, probe.items) == (kind, 2)
    assert (result.status, result.new, result.updated) == ("fetched", 2, 0)
    budget = Article.objects.get(url=urls[0])
    assert budget.title == "Story budget"
    assert "deficit fell to 3.1% of GDP" in budget.body
    assert "Copyright" not in budget.body and "Sport" not in budget.body  # boilerplate left out
    assert budget.outlet.name == "The Daily"
    assert budget.published_at is not None
    assert set(FeedItem.objects.values_list("status", flat=True)) == {"fetched"}
    feed.refresh_from_db()
    assert (feed.items_seen, feed.consecutive_failures, feed.last_error) == (2, 0, "")


def test_a_page_without_an_article_element_is_extracted_too(intake_server):
    [url] = pages(intake_server, ["plain"], wrap=False)
    feed_url = intake_server.add("/feed", rss([("Plain", url)]))
    feed, _ = feed_add(url=feed_url)

    assert feed_fetch(feed_id=feed.pk).new == 1
    assert "deficit fell to 3.1% of GDP" in Article.objects.get().body


def test_a_sitemap_index_with_two_sitemaps_brings_the_articles_of_both(intake_server):
    urls = pages(intake_server, ["one", "two", "three"])
    intake_server.add("/sitemap-1.xml", sitemap(urls[:2]), content_type="application/xml")
    intake_server.add(
        "/sitemap-2.xml.gz",
        gzip.compress(sitemap(urls[2:], news=True).encode()),
        content_type="application/gzip",
    )
    index = intake_server.add(
        "/sitemap.xml",
        sitemap_index([intake_server.url("/sitemap-1.xml"), intake_server.url("/sitemap-2.xml.gz")]),
        content_type="application/xml",
    )
    feed, probe = feed_add(url=index)
    result = feed_fetch(feed_id=feed.pk)

    assert (probe.kind, probe.sitemaps) == ("sitemap", 2)
    assert result.new == 3
    assert set(Article.objects.values_list("url", flat=True)) == set(urls)
    news_item = FeedItem.objects.get(url=urls[2])
    assert news_item.title == "News story 0"  # from the Google News extension


def test_a_second_run_over_unchanged_feeds_writes_nothing(intake_server, received):
    urls = pages(intake_server, ["a", "b"])
    feed_url = intake_server.add("/feed", rss([("A", urls[0]), ("B", urls[1])]), etag='"v1"')
    feed, _ = feed_add(url=feed_url)
    feed_fetch(feed_id=feed.pk)
    stamps = dict(Article.objects.values_list("pk", "updated_at"))
    asked = len(intake_server.requests)
    received.clear()

    with CaptureQueriesContext(connection) as queries:
        result = feed_fetch(feed_id=feed.pk)

    assert result.status == "unchanged"
    assert len(intake_server.requests) == asked + 1  # the 304 is the only request
    assert intake_server.requests[-1][1]["If-None-Match"] == '"v1"'
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")
    ]
    assert all('"editorial_feed"' in sql for sql in writes), writes  # only the feed's own health
    assert dict(Article.objects.values_list("pk", "updated_at")) == stamps
    assert received == []


def test_a_changed_feed_without_etag_refetches_only_new_items(intake_server):
    urls = pages(intake_server, ["a", "b", "c"])
    intake_server.add("/feed", rss([("A", urls[0]), ("B", urls[1])]))
    feed, _ = feed_add(url=intake_server.url("/feed"))
    feed_fetch(feed_id=feed.pk)
    intake_server.add("/feed", rss([("A", urls[0]), ("B", urls[1]), ("C", urls[2])]))

    result = feed_fetch(feed_id=feed.pk)

    assert result.new == 1
    assert intake_server.hits("/a/a") == 1 and intake_server.hits("/a/c") == 1


def test_a_changed_page_updates_its_article_and_reruns_extraction(intake_server, received):
    [url] = pages(intake_server, ["a"])
    intake_server.add("/feed", rss([("A", url)]))
    feed, _ = feed_add(url=intake_server.url("/feed"))
    feed_fetch(feed_id=feed.pk)
    article = Article.objects.get()
    received.clear()
    intake_server.add(
        "/a/a", article_html("Story a", ["The minister now says the deficit fell to 2.9%. " * 4])
    )
    intake_server.add("/feed", rss([("A (updated)", url)]))  # the entry changed

    result = feed_fetch(feed_id=feed.pk)

    assert result.updated == 1
    article.refresh_from_db()
    assert "2.9%" in article.body
    assert received == [article.pk]
    assert Article.objects.count() == 1


def test_the_same_item_in_two_feeds_and_a_sitemap_is_one_article(intake_server):
    [url] = pages(intake_server, ["shared"])
    intake_server.add("/rss", rss([("Shared", url)]))
    intake_server.add(
        "/atom", atom([("Shared", url + "?utm_source=atom")]), content_type="application/atom+xml"
    )
    intake_server.add("/sitemap.xml", sitemap([url]), content_type="application/xml")
    for path in ("/rss", "/atom", "/sitemap.xml"):
        feed, _ = feed_add(url=intake_server.url(path))
        feed_fetch(feed_id=feed.pk)

    assert Article.objects.count() == 1
    assert FeedItem.objects.filter(article=Article.objects.get()).count() == 3
    assert intake_server.hits("/a/shared") == 1


def test_canonical_url_keys_the_article(intake_server):
    canonical = intake_server.url("/a/real")
    intake_server.add("/a/real", article_html("Real", PARAGRAPHS, canonical=canonical))
    intake_server.add("/a/alias", article_html("Real", PARAGRAPHS, canonical=canonical))
    intake_server.add("/feed", rss([("Alias", intake_server.url("/a/alias")), ("Real", canonical)]))
    feed, _ = feed_add(url=intake_server.url("/feed"))
    feed_fetch(feed_id=feed.pk)

    assert list(Article.objects.values_list("url", flat=True)) == [canonical]


def test_a_page_feed_is_its_own_item_and_answers_304_next_time(intake_server):
    url = intake_server.add(
        "/a/page", article_html("Page", PARAGRAPHS), last_modified="Tue, 04 Mar 2025 10:00:00 GMT"
    )
    feed, probe = feed_add(url=url)
    first = feed_fetch(feed_id=feed.pk)
    second = feed_fetch(feed_id=feed.pk)

    assert (probe.kind, first.new) == ("page", 1)
    assert second.status == "unchanged"
    assert intake_server.requests[-1][1]["If-Modified-Since"] == "Tue, 04 Mar 2025 10:00:00 GMT"
    assert intake_server.hits("/a/page") == 3  # add, first fetch, one conditional GET


def test_a_feed_that_redirects_is_followed(intake_server):
    [url] = pages(intake_server, ["a"])
    intake_server.add("/new-feed", rss([("A", url)]))
    old = intake_server.add("/old-feed", redirect="/new-feed")
    feed, _ = feed_add(url=old)

    assert feed_fetch(feed_id=feed.pk).new == 1


def test_more_than_five_redirects_fail_with_the_reason(intake_server):
    for i in range(7):
        intake_server.add(f"/loop{i}", redirect=f"/loop{i + 1}")
    feed = Feed.objects.create(url=intake_server.url("/loop0"), kind="rss")

    result = feed_fetch(feed_id=feed.pk)

    assert result.status == "failed"
    assert "More than 5 redirects" in result.reason


@pytest.mark.parametrize(
    ("route", "reason"),
    [
        ({"body": "<rss><channel><item><title>broken</channel>"}, "malformed XML"),
        ({"body": "<html><body>no feed</body></html>", "content_type": "text/html"}, "not a rss any more"),
        ({"status": 404, "body": "gone"}, "404"),
        ({"delay": 3.0, "body": "late"}, "timed out after 2 s"),
        ({"filler": 50 * 1024 * 1024}, "larger than"),
        ({"filler": 50 * 1024 * 1024, "send_length": False}, "larger than"),
        (
            {
                "body": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
                "<rss><channel><title>&b;</title></channel></rss>"
            },
            "declares entities",
        ),
    ],
    ids=["malformed", "not-a-feed", "404", "timeout", "50MB", "50MB-no-length", "entities"],
)
def test_a_bad_feed_fails_with_its_reason_and_keeps_what_was_stored(intake_server, route, reason):
    [url] = pages(intake_server, ["kept"])
    intake_server.add("/feed", rss([("Kept", url)]))
    feed, _ = feed_add(url=intake_server.url("/feed"), kind="rss")
    feed_fetch(feed_id=feed.pk)
    intake_server.add("/feed", **route)

    result = feed_fetch(feed_id=feed.pk)

    feed.refresh_from_db()
    assert result.status == "failed"
    if reason:
        assert reason in result.reason and reason in feed.last_error
    assert feed.consecutive_failures == 1 and feed.failing_since is not None
    assert Article.objects.filter(url=url).exists() and FeedItem.objects.count() == 1
    if route.get("filler"):
        # Stopped reading long before 50 MB: the server's count also holds what the kernel's
        # loopback buffers took after the client stopped (seen up to ~6 MB past the limit).
        assert sum(intake_server.streamed) < 25 * 1024 * 1024


def test_a_gzip_bomb_is_refused_at_the_size_limit(intake_server, settings):
    settings.FETCH_MAX_BYTES = 1024 * 1024
    bomb = gzip.compress(b"<rss>" + b" " * (200 * 1024 * 1024))
    intake_server.add("/feed", bomb, content_type="application/rss+xml", headers={"Content-Encoding": "gzip"})
    feed = Feed.objects.create(url=intake_server.url("/feed"), kind="rss")

    result = feed_fetch(feed_id=feed.pk)

    assert result.status == "failed" and "larger than 1 MB" in result.reason


def test_failures_double_the_interval_up_to_a_day_and_success_resets(intake_server):
    intake_server.add("/feed", status=500, body="down")
    feed = Feed.objects.create(url=intake_server.url("/feed"), kind="rss", fetch_interval=60)
    intervals = []
    for _ in range(6):
        feed_fetch(feed_id=feed.pk)
        feed.refresh_from_db()
        intervals.append(round((feed.next_fetch_at - feed.last_fetched_at).total_seconds() / 60))
    first_failure = feed.failing_since
    intake_server.add("/feed", rss([]))
    feed_fetch(feed_id=feed.pk)
    feed.refresh_from_db()

    assert intervals == [120, 240, 480, 960, 1440, 1440]
    assert first_failure is not None and "500" in feed.last_error or feed.last_error == ""
    assert (feed.consecutive_failures, feed.failing_since, feed.last_error) == (0, None, "")


def test_robots_txt_that_disallows_is_honoured_and_read_once(intake_server):
    intake_server.add("/robots.txt", "User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    [allowed] = pages(intake_server, ["open"])
    secret = intake_server.add("/private/a", article_html("Secret", PARAGRAPHS))
    intake_server.add("/feed", rss([("Open", allowed), ("Secret", secret)]))
    feed, _ = feed_add(url=intake_server.url("/feed"))

    result = feed_fetch(feed_id=feed.pk)

    assert result.new == 1
    assert intake_server.hits("/private/a") == 0
    assert intake_server.hits("/robots.txt") == 1
    item = FeedItem.objects.get(url=secret)
    assert "robots.txt" in item.error and "disallows" in item.error
    assert item.status == "summary_only"  # the feed's summary kept, retried later
    assert item.retry_at is not None


def test_requests_name_the_product_and_site(intake_server, settings):
    settings.SITE_URL = "https://desk.example.org"
    intake_server.add("/feed", rss([]))
    feed_add(url=intake_server.url("/feed"))

    agent = intake_server.requests[-1][1]["User-Agent"]
    assert "FactCheckDeskIntake" in agent and "https://desk.example.org" in agent


def test_an_item_whose_page_fails_keeps_the_summary_and_is_retried(intake_server):
    missing = intake_server.url("/a/later")
    intake_server.add("/feed", rss([("Later", missing)]))
    feed, _ = feed_add(url=intake_server.url("/feed"))

    result = feed_fetch(feed_id=feed.pk)

    item = FeedItem.objects.get()
    assert (item.status, item.attempts) == ("summary_only", 1)
    assert "404" in item.error and result.item_errors
    article = item.article
    assert article.body == "Summary of Later. The minister said the deficit fell."
    pages(intake_server, ["later"])
    outcome = feed_item_fetch(item_id=item.pk)
    item.refresh_from_db()
    article.refresh_from_db()
    assert outcome.status == "updated" and item.status == "fetched" and item.retry_at is None
    assert "deficit fell to 3.1% of GDP" in article.body
    assert Article.objects.count() == 1


def test_an_item_that_is_not_html_says_so(intake_server):
    pdf = intake_server.add("/a/report.pdf", b"%PDF-1.4", content_type="application/pdf")
    intake_server.add("/feed", rss([("Report", pdf)]))
    feed, _ = feed_add(url=intake_server.url("/feed"))
    feed_fetch(feed_id=feed.pk)

    assert FeedItem.objects.get().error == "not HTML (application/pdf)"


def test_one_bad_item_does_not_stop_the_others(intake_server):
    [good] = pages(intake_server, ["good"])
    body = rss([("Good", good)]).replace("<item>", "<item><title>No link</title></item><item>", 1)
    intake_server.add("/feed", body)
    feed, _ = feed_add(url=intake_server.url("/feed"))

    result = feed_fetch(feed_id=feed.pk)

    assert result.new == 1
    assert [e.reason for e in result.item_errors] == ["the item has no http(s) link"]


# --- nested sitemap indexes ----------------------------------------------------------------


def _xml(server, path, body):
    return server.add(path, body, content_type="application/xml")


def test_a_sitemap_index_inside_an_index_is_followed(intake_server):
    urls = pages(intake_server, ["top", "deep", "deeper"])
    _xml(intake_server, "/s-top.xml", sitemap(urls[:1]))
    _xml(intake_server, "/s-deep.xml", sitemap(urls[1:2]))
    _xml(intake_server, "/s-deeper.xml", sitemap(urls[2:]))
    _xml(intake_server, "/index-2.xml", sitemap_index([intake_server.url("/s-deeper.xml")]))
    _xml(
        intake_server,
        "/index-1.xml",
        sitemap_index([intake_server.url("/s-deep.xml"), intake_server.url("/index-2.xml")]),
    )
    root = _xml(
        intake_server,
        "/sitemap.xml",
        sitemap_index([intake_server.url("/s-top.xml"), intake_server.url("/index-1.xml")]),
    )
    feed, _ = feed_add(url=root)

    result = feed_fetch(feed_id=feed.pk)

    assert (result.status, result.new, result.item_errors) == ("fetched", 3, [])
    assert set(Article.objects.values_list("url", flat=True)) == set(urls)
    feed.refresh_from_db()
    assert (feed.consecutive_failures, feed.last_error) == (0, "")


def test_a_looping_sitemap_index_is_read_once_and_the_loop_named(intake_server):
    [url] = pages(intake_server, ["one"])
    _xml(intake_server, "/s.xml", sitemap([url]))
    a, b = intake_server.url("/index-a.xml"), intake_server.url("/index-b.xml")
    _xml(intake_server, "/index-a.xml", sitemap_index([b, intake_server.url("/s.xml")]))
    _xml(intake_server, "/index-b.xml", sitemap_index([a]))  # back to the feed's own index
    feed, _ = feed_add(url=a)

    result = feed_fetch(feed_id=feed.pk)

    assert result.new == 1
    assert intake_server.hits("/index-b.xml") == 1
    assert [e.reason for e in result.item_errors] == [f"listed again by {b}: a loop, not read twice"]
    feed.refresh_from_db()
    assert feed.consecutive_failures == 0 and f"{a}: listed again by {b}" in feed.last_error


def test_sitemap_indexes_nested_past_the_depth_are_refused_in_words(intake_server, settings, capsys):
    settings.FETCH_SITEMAP_MAX_DEPTH = 2
    [url, too_deep] = pages(intake_server, ["kept", "too-deep"])
    _xml(intake_server, "/s-kept.xml", sitemap([url]))
    _xml(intake_server, "/s-too-deep.xml", sitemap([too_deep]))
    _xml(intake_server, "/level-3.xml", sitemap_index([intake_server.url("/s-too-deep.xml")]))
    _xml(
        intake_server,
        "/level-2.xml",
        sitemap_index([intake_server.url("/level-3.xml"), intake_server.url("/s-kept.xml")]),
    )
    root = _xml(intake_server, "/sitemap.xml", sitemap_index([intake_server.url("/level-2.xml")]))
    feed, _ = feed_add(url=root)

    out, err = io.StringIO(), io.StringIO()
    call_command("fetch_feeds", "--feed", str(feed.pk), stdout=out, stderr=err)

    assert Article.objects.filter(url=url).exists() and not Article.objects.filter(url=too_deep).exists()
    assert intake_server.hits("/s-too-deep.xml") == 0
    reason = "an index nested 2 deep lists 1 more sitemaps; indexes are followed 2 deep at most, so they are not read"
    level_3 = intake_server.url("/level-3.xml")
    assert f"ITEM {level_3}: {reason}" in err.getvalue()
    assert "new articles 1" in out.getvalue()
    feed.refresh_from_db()
    assert feed.last_error == f"{level_3}: {reason}" and feed.consecutive_failures == 0


def test_the_sitemaps_and_urls_of_an_index_are_bounded_in_all(intake_server, settings):
    settings.FETCH_SITEMAP_MAX_CHILDREN = 3
    settings.FETCH_SITEMAP_MAX_URLS = 3
    urls = pages(intake_server, [f"p{n}" for n in range(6)])
    children = [_xml(intake_server, f"/s-{n}.xml", sitemap(urls[2 * n : 2 * n + 2])) for n in range(3)]
    root = _xml(intake_server, "/sitemap.xml", sitemap_index(children))
    feed, _ = feed_add(url=root)

    result = feed_fetch(feed_id=feed.pk)

    assert result.new == 3 and Article.objects.count() == 3
    reason = "the sitemaps list more than 3 URLs in all; the rest are not read"
    assert [(e.where, e.reason) for e in result.item_errors] == [(children[1], reason)]
    assert intake_server.hits("/s-2.xml") == 0  # stopped at the bound

    settings.FETCH_SITEMAP_MAX_URLS = 100
    settings.FETCH_SITEMAP_MAX_CHILDREN = 2
    Feed.objects.filter(pk=feed.pk).update(etag="", last_modified="")
    result = feed_fetch(feed_id=feed.pk)
    reason = "more than 2 sitemaps in all; this one and 0 more not read"
    assert [(e.where, e.reason) for e in result.item_errors] == [(children[2], reason)]
    feed.refresh_from_db()
    assert feed.last_error == f"{children[2]}: {reason}"

    settings.FETCH_SITEMAP_MAX_CHILDREN = 3
    settings.FETCH_SITEMAP_MAX_URLS = 4
    Feed.objects.filter(pk=feed.pk).update(etag="", last_modified="")
    hits = intake_server.hits("/s-2.xml")
    result = feed_fetch(feed_id=feed.pk)
    reason = "4 URLs already read, the most kept; this one and 0 more not read"
    assert [(e.where, e.reason) for e in result.item_errors] == [(children[2], reason)]
    assert intake_server.hits("/s-2.xml") == hits


def test_an_index_whose_nested_sitemaps_all_fail_fails_the_feed(intake_server):
    inner = _xml(intake_server, "/inner.xml", sitemap_index([intake_server.url("/gone.xml")]))
    root = _xml(intake_server, "/sitemap.xml", sitemap_index([inner]))
    feed, _ = feed_add(url=root)
    intake_server.routes.pop("/inner.xml")

    result = feed_fetch(feed_id=feed.pk)

    assert result.status == "failed"
    assert result.reason == "none of the 1 sitemaps of the index could be read"


# --- the desk told once when a feed starts failing -----------------------------------------


def test_a_feed_that_starts_failing_is_mailed_to_editors_once_and_recovery_clears_it(
    intake_server, settings, editor, reporter, mailoutbox, django_capture_on_commit_callbacks
):
    settings.FEED_FAILING_ALERT_AFTER = 2
    [url] = pages(intake_server, ["one"])
    feed_url = intake_server.add("/feed", rss([("One", url)]))
    feed, _ = feed_add(url=feed_url)
    intake_server.routes["/feed"].status = 500

    def fetch():
        with django_capture_on_commit_callbacks(execute=True):
            feed_fetch(feed_id=feed.pk)

    fetch()
    assert mailoutbox == []  # one failure is below the threshold
    for _ in range(3):
        fetch()

    assert [m.to for m in mailoutbox] == [[editor.email]]  # once, and not to the reporter
    assert feed_url in mailoutbox[0].body and "500" in mailoutbox[0].body
    feed.refresh_from_db()
    assert feed.failure_alerted_at is not None

    intake_server.routes["/feed"].status = 200
    fetch()
    feed.refresh_from_db()
    assert feed.failure_alerted_at is None and feed.consecutive_failures == 0

    intake_server.routes["/feed"].status = 503
    fetch()
    fetch()
    assert len(mailoutbox) == 2  # failing again after a recovery: told again


def test_a_feed_added_without_an_outlet_attributes_its_articles_to_the_publication(intake_server):
    [url] = pages(intake_server, ["budget"])
    feed_url = intake_server.add("/feed", rss([("Budget", url)], title="  Evening   Post "))
    feed, _ = feed_add(url=feed_url)

    assert feed_fetch(feed_id=feed.pk).new == 1
    article = Article.objects.select_related("outlet").get()
    host = intake_server.url("/").split("//")[1].split(":")[0]
    assert (article.outlet.name, article.outlet.domain) == ("Evening Post", host)


def test_a_second_feed_of_the_same_host_joins_its_outlet_and_a_sitemap_is_named_by_host(intake_server):
    urls = pages(intake_server, ["one", "two"])
    first, _ = feed_add(url=intake_server.add("/rss", rss([("One", urls[0])], title="Evening Post")))
    second, _ = feed_add(
        url=intake_server.add("/atom", atom([("Two", urls[1])], title="Evening Post - Sport"))
    )
    assert second.outlet == first.outlet  # the host is the publication, whatever the feed's title
    host = intake_server.url("/").split("//")[1].split(":")[0]
    Feed.objects.all().delete()
    Outlet.objects.all().delete()
    site, _ = feed_add(url=intake_server.add("/sitemap.xml", sitemap(urls)))
    assert (site.outlet.name, site.outlet.domain) == (host, host)  # a sitemap has no publication title
    named, _ = feed_add(url=intake_server.add("/named", rss([("One", urls[0])])), outlet="The Daily")
    assert named.outlet.name == "The Daily"  # a chosen outlet wins
