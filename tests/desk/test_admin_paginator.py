"""The claim list pages through ids first (desk/admin/paginator.py): every page must
hold exactly the rows and order the plain slice of the annotated list would, annotations
included, whatever the ordering."""

import pytest
from django.urls import reverse

from coverage.models import CoverageMatch, MatchStatus
from desk.admin.paginator import IdFirstPaginator
from tests.factories import ClaimFactory, PriorFactCheckFactory, VerdictFactory

pytestmark = pytest.mark.django_db

LIST = reverse("admin:factcheck_claim_changelist")


@pytest.fixture
def claims():
    rows = []
    for i in range(120):
        claim = ClaimFactory(text=f"Claim number {i:03d} about rents.", checkworthiness=(i * 7 % 11) / 10)
        if i % 3 == 0:
            CoverageMatch.objects.create(
                claim=claim,
                prior_factcheck=PriorFactCheckFactory(),
                score=(i % 5) / 5,
                method="lexical",
                status=MatchStatus.REJECTED if i % 9 == 0 else MatchStatus.SUGGESTED,
            )
        if i % 4 == 0:
            VerdictFactory(claim=claim)
        rows.append(claim)
    return rows


@pytest.mark.parametrize("order", ["", "o=7", "o=-7", "o=1", "o=-11", "o=8.4"])
@pytest.mark.parametrize("page", [1, 2, 3])
def test_each_page_holds_the_rows_of_the_plain_slice(client, editor, claims, order, page):
    client.force_login(editor)
    response = client.get(f"{LIST}?{order}&p={page}")
    assert response.status_code == 200
    cl = response.context["cl"]
    assert isinstance(cl.paginator, IdFirstPaginator)
    shown = list(cl.result_list)
    bottom = (page - 1) * cl.list_per_page
    expected = list(cl.queryset[bottom : bottom + cl.list_per_page])
    assert [c.pk for c in shown] == [c.pk for c in expected]
    assert [(c.best_match_score, c.current_rating) for c in shown] == [
        (c.best_match_score, c.current_rating) for c in expected
    ]
    assert len(shown) == (50 if page < 3 else 20)


def test_a_rejected_match_is_not_the_best_match_on_the_page(client, editor, claims):
    client.force_login(editor)
    rejected_only, suggested = claims[0], claims[3]  # i=0: its one match rejected; i=3: suggested 0.6
    response = client.get(f"{LIST}?q=number+00&o=-7")
    scores = {c.pk: c.best_match_score for c in response.context["cl"].result_list}
    assert scores[rejected_only.pk] is None
    assert scores[suggested.pk] == pytest.approx(0.6)


def test_a_page_past_the_end_is_refused_cleanly(client, editor, claims):
    client.force_login(editor)
    response = client.get(f"{LIST}?p=99")
    assert response.status_code == 302
    assert "e=1" in response.url
