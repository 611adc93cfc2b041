"""On PostgreSQL the admin search runs through the trigram indexes: the same rows as
Django's own search, found without reading the whole table."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test import RequestFactory

from coverage.models import CoverageMatch, PriorFactCheck
from factcheck.models import Claim
from tests.factories import ArticleFactory, ClaimFactory, PartnerFactory, PriorFactCheckFactory, TipFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

QUERIES = [
    "nurses",
    "NURSES",
    "roe",
    "budget",
    "nurses roe",
    '"fell by"',
    "Budget nurses",
    "zzz",
    "12%",
    "é",
    "watch",
    "union shifts",
]


@pytest.fixture
def request_as(superuser):
    request = RequestFactory().get("/admin/")
    request.user = superuser
    return request


def _ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


def _both(model, request, term):
    """The rows our admin finds and the rows Django's own search finds for ``term``."""
    model_admin = admin.site._registry[model]
    base = model_admin.get_queryset(request)
    ours, duplicates = model_admin.get_search_results(request, base, term)
    django, _ = admin.ModelAdmin.get_search_results(model_admin, request, base, term)
    return ours, duplicates, django


@pytest.fixture
def claims():
    budget = ArticleFactory(title="Budget row over nurses")
    other = ArticleFactory(title="Crime figures")
    ClaimFactory(article=budget, text="Waiting lists fell by 12% last year.", claimant="Jane Roe")
    ClaimFactory(article=budget, text="We hired 4,000 nurses.", claimant="The minister")
    ClaimFactory(article=other, text="Crime fell by 18 percent.", claimant="")
    ClaimFactory(article=other, text="Café prices rose.", claimant="Police")
    ClaimFactory(article=None, text="Nurses are leaving, a tip says.", claimant="")
    ClaimFactory(article=None, text="Nothing to see.", claimant="jane roe")
    TipFactory(partner=PartnerFactory(name="Budget Watch"), claim__text="Rents doubled.", claim__claimant="")
    TipFactory(
        partner=PartnerFactory(name="Nurses' Union"), claim__text="Shifts got longer.", claim__claimant=""
    )


@pytest.mark.parametrize("term", QUERIES)
def test_claim_search_finds_the_rows_djangos_search_finds(claims, request_as, term):
    ours, duplicates, django = _both(Claim, request_as, term)
    assert _ids(ours) == _ids(django)
    assert duplicates is False


def test_claim_search_matches_by_article_title_and_by_text(claims, request_as):
    ours, _, _ = _both(Claim, request_as, "nurses")
    assert sorted(ours.values_list("text", flat=True)) == [
        "Nurses are leaving, a tip says.",
        "Shifts got longer.",  # a tip from the Nurses' Union
        "Waiting lists fell by 12% last year.",  # its article's title says nurses
        "We hired 4,000 nurses.",
    ]


@pytest.mark.parametrize("term", ["autism", "review/3", "nobody", "Other"])
def test_prior_and_match_searches_find_the_rows_djangos_search_finds(request_as, term):
    priors = [PriorFactCheckFactory(claimant="Nobody Special") for _ in range(3)]
    for prior in priors[:2]:
        CoverageMatch.objects.create(claim=ClaimFactory(), prior_factcheck=prior, score=0.5, method="lexical")
    for model in (PriorFactCheck, CoverageMatch):
        ours, _, django = _both(model, request_as, term)
        assert _ids(ours) == _ids(django), model


def _needs_a_full_scan(queryset) -> bool:
    """Whether PostgreSQL can only answer ``queryset`` by reading a whole table: with
    sequential and plain index scans priced out (on a few rows it would pick them anyway),
    the plan uses a disabled scan only where no index condition serves the search."""
    sql, params = queryset.values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_indexscan", "enable_indexonlyscan"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0][0]["Plan"]
    # PostgreSQL up to 17 adds 1e10 to a disabled node's cost; 18 counts them instead.
    return plan["Total Cost"] >= 1e10 or plan.get("Disabled Nodes", 0) > 0


@pytest.mark.parametrize("model", [Claim, PriorFactCheck])
def test_the_search_is_served_by_indexes(claims, request_as, model):
    PriorFactCheckFactory()
    ours, _, django = _both(model, request_as, "nurses roe")
    assert not _needs_a_full_scan(ours)
    if model is Claim:  # Django's own search ORs across the article join: a full scan
        assert _needs_a_full_scan(django)
