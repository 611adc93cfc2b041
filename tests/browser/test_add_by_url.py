"""A Reporter adds an article by URL in the browser: fetch, preview, save; an Editor's feed page.

Screenshots of the preview, the saved article and the feed page are kept under
artifacts/browser/.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from editorial.intake.services import feed_add, feed_fetch
from editorial.models import Article
from tests.factories import EditorFactory, ReporterFactory
from tests.intake_server import PARAGRAPHS, article_html, rss, serve_for_test
from tests.support import admin_login

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "browser"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def intake_server(settings):
    yield from serve_for_test(settings)


def test_a_reporter_previews_and_saves_an_article_by_url(browser, live_server, intake_server):
    text = ["&lt;script&gt;alert(1)&lt;/script&gt; The mayor said crime fell 20% last year.", *PARAGRAPHS]
    url = intake_server.add(
        "/news/budget",
        article_html("Deficit fell, minister says", text, author="Jane Roe", published="2025-03-04"),
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = admin_login(browser, live_server, ReporterFactory(username="rita"))
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

    page.goto(f"{live_server.url}{reverse('admin:editorial_article_changelist')}")
    page.click("text=Add article by URL")
    page.fill("#id_url", url)
    page.click("input[name=preview]")
    page.wait_for_selector("#add-by-url-preview")
    page.screenshot(path=str(ARTIFACTS / "add-by-url-preview.png"), full_page=True)
    preview = page.inner_text("#add-by-url-preview")
    assert "Deficit fell, minister says" in preview and "Jane Roe" in preview
    assert "<script>alert(1)</script> The mayor said" in preview  # shown as text
    assert not Article.objects.exists()

    page.click("input[name=save]")
    page.wait_for_selector("ul.messagelist li.success:has-text('Article added')")
    page.screenshot(path=str(ARTIFACTS / "add-by-url-saved.png"), full_page=True)
    article = Article.objects.get()
    assert article.url == url and "deficit fell to 3.1% of GDP" in article.body
    assert dialogs == []  # no script from the page ran


def test_an_editor_sees_the_feed_page_with_its_health_and_articles(browser, live_server, intake_server):
    good = intake_server.add("/a/one", article_html("Budget story", PARAGRAPHS))
    intake_server.add("/feed", rss([("Budget story", good), ("Missing story", intake_server.url("/a/gone"))]))
    feed, _ = feed_add(url=intake_server.url("/feed"), outlet="The Daily")
    feed_fetch(feed_id=feed.pk)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page = admin_login(browser, live_server, EditorFactory(username="eddie"))

    page.goto(f"{live_server.url}{reverse('admin:editorial_feed_change', args=[feed.pk])}")
    page.screenshot(path=str(ARTIFACTS / "feed-page.png"), full_page=True)
    body = page.inner_text("#content")
    assert "healthy" in body and "Budget story" in body and "server answered 404" in body
    page.click("button:has-text('Pause')")
    page.wait_for_selector("ul.messagelist li.success:has-text('Paused')")
    assert "paused" in page.inner_text("#content")
    page.goto(f"{live_server.url}{reverse('admin:editorial_feed_changelist')}")
    page.screenshot(path=str(ARTIFACTS / "feed-list.png"), full_page=True)
