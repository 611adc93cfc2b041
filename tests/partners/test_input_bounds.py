"""Inputs that parse in Python but that the database or the stack cannot take: UTC offsets
past ±15:59 (PostgreSQL's limit) in a filter, cursors, and deeply nested JSON bodies."""

import datetime as dt

import pytest

from factcheck.models import Claim, Verdict
from tests import factories

LIST = "/api/v1/fact-checks/"
TIPS = "/api/v1/tips/"
TEXT = "The new stadium will cost taxpayers nothing, the mayor said."
pytestmark = pytest.mark.django_db


def utc(*args):
    return dt.datetime(*args, tzinfo=dt.UTC)


def cursor(moment: dt.datetime) -> str:
    """A cursor as the API writes it: the instant in microseconds since 1970, offset, direction."""
    return f"{int(moment.timestamp()) * 1_000_000}_0_0"


def ids(response):
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.postgres
def test_updated_since_with_an_offset_past_postgresql_limit_is_the_same_instant_in_utc(api, publish):
    before, after = publish(), publish()
    # 2026-01-01T00:00:00-19:00 is 2026-01-01T19:00:00Z.
    # ``updated_since`` reads the stored last-modified field the services keep current.
    for claim, changed in ((before, utc(2026, 1, 1, 18)), (after, utc(2026, 1, 1, 20))):
        Claim.objects.filter(pk=claim.pk).update(updated_at=changed, modified_at=changed)
        Verdict.objects.filter(claim=claim).update(updated_at=changed)
    for offset in ("-19:00", "+23:59", "-16:00"):
        response = api.get(LIST, {"updated_since": f"2026-01-01T00:00:00{offset}"})
        assert response.status_code == 200, response.content
    assert ids(api.get(LIST, {"updated_since": "2026-01-01T00:00:00-19:00"})) == [after.pk]


def test_feed_cursor_pages_from_its_instant(api, publish):
    older = publish(published_at=utc(2026, 1, 1, 18))
    publish(published_at=utc(2026, 1, 1, 20))
    # Newest first: the page after 2026-01-01T19:00:00Z holds only the older one.
    assert ids(api.get(LIST, {"cursor": cursor(utc(2026, 1, 1, 19))})) == [older.pk]


def test_tip_cursor_pages_from_its_instant(submit_api, partner):
    older = factories.TipFactory(partner=partner).claim
    newer = factories.TipFactory(partner=partner).claim
    Claim.objects.filter(pk=older.pk).update(created_at=utc(2026, 1, 1, 18))
    Claim.objects.filter(pk=newer.pk).update(created_at=utc(2026, 1, 1, 20))
    assert ids(submit_api.get(TIPS, {"cursor": cursor(utc(2026, 1, 1, 19))})) == [older.pk]


@pytest.mark.parametrize("token", ["", "bogus", "1_0", "1_0_2", "x_0_0", "1" * 18 + "_0_0", "1_0_0\n"])
def test_a_cursor_not_written_by_the_api_is_400(api, publish, token):
    publish()
    response = api.get(LIST, {"cursor": token})
    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["cursor"]


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_deeply_nested_tip_body_is_a_400_parse_error(submit_api):
    for depth in (33, 1_000, 100_000):
        body = f'{{"text": "{TEXT}", "extra": {nested(depth)}}}'
        response = submit_api.post(TIPS, body, content_type="application/json")
        assert response.status_code == 400, depth
        error = response.json()["error"]
        assert error["code"] == "parse_error"
        assert "deeper than 32 levels" in error["message"]
    assert not Claim.objects.exists()


def test_nesting_up_to_the_limit_and_brackets_inside_strings_are_read(submit_api):
    text = TEXT.rstrip(".") + " " + "[{" * 40 + "."  # one sentence: kept whole, as sent
    body = f'{{"text": "{text}", "extra": {nested(31)}}}'
    response = submit_api.post(TIPS, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["text"] == text
