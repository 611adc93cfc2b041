"""Speaker-role and word-pair features of the check-worthiness scorer, and the CV that chose them."""

import json

import pytest

from factcheck.extraction import Analyser, extract, score_turns
from factcheck.extraction.debates import DebateSentence
from factcheck.extraction.features import bigrams_of, role_interactions, speaker_features, tokens
from factcheck.extraction.scoring import hand_model, load_model, model_from_dict
from factcheck.extraction.training import (
    CT2019_PREFIX,
    average_precision,
    cross_validate,
    event_of,
    training_rows,
)

STATISTIC = "We spent $40 billion on roads last year, more than any other state."
QUESTIONS = [
    "Senator, what would you do about roads?",
    "How will you pay for it?",
    "Why did the budget grow?",
    "Is that a promise?",
]
ANSWERS = [
    "Let me tell you what we did.",
    "We built new bridges in every county.",
    "Our schools got better.",
    "And taxes went down.",
]


def interview() -> list[tuple[str, str]]:
    turns = []
    for q, a in zip(QUESTIONS, ANSWERS, strict=True):
        turns += [("HOST", q), ("SMITH", a)]
    return turns


def test_a_speaker_who_keeps_asking_is_marked_as_asking_and_the_other_as_not():
    analyser = Analyser(hand_model())
    for speaker, text in interview():
        analyser.features(text, speaker=speaker)
    host, _ = analyser.features(STATISTIC, speaker="HOST")
    smith, _ = analyser.features(STATISTIC, speaker="SMITH")
    assert host["s:asks"] == 1.0 and host["s:question_rate"] == 1.0
    assert "s:asks" not in smith and smith["s:question_rate"] == 0.0
    assert "s:few" not in host


def test_speaker_role_needs_evidence_and_a_long_enough_document():
    assert speaker_features(0, 0, 0) == {"s:few": 1.0}
    assert speaker_features(2, 2, 5) == {"s:few": 1.0}
    f = speaker_features(6, 1, 20)
    assert f["s:asks_some"] == 1.0 and f["s:share"] == 0.3 and f["s:main"] == 1.0
    assert "s:minor" in speaker_features(3, 0, 40)


def test_articles_have_no_speaker_features():
    text = "Senator Smith spoke on Monday. What will happen now? " + STATISTIC
    for cand in extract(text):
        assert not any(k.startswith(("s:", "x:")) for k in cand.features["signals"])


def test_signals_are_repeated_under_each_role_flag_of_the_speaker():
    signals = {
        "f:number": 1.0,
        "f:length": 0.4,
        "c:turn_start": 1.0,
        "s:main": 1.0,
        "s:asks": 1.0,
        "s:share": 0.5,
    }
    assert role_interactions(signals) == {
        "x:main:f:number": 1.0,
        "x:main:f:length": 0.4,
        "x:asks:f:number": 1.0,
        "x:asks:f:length": 0.4,
    }
    assert role_interactions({"f:number": 1.0, "s:few": 1.0}) == {}


def test_the_moderator_and_the_candidate_get_their_own_role_signals():
    analyser = Analyser(hand_model())
    for speaker, text in interview():
        analyser.features(text, speaker=speaker)
    host, _ = analyser.features(STATISTIC, speaker="HOST")
    assert host["x:asks:f:number"] == 1.0
    assert not any(k.startswith("x:main:") for k in host)


def test_the_same_statistic_scores_lower_from_the_moderator_than_from_the_candidate():
    turns = interview() + [("HOST", STATISTIC), ("SMITH", STATISTIC)]
    scores = [c.checkworthiness for c in score_turns(turns, model=load_model())]
    assert scores[-1] > scores[-2]


def test_word_pairs_are_adjacent_lower_cased_tokens():
    assert bigrams_of(tokens("Tax cuts cost $2 billion.".lower())) == {
        "tax cuts",
        "cuts cost",
        "cost $",
        "$ 2",
        "2 billion",
    }
    assert bigrams_of(tokens("yes")) == set()


def test_a_word_pair_weight_counts_only_when_the_words_are_adjacent():
    model = model_from_dict({"bias": 0.0, "weights": {"b:tax cuts": 2.0}}, source="test")
    together, apart = (
        extract(text, model=model)[0].checkworthiness
        for text in ("The tax cuts were passed by Congress.", "The cuts in tax were passed by Congress.")
    )
    assert together > apart


def test_ct2019_reannotations_are_renamed_and_grouped_with_their_2020_event(tmp_path):
    for folder, debate, speaker in (
        ("ct2020_task5_debates", "20160926_1pres", "HOLT"),
        ("ct2019_task1_debates", "20160926_1pres", "HOLT"),
    ):
        path = tmp_path / folder / "train"
        path.mkdir(parents=True)
        row = {
            "id": f"{debate}:1",
            "debate": debate,
            "line": 1,
            "speaker": speaker,
            "text": "Hi.",
            "label": 0,
        }
        (path / "sentences.jsonl").write_text(json.dumps(row) + "\n")
    rows = training_rows(tmp_path)
    assert [r.debate for r in rows] == ["20160926_1pres", CT2019_PREFIX + "20160926_1pres"]
    assert len({r.id for r in rows}) == 2
    assert {event_of(r) for r in rows} == {"20160926_1pres"}


def test_average_precision_is_the_score_py_definition():
    assert average_precision([1, 0, 1, 0]) == (1 / 1 + 2 / 3) / 2
    assert average_precision([0, 0]) == 0.0


def test_cross_validation_learns_a_separable_toy_set():
    worthy = ["Unemployment fell from 7.1% to 4.2% in 2023.", STATISTIC]
    rows = []
    for d in range(5):
        lines = [(t, 1) for t in worthy] + [(t, 0) for t in ["Thank you.", "Good evening.", "Yes."] * 4]
        for line, (text, label) in enumerate(lines, 1):
            rows.append(DebateSentence(f"d{d}:{line}", f"d{d}", line, "A", text, label))
    result = cross_validate(rows, folds=5, seeds=(0,))
    assert result["map"] == 1.0 and len(result["per_seed"]) == 1
    assert result["per_fold"] == [1.0] * 5  # one MAP per fold, for the spread


def test_a_repeated_word_pair_counts_once_as_in_training():
    model = model_from_dict({"bias": 0.0, "weights": {"b:tax cuts": 2.0, "b:cuts for": 0.5}}, source="test")
    once = model.score({}, set(), ["tax", "cuts", "for"])
    assert model.score({}, set(), ["tax", "cuts", "for", "tax", "cuts"]) == once
    assert once == model.probability({"b:tax cuts": 1.0, "b:cuts for": 1.0})
    assert model.score({}, set(), ["cuts", "tax"]) == 0.5


def test_word_meaning_weights_are_averaged_over_the_tokens_that_have_one():
    model = model_from_dict(
        {"bias": 0.0, "weights": {"m:jobs": 1.2, "m:billion": 0.6, "m:thanks": -1.5}}, source="t"
    )
    six = ["jobs", "billion", "the", "jobs", "billion", "thanks", "jobs"]
    assert model.meaning(six) == pytest.approx((1.2 * 3 + 0.6 * 2 - 1.5) / 6)
    assert model.meaning(["the", "a"]) == 0.0
    assert model.score({}, set(), ["jobs", "billion"]) > 0.5 > model.score({}, set(), ["thanks"])


def test_a_fragments_meaning_counts_in_proportion_to_its_words():
    """Under MEANING_MIN_WORDS words the mean is taken over that many: "Obamacare." alone
    does not weigh as much as a whole sentence that is all about it."""
    from factcheck.extraction.scoring import MEANING_MIN_WORDS

    model = model_from_dict({"bias": 0.0, "weights": {"m:obamacare": 2.0, "m:cost": 1.0}}, source="t")
    assert MEANING_MIN_WORDS == 5
    assert model.meaning(["obamacare"]) == pytest.approx(2.0 / 5)
    assert model.meaning(["obamacare", "cost", "the"]) == pytest.approx(3.0 / 5)
    assert model.meaning(["obamacare"] * 5) == pytest.approx(2.0)
    assert model.meaning(["obamacare"] * 8) == pytest.approx(2.0)
    assert model.score({}, set(), ["obamacare"]) < model.score({}, set(), ["obamacare"] * 5)


def test_folded_word_weights_equal_the_regression_on_the_mean_word_vector():
    """``semantic_weights`` folds an LR over mean vectors into one scalar per word: same logit."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from factcheck.extraction.training import SEMANTIC_C, semantic_weights, word_vectors

    sentences = [
        ["unemployment", "fell", "to", "percent"],
        ["jobs", "grew", "by", "million"],
        ["thank", "you"],
    ]
    sentences += [["good", "evening"], ["yes"], ["what", "do", "you", "think"]]
    labels = [1, 1, 0, 0, 0, 0]
    bias, scalars = semantic_weights(sentences, labels)
    # Words never in a training sentence get a weight too (the encoder's own vocabulary).
    assert "hospital" in scalars and "tuition" in scalars
    x = np.stack([word_vectors(s).mean(axis=0) for s in sentences])
    clf = LogisticRegression(C=SEMANTIC_C, class_weight="balanced", max_iter=5000).fit(x, labels)
    expected = clf.decision_function(x)
    folded = [bias + sum(scalars[t] for t in s) / len(s) for s in sentences]
    assert np.allclose(folded, expected, atol=1e-4)
    assert folded[0] > folded[2]
