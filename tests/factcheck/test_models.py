import pytest
from django.db import IntegrityError, transaction

from coverage.models import CoverageMatch
from factcheck import ratings
from factcheck.models import Claim, ClaimOrigin, ClaimState, Verdict
from tests.factories import (
    ArticleFactory,
    ClaimFactory,
    PriorFactCheckFactory,
    SourceFactory,
    VerdictFactory,
)

pytestmark = pytest.mark.django_db


def test_new_claim_is_a_candidate_at_version_one():
    claim = ClaimFactory()
    assert claim.state == ClaimState.CANDIDATE
    assert claim.version == 1
    assert claim.origin == ClaimOrigin.MANUAL


@pytest.mark.parametrize("score", [-0.1, 1.5])
def test_checkworthiness_must_be_between_0_and_1(score):
    with pytest.raises(IntegrityError):
        ClaimFactory(checkworthiness=score)


def test_offsets_must_be_ordered():
    with pytest.raises(IntegrityError):
        ClaimFactory(start=10, end=5)


def test_one_extracted_claim_per_sentence_of_an_article():
    article = ArticleFactory()
    ClaimFactory(article=article, origin="extracted", fingerprint="abc")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(article=article, origin="extracted", fingerprint="abc")
    # the same sentence added by hand is allowed
    ClaimFactory(article=article, origin="manual", fingerprint="abc")
    assert Claim.objects.filter(article=article).count() == 2


def test_only_one_current_verdict_per_claim():
    verdict = VerdictFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Verdict.objects.create(claim=verdict.claim, version=2, is_current=True)
    Verdict.objects.create(claim=verdict.claim, version=2, is_current=False)
    assert verdict.claim.current_verdict == verdict


def test_verdict_versions_are_unique_per_claim():
    verdict = VerdictFactory()
    with pytest.raises(IntegrityError):
        Verdict.objects.create(claim=verdict.claim, version=1, is_current=False)


def test_rating_choices_are_all_real_ratings():
    field = Verdict._meta.get_field("rating")
    keys = [key for key, _ in field.choices]
    assert keys == [r.key for r in ratings.SCALE]
    assert all(ratings.rating_for(k) for k in keys)
    assert ratings.rating_for("false").value == ratings.WORST_RATING


def test_article_url_unique_only_when_set():
    ArticleFactory(url="")
    ArticleFactory(url="")
    ArticleFactory(url="https://news.example/a")
    with pytest.raises(IntegrityError):
        ArticleFactory(url="https://news.example/a")


def test_coverage_match_needs_exactly_one_target():
    claim = ClaimFactory()
    prior = PriorFactCheckFactory()
    CoverageMatch.objects.create(claim=claim, prior_factcheck=prior, score=0.9, method="lexical")
    with pytest.raises(IntegrityError), transaction.atomic():
        CoverageMatch.objects.create(claim=claim, score=0.5, method="lexical")
    with pytest.raises(IntegrityError), transaction.atomic():
        CoverageMatch.objects.create(
            claim=claim, prior_factcheck=prior, prior_claim=ClaimFactory(), score=0.5, method="x"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        CoverageMatch.objects.create(claim=claim, prior_factcheck=prior, score=0.7, method="dup")


def test_sources_hang_off_a_verdict():
    source = SourceFactory()
    assert list(source.verdict.sources.all()) == [source]
    assert source.accessed_at is not None
