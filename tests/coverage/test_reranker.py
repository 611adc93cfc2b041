"""The learned re-ranker: its file, its training, and search with and without it."""

import json
import logging
import random

import numpy as np
import pytest
from django.core.management import call_command

from coverage.matching import learn, rerank, search
from coverage.matching.retrieve import reranker, reranker_status, reset_reranker

from .test_matching import CHECKS, _import

WORDS = [
    "tax",
    "crime",
    "jobs",
    "vaccine",
    "border",
    "wall",
    "school",
    "oil",
    "wage",
    "health",
    "rent",
    "police",
    "farm",
    "bank",
]


def _candidates(n_queries: int, seed: int = 0) -> tuple[list[dict], list[str]]:
    """Synthetic first-stage lists: the relevant item sits at rank 1-6 and resembles the query."""
    rng = random.Random(seed)
    rows, qrels = [], []
    for q in range(n_queries):
        words = rng.sample(WORDS, 4)
        text = f"They say {' '.join(words)} rose {q % 7 + 2}0 percent"
        gold = rng.randint(1, 6)
        cands = []
        for rank in range(1, 11):
            relevant = rank == gold
            cand_words = words if relevant else rng.sample(WORDS, 4)
            cands.append(
                {
                    "doc": f"d{q}-{rank}",
                    "rank": rank,
                    "score": round(0.9 - rank * 0.07, 4),
                    "cosine": round((0.8 if relevant else 0.45) + rng.uniform(-0.1, 0.1), 4),
                    "lexical_rank": rank if rng.random() < 0.8 else None,
                    "dense_rank": rng.randint(1, 12),
                    "fused": round(1 / rank, 4),
                    "lexical_rel": round(rng.uniform(0.3, 1.0), 4),
                    "text": f"Claim that {' '.join(cand_words)} rose {q % 7 + 2 if relevant else q % 5 + 1}0 percent",
                    "context": "",
                    "claimant": "",
                    "item_date": None,
                }
            )
        rows.append({"qid": f"q{q}", "text": text, "claimant": "", "topic": "", "candidates": cands})
        qrels.append(f"q{q}\td{q}-{gold}")
    return rows, qrels


def _write(tmp_path, name="set", n=60, seed=0):
    rows, qrels = _candidates(n, seed)
    cand = tmp_path / f"{name}_train.jsonl"
    cand.write_text("".join(json.dumps(r) + "\n" for r in rows))
    qrel = tmp_path / f"{name}_qrels.tsv"
    qrel.write_text("\n".join(qrels) + "\n")
    return cand, qrel


SMALL_GRID = {
    "depth": (5, 10),
    "num_leaves": (3,),
    "n_estimators": (20,),
    "learning_rate": (0.1,),
    "min_child_samples": (5,),
}


def test_the_shipped_evaluator_scores_exactly_as_lightgbm(tmp_path):
    queries = learn.read_candidates(*_write(tmp_path), "set")
    option = {**{k: v[0] for k, v in SMALL_GRID.items()}, "depth": 10, "num_leaves": 7, "n_estimators": 30}
    model = learn.fit(queries, option)
    path = tmp_path / "model.json"
    path.write_text(learn.to_json(model, option=option, calibration=(1.0, 0.0), meta={}))
    shipped = rerank.load(path)
    X = np.vstack([q.X for q in queries])
    assert np.allclose(shipped.raw(X), model.predict(X), atol=1e-9)
    assert shipped.raw(X).std() > 0  # the trees split: the comparison is not trivially equal


def test_training_is_reproducible_and_cross_validation_reports_every_set(tmp_path):
    queries = learn.read_candidates(*_write(tmp_path, "a"), "a") + learn.read_candidates(
        *_write(tmp_path, "b", seed=1), "b"
    )
    first, report = learn.train(queries, grid=SMALL_GRID, log=lambda _: None)
    second, _ = learn.train(queries, grid=SMALL_GRID, log=lambda _: None)
    assert first == second
    assert set(report.cv) == set(report.baseline) == {"a", "b"}
    assert len(report.grid) == 2 and report.chosen["depth"] in (5, 10)
    # The synthetic relevant item shares the query's words and figures: learnable.
    assert all(report.cv[name][0] > report.baseline[name][0] for name in ("a", "b"))


def test_folds_keep_a_topic_or_a_shared_gold_item_together():
    def q(qid, text, gold, topic=""):
        return learn.Query(qid, "s", text, "", [], np.zeros((0, len(rerank.FEATURE_NAMES))), {gold}, topic)

    queries = [
        q("1", "a", "g1"),
        q("2", "b", "g1"),
        q("3", "c", "g2", "debate-x"),
        q("4", "d", "g3", "debate-x"),
    ]
    queries += [q(str(i), f"t{i}", f"g{i}") for i in range(5, 25)]
    folds = learn.fold_of(queries)
    assert folds[0] == folds[1] and folds[2] == folds[3]
    assert len(set(folds)) == learn.FOLDS


def _fake_benchmarks(tmp_path):
    bench = tmp_path / "benchmarks" / "ct2020_task2_tweets" / "train"
    bench.mkdir(parents=True)
    rows, qrels = _candidates(80)
    (bench / "queries.jsonl").write_text(
        "".join(json.dumps({"id": r["qid"], "text": r["text"]}) + "\n" for r in rows)
    )
    (bench / "qrels.tsv").write_text("\n".join(qrels) + "\n")
    cands = tmp_path / "candidates"
    cands.mkdir()
    (cands / "ct2020_task2_tweets_train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return tmp_path / "benchmarks", cands


@pytest.mark.django_db
def test_train_matcher_writes_the_same_file_from_the_same_data(tmp_path, capsys):
    benchmarks, cands = _fake_benchmarks(tmp_path)
    args = [
        "--benchmarks",
        str(benchmarks),
        "--candidates-dir",
        str(cands),
        "--sets",
        "ct2020_task2_tweets",
        "--quick",
    ]
    call_command("train_matcher", *args, "--out", str(tmp_path / "one.json"))
    call_command("train_matcher", *args, "--out", str(tmp_path / "two.json"))
    assert (tmp_path / "one.json").read_bytes() == (tmp_path / "two.json").read_bytes()
    out = capsys.readouterr().out
    assert "ct2020_task2_tweets: re-ranked" in out and "first stage" in out
    model = rerank.load(tmp_path / "one.json")
    assert model.meta["train_queries"] == {"ct2020_task2_tweets": 80}


@pytest.mark.django_db
def test_train_matcher_refuses_a_missing_train_split(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no train split"):
        call_command("train_matcher", "--benchmarks", str(tmp_path), "--out", str(tmp_path / "m.json"))


@pytest.fixture
def model_path(settings, tmp_path):
    def use(path):
        settings.FACTCHECK_RERANKER_MODEL = path
        reset_reranker()

    yield use
    reset_reranker()


@pytest.mark.django_db
def test_search_uses_the_shipped_model():
    reset_reranker()
    assert reranker() is not None, "the model file ships with the code (coverage/matching/data/)"
    assert reranker_status().startswith("on (top ")
    ids = _import()
    matches = search("A viral post says kids get autism from their vaccine shots, doctors disagree", limit=3)
    assert matches[0].object_id == ids[CHECKS[0][0]]
    assert len(matches[0].features) == len(rerank.FEATURE_NAMES)
    assert [m.rank for m in matches] == [1, 2, 3]
    assert all(a.score >= b.score for a, b in zip(matches, matches[1:], strict=False))


@pytest.mark.django_db
@pytest.mark.parametrize("content", [None, "{not json", '{"format": "something else"}'])
def test_without_a_usable_model_search_is_the_first_stage_and_says_so(model_path, tmp_path, caplog, content):
    path = tmp_path / "reranker.json"
    if content is not None:
        path.write_text(content)
    model_path(path)
    _import()
    query = "A viral post says kids get autism from their vaccine shots, doctors disagree"
    with caplog.at_level(logging.WARNING, logger="coverage.matching.retrieve"):
        matches = search(query, limit=5)
    assert "first stage only" in caplog.text and str(path) in caplog.text
    assert reranker_status().startswith("off (no usable model")
    first_stage = search(query, limit=5, rerank=False)
    assert [(m.object_id, m.score) for m in matches] == [(m.object_id, m.score) for m in first_stage]
    assert all(m.features == () for m in matches)


@pytest.mark.django_db
def test_train_matcher_adds_the_desk_decisions_when_asked(tmp_path, capsys, editor):
    from coverage.models import CoverageMatch, PriorFactCheck
    from coverage.services import coverage_match_confirm, coverage_match_reject
    from tests.factories import ClaimFactory

    claim = ClaimFactory()
    rows = []
    for rank in (1, 2, 3):
        prior = PriorFactCheck.objects.create(url=f"https://d.example/{rank}", claim_reviewed=f"Item {rank}")
        rows.append(
            CoverageMatch.objects.create(
                claim=claim,
                prior_factcheck=prior,
                score=0.5,
                method="hybrid",
                rank=rank,
                features={
                    "names": list(rerank.FEATURE_NAMES),
                    "values": [float(rank)] * len(rerank.FEATURE_NAMES),
                },
            )
        )
    coverage_match_reject(match=rows[0], actor=editor)
    coverage_match_confirm(match=rows[1], actor=editor)
    benchmarks, cands = _fake_benchmarks(tmp_path)
    args = [
        "--benchmarks",
        str(benchmarks),
        "--candidates-dir",
        str(cands),
        "--sets",
        "ct2020_task2_tweets",
        "--quick",
    ]
    call_command("train_matcher", *args, "--out", str(tmp_path / "plain.json"))
    call_command("train_matcher", *args, "--with-desk-decisions", "--out", str(tmp_path / "desk.json"))
    assert "desk decisions: 1 claim(s)" in capsys.readouterr().out
    assert rerank.load(tmp_path / "plain.json").meta["desk_decisions"] == 0
    assert rerank.load(tmp_path / "desk.json").meta["desk_decisions"] == 1


def _pair(item_date):
    return rerank.Pair(
        rank=1,
        score=0.5,
        cosine=0.6,
        lexical_rank=1,
        dense_rank=1,
        fused=0.5,
        lexical_rel=1.0,
        text="Crime fell last year",
        item_date=item_date,
    )


def _gaps(as_of, dates):
    got = rerank.features("Crime fell last year", "", [_pair(d) for d in dates], as_of=as_of)
    at = rerank.FEATURE_NAMES.index("age_gap")
    return [round(f.values[at], 4) for f in got]


def test_the_age_gap_says_how_much_further_a_check_lies_from_the_claim_than_the_nearest():
    from datetime import date

    near_before, near_after, old, undated = _gaps(
        date(2020, 1, 10), ["2020-01-07", "2020-01-13", "2018-12-01", None]
    )
    assert near_before == near_after == 0.0, "three days before and three days after are as near"
    assert old > 4.0, "400 days against 3: over fifty times as far, on a log scale"
    assert undated == rerank.UNKNOWN_AGE
    assert _gaps(None, ["2020-01-07"]) == [rerank.UNKNOWN_AGE], "no claim date"
    assert _gaps(date(2020, 1, 10), ["2016-01-07"]) == [0.0], "a lone check is not marked down for its age"


def _import_twice_checked():
    """The same claim checked by two publishers four years apart; (2016 id, 2020 id)."""
    from datetime import date

    from coverage.claimreview import ClaimReviewRecord
    from coverage.matching.index import searchdocs_embed
    from coverage.models import PriorFactCheck
    from coverage.services import prior_factchecks_import

    claim = "Drinking bleach cures the coronavirus."
    records = [
        ClaimReviewRecord(
            url=f"https://checker{year}.example/bleach",
            claim_reviewed=claim,
            title="Can you cure COVID-19 by drinking bleach?",
            rating_text="False",
            review_date=date(year, 3, 1),
        )
        for year in (2016, 2020)
    ]
    report = prior_factchecks_import(records=records)
    searchdocs_embed(doc_ids=report.stale_doc_ids)
    _import(CHECKS[:2])
    by_year = {p.review_date.year: p.pk for p in PriorFactCheck.objects.exclude(review_date__year=2024)}
    return by_year[2016], by_year[2020]


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2016, 2020])
def test_of_two_checks_of_one_claim_the_one_nearest_the_claims_date_ranks_first(year):
    from datetime import date

    reset_reranker()
    ids = dict(zip((2016, 2020), _import_twice_checked(), strict=True))
    query = "A post says you can cure the coronavirus by drinking bleach"
    matches = search(query, limit=3, as_of=date(year, 3, 4))
    assert [m.object_id for m in matches[:2]] == [ids[year], ids[4036 - year]]


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2016, 2020])
def test_a_claim_is_matched_as_of_the_day_its_article_was_published(year):
    import datetime as dt

    from coverage.models import CoverageMatch
    from coverage.services import claim_match_by_id
    from tests.factories import ArticleFactory, ClaimFactory

    reset_reranker()
    ids = dict(zip((2016, 2020), _import_twice_checked(), strict=True))
    article = ArticleFactory(published_at=dt.datetime(year, 3, 3, 9, 0, tzinfo=dt.UTC))
    claim = ClaimFactory(article=article, text="A post says you can cure the coronavirus by drinking bleach")
    claim_match_by_id(claim_id=claim.pk)
    best = CoverageMatch.objects.filter(claim=claim).order_by("rank").first()
    assert best is not None and best.prior_factcheck_id == ids[year]


@pytest.mark.django_db
def test_a_newer_check_of_another_claim_does_not_mark_down_an_old_check_of_this_one():
    from datetime import date, timedelta

    from coverage.claimreview import ClaimReviewRecord
    from coverage.matching.index import searchdocs_embed
    from coverage.services import prior_factchecks_import

    today = date.today()
    checks = [
        ("Drinking bleach cures the coronavirus.", today - timedelta(days=700)),
        ("Bleach is used to clean hospitals during the coronavirus outbreak.", today - timedelta(days=3)),
        ("The Great Wall of China is visible from space.", today - timedelta(days=30)),
    ]
    report = prior_factchecks_import(
        records=[
            ClaimReviewRecord(url=f"https://checker.example/{n}", claim_reviewed=claim, review_date=day)
            for n, (claim, day) in enumerate(checks)
        ]
    )
    searchdocs_embed(doc_ids=report.stale_doc_ids)
    reset_reranker()
    query = "A viral post says that you can cure the coronavirus by drinking bleach at home"
    seen_then, seen_today = search(query, limit=3, as_of=checks[0][1]), search(query, limit=3, as_of=today)
    assert seen_today[0].text == checks[0][0] == seen_then[0].text
    assert seen_today[0].score == seen_then[0].score, "the claim's day orders, it does not judge"
    assert seen_today[0].strength == "strong"
