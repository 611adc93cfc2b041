"""Writing verdicts and sources: who, when, and no lost updates (``Verdict.revision``)."""

import datetime

import pytest

from factcheck.models import ReviewEvent, Source, Verdict
from factcheck.services.verdicts import VerdictEditRefused, source_add, source_remove, verdict_save
from factcheck.workflow import WorkflowError
from tests.factories import EditorFactory, SourceFactory, claim_in_state

pytestmark = pytest.mark.django_db
SUMMARY = "Official statistics show unemployment rose to 5.1% in March."


def test_first_save_creates_version_one_by_the_author(fact_checker):
    claim = claim_in_state("researching", verdict=False)
    verdict = verdict_save(claim=claim, user=fact_checker, rating="false", summary=f"  {SUMMARY} ")
    assert (verdict.version, verdict.revision, verdict.is_current) == (1, 1, True)
    assert (verdict.author, verdict.rating, verdict.summary) == (fact_checker, "false", SUMMARY)
    event = ReviewEvent.objects.get(claim=claim)
    assert (event.transition, event.actor, event.note) == (
        "verdict_edit",
        fact_checker,
        "Rating: False; 0 sources",
    )


def test_save_with_the_revision_the_form_showed_updates_and_bumps_it(fact_checker):
    claim = claim_in_state("researching", verdict=False)
    verdict_save(claim=claim, user=fact_checker, rating="", summary="draft")
    verdict = verdict_save(
        claim=claim, user=fact_checker, rating="half_true", summary=SUMMARY, expected_revision=1
    )
    assert (verdict.revision, verdict.rating) == (2, "half_true")
    assert Verdict.objects.filter(claim=claim).count() == 1


def test_a_save_based_on_a_stale_revision_is_refused_and_changes_nothing(fact_checker, editor):
    claim = claim_in_state("researching", verdict=False)
    verdict_save(claim=claim, user=fact_checker, rating="false", summary=SUMMARY)
    # Both opened the form at revision 1; the editor saves first.
    verdict_save(claim=claim, user=editor, rating="mostly_false", summary=SUMMARY, expected_revision=1)

    with pytest.raises(VerdictEditRefused) as refused:
        verdict_save(claim=claim, user=fact_checker, rating="true", summary="Mine.", expected_revision=1)

    assert "changed by another editor at" in refused.value.reason
    assert refused.value.reason.endswith("reload and try again.")
    assert isinstance(refused.value, WorkflowError)
    verdict = claim.current_verdict
    assert (verdict.rating, verdict.revision) == ("mostly_false", 2)


def test_saving_a_new_verdict_from_a_form_that_showed_one_is_refused(fact_checker):
    claim = claim_in_state("researching", verdict=False)
    with pytest.raises(VerdictEditRefused, match="removed by another editor"):
        verdict_save(claim=claim, user=fact_checker, rating="false", summary=SUMMARY, expected_revision=3)


@pytest.mark.parametrize("state", ["candidate", "dismissed", "in_review", "approved", "published"])
def test_verdict_can_only_be_edited_while_selected_or_researching(fact_checker, state):
    claim = claim_in_state(state, author=fact_checker)
    with pytest.raises(VerdictEditRefused, match="only be edited while the claim is Selected or Researching"):
        verdict_save(claim=claim, user=fact_checker, rating="true", summary=SUMMARY)


def test_a_selected_claim_may_get_its_verdict_drafted(fact_checker):
    claim = claim_in_state("selected")
    assert verdict_save(claim=claim, user=fact_checker, rating="", summary="").pk


def test_a_reporter_may_not_write_verdicts_or_sources(reporter):
    claim = claim_in_state("researching")
    with pytest.raises(VerdictEditRefused, match="Only a Fact-checker or an Editor"):
        verdict_save(claim=claim, user=reporter, rating="true", summary=SUMMARY)
    with pytest.raises(VerdictEditRefused, match="Only a Fact-checker or an Editor"):
        source_add(claim=claim, user=reporter, url="https://example.org/a")


@pytest.mark.parametrize(
    ("rating", "summary", "match"),
    [("sort_of", SUMMARY, "not a rating"), ("true", "x" * 10_001, "too long")],
)
def test_bad_input_is_refused_with_a_reason(fact_checker, rating, summary, match):
    claim = claim_in_state("researching", verdict=False)
    with pytest.raises(VerdictEditRefused, match=match):
        verdict_save(claim=claim, user=fact_checker, rating=rating, summary=summary)
    assert not Verdict.objects.filter(claim=claim).exists()


def test_sources_given_with_the_verdict_replace_the_list(fact_checker):
    claim = claim_in_state("researching", verdict=False)
    verdict_save(
        claim=claim,
        user=fact_checker,
        rating="false",
        summary=SUMMARY,
        sources=[{"url": "https://a.example/1", "title": "A"}, {"url": "https://b.example/2"}],
    )
    verdict = verdict_save(
        claim=claim,
        user=fact_checker,
        rating="false",
        summary=SUMMARY,
        expected_revision=1,
        sources=[
            {"url": "https://b.example/2", "title": "B, retitled", "accessed_at": datetime.date(2025, 3, 1)},
            {"url": "https://c.example/3", "publisher": "C"},
        ],
    )
    rows = list(verdict.sources.order_by("url").values_list("url", "title", "publisher"))
    assert rows == [("https://b.example/2", "B, retitled", ""), ("https://c.example/3", "", "C")]
    assert verdict.sources.get(url="https://b.example/2").accessed_at == datetime.date(2025, 3, 1)


@pytest.mark.parametrize(
    ("sources", "match"),
    [
        ([{"url": "javascript:alert(1)"}], "not a web address"),
        ([{"url": "ftp://files.example/x"}], "not a web address"),
        ([{"url": "https://a.example/1"}, {"url": "https://a.example/1"}], "listed twice"),
        ([{"url": f"https://a.example/{n}"} for n in range(51)], "at most 50"),
        ([{"url": "https://a.example/1", "title": "t" * 501}], "too long"),
    ],
)
def test_bad_sources_refuse_the_whole_save(fact_checker, sources, match):
    claim = claim_in_state("researching", author=fact_checker)
    before = list(Source.objects.values_list("url", flat=True))
    with pytest.raises(VerdictEditRefused, match=match):
        verdict_save(claim=claim, user=fact_checker, rating="true", summary=SUMMARY, sources=sources)
    assert list(Source.objects.values_list("url", flat=True)) == before
    assert claim.current_verdict.rating == "false"


def test_source_add_and_remove_are_recorded(fact_checker):
    claim = claim_in_state("researching", verdict=False)
    verdict_save(claim=claim, user=fact_checker, rating="false", summary=SUMMARY)
    source = source_add(
        claim=claim, user=fact_checker, url=" https://stats.example.org/lms ", title="Labour market"
    )
    assert (source.url, source.accessed_at is not None) == ("https://stats.example.org/lms", True)
    with pytest.raises(VerdictEditRefused, match="already listed"):
        source_add(claim=claim, user=fact_checker, url="https://stats.example.org/lms")
    source_remove(source=source, user=fact_checker)
    assert not Source.objects.filter(pk=source.pk).exists()
    transitions = list(ReviewEvent.objects.filter(claim=claim).values_list("transition", flat=True))
    assert transitions == ["verdict_edit", "source_add", "source_remove"]


def test_a_source_needs_a_verdict_first(fact_checker):
    claim = claim_in_state("researching", verdict=False)
    with pytest.raises(VerdictEditRefused, match="Write the verdict before adding sources"):
        source_add(claim=claim, user=fact_checker, url="https://example.org/")


def test_a_published_verdicts_sources_cannot_be_removed(fact_checker):
    claim = claim_in_state("published", author=fact_checker)
    source = claim.current_verdict.sources.get()
    with pytest.raises(VerdictEditRefused, match="Propose a correction"):
        source_remove(source=source, user=EditorFactory())
    assert Source.objects.filter(pk=source.pk).exists()


def test_a_removed_source_of_an_old_version_is_refused(fact_checker):
    claim = claim_in_state("researching", author=fact_checker)
    old = claim.current_verdict
    Verdict.objects.filter(pk=old.pk).update(is_current=False)
    stale = SourceFactory(verdict=old)
    with pytest.raises(VerdictEditRefused, match="no longer on the current verdict"):
        source_remove(source=stale, user=fact_checker)
