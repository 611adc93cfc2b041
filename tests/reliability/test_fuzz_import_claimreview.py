"""``import_claimreview`` fuzzed with hypothesis: never a traceback, never a lost good record.

Same properties as the seed import: it ends normally or with ``CommandError``; each bad
record gets one short ``FAILED`` line; the good records of the same feed are imported.
"""

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coverage.models import PriorFactCheck
from tests.support import failure_lines, import_summary

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
TEXT = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=200)
NON_BLANK = TEXT.filter(lambda s: s.split())
JSON_LEAF = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), TEXT
)
ANY_JSON = st.recursive(
    JSON_LEAF,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=20,
)


def run_import(files: dict[str, bytes]) -> tuple[str, str]:
    PriorFactCheck.objects.all().delete()
    out, err = io.StringIO(), io.StringIO()
    with tempfile.TemporaryDirectory() as folder:
        for name, content in files.items():
            (Path(folder) / name).write_bytes(content)
        with contextlib.suppress(CommandError):
            call_command("import_claimreview", folder, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@FUZZ
@given(content=st.binary(max_size=3000), suffix=st.sampled_from([".json", ".jsonl", ".html"]))
def test_random_bytes_never_crash_the_import(content, suffix):
    stdout, stderr = run_import({f"random{suffix}": content})
    result = import_summary(stdout)
    assert len(failure_lines(stderr)) == result["failed"]
    assert PriorFactCheck.objects.count() == result["imported"]


def good_review(n: int):
    return st.fixed_dictionaries(
        {
            "@type": st.just("ClaimReview"),
            "url": st.just(f"https://factchecker.example/review/{n}"),
            "claimReviewed": NON_BLANK,
        },
        optional={
            "author": st.one_of(
                NON_BLANK, st.fixed_dictionaries({"name": TEXT}), st.lists(ANY_JSON, max_size=3)
            ),
            "datePublished": st.one_of(
                TEXT, st.integers(), st.sampled_from(["2024-01-03", "0001-01-01", "2024-02-30"])
            ),
            "reviewRating": st.one_of(
                ANY_JSON,
                st.fixed_dictionaries(
                    {
                        "ratingValue": st.one_of(
                            st.integers(), st.sampled_from(["1e400", "NaN", "-inf", "3"]), TEXT
                        )
                    },
                    optional={"alternateName": TEXT},
                ),
            ),
            "itemReviewed": ANY_JSON,
            "inLanguage": ANY_JSON,
            "name": ANY_JSON,
            "extra": ANY_JSON,
        },
    )


def bad_review(n: int):
    base = {"@type": "ClaimReview", "url": f"https://factchecker.example/bad/{n}", "claimReviewed": "Claim"}
    return st.one_of(
        st.just({k: v for k, v in base.items() if k != "url"}),
        st.just({k: v for k, v in base.items() if k != "claimReviewed"}),
        st.sampled_from(
            ["http://[::1", "ftp://x.example/a", "javascript:alert(1)", "no url", "https://"]
        ).map(lambda u: {**base, "url": u}),
        JSON_LEAF.map(lambda v: {**base, "url": v}).filter(lambda r: not isinstance(r["url"], str)),
        st.sampled_from([None, 5, ["x"], {"a": 1}, ""]).map(lambda v: {**base, "claimReviewed": v}),
        st.sampled_from(["Review", "Article", None, 3]).map(lambda t: {**base, "@type": t}),
        st.sampled_from(["\x00", "\ud800", "x\udfffy"]).map(
            lambda c: {**base, "claimReviewed": f"Claim {c}"}
        ),
        st.sampled_from(["\x00", "\ud800"]).map(lambda c: {**base, "extra": {"deep": [f"text {c}"]}}),
        st.just({**base, "url": "https://factchecker.example/" + "a" * 2001}),
    )


@st.composite
def feed(draw):
    kinds = draw(st.lists(st.booleans(), min_size=1, max_size=8))
    return [(ok, draw(good_review(n) if ok else bad_review(n))) for n, ok in enumerate(kinds)]


@FUZZ
@given(records=feed(), shape=st.sampled_from(["list", "jsonl", "datafeed", "graph"]))
def test_each_bad_review_is_reported_and_every_good_one_imported(records, shape):
    items = [r for _, r in records]
    if shape == "jsonl":
        files = {"feed.jsonl": "\n".join(json.dumps(i) for i in items).encode()}
    elif shape == "datafeed":
        data = {"@type": "DataFeed", "dataFeedElement": [{"item": [i, None]} for i in items]}
        files = {"feed.json": json.dumps(data).encode()}
    elif shape == "graph":
        files = {"feed.json": json.dumps({"@context": "https://schema.org", "@graph": items}).encode()}
    else:
        files = {"feed.json": json.dumps(items).encode()}
    stdout, stderr = run_import(files)

    good = [r for ok, r in records if ok]
    result = import_summary(stdout)
    assert result["failed"] == len(records) - len(good), (stderr, items)
    assert len(failure_lines(stderr)) == result["failed"]
    assert result["imported"] == len(good)
    stored = dict(PriorFactCheck.objects.values_list("url", "rating_value"))
    assert set(stored) == {r["url"] for r in good}
    assert all(v is None or abs(v) < float("inf") for v in stored.values())  # JSON can carry it


@pytest.mark.parametrize(
    "name, content",
    [
        ("deep.json", "[" * 100_000 + "]" * 100_000),
        ("deep.jsonl", '{"@type": "ClaimReview"}\n' + "[" * 100_000 + "]" * 100_000),
        ("ipv6.json", json.dumps({"@type": "ClaimReview", "url": "http://[::1", "claimReviewed": "x"})),
        (
            "nul.json",
            json.dumps({"@type": "ClaimReview", "url": "https://a.example/1", "claimReviewed": "a\x00b"}),
        ),
        (
            "surrogate.json",
            json.dumps({"@type": "ClaimReview", "url": "https://a.example/2", "claimReviewed": "\ud800"}),
        ),
        (
            "raw-nul.json",
            json.dumps(
                {"@type": "ClaimReview", "url": "https://a.example/3", "claimReviewed": "c", "x": ["\x00"]}
            ),
        ),
    ],
)
def test_inputs_that_used_to_crash_the_import_are_reported(name, content):
    stdout, stderr = run_import({name: content.encode()})
    assert import_summary(stdout)["failed"] >= 1 and failure_lines(stderr)
    assert PriorFactCheck.objects.count() == import_summary(stdout)["imported"]
