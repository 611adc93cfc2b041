"""The pure helpers of the ClaimReview builder, without a request."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factcheck.models import Claim
from public.claimreview import (
    claim_reviewed_text,
    claimreview_build,
    factcheck_slug,
    jsonld_dumps,
    safe_url,
)


@pytest.mark.parametrize(
    "text",
    [
        "Short claim.",
        "x" * 200,
        "word " * 40,
        "A claim of exactly seventy-five characters, padded out with more words ok.",
        "  spaces\n and\tnewlines   collapse  ",
    ],
)
def test_claim_reviewed_text_is_at_most_75_characters(text):
    short = claim_reviewed_text(text)
    assert 0 < len(short) <= 75
    assert short.rstrip("…") == " ".join(text.split())[: len(short.rstrip("…"))]


def test_jsonld_dumps_escapes_markup_characters_and_round_trips():
    data = {"a": "</script><!-- & -->", "b": "line\u2028sep"}
    dumped = jsonld_dumps(data)
    assert not set("<>&\u2028") & set(dumped)
    assert json.loads(dumped) == data


def test_slug_is_text_then_id_and_survives_text_without_letters():
    assert factcheck_slug(claim=Claim(pk=7, text="Ça coûte 350 millions £ par semaine!")) == (
        "ca-coute-350-millions-par-semaine-7"
    )
    assert factcheck_slug(claim=Claim(pk=8, text="!!!")) == "fact-check-8"
    long = factcheck_slug(claim=Claim(pk=9, text="word " * 50))
    assert len(long) <= 63 and long.endswith("-word-9") and "--" not in long


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://a.example/x", True),
        ("http://a.example/x", True),
        ("javascript:alert(1)", False),
        (" JAVASCRIPT:alert(1)", False),
        ("data:text/html,hi", False),
        ("//evil.example", False),
        ("", False),
    ],
)
def test_safe_url_keeps_only_http_links(url, kept):
    assert bool(safe_url(url)) is kept


@pytest.mark.django_db
def test_build_refuses_a_claim_without_a_current_verdict():
    claim = Claim.objects.create(text="No verdict yet.")
    with pytest.raises(ValueError, match="no current verdict"):
        claimreview_build(claim=claim)


@given(st.dictionaries(st.text(max_size=5), st.text(alphabet=st.characters(), max_size=40), max_size=4))
def test_jsonld_dumps_is_inert_and_lossless_for_any_text(data):
    for compact in (False, True):
        dumped = jsonld_dumps(data, compact=compact)
        assert "<" not in dumped and ">" not in dumped and "&" not in dumped
        assert json.loads(dumped) == data
