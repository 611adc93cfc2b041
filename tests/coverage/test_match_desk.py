"""What the desk sees of a match and what it decides: figures, display, decisions, quality page."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from coverage.claimreview import ClaimReviewRecord
from coverage.matching import rerank, search
from coverage.matching.index import searchdocs_embed
from coverage.models import CoverageMatch, MatchStatus
from coverage.selectors import decided_match_groups, match_quality_by_month
from coverage.services import (
    claim_match,
    coverage_match_confirm,
    coverage_match_reject,
    prior_factchecks_import,
    verdict_draft_from_match,
)
from tests.factories import ClaimFactory, claim_in_state

pytestmark = pytest.mark.django_db

CRIME_18 = "Violent crime in Springfield fell 18 percent last year, the mayor says."
OTHER = [
    "Vaccines given to children cause autism.",
    "The 1969 Apollo moon landing was staged in a film studio.",
    "Drinking bleach cures the coronavirus.",
    "Eating carrots greatly improves your night vision.",
]


def _import(claims):
    records = [
        ClaimReviewRecord(
            url=f"https://checker.example/{n}",
            claim_reviewed=claim,
            rating_text="Half true",
            publisher="State Check",
            review_date=date.today() - timedelta(days=30),
        )
        for n, claim in enumerate(claims)
    ]
    report = prior_factchecks_import(records=records)
    searchdocs_embed(doc_ids=report.stale_doc_ids)


def test_a_claim_with_different_figures_is_never_strong_and_says_what_differs():
    _import([CRIME_18, *OTHER])
    top = search("Violent crime in Springfield fell 40 percent last year, the mayor says.", limit=3)[0]
    assert top.text == CRIME_18
    assert top.strength != "strong"
    assert top.differences == "40% here, 18% in the fact-check"


def test_the_same_figures_in_other_words_are_a_strong_match():
    _import([CRIME_18, *OTHER])
    query = "The mayor says violent crime in Springfield fell 18 percent last year."
    top = search(query, limit=3, as_of=date.today())[0]
    assert top.text == CRIME_18
    assert top.differences == ""
    assert top.strength == "strong", top


def test_stored_matches_keep_the_features_and_the_difference():
    _import([CRIME_18, *OTHER])
    claim = ClaimFactory(text="Violent crime in Springfield fell 40 percent last year, the mayor says.")
    rows = claim_match(claim=claim)
    top = next(r for r in rows if r.prior_factcheck.claim_reviewed == CRIME_18)
    assert top.differences == "40% here, 18% in the fact-check" and not top.is_strong
    assert top.features["names"] == list(rerank.FEATURE_NAMES)
    assert len(top.features["values"]) == len(rerank.FEATURE_NAMES)
    assert top.features["values"][rerank.FEATURE_NAMES.index("fig_percent")] == -1.0


def _match(claim, n, *, rank, strong=False, status=MatchStatus.SUGGESTED, created=None):
    from coverage.models import PriorFactCheck

    prior = PriorFactCheck.objects.create(
        url=f"https://q.example/{claim.pk}/{n}", claim_reviewed=f"Claim {n}"
    )
    row = CoverageMatch.objects.create(
        claim=claim,
        prior_factcheck=prior,
        score=0.9 - rank / 10,
        method="hybrid",
        rank=rank,
        is_strong=strong,
        status=status,
        features={"names": list(rerank.FEATURE_NAMES), "values": [float(rank)] * len(rerank.FEATURE_NAMES)},
    )
    if created:
        CoverageMatch.objects.filter(pk=row.pk).update(created_at=created)
    return row


def test_confirms_and_rejects_are_kept_with_their_features(editor):
    claim = ClaimFactory()
    first, second, third = (_match(claim, n, rank=n) for n in (1, 2, 3))
    coverage_match_reject(match=first, actor=editor)
    coverage_match_confirm(match=second, actor=editor)
    (group,) = decided_match_groups()
    assert group["claim_id"] == claim.pk
    assert [(m["id"], m["confirmed"]) for m in group["matches"]] == [(first.pk, False), (second.pk, True)]
    assert group["matches"][1]["values"] == [2.0] * len(rerank.FEATURE_NAMES)
    assert third.pk not in [m["id"] for m in group["matches"]]  # undecided: not training data


def test_match_quality_figures_per_month():
    november = datetime(2026, 11, 10, tzinfo=UTC)
    october = datetime(2026, 10, 10, tzinfo=UTC)
    a, b, c = ClaimFactory(), ClaimFactory(), ClaimFactory()
    # a: rank 1 rejected, rank 2 confirmed -> AP@5 = 1/2; b: rank 1 confirmed -> 1; c: only a reject.
    _match(a, 1, rank=1, strong=True, status=MatchStatus.REJECTED, created=november)
    _match(a, 2, rank=2, status=MatchStatus.CONFIRMED, created=november)
    _match(b, 1, rank=1, strong=True, status=MatchStatus.CONFIRMED, created=november)
    _match(b, 2, rank=2, created=november)
    _match(c, 1, rank=1, status=MatchStatus.REJECTED, created=november)
    _match(c, 2, rank=2, strong=True, created=october)
    nov, octo = match_quality_by_month()
    assert (nov["made"], nov["strong"], nov["confirmed"], nov["rejected"]) == (5, 2, 2, 2)
    assert nov["confirmed_share"] == pytest.approx(0.4) and nov["rejected_share"] == pytest.approx(0.4)
    assert nov["map5"] == pytest.approx(0.75) and nov["map5_claims"] == 2
    assert nov["strong_precision"] == pytest.approx(0.5)
    assert (octo["made"], octo["strong"], octo["map5"], octo["strong_precision"]) == (1, 1, None, None)


def test_match_quality_page_shows_the_figures_and_needs_permission(
    client, editor, django_assert_max_num_queries
):
    from tests.factories import UserFactory

    november = datetime(2026, 11, 10, tzinfo=UTC)
    a = ClaimFactory()
    _match(a, 1, rank=1, strong=True, status=MatchStatus.REJECTED, created=november)
    _match(a, 2, rank=2, status=MatchStatus.CONFIRMED, created=november)
    url = reverse("admin:coverage_coveragematch_quality")
    client.force_login(editor)
    with django_assert_max_num_queries(10):
        page = client.get(url).content.decode()
    assert "November 2026" in page and "0.50 (1 claim)" in page and "0% of 1" in page
    assert url in client.get(reverse("admin:coverage_coveragematch_changelist")).content.decode()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_claim_page_shows_percent_band_rating_date_and_whole_words(client, editor):
    _import([CRIME_18, *OTHER])
    long_text = "Springfield " + " ".join(f"word{n}" for n in range(60)) + " siz end."
    from coverage.models import PriorFactCheck

    prior = PriorFactCheck.objects.create(
        url="https://checker.example/long",
        claim_reviewed=long_text,
        rating_text="Half true",
        publisher="State Check",
        review_date=date(2026, 11, 20),
    )
    claim = claim_in_state("researching", verdict=False)
    CoverageMatch.objects.create(
        claim=claim,
        prior_factcheck=prior,
        score=0.825734,
        method="hybrid",
        is_strong=True,
        differences="40% here, 18% in the fact-check",
    )
    client.force_login(editor)
    page = client.get(reverse("admin:factcheck_claim_change", args=[claim.pk])).content.decode()
    assert "83%" in page and "strong" in page and "0.825734" not in page and "0.83" not in page
    assert "rated “Half true”" in page and "State Check" in page and "20 Nov 2026" in page
    assert f'title="{long_text}"' in page  # the full text on hover
    shown = page.split('title="' + long_text + '">“')[1].split("”")[0]
    assert shown.endswith(" …") and long_text.startswith(shown[:-2])
    assert long_text[len(shown) - 2] == " "  # cut where a word ends
    assert "Figures differ: 40% here, 18% in the fact-check" in page


def test_an_empty_match_table_says_how_much_was_searched(client, editor):
    _import(OTHER)
    claim = claim_in_state("researching", verdict=False)
    client.force_login(editor)
    page = client.get(reverse("admin:factcheck_claim_change", args=[claim.pk])).content.decode()
    assert "No prior coverage found among 4 items." in page


def test_use_this_verdict_fills_rating_sources_and_a_summary_naming_the_check(fact_checker):
    from coverage.models import PriorFactCheck

    prior = PriorFactCheck.objects.create(
        url="https://statecheck.example/crime",
        claim_reviewed=CRIME_18,
        rating_text="Half true",
        publisher="State Check",
        review_date=date(2026, 11, 20),
        raw={"itemReviewed": {"appearance": [{"url": "https://news.example/mayor"}, "not a url"]}},
    )
    claim = claim_in_state("researching", verdict=False)
    match = CoverageMatch.objects.create(claim=claim, prior_factcheck=prior, score=0.8, method="hybrid")
    verdict = verdict_draft_from_match(match=match, actor=fact_checker)
    assert verdict.rating == "half_true"
    assert "State Check" in verdict.summary and "20 November 2026" in verdict.summary
    assert "https://statecheck.example/crime" in verdict.summary and CRIME_18 in verdict.summary
    assert "rewrite" in verdict.summary
    assert [s.url for s in verdict.sources.order_by("id")] == [
        "https://statecheck.example/crime",
        "https://news.example/mayor",
    ]
