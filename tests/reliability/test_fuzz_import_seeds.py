"""``import_seeds`` fuzzed with hypothesis: hostile files never crash it or leave half a record.

Properties, for any input:
- the command ends normally or with ``CommandError`` (never another exception);
- every bad record gets one ``FAILED <where>: <reason>`` line, short and readable;
- every good record of the same file is imported, and nothing else is in the database.
"""

import io
import json
import os
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from editorial.models import Article, Outlet
from tests.support import failure_lines, import_summary

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),  # raise it for a deeper local run
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Text a newsroom can send: any Unicode but NUL and lone surrogates (those are bad input).
TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=200)
NON_BLANK = TEXT.filter(lambda s: s.strip())


def run_import(files: dict[str, bytes]) -> tuple[str, str, bool]:
    """Import the files from a fresh folder into an empty database; (stdout, stderr, failed)."""
    Article.objects.all().delete()
    Outlet.objects.all().delete()
    out, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory() as folder:
        for name, content in files.items():
            (Path(folder) / name).write_bytes(content)
        try:
            call_command("import_seeds", folder, stdout=out, stderr=err)
            failed = False
        except CommandError:
            failed = True
    return out.getvalue(), err.getvalue(), failed


@FUZZ
@given(content=st.binary(max_size=3000), suffix=st.sampled_from([".json", ".jsonl", ".txt", ".md"]))
def test_random_bytes_never_crash_the_import(content, suffix):
    stdout, stderr, failed = run_import({f"random{suffix}": content})
    counts = import_summary(stdout)
    assert failed == bool(counts["failed"])
    assert len(failure_lines(stderr)) == counts["failed"]
    assert Article.objects.count() == counts["imported"]


def valid_record(n: int):
    return st.fixed_dictionaries(
        {"body": NON_BLANK, "external_key": st.just(f"fuzz:{n}")},
        optional={
            "title": NON_BLANK.map(lambda s: s[:400]),
            "url": st.just(f"https://news.example.org/{n}"),
            "published_at": st.sampled_from(
                ["2024-03-01", "2024-03-01T10:00:00+02:00", "1999-12-31T23:59:59Z"]
            ),
            "outlet": NON_BLANK.map(lambda s: s[:100]),
            "authors": st.one_of(
                NON_BLANK.map(lambda s: s[:100]), st.lists(NON_BLANK.map(lambda s: s[:40]), max_size=3)
            ),
            "language": st.sampled_from(["en", "de", "pt-BR"]),
        },
    )


_WRONG_TYPES = st.one_of(
    st.integers(),
    st.floats(allow_nan=False),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)
_BAD_DATES = st.one_of(
    st.sampled_from(
        [
            "2024-02-30",
            "2024-13-01",
            "yesterday",
            "99999-01-01",
            "2024-03-01T25:00:00",
            "0001-01-01T00:00:00+05:00",
            "9999-12-31T23:59:59-05:00",
            "2024-03-01T10:00:00+99:00",
        ]
    ),
    st.integers(),
)
_DEEP = "[" * 100_000 + "]" * 100_000


def bad_record(n: int):
    """A record with exactly one defect, each of which must be reported, never imported."""
    base = {"body": "The minister said unemployment fell to 4.2% in March.", "external_key": f"bad:{n}"}
    return st.one_of(
        st.just({k: v for k, v in base.items() if k != "body"}),  # missing body
        st.sampled_from(["", "   ", "\n\t"]).map(lambda b: {**base, "body": b}),
        _WRONG_TYPES.map(lambda v: {**base, "body": v}),
        st.sampled_from(
            ["title", "url", "outlet", "authors", "language", "external_key", "published_at"]
        ).flatmap(
            lambda field: _WRONG_TYPES.filter(
                lambda v: field != "authors" or not isinstance(v, list) or v
            ).map(lambda v: {**base, field: v})
        ),
        st.sampled_from(
            [
                ("title", 501),
                ("external_key", 256),
                ("url", 2001),
                ("authors", 501),
                ("outlet", 201),
                ("language", 17),
            ]
        ).map(
            lambda fl: {**base, fl[0]: "https://x.example/" + "a" * fl[1] if fl[0] == "url" else "a" * fl[1]}
        ),
        st.sampled_from(["not a url", "ftp://files.example/x", "javascript:alert(1)", "http://"]).map(
            lambda u: {**base, "url": u}
        ),
        _BAD_DATES.map(lambda d: {**base, "published_at": d}),
        st.sampled_from(["\x00", "\ud800", "a\udfffb"]).map(lambda c: {**base, "body": f"Text {c} here."}),
        st.sampled_from(["\x00", "\ud800"]).map(lambda c: {**base, "title": f"Title {c}"}),
        st.one_of(st.none(), st.integers(), st.text(max_size=20), st.lists(st.integers(), max_size=2)).map(
            lambda v: ("not-an-object", v)
        ),
    )


@st.composite
def mixed_records(draw):
    kinds = draw(st.lists(st.booleans(), min_size=1, max_size=8))
    return [(ok, draw(valid_record(n) if ok else bad_record(n))) for n, ok in enumerate(kinds)]


def _encode(record) -> object:
    return record[1] if isinstance(record, tuple) else record


@FUZZ
@given(records=mixed_records(), as_jsonl=st.booleans())
def test_each_bad_record_is_reported_and_every_good_one_imported(records, as_jsonl):
    items = [_encode(r) for _, r in records]
    if as_jsonl:
        content = "\n".join(json.dumps(item) for item in items)
        name = "feed.jsonl"
    else:
        content, name = json.dumps(items), "feed.json"
    stdout, stderr, failed = run_import({name: content.encode("utf-8", "surrogatepass")})

    good = [r for ok, r in records if ok]
    bad_positions = [i for i, (ok, _) in enumerate(records) if not ok]
    counts = import_summary(stdout)
    lines = failure_lines(stderr)
    assert counts["failed"] == len(bad_positions), (stderr, items)
    assert counts["imported"] == len(good) and failed == bool(bad_positions)
    for i in bad_positions:
        where = f"feed.jsonl:{i + 1}:" if as_jsonl else f"feed.json[{i}]:"
        assert any(where in line for line in lines), (where, lines)
    stored = {a.external_key: a.body for a in Article.objects.all()}
    assert stored == {r["external_key"]: r["body"].strip() for r in good}


def test_deep_nesting_fails_one_record_of_a_jsonl_file_and_the_whole_json_file():
    ok = json.dumps({"body": "Crime rose by 12 percent last year, police figures show."})
    stdout, stderr, _ = run_import({"deep.jsonl": f"{ok}\n{_DEEP}\n".encode(), "deep.json": _DEEP.encode()})
    assert import_summary(stdout) == {"imported": 1, "updated": 0, "unchanged": 0, "failed": 2}
    lines = failure_lines(stderr)
    assert any("deep.jsonl:2" in line and "nested too deeply" in line for line in lines), lines
    assert any("deep.json:" in line and "nested too deeply" in line for line in lines), lines


def test_a_huge_file_is_refused_whole_with_its_size():
    stdout, stderr, failed = run_import({"huge.txt": b"Big news. " * 600_000})
    assert failed and Article.objects.count() == 0
    assert "larger than the limit" in stderr


@pytest.mark.parametrize(
    "field, value",
    [
        ("published_at", "0001-01-01T00:00:00+05:00"),  # year 0 in UTC
        ("published_at", "9999-12-31T23:59:59-05:00"),  # year 10000 in UTC
        ("published_at", "2024-02-30"),
        ("published_at", "2024-03-01T10:00:00+99:00"),
        ("body", "NUL \x00 inside"),
        ("body", "lone \ud800 surrogate"),
        ("title", "lone \udfff surrogate"),
        ("authors", ["Jane Roe", "NUL \x00"]),
    ],
)
def test_values_that_used_to_crash_or_poison_the_table_are_reported(field, value):
    record = {"body": "The minister said unemployment fell to 4.2% in March.", field: value}
    good = {"body": "Crime rose by 12 percent last year, police figures show."}
    stdout, stderr, failed = run_import({"feed.json": json.dumps([record, good]).encode()})
    assert import_summary(stdout) == {"imported": 1, "updated": 0, "unchanged": 0, "failed": 1}
    (line,) = failure_lines(stderr)
    assert "feed.json[0]" in line and f"'{field}'" in line
    assert [a.body for a in Article.objects.all()] == [good["body"]]  # loads back fine
