"""The lean INSERT used by extraction writes the same rows as ``bulk_create`` (both backends)."""

import datetime

import pytest
from django.forms.models import model_to_dict
from django.utils import timezone

from factcheck.bulk import insert_values
from factcheck.models import Claim, ClaimOrigin, ClaimState
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _claim(article, n: int, **extra) -> Claim:
    return Claim(
        article=article,
        text=f"Unemployment fell to {n}% — “quoted” ‘text’ ü 🙂",
        start=n,
        end=n + 10,
        claimant="Jane Doe",
        checkworthiness=(n % 100) / 100,
        claim_type="quantity",
        quote="",
        features={"signals": {"f:number": 1.0}, "top": [["f:number", 0.4]], "n": n},
        fingerprint=f"fp{n}",
        origin=ClaimOrigin.EXTRACTED,
        **extra,
    )


def _insert(claims: list[Claim]) -> list[int]:
    """Every column of these unsaved claims through ``insert_values`` (timestamps left out)."""
    columns = [
        f.attname
        for f in Claim._meta.concrete_fields
        if not f.primary_key and not getattr(f, "auto_now", False) and not getattr(f, "auto_now_add", False)
    ]
    return insert_values(Claim, columns, [[getattr(c, name) for name in columns] for c in claims])


def _stored(pk: int) -> dict:
    row = model_to_dict(Claim.objects.get(pk=pk))
    for volatile in ("id", "article", "created_at", "updated_at", "state_changed_at"):
        row.pop(volatile, None)
    return row


def test_rows_match_what_bulk_create_writes_and_primary_keys_are_set():
    article = ArticleFactory()
    due = datetime.date(2026, 12, 1)
    stamp = timezone.now() - datetime.timedelta(days=3)
    ours = _insert([_claim(article, n, due_date=due, matched_at=stamp) for n in range(3)])
    other = ArticleFactory()
    django_way = Claim.objects.bulk_create(
        [_claim(other, n, due_date=due, matched_at=stamp) for n in range(3)]
    )
    assert ours == sorted(ours) and all(ours)
    for mine, theirs in zip(ours, django_way, strict=True):
        assert _stored(mine) == _stored(theirs.pk)
    first = Claim.objects.get(pk=ours[0])
    assert first.state == ClaimState.CANDIDATE and first.version == 1 and first.assignee_id is None
    assert first.features["top"] == [["f:number", 0.4]] and first.due_date == due
    assert first.matched_at == stamp
    assert first.created_at is not None and first.created_at == first.updated_at


def test_nulls_and_empty_input():
    assert _insert([]) == []
    article = ArticleFactory()
    (pk,) = _insert([_claim(article, 1)])
    stored = Claim.objects.get(pk=pk)
    assert stored.due_date is None and stored.matched_at is None and stored.assignee_id is None


def test_more_rows_than_one_statement_holds():
    article = ArticleFactory()
    pks = _insert([_claim(article, n) for n in range(1201)])
    assert len(set(pks)) == 1201
    assert Claim.objects.filter(article=article).count() == 1201
    assert Claim.objects.get(pk=pks[-1]).features["n"] == 1200


def test_values_without_instances_write_the_rows_the_model_would_with_its_defaults():
    article, other = ArticleFactory(), ArticleFactory()
    columns = ("article_id", "text", "start", "end", "fingerprint", "origin", "features")
    values = [
        (
            article.pk,
            f'Exports rose {n}% — “quoted” "straight" back\\slash {{braces}} ü',
            n,
            n + 5,
            f"fp{n}",
            ClaimOrigin.EXTRACTED,
            {"n": n, 'say "x"': ["a\\b", "{1,2}", "tab\t", None, 1.5]},
        )
        for n in range(3)
    ]
    pks = insert_values(Claim, columns, values)
    django_way = Claim.objects.bulk_create(
        [Claim(**{**dict(zip(columns, row, strict=True)), "article_id": other.pk}) for row in values]
    )
    assert len(pks) == 3 and pks == sorted(pks)
    for mine, theirs in zip(pks, django_way, strict=True):
        assert _stored(mine) == _stored(theirs.pk)
    first = Claim.objects.get(pk=pks[0])
    assert first.state == ClaimState.CANDIDATE and first.checkworthiness == 0.0 and first.version == 1
    assert (
        first.features == values[0][-1] and first.text == values[0][1] and first.state_changed_at is not None
    )
    assert first.created_at == first.updated_at == Claim.objects.get(pk=pks[2]).created_at
    assert insert_values(Claim, columns, []) == []


def test_values_left_out_with_a_callable_default_get_a_fresh_one_per_row():
    article = ArticleFactory()
    pks = insert_values(Claim, ("article_id", "text"), [(article.pk, "a"), (article.pk, "b")])
    first, second = (Claim.objects.get(pk=pk) for pk in pks)
    assert first.features == {} == second.features
    assert first.state_changed_at <= second.state_changed_at


@pytest.mark.postgres
def test_the_server_binding_cursor_runs_django_execute_wrappers():
    """On PostgreSQL the INSERT goes through a cursor wrapped by Django's private
    ``_prepare_cursor``: wrappers (the database-unavailable middleware's, query logging) see it."""
    from django.db import connection

    seen = []

    def record(execute, sql, params, many, context):
        seen.append(sql)
        return execute(sql, params, many, context)

    article = ArticleFactory()
    with connection.execute_wrapper(record):
        pks = insert_values(Claim, ("article_id", "text"), [(article.pk, "Exports rose 4%.")])
    assert len(pks) == 1 and any(sql.startswith('INSERT INTO "factcheck_claim"') for sql in seen)
