"""Every desk role brings an article in, with a form that asks only what a person knows."""

import pytest
from django.urls import reverse

from editorial.models import Article

pytestmark = pytest.mark.django_db
ADD = reverse("admin:editorial_article_add")
BODY = "The minister said unemployment fell to 4.2% in March. Critics disagreed with the figure."


@pytest.mark.parametrize("role", ["reporter", "fact_checker", "editor"])
def test_every_role_adds_an_article_with_a_clean_form(
    client, role, request, django_capture_on_commit_callbacks
):
    client.force_login(request.getfixturevalue(role))
    page = client.get(ADD)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="external_key"' not in html and 'name="content_hash"' not in html
    assert set(page.context["adminform"].form.fields) == {
        "title",
        "body",
        "outlet",
        "url",
        "published_at",
    }
    data = {"title": "Jobs figures", "body": BODY, "url": "https://news.example/jobs", "outlet": ""}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD, data)
    assert response.status_code == 302
    article = Article.objects.get(url="https://news.example/jobs")
    assert article.external_key.startswith("manual:") and article.content_hash
    again = client.post(ADD, data)
    assert again.status_code == 200 and "already on the desk" in again.content.decode()
    assert Article.objects.filter(url="https://news.example/jobs").count() == 1
