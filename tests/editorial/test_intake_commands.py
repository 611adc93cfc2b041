"""``add_feed`` and ``fetch_feeds`` against a real local server, and the guard with the setting off."""

import io
import re

import pytest
from django.core.management import CommandError, call_command

from editorial.models import Article, Feed
from tests.intake_server import PARAGRAPHS, IntakeServer, article_html, atom, jsonfeed, rss

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), err.getvalue() + str(exc), False
    return out.getvalue(), err.getvalue(), True


def summary(out):
    match = re.search(r"feeds (\d+), new articles (\d+), updated (\d+), unchanged (\d+), failed (\d+)", out)
    assert match, out
    return tuple(map(int, match.groups()))


@pytest.fixture
def three_feeds(intake_server):
    urls = []
    for name in ("alpha", "beta", "gamma"):
        text = [f"{name} desk: {p}" for p in PARAGRAPHS]
        urls.append(intake_server.add(f"/a/{name}", article_html(f"Story {name}", text)))
    intake_server.add("/rss", rss([("Alpha", urls[0])]), etag='"r1"')
    intake_server.add("/atom", atom([("Beta", urls[1])]), content_type="application/atom+xml", etag='"a1"')
    intake_server.add(
        "/json", jsonfeed([("Gamma", urls[2])]), content_type="application/feed+json", etag='"j1"'
    )
    return intake_server


def test_add_feed_prints_kind_title_and_item_count(intake_server):
    url = intake_server.add(
        "/feed", rss([("A", "https://daily.example/a"), ("B", "https://daily.example/b")])
    )

    out, err, ok = run("add_feed", url, "--outlet", "The Daily", "--interval", "30")

    assert ok, err
    assert "kind rss" in out and "'The Daily - News'" in out and "2 items" in out
    feed = Feed.objects.get()
    assert (feed.kind, feed.fetch_interval, feed.outlet.name) == ("rss", 30, "The Daily")


@pytest.mark.parametrize(
    ("path", "route", "reason"),
    [
        ("/missing", None, "404"),
        ("/page.json", {"body": '{"hello": 1}', "content_type": "application/json"}, "not a feed"),
        ("/feed", {"body": "<rss><channel>", "content_type": "application/rss+xml"}, "malformed XML"),
    ],
)
def test_add_feed_refuses_with_the_reason_and_stores_nothing(intake_server, path, route, reason):
    if route:
        intake_server.add(path, **route)

    out, err, ok = run("add_feed", intake_server.url(path))

    assert not ok and reason in err
    assert not Feed.objects.exists()


def test_add_feed_refuses_a_kind_the_answer_is_not(intake_server):
    url = intake_server.add("/feed", rss([]))
    _out, err, ok = run("add_feed", url, "--kind", "atom")
    assert not ok and "the answer is rss, not atom" in err
    assert not Feed.objects.exists()


def test_three_feeds_then_unchanged_on_the_second_run(three_feeds):
    for path in ("/rss", "/atom", "/json"):
        assert run("add_feed", three_feeds.url(path))[2]

    first, err, ok = run("fetch_feeds")
    second, _, ok2 = run("fetch_feeds", "--all")

    assert ok and ok2, err
    assert summary(first) == (3, 3, 0, 0, 0)
    assert summary(second) == (3, 0, 0, 3, 0)
    assert Article.objects.count() == 3
    assert summary(run("fetch_feeds", "--due")[0]) == (0, 0, 0, 0, 0)  # none due yet


def test_fetch_feeds_exits_non_zero_when_a_feed_fails_and_fetches_the_others(three_feeds):
    for path in ("/rss", "/atom"):
        run("add_feed", three_feeds.url(path))
    broken = Feed.objects.create(url=three_feeds.url("/gone"), kind="rss")

    out, err, ok = run("fetch_feeds")

    assert not ok
    assert summary(out) == (3, 2, 0, 0, 1)
    assert f"FAILED feed #{broken.pk}" in err and "404" in err


def test_fetch_feeds_by_id(three_feeds):
    run("add_feed", three_feeds.url("/rss"))
    run("add_feed", three_feeds.url("/atom"))
    feed = Feed.objects.get(url=three_feeds.url("/atom"))

    out, _, ok = run("fetch_feeds", "--feed", str(feed.pk))

    assert ok and summary(out) == (1, 1, 0, 0, 0)
    assert run("fetch_feeds", "--feed", "9999")[1].endswith("no feed with id 9999")


def test_with_the_setting_off_a_private_address_is_refused_and_never_asked(settings):
    settings.OUTBOUND_ALLOW_PRIVATE = False
    server = IntakeServer().start()
    server.add("/feed", rss([]))
    try:
        for url in (server.url("/feed"), server.url("/feed").replace("127.0.0.1", "localhost")):
            _out, err, ok = run("add_feed", url)
            assert not ok and "a loopback address" in err
        feed = Feed.objects.create(url=server.url("/feed"), kind="rss")
        out, err, ok = run("fetch_feeds", "--feed", str(feed.pk))
    finally:
        server.stop()

    assert not ok and "only public addresses" in err
    assert server.requests == []
    assert Feed.objects.count() == 1


def test_a_redirect_to_a_metadata_address_is_refused(intake_server):
    url = intake_server.add("/feed", redirect="http://169.254.169.254/latest/meta-data/")
    _out, err, ok = run("add_feed", url)
    assert not ok and "a cloud metadata address" in err


def test_only_http_and_https(db):
    _out, err, ok = run("add_feed", "file:///etc/passwd")
    assert not ok and "not an http(s) URL" in err
    assert not Feed.objects.exists()


def test_a_page_added_by_url_is_one_item(intake_server):
    url = intake_server.add("/a/page", article_html("A page", PARAGRAPHS))
    out, _, ok = run("add_feed", url)
    assert ok and "kind page" in out and "'A page'" in out and "1 items" in out
