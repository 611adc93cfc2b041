"""Every searchable list of the desk bounds its search: a query of thousands of words
answers with the first few searched and a message saying what was left out."""

import re

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.urls import reverse

from desk.admin.search import MAX_SEARCH_TERM_CHARS, MAX_SEARCH_TERMS, BoundedSearchMixin
from tests.factories import ClaimFactory, PriorFactCheckFactory

pytestmark = pytest.mark.django_db

# 2,000 distinct words: a 16 KB query string.
LONG_QUERY = " ".join(f"zq{n:04d}" for n in range(2000))


def _searched_words(queries) -> set[str]:
    return {word for query in queries for word in re.findall(r"zq\d{4}", query["sql"])}


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_every_searchable_admin_bounds_its_search():
    searchable = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        if model_admin.search_fields and not isinstance(model_admin, BoundedSearchMixin)
    ]
    assert searchable == []


def test_claim_list_searches_the_first_words_of_a_long_query(
    client, superuser, django_assert_max_num_queries
):
    ClaimFactory(text="zq0000 zq0001 appear in this claim.")
    ClaimFactory(text="Nothing to find here.")
    client.force_login(superuser)
    with django_assert_max_num_queries(12) as captured:
        response = client.get(reverse("admin:factcheck_claim_changelist"), {"q": "zq0000 zq0001"})
    assert response.status_code == 200
    assert [c.text for c in response.context["cl"].result_list] == ["zq0000 zq0001 appear in this claim."]
    assert _searched_words(captured.captured_queries) == {"zq0000", "zq0001"}
    assert _messages(response) == []

    with django_assert_max_num_queries(12) as captured:
        response = client.get(reverse("admin:factcheck_claim_changelist"), {"q": LONG_QUERY})
    assert response.status_code == 200
    assert _searched_words(captured.captured_queries) == {f"zq{n:04d}" for n in range(MAX_SEARCH_TERMS)}
    assert _messages(response) == [
        f"Search: only the first {MAX_SEARCH_TERMS} words were used ({2000 - MAX_SEARCH_TERMS} more left out). "
        "Use fewer, more specific words."
    ]


def test_a_long_word_is_shortened_and_a_quoted_phrase_stays_one_term(client, superuser):
    prior = PriorFactCheckFactory(claim_reviewed="The vaccine causes x" + "y" * 200)
    client.force_login(superuser)
    url = reverse("admin:coverage_priorfactcheck_changelist")
    response = client.get(url, {"q": '"vaccine causes" x' + "y" * 300})
    assert response.status_code == 200
    assert [p.pk for p in response.context["cl"].result_list] == [prior.pk]
    assert _messages(response) == [
        f"Search: 1 word(s) longer than {MAX_SEARCH_TERM_CHARS} characters were shortened. "
        "Use fewer, more specific words."
    ]


@pytest.mark.parametrize(
    "changelist",
    [
        "editorial_article",
        "editorial_outlet",
        "coverage_coveragematch",
        "coverage_priorfactcheck",
        "partners_partner",
        "partners_apikey",
        "partners_webhook",
        "partners_webhookdelivery",
        "auth_user",
        "auth_group",
    ],
)
def test_other_lists_bound_their_search(client, superuser, changelist, django_assert_max_num_queries):
    client.force_login(superuser)
    with django_assert_max_num_queries(12) as captured:
        response = client.get(reverse(f"admin:{changelist}_changelist"), {"q": LONG_QUERY})
    assert response.status_code == 200
    assert len(_searched_words(captured.captured_queries)) == MAX_SEARCH_TERMS
    assert len(_messages(response)) == 1
