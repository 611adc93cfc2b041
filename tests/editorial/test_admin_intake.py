"""The admin's intake: add by URL with a preview (every role), the feed page and its buttons."""

import pytest
from django.test import Client
from django.urls import reverse

from editorial.models import Article, Feed, FeedItem
from tests.factories import EditorFactory, FactCheckerFactory, OutletFactory, ReporterFactory
from tests.intake_server import PARAGRAPHS, article_html, rss

pytestmark = pytest.mark.django_db
ADD_BY_URL = "admin:editorial_article_add_by_url"
# As the page's source has it: escaped, so the extracted text holds the markup as text.
HOSTILE = "&lt;script&gt;alert(1)&lt;/script&gt; Mayor &lt;b onclick=y()&gt;Smith&lt;/b&gt;"


def client_for(factory):
    client = Client()
    client.force_login(factory())
    return client


@pytest.fixture
def page_url(intake_server):
    text = [f"{HOSTILE} said the deficit fell. " + PARAGRAPHS[0], *PARAGRAPHS[1:]]
    return intake_server.add(
        "/a/story",
        article_html("Budget story", text, author="Jane Roe", published="2025-03-04T10:00:00Z", lang="en-GB"),
    )


@pytest.mark.parametrize("factory", [ReporterFactory, FactCheckerFactory, EditorFactory])
def test_every_desk_role_previews_then_saves_an_article_by_url(page_url, factory):
    client = client_for(factory)
    outlet = OutletFactory(name="The Daily")
    url = reverse(ADD_BY_URL)
    assert "Add article by URL" in client.get(reverse("admin:editorial_article_changelist")).text

    preview = client.post(url, {"url": page_url, "outlet": outlet.pk, "preview": "1"})

    assert preview.status_code == 200
    assert not Article.objects.exists()  # a preview stores nothing
    html = preview.text
    assert "Budget story" in html and "Jane Roe" in html and "en-gb" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html  # extracted text, escaped
    payload = preview.context["payload"]

    saved = client.post(url, {"payload": payload, "save": "1"})

    article = Article.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse(
        "admin:editorial_article_change", args=[article.pk]
    )
    assert (article.title, article.authors, article.url, article.outlet) == (
        "Budget story",
        "Jane Roe",
        page_url,
        outlet,
    )
    assert "deficit fell to 3.1% of GDP" in article.body


def test_saving_twice_is_one_article(page_url):
    client = client_for(EditorFactory)
    payload = client.post(reverse(ADD_BY_URL), {"url": page_url, "preview": "1"}).context["payload"]
    client.post(reverse(ADD_BY_URL), {"payload": payload, "save": "1"})
    client.post(reverse(ADD_BY_URL), {"payload": payload, "save": "1"})
    assert Article.objects.count() == 1


def test_an_altered_preview_is_refused(page_url):
    client = client_for(ReporterFactory)
    payload = client.post(reverse(ADD_BY_URL), {"url": page_url, "preview": "1"}).context["payload"]

    response = client.post(reverse(ADD_BY_URL), {"payload": payload[:-2] + "xx", "save": "1"}, follow=True)

    assert "expired or was altered" in response.text
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("path", "route", "reason"),
    [
        ("/missing", None, "404"),
        ("/doc.pdf", {"body": b"%PDF", "content_type": "application/pdf"}, "not HTML"),
    ],
)
def test_a_page_that_cannot_be_read_shows_why(intake_server, path, route, reason):
    if route:
        intake_server.add(path, **route)
    response = client_for(ReporterFactory).post(
        reverse(ADD_BY_URL), {"url": intake_server.url(path), "preview": "1"}
    )
    assert response.status_code == 200 and reason in response.text
    assert not Article.objects.exists()


def test_add_by_url_needs_a_desk_role(page_url, django_user_model):
    client = Client()
    client.force_login(django_user_model.objects.create_user("staff", password="x", is_staff=True))
    assert client.get(reverse(ADD_BY_URL)).status_code == 403
    assert "Add article by URL" not in client.get(reverse("admin:editorial_article_changelist")).text


@pytest.fixture
def feed(intake_server):
    url = intake_server.add("/a/one", article_html("One", PARAGRAPHS))
    intake_server.add("/feed", rss([("One", url), ("Two", intake_server.url("/a/missing"))]))
    return Feed.objects.create(url=intake_server.url("/feed"), kind="rss", title="The Daily - News")


def test_fetch_now_brings_the_articles_shown_on_the_feed_page(feed, django_capture_on_commit_callbacks):
    client = client_for(FactCheckerFactory)
    page = reverse("admin:editorial_feed_change", args=[feed.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:editorial_feed_fetch", args=[feed.pk]), follow=True)

    assert response.status_code == 200
    assert FeedItem.objects.count() == 2
    html = client.get(page).text
    assert "healthy" in html and "One" in html
    assert "server answered 404" in html  # the item whose page failed says why
    assert "Fetch now" in html
    assert ">Pause</button>" not in html  # a Fact-checker fetches, but does not pause


def test_a_reporter_sees_feeds_but_cannot_fetch_or_pause(feed):
    client = client_for(ReporterFactory)
    assert client.get(reverse("admin:editorial_feed_change", args=[feed.pk])).status_code == 200
    assert client.post(reverse("admin:editorial_feed_fetch", args=[feed.pk])).status_code == 403
    assert client.post(reverse("admin:editorial_feed_pause", args=[feed.pk])).status_code == 403
    assert not FeedItem.objects.exists()


def test_an_editor_pauses_and_resumes(feed):
    client = client_for(EditorFactory)
    page = reverse("admin:editorial_feed_change", args=[feed.pk])
    client.post(reverse("admin:editorial_feed_pause", args=[feed.pk]))
    feed.refresh_from_db()
    html = client.get(page).text
    assert not feed.active and "paused" in html and ">Resume</button>" in html
    assert client.get(reverse("admin:editorial_feed_pause", args=[feed.pk])).status_code == 405

    client.post(reverse("admin:editorial_feed_resume", args=[feed.pk]))
    feed.refresh_from_db()
    assert feed.active and feed.next_fetch_at is None


def test_a_failing_feed_shows_since_when(intake_server, django_capture_on_commit_callbacks):
    feed = Feed.objects.create(url=intake_server.url("/gone"), kind="rss")
    client = client_for(EditorFactory)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:editorial_feed_fetch", args=[feed.pk]))
    html = client.get(reverse("admin:editorial_feed_changelist")).text
    assert "failing since" in html and "1 in a row" in html


def test_an_editor_adds_a_feed_whose_kind_is_detected(intake_server):
    url = intake_server.add("/feed", rss([("A", "https://daily.example/a")]))
    client = client_for(EditorFactory)

    response = client.post(
        reverse("admin:editorial_feed_add"), {"url": url, "kind": "", "fetch_interval": 30}
    )

    assert response.status_code == 302, response.text
    feed = Feed.objects.get()
    assert (feed.kind, feed.title, feed.fetch_interval) == ("rss", "The Daily - News", 30)
    assert feed.outlet.name == "The Daily - News"  # no outlet picked: the feed's own title


def test_the_admin_refuses_a_url_that_is_not_a_feed(intake_server):
    url = intake_server.add("/data.json", '{"a": 1}', content_type="application/json")
    response = client_for(EditorFactory).post(
        reverse("admin:editorial_feed_add"), {"url": url, "fetch_interval": 30}
    )
    assert response.status_code == 200 and "not a feed" in response.text
    assert not Feed.objects.exists()


def test_the_feed_list_is_bounded(intake_server, django_assert_max_num_queries):
    for i in range(30):
        Feed.objects.create(url=intake_server.url(f"/f{i}"), kind="rss", outlet=OutletFactory())
    client = client_for(EditorFactory)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("admin:editorial_feed_changelist")).status_code == 200


def test_the_feed_list_names_the_failing_feeds(editor, django_assert_max_num_queries):
    from django.utils import timezone

    Feed.objects.create(url="https://ok.example/rss", kind="rss", title="Fine feed")
    Feed.objects.create(
        url="https://down.example/rss",
        kind="rss",
        title="Down <b>feed</b>",
        consecutive_failures=4,
        failing_since=timezone.now(),
        failure_alerted_at=timezone.now(),
    )
    client = Client()
    client.force_login(editor)

    with django_assert_max_num_queries(20):
        text = client.get(reverse("admin:editorial_feed_changelist")).text

    assert "Failing feeds: Down &lt;b&gt;feed&lt;/b&gt; (4 in a row)" in text
    assert "Fine feed (" not in text
