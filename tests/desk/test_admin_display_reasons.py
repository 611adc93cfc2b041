"""Names and markup of the 'Why this score' list on the claim page."""

from desk.admin.display import feature_name, score_reasons


def test_feature_names_read_as_words():
    assert feature_name("f:number") == "a number"
    assert feature_name("x:main:f:number") == "a number, from the main speaker"
    assert feature_name("c:prev_question") == "after a sentence with: question"
    assert feature_name("s:asks") == "speaker: asks"
    assert feature_name("f:third_person") == "third person"  # no name given: the key, readable
    assert feature_name("meaning") == "what its words are about"


def test_reasons_list_each_contribution_with_its_direction():
    html = score_reasons(
        {"top": [["f:number", 0.56], ["f:future", -0.44]], "factor": 0.8, "model": "hand-set"}
    )
    assert "a number <span class='desk-why-raises'>raises (+0.56)</span>" in html
    assert "future tense <span class='desk-why-lowers'>lowers (-0.44)</span>" in html
    assert "score x0.80" in html and "hand-set weights" in html


def test_reasons_are_empty_for_claims_without_an_explanation():
    assert score_reasons({}) == "" and score_reasons(None) == "" and score_reasons({"top": "junk"}) == ""
    assert score_reasons({"top": [["f:number", "high"]]}) == ""


def test_an_articles_title_and_lede_are_named_in_the_reasons():
    from factcheck.extraction import explain, extract

    text = "Exports rose 12% in May, the trade ministry said. Imports fell 3% in the same month."
    lede = explain(extract(text, title="Exports up 12% as trade recovers")[0])
    html = str(score_reasons(lede.features))
    assert "the article&#x27;s first sentence" in html or "the article's first sentence" in html
    assert "repeats the article" in html
