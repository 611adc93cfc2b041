"""Claimants, claim types, scores, selection and the seed article, on the pure extractor."""

import json
import math
from pathlib import Path

import pytest

from factcheck.extraction import Candidate, explain, extract, select
from factcheck.extraction.scoring import MODEL_PATH, load_model

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_c49d0d57fcaaee0c.txt"


def by_text(text: str) -> dict[str, Candidate]:
    return {c.text: c for c in extract(text)}


def claimant_of(text: str, sentence: str) -> str:
    return by_text(text)[sentence].claimant


@pytest.mark.parametrize(
    ("text", "sentence", "claimant"),
    [
        ("“Prices rose 5% last year,” Trump said.", None, "Trump"),
        ("“Prices rose 5% last year,” said Janet Yellen.", None, "Janet Yellen"),
        ("Putin reportedly expressed optimism about a deal.", None, "Putin"),
        ("According to the Kremlin, the call lasted 90 minutes.", None, "Kremlin"),
        ("In a statement, Sen. Maria Lopez said the bill cut taxes by $2 billion.", None, "Maria Lopez"),
        ("The Kremlin, in a separate statement, confirmed that the call lasted 90 minutes.", None, "Kremlin"),
        ("Trump, in a post on Truth Social, described the call as “productive.”", None, "Trump"),
        ("The health ministry reported 12 new cases.", None, "Health ministry"),
        ("Unemployment fell to 3.5% in 2023.", None, ""),
        (
            "Governor Ann Carter visited the plant. She added that 400 jobs were created.",
            "She added that 400 jobs were created.",
            "Ann Carter",
        ),
        (
            "President Donald Trump spoke on Monday. He said he would call President Volodymyr "
            "Zelensky today. He added that talks would start soon.",
            "He added that talks would start soon.",
            "Donald Trump",
        ),
        (
            "President Donald Trump spoke on Monday. He said he would call President Volodymyr Zelensky today.",
            "He said he would call President Volodymyr Zelensky today.",
            "Donald Trump",
        ),
        (
            "U.S. President Donald Trump spoke on Monday. “We had a great call,” Trump said.",
            "“We had a great call,” Trump said.",
            "Donald Trump",
        ),
        (
            "Secretary of State Marco Rubio flew to Riyadh. Rubio said talks had started.",
            "Rubio said talks had started.",
            "Marco Rubio",
        ),
    ],
)
def test_claimant_patterns(text, sentence, claimant):
    assert claimant_of(text, sentence or text) == claimant


def test_quote_holds_the_quoted_words():
    (cand,) = extract("“The economy grew 3% last year,” Trump said.")
    assert cand.quote == "The economy grew 3% last year"
    assert extract("The economy grew 3% last year.")[0].quote == ""


@pytest.mark.parametrize(
    ("sentence", "claim_type"),
    [
        ("Unemployment fell to 3.5% in 2023.", "quantity"),
        ("Inflation rose because the central bank printed money.", "causal"),
        ("The economy will grow next year, the minister predicted.", "prediction"),
        ("The new law makes it illegal to sell the drug.", "rules"),
        ("I was in the room when they signed it, she recalled.", "personal"),
        ("“The talks were productive,” Smith said.", "quote"),
        ("The meeting took place in a hotel.", "other"),
        # A number that only dates the sentence is not a statistic; a change is a quantity.
        ("The meeting took place in March 2024.", "other"),
        ("On Feb. 12, the two leaders spoke by phone.", "other"),
        ("The war was triggered by Russia’s 2022 invasion.", "causal"),
        ("The call on Feb. 12 lasted 90 minutes.", "quantity"),
        ("He met 12 mayors on March 3rd.", "quantity"),
        ("Crime rose in 2023.", "quantity"),
    ],
)
def test_claim_types(sentence, claim_type):
    assert extract(sentence)[0].claim_type == claim_type


def test_statistic_attributed_to_a_person_beats_opinion_and_prediction():
    text = (
        "Finance minister Jane Doe said unemployment fell from 7.1% to 4.2% between 2019 and 2023.\n"
        "I think this is a wonderful city.\n"
        "Prices will probably go up next year.\n"
        "Thank you all for coming!"
    )
    scores = [c.checkworthiness for c in extract(text)]
    assert scores[0] > max(scores[1:])
    assert scores[0] >= 0.5 > max(scores[1], scores[3])


def test_fragments_rank_below_whole_claims():
    """A transcript's fragments ("Ninety-eight percent.") name a topic or a figure but
    claim nothing checkable on their own; the trained model put them first on dev until
    the word meaning was averaged over at least five words (scoring.MEANING_MIN_WORDS)."""
    text = (
        "Obamacare. Ninety-eight percent. Three-point-two million.\n\n"
        "Democratic lawmakers have voted against legislation to close deadly immigration "
        "loopholes. The military got its first pay increase in over 10 years."
    )
    scores = [c.checkworthiness for c in extract(text, news_weights={})]  # the model alone
    assert len(scores) == 5
    assert max(scores[:3]) < min(scores[3:])


def test_features_explain_the_score():
    (cand,) = extract("Unemployment fell to 3.5% in 2023, the lowest since 1969.")
    assert "f:number" in cand.features["signals"]
    explain(cand)
    assert cand.features["model"] == "trained"
    assert any(name == "f:number" for name, _ in cand.features["top"])


def test_the_explanation_shows_the_words_and_their_meaning_as_one_entry_each():
    from factcheck.extraction.scoring import model_from_dict

    weights = {
        "f:number": 1.0,
        "w:unemployment": 0.5,
        "b:fell to": 0.25,
        "m:unemployment": 0.9,
        "m:fell": 0.3,
    }
    model = model_from_dict({"bias": -1.0, "weights": weights}, source="test")
    (cand,) = extract("Unemployment fell to 3.5% in 2023.", model=model, news_weights={})
    top = dict(explain(cand, model).features["top"])
    assert top["f:number"] == 1.0
    assert top["words"] == 0.75  # the word and the pair
    # (0.9 + 0.3) / 5: tokens without a weight do not count, and under five words the
    # mean is taken over five (scoring.MEANING_MIN_WORDS).
    assert top["meaning"] == 0.24
    # Together they are the logit the score came from (no claim-type factor here).
    assert cand.features["factor"] == 1.0
    logit = model.bias + sum(model.contributions(cand.features["signals"]).values()) + 0.75 + 0.24
    assert abs(cand.checkworthiness - 1 / (1 + math.exp(-logit))) < 1e-4


def test_near_duplicates_are_merged_and_limit_and_threshold_hold():
    text = (
        "Unemployment fell to 3.5% in 2023, the minister said.\n"
        "The minister said unemployment fell to 3.5% in 2023.\n"
        "Exports rose by 12% to $40 billion in 2022.\n"
        "Hello."
    )
    cands = extract(text)
    chosen = select(cands, threshold=0.0, limit=10)
    assert len(chosen) == 3  # the two unemployment sentences became one
    assert [c.checkworthiness for c in chosen] == sorted((c.checkworthiness for c in chosen), reverse=True)
    assert len(select(cands, threshold=0.0, limit=1)) == 1
    assert select(cands, threshold=1.01, limit=10) == []


def test_scorer_falls_back_to_hand_weights_without_the_artifact(tmp_path, caplog):
    model = load_model(str(tmp_path / "missing.json"))
    assert model.source == "hand-set"
    assert "hand-set" in caplog.text
    cands = extract("Unemployment fell to 3.5% in 2023. Thanks!", model=model)
    assert cands[0].checkworthiness > cands[1].checkworthiness
    assert cands[0].features["model"] == "hand-set"


def test_committed_artifact_is_small_json_with_provenance():
    assert MODEL_PATH.stat().st_size < 5 * 1024 * 1024
    data = json.loads(MODEL_PATH.read_text())
    assert data["meta"]["command"].startswith("python manage.py train_checkworthiness")
    assert "ct2020_task5_debates/train/sentences.jsonl" in data["meta"]["data"]
    assert not any("dev" in name for name in data["meta"]["data"])


def test_seed_article_check_worthy_statements_with_sensible_claimants():
    text = SEED.read_text(encoding="utf-8")
    cands = extract(text)
    for c in cands:
        assert text[c.start : c.end] == c.text
    chosen = select(cands, threshold=0.5, limit=25)
    found = {c.text.split()[0] + " " + c.text.split()[1]: c for c in chosen}
    kremlin = next(c for c in chosen if "90 minutes" in c.text)
    assert kremlin.claimant == "Kremlin"
    assert kremlin.claim_type == "quantity"
    lives = next(c for c in chosen if "loss of millions of lives" in c.text)
    assert lives.claimant == "Donald Trump"
    assert lives.quote.startswith("We both agree")
    putin = next(c for c in chosen if c.text.startswith("Putin reportedly"))
    assert putin.claimant == "Vladimir Putin"
    assert putin.claim_type != "quantity"  # "Russia's 2022 invasion": a year, not a figure
    # the article's own framing and the promise to call Zelensky are not selected
    assert not any(c.text.startswith("With this high-stakes dialogue") for c in chosen)
    assert not any(c.text.startswith("“We have also agreed") for c in chosen)
    assert 4 <= len(found) <= 9
    by_start = {c.start: c for c in cands}
    for opening in ("He added", "He further noted"):
        pronoun = next(c for c in by_start.values() if c.text.startswith(opening))
        assert pronoun.claimant == "Donald Trump"
