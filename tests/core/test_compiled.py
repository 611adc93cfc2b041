"""Plain-row queries compiled once per number of ids answer what the ORM answers."""

import pytest
from django.db.models import F, Q

from core.compiled import CompiledRows
from factcheck.models import Claim
from tests import factories

pytestmark = pytest.mark.django_db


def _claims(n):
    return [factories.ClaimFactory() for _ in range(n)]


def test_rows_are_the_orms_for_any_ids_and_the_sql_is_built_once_per_count():
    claims = _claims(4)
    built = []

    def build(ids):
        built.append(list(ids))
        return (
            Claim.objects.filter(Q(pk__in=ids) | Q(same_as_id__in=ids))
            .order_by("id")
            .values("id", "text", "created_at", "article__title", shown=F("state"))
        )

    rows = CompiledRows(build)
    ids = [c.pk for c in claims]
    for wanted in ([ids[0]], [ids[1]], ids[:2], [ids[3], ids[0]], [ids[2], ids[2], 10**12], ids):
        expected = list(
            Claim.objects.filter(Q(pk__in=wanted) | Q(same_as_id__in=wanted))
            .order_by("id")
            .values("id", "text", "created_at", "article__title", shown=F("state"))
        )
        assert rows.rows(wanted) == expected
    assert rows.rows([]) == []
    # once per number of distinct ids (1, 2, 4), with stand-in ids; the empty list is the ORM's
    assert [len(ids) for ids in built if ids and ids[0] < 0] == [1, 2, 4]


def test_a_query_that_uses_only_some_of_its_ids_runs_through_the_orm():
    claims = _claims(3)
    rows = CompiledRows(lambda ids: Claim.objects.filter(pk__in=ids[:1]).order_by("id").values("id", "text"))
    first, second = claims[0].pk, claims[2].pk
    # with two ids only one stand-in reaches the SQL: that shape is not compiled
    assert rows.rows([second, first]) == [{"id": second, "text": claims[2].text}]
    assert rows.rows([first, second]) == [{"id": first, "text": claims[0].text}]
    assert rows.rows([second]) == [{"id": second, "text": claims[2].text}]
