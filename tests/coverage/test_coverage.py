"""Prior coverage end to end: import command, match task, re-match on publish, editor actions."""

import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core import embedding
from coverage import tasks
from coverage.matching import ranking
from coverage.models import CoverageMatch, MatchStatus, PriorFactCheck, SearchDoc
from coverage.services import (
    CoverageError,
    claim_match,
    coverage_match_confirm,
    coverage_match_reject,
    rating_key_for,
    verdict_draft_from_match,
)
from factcheck import workflow
from factcheck.models import Verdict
from tests.factories import ClaimFactory, FactCheckerFactory, UserFactory, claim_in_state

pytestmark = pytest.mark.django_db

VACCINE = "Vaccines given to children cause autism, according to a viral video."
MOON = "The 1969 Apollo moon landing was staged in a film studio in Nevada."
BLEACH = "Drinking a cup of bleach every morning cures the coronavirus infection."


def review(n, claim, **extra):
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": f"https://checker.example/review/{n}",
        "claimReviewed": claim,
        "datePublished": date.today().isoformat(),
        "author": {"@type": "Organization", "name": "Checker"},
        "reviewRating": {"@type": "Rating", "ratingValue": 1, "alternateName": "Pants on Fire"},
        **extra,
    }


@pytest.fixture
def run_import(django_capture_on_commit_callbacks):
    """``import_claimreview`` with its after-commit tasks run (eagerly, as without a broker)."""

    def run(*args):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("import_claimreview", *map(str, args))

    return run


@pytest.fixture
def feed_dir(tmp_path):
    """One file per accepted format, plus bad records in two of them."""
    (tmp_path / "single.json").write_text(json.dumps(review(1, VACCINE)))
    (tmp_path / "graph.jsonld").write_text(json.dumps({"@graph": [review(2, MOON)]}))
    feed = {"@type": "DataFeed", "dataFeedElement": [{"item": [review(3, BLEACH), None]}, {"item": None}]}
    (tmp_path / "feed.json").write_text(json.dumps(feed))
    lines = [
        json.dumps(review(4, "Carrots improve your night vision a lot.")),
        "{broken",
        json.dumps({"a": 1}),
    ]
    (tmp_path / "lines.jsonl").write_text("\n".join(lines))
    page = f'<script type="application/ld+json">{json.dumps([review(5, "The Great Wall is visible from space.")])}</script>'
    (tmp_path / "page.html").write_text(page)
    return tmp_path


def test_import_every_format_reports_bad_records_and_exits_non_zero(feed_dir, capsys, run_import):
    with pytest.raises(CommandError, match="2 file"):
        run_import(feed_dir)
    out, err = capsys.readouterr()
    assert "imported 5, updated 0, unchanged 0, failed 2" in out
    assert "lines.jsonl: line 2: malformed JSON" in err and "lines.jsonl: line 3" in err
    assert PriorFactCheck.objects.count() == 5
    prior = PriorFactCheck.objects.get(url="https://checker.example/review/1")
    assert (prior.rating_text, prior.rating_value, prior.publisher) == ("Pants on Fire", 1.0, "Checker")
    # Indexed and embedded by the (eager) task queued after the import committed.
    assert SearchDoc.objects.filter(kind="factcheck").count() == 5
    assert SearchDoc.objects.filter(embedding_model=embedding.MODEL_ID).count() == 5


def test_reimport_is_idempotent_and_updates_by_url(feed_dir, tmp_path, capsys, run_import):
    (feed_dir / "lines.jsonl").unlink()
    run_import(feed_dir)
    run_import(feed_dir)
    assert "imported 0, updated 0, unchanged 4, failed 0" in capsys.readouterr().out
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(review(1, "Vaccines cause autism and allergies in children.")))
    run_import(changed)
    assert "imported 0, updated 1, unchanged 0" in capsys.readouterr().out
    assert PriorFactCheck.objects.count() == 4
    doc = SearchDoc.objects.get(kind="factcheck", object_id=PriorFactCheck.objects.get(url__endswith="/1").pk)
    assert "allergies" in doc.text and doc.embedding_model == embedding.MODEL_ID


def test_missing_path_fails_and_dry_run_writes_nothing(feed_dir, capsys, run_import):
    with pytest.raises(CommandError):
        run_import(feed_dir / "nope.json")
    with pytest.raises(CommandError):
        run_import((feed_dir), "--dry-run")
    assert "dry run: 5 valid record(s), failed 2" in capsys.readouterr().out
    assert PriorFactCheck.objects.count() == 0


@pytest.fixture
def imported(feed_dir, run_import):
    (feed_dir / "lines.jsonl").unlink()
    run_import(feed_dir)
    return {p.claim_reviewed: p for p in PriorFactCheck.objects.all()}


def test_match_task_is_idempotent_and_keeps_editor_decisions(imported):
    claim = ClaimFactory(text="A video claims that the vaccines children receive are causing autism in them.")
    assert tasks.match_claim.delay(claim.pk).get() >= 1
    first = list(
        CoverageMatch.objects.filter(claim=claim).values_list("prior_factcheck_id", "score", "status")
    )
    assert first[0][0] == imported[VACCINE].pk
    tasks.match_claim.delay(claim.pk)
    again = list(
        CoverageMatch.objects.filter(claim=claim).values_list("prior_factcheck_id", "score", "status")
    )
    assert again == first
    editor = UserFactory(is_superuser=True)
    top = CoverageMatch.objects.get(claim=claim, prior_factcheck=imported[VACCINE])
    coverage_match_confirm(match=top, actor=editor)
    for other in CoverageMatch.objects.filter(claim=claim).exclude(pk=top.pk):
        coverage_match_reject(match=other, actor=editor)
    tasks.match_claim.delay(claim.pk)
    rows = CoverageMatch.objects.filter(claim=claim)
    assert rows.filter(status=MatchStatus.SUGGESTED).count() == 0  # rejected ones are not re-suggested
    assert rows.get(pk=top.pk).status == MatchStatus.CONFIRMED
    assert tasks.match_claim.delay(999999).get() == 0  # a deleted claim is not an error


def test_nothing_is_confirmed_automatically_and_short_claims_are_never_strong(imported):
    long_claim = ClaimFactory(
        text="Drinking a cup of bleach every morning cures the coronavirus infection, he said."
    )
    short_claim = ClaimFactory(text="Bleach cures the coronavirus.")
    long_rows = claim_match(claim=long_claim)
    short_rows = claim_match(claim=short_claim)
    assert long_rows[0].prior_factcheck_id == short_rows[0].prior_factcheck_id == imported[BLEACH].pk
    assert all(r.status == MatchStatus.SUGGESTED for r in [*long_rows, *short_rows])
    assert long_rows[0].is_strong
    assert not any(r.is_strong for r in short_rows)


def test_strength_thresholds_and_downgrades():
    t = ranking.Tuning(suggested=0.3, strong=0.7, short_words=8, max_age_days=365)
    today = date(2025, 6, 1)
    kw = {"query_words": 12, "item_date": date(2025, 1, 1), "today": today, "tuning": t}
    assert ranking.strength(0.29, **kw) is None
    assert ranking.strength(0.3, **kw) == ranking.SUGGESTED
    assert ranking.strength(0.69, **kw) == ranking.SUGGESTED
    assert ranking.strength(0.7, **kw) == ranking.STRONG
    assert ranking.strength(0.95, **{**kw, "query_words": 7}) == ranking.SUGGESTED
    assert ranking.strength(0.95, **{**kw, "item_date": date(2024, 5, 1)}) == ranking.SUGGESTED
    assert ranking.strength(0.95, **{**kw, "item_date": None}) == ranking.STRONG
    assert ranking.strength(0.95, **kw, semantic=False) == ranking.SUGGESTED  # lexical-only mode


def test_fused_scores_are_0_to_1_and_never_increase_down_the_ranking():
    lexical, dense = [(1, 9.0), (2, 5.0), (3, 1.0)], [(3, 0.9), (4, 0.5), (1, 0.4)]
    ranks_only = ranking.Tuning(cosine_weight=0.0)
    fused = ranking.fuse(lexical, dense, tuning=ranks_only)
    assert [c.doc_id for c in fused[:2]] == [1, 3]  # the lexical list weighs a little more
    even = ranking.fuse(lexical, dense, tuning=ranking.Tuning(lexical_weight=1.0, cosine_weight=0.0))
    assert [c.doc_id for c in even[:2]] == [3, 1]  # a tie is settled by the evidence (cosine)
    # With the cosine itself in the order, a much closer paraphrase (0.9 vs 0.4) wins
    # a near tie of ranks; with a floor above both cosines the ranks decide again.
    assert [c.doc_id for c in ranking.fuse(lexical, dense)[:2]] == [3, 1]
    floored = ranking.Tuning(cosine_weight=0.25, cosine_floor=0.95)
    assert [c.doc_id for c in ranking.fuse(lexical, dense, tuning=floored)[:2]] == [1, 3]
    fused = ranking.fuse(lexical, dense)
    scores = [c.score for c in fused]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)
    assert {c.method for c in fused} == {"hybrid", "lexical", "semantic"}


def test_open_claims_are_rematched_when_a_factcheck_is_published(editor, django_capture_on_commit_callbacks):
    open_claim = ClaimFactory(
        text="Tap water in the city is contaminated with lead from old pipes, residents say."
    )
    assert claim_match(claim=open_claim) == []
    published = claim_in_state(
        "approved", author=FactCheckerFactory(), text="The city's tap water is contaminated by lead pipes."
    )
    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(published, "publish", user=editor)
    assert SearchDoc.objects.filter(kind="claim", object_id=published.pk).exists()
    match = CoverageMatch.objects.get(claim=open_claim)
    assert match.prior_claim_id == published.pk and match.status == MatchStatus.SUGGESTED
    assert not CoverageMatch.objects.filter(claim=published, prior_claim=published).exists()

    with django_capture_on_commit_callbacks(execute=True):
        workflow.transition(published, "unpublish", user=editor, note="Source retracted.")
    assert not SearchDoc.objects.filter(kind="claim", object_id=published.pk).exists()


def test_rematch_after_import(imported, capsys, tmp_path, run_import):
    claim = ClaimFactory(text="Eating raw garlic soup every day cures the influenza virus, a blog says.")
    assert not any(m.prior_factcheck.url.endswith("/9") for m in claim_match(claim=claim))
    (tmp_path / "garlic.json").write_text(json.dumps(review(9, "Garlic soup cures the flu.")))
    run_import(tmp_path / "garlic.json")
    top = CoverageMatch.objects.filter(claim=claim).order_by("-score").first()
    assert top.prior_factcheck.url.endswith("/9") and top.status == MatchStatus.SUGGESTED


def test_use_this_verdict_copies_rating_and_source(imported, fact_checker):
    claim = claim_in_state("researching", verdict=False)
    match = CoverageMatch.objects.create(
        claim=claim, prior_factcheck=imported[MOON], score=0.9, method="hybrid"
    )
    verdict = verdict_draft_from_match(match=match, actor=fact_checker)
    assert verdict.rating == "false" and "Checker" in verdict.summary
    assert [s.url for s in verdict.sources.all()] == [imported[MOON].url]
    match.refresh_from_db()
    assert match.status == MatchStatus.SUGGESTED  # copying is not confirming


def test_use_this_verdict_from_our_own_factcheck(fact_checker):
    prior = claim_in_state("published", author=FactCheckerFactory())
    claim = claim_in_state("selected", verdict=False)
    match = CoverageMatch.objects.create(claim=claim, prior_claim=prior, score=0.8, method="semantic")
    verdict = verdict_draft_from_match(match=match, actor=fact_checker)
    old = prior.current_verdict
    assert verdict.rating == old.rating
    assert old.summary in verdict.summary and verdict.summary.startswith("Our earlier fact-check")
    assert [s.url for s in verdict.sources.all()] == [s.url for s in old.sources.all()]


def test_rating_words_map_to_our_scale():
    assert rating_key_for("Pants on Fire!") == "false"
    assert rating_key_for("Mostly False") == "mostly_false"
    assert rating_key_for("Half True") == "half_true"
    assert rating_key_for("Not true") == "false"
    assert rating_key_for("Missing context") == "misleading"
    assert rating_key_for("Legend") == ""


def test_decisions_need_permission(imported):
    claim = ClaimFactory()
    match = CoverageMatch.objects.create(
        claim=claim, prior_factcheck=imported[MOON], score=0.5, method="lexical"
    )
    with pytest.raises(CoverageError):
        coverage_match_confirm(match=match, actor=UserFactory())


# --- admin ----------------------------------------------------------------------------------


@pytest.fixture
def match(imported):
    claim = claim_in_state("researching", verdict=False)
    return CoverageMatch.objects.create(
        claim=claim, prior_factcheck=imported[MOON], score=0.9, method="hybrid"
    )


def test_admin_confirm_and_reject_buttons(client, match, editor):
    client.force_login(editor)
    page = client.get(reverse("admin:factcheck_claim_change", args=[match.claim_id]))
    assert page.status_code == 200
    assert reverse("admin:coverage_coveragematch_confirm", args=[match.pk]) in page.content.decode()
    response = client.post(reverse("admin:coverage_coveragematch_confirm", args=[match.pk]))
    assert response.status_code == 302
    match.refresh_from_db()
    assert (match.status, match.decided_by) == (MatchStatus.CONFIRMED, editor)
    client.post(reverse("admin:coverage_coveragematch_reject", args=[match.pk]))
    match.refresh_from_db()
    assert match.status == MatchStatus.REJECTED
    assert client.get(reverse("admin:coverage_coveragematch_confirm", args=[match.pk])).status_code == 405


def test_admin_use_this_verdict_button(client, match, editor):
    client.force_login(editor)
    response = client.post(reverse("admin:coverage_coveragematch_use-verdict", args=[match.pk]), follow=True)
    assert "Draft verdict filled" in response.content.decode()
    verdict = Verdict.objects.get(claim=match.claim, is_current=True)
    assert verdict.rating == "false" and verdict.sources.count() == 1


def test_admin_refuses_without_permission(client, match):
    client.force_login(UserFactory())  # staff, no role
    response = client.post(reverse("admin:coverage_coveragematch_confirm", args=[match.pk]), follow=True)
    # Refused with a page and the reason, never a bare 403 body.
    assert "Only a Fact-checker or an Editor may decide on prior coverage." in response.content.decode()
    match.refresh_from_db()
    assert match.status == MatchStatus.SUGGESTED


def test_admin_bulk_actions_and_list(client, match, editor, django_assert_max_num_queries):
    client.force_login(editor)
    url = reverse("admin:coverage_coveragematch_changelist")
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    client.post(url, {"action": "reject_selected", "_selected_action": [match.pk]})
    match.refresh_from_db()
    assert match.status == MatchStatus.REJECTED
    assert client.get(reverse("admin:coverage_priorfactcheck_changelist")).status_code == 200


def test_articles_are_indexed_by_headline_when_their_claims_are_matched(django_capture_on_commit_callbacks):
    from editorial.importers import ArticleData
    from editorial.services import article_ingest

    data = ArticleData(
        title="Council votes to close three public libraries next spring",
        body="The mayor said closing the three libraries will save 2.4 million pounds a year, 40% of the budget.",
        external_key="test:libraries",
    )
    with django_capture_on_commit_callbacks(execute=True):
        article = article_ingest(data=data).article
    if not article.claims.exists():  # the extractor found nothing: match one claim by hand
        tasks.match_claim.delay(ClaimFactory(article=article).pk)
    doc = SearchDoc.objects.get(kind="article", object_id=article.pk)
    assert doc.text.startswith("Council votes") and doc.embedding_model == embedding.MODEL_ID
    other = ClaimFactory(
        text="The council is shutting down three of the city's public libraries next year, a post says."
    )
    rows = claim_match(claim=other)
    assert rows and rows[0].prior_article_id == article.pk
    assert not CoverageMatch.objects.filter(claim__article=article, prior_article=article).exists()
