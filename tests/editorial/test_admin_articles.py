"""The article page of the desk: highlighted claims (escaped), claims inline, re-extraction."""

import pytest
from django.test import Client
from django.urls import reverse

from coverage.models import CoverageMatch
from factcheck.models import ArticleExtraction, Claim
from factcheck.selectors import article_is_extracted
from tests.factories import ArticleFactory, ClaimFactory, OutletFactory, PriorFactCheckFactory

pytestmark = pytest.mark.django_db

HOSTILE = (
    'Opening <b onmouseover="x()">bold</b> line. '
    'The mayor said <script>alert("pwned")</script> crime fell 20% last year. '
    "Exports rose by 30% after the trade deal."
)


def page(article):
    return reverse("admin:editorial_article_change", args=[article.pk])


def extract_url(article):
    return reverse("admin:editorial_article_extract", args=[article.pk])


def _claim(article, sentence, **kwargs):
    start = article.body.index(sentence)
    return ClaimFactory(article=article, text=sentence, start=start, end=start + len(sentence), **kwargs)


@pytest.fixture
def hostile_article():
    article = ArticleFactory(body=HOSTILE, title='<img src=x onerror="alert(1)">Title')
    _claim(
        article, 'The mayor said <script>alert("pwned")</script> crime fell 20% last year.', state="selected"
    )
    exports = _claim(article, "Exports rose by 30% after the trade deal.", checkworthiness=0.6)
    CoverageMatch.objects.create(
        claim=exports, prior_factcheck=PriorFactCheckFactory(), score=0.77, method="x"
    )
    return article


def test_every_claim_is_highlighted_and_hostile_text_is_inert(client, editor, hostile_article):
    client.force_login(editor)
    html = client.get(page(hostile_article)).content.decode()
    assert "<script>alert" not in html and '<b onmouseover="x()">' not in html
    assert '<img src=x onerror="alert(1)">' not in html
    assert (
        '<mark class="desk-hl desk-hl-selected" title="selected · worthiness 0.80">'
        "The mayor said &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; crime fell 20% last year.</mark>"
    ) in html
    assert '<mark class="desk-hl desk-hl-candidate" title="candidate · worthiness 0.60">Exports rose' in html
    assert "Opening &lt;b onmouseover=&quot;x()&quot;&gt;bold&lt;/b&gt; line." in html


def test_claims_inline_with_state_and_score(client, editor, hostile_article):
    client.force_login(editor)
    response = client.get(page(hostile_article))
    html = response.content.decode()
    assert "claims in this article" in html.lower()
    assert ">Selected</span>" in html and ">Candidate</span>" in html
    assert "0.77" in html  # the best prior-coverage match of the exports claim
    claim = Claim.objects.get(text__startswith="Exports")
    assert reverse("admin:factcheck_claim_change", args=[claim.pk]) in html


def test_rerun_extraction_queues_the_task_after_commit(client, editor, django_capture_on_commit_callbacks):
    article = ArticleFactory(body="The minister said unemployment fell to 4.2% in March. She was wrong.")
    client.force_login(editor)
    assert f'action="{extract_url(article)}"' in client.get(page(article)).content.decode()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(extract_url(article))
    assert response.status_code == 302 and response["Location"] == page(article)
    assert callbacks  # extraction, then whatever it queues in turn (matching)
    article.refresh_from_db()
    assert article_is_extracted(article)  # the eager task ran after the commit


def test_rerun_extraction_is_post_only_csrf_protected_and_permission_checked(reporter, editor):
    article = ArticleFactory()
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.get(extract_url(article)).status_code == 405
    assert strict.post(extract_url(article)).status_code == 403  # no CSRF token
    client = Client()
    client.force_login(reporter)
    assert "Re-run claim extraction" not in client.get(page(article)).content.decode()
    assert client.post(extract_url(article)).status_code == 403
    assert not ArticleExtraction.objects.filter(article=article).exists()


def test_saving_a_changed_body_updates_the_hash_and_reextracts(
    client, editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(body="Old text.")
    client.force_login(editor)
    data = {
        "title": article.title,
        "outlet": article.outlet_id,
        "url": "",
        "authors": "",
        "language": "en",
        "published_at_0": "",
        "published_at_1": "",
        "external_key": article.external_key,
        "body": "Unemployment fell to 4.2% in March, the minister said on Tuesday.",
        "claims-TOTAL_FORMS": 0,
        "claims-INITIAL_FORMS": 0,
        "claims-MIN_NUM_FORMS": 0,
        "claims-MAX_NUM_FORMS": 0,
        "_save": "1",
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(page(article), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.content_hash != "" and article_is_extracted(article)
    assert callbacks and article.claims.exists()


def _fill_articles(n: int):
    outlets = [OutletFactory() for _ in range(3)]
    for i in range(n):
        article = ArticleFactory(outlet=outlets[i % 3])
        if i % 2:
            ClaimFactory(article=article)


@pytest.mark.parametrize("rows", [10, 200])
def test_article_list_queries_are_bounded(client, editor, django_assert_max_num_queries, rows):
    _fill_articles(rows)
    client.force_login(editor)
    with django_assert_max_num_queries(12) as captured:
        response = client.get(reverse("admin:editorial_article_changelist") + "?all=")
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows
    assert sum(article.n_claims for article in response.context["cl"].result_list) == rows // 2
    print(f"article list, {rows} rows: {len(captured.captured_queries)} queries")


def test_pasted_article_with_windows_line_endings_splits_every_sentence(
    client, editor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(body="Old text.")
    client.force_login(editor)
    body = (
        "Hiring beat forecasts in March.\r\n\r\n"
        "The economy added 31,500 new jobs for the month. Ruiz added that wages rose 7% over the year.\r\n"
        "Unemployment fell to 4.2%, the statistics office said."
    )
    data = {
        "title": article.title,
        "outlet": article.outlet_id,
        "url": "",
        "authors": "",
        "language": "en",
        "published_at_0": "",
        "published_at_1": "",
        "external_key": article.external_key,
        "body": body,
        "claims-TOTAL_FORMS": 0,
        "claims-INITIAL_FORMS": 0,
        "claims-MIN_NUM_FORMS": 0,
        "claims-MAX_NUM_FORMS": 0,
        "_save": "1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(page(article), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    claims = {c.text: c for c in Claim.objects.filter(article=article)}
    assert "Ruiz added that wages rose 7% over the year." in claims
    assert claims["Ruiz added that wages rose 7% over the year."].claimant == "Ruiz"
    assert not any("month. Ruiz" in text for text in claims)
    for claim in claims.values():
        assert article.body[claim.start : claim.end] == claim.text
