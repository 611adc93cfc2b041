"""Claimants as news names them: roles, organisations, "according to", relative clauses,
pronouns across sentences and quotes, and the fullest name seen; never a fragment."""

import pytest

from factcheck.extraction import extract


def claimants(text: str) -> list[tuple[str, str]]:
    return [(c.text, c.claimant) for c in extract(text)]


def claimant_of(text: str, sentence: str) -> str:
    return dict(claimants(text))[sentence]


@pytest.mark.parametrize(
    ("text", "sentence", "claimant"),
    [
        # role nouns and descriptions
        (
            "The health minister said on Tuesday that waiting lists fell by 12 percent.",
            None,
            "Health minister",
        ),
        ("The opposition leader said crime rose by 20 percent.", None, "Opposition leader"),
        (
            "A spokesperson for the ministry said 200 schools had closed.",
            None,
            "Spokesperson for the ministry",
        ),
        ("Critics say the plan will cost $4 billion.", None, "Critics"),
        ("Officials at the port said exports fell 6% in May.", None, "Officials at the port"),
        (
            "South African mayor Mzwandile Masina said the city spent R2 billion on water.",
            None,
            "Mzwandile Masina",
        ),
        # organisations
        (
            "According to the state Department of Justice, arrests fell by 8 percent last year.",
            None,
            "State Department of Justice",
        ),
        ("Rents rose 9% in a year, the housing charity said.", None, "Housing charity"),
        # reporting verb before and after the quote, and after the claim
        (
            "“The vaccine is safe for children,” said immunologist Dr Elizabeth Mayne.",
            None,
            "Elizabeth Mayne",
        ),
        ("“Exports doubled,” the trade minister told reporters.", None, "Trade minister"),
        ("Waiting lists fell by a third, the health secretary said on Monday.", None, "Health secretary"),
        # a name with its description between commas
        (
            "Haresh Kamath, a specialist in energy storage at a research institute, said batteries "
            "were 40% cheaper than in 2020.",
            None,
            "Haresh Kamath",
        ),
        # relative clauses
        (
            "The council approved the scheme, which Okafor said would create 3,000 new homes.",
            None,
            "Okafor",
        ),
    ],
)
def test_claimant_of_one_sentence(text, sentence, claimant):
    assert claimant_of(text, sentence or text) == claimant


def test_pronoun_after_a_role_noun_is_that_role():
    text = (
        "The health minister said on Tuesday that waiting lists fell by 12 percent. "
        "Some 4,000 more patients were treated in May, she told reporters."
    )
    assert [who for _, who in claimants(text)] == ["Health minister", "Health minister"]


def test_role_noun_resolves_to_the_person_named_with_it_earlier():
    text = (
        "Health Minister Jane Doe opened the clinic on Monday. "
        "Later the health minister said 500 nurses had been hired. "
        "She added that the budget grew by 4%."
    )
    assert [who for _, who in claimants(text)] == ["", "Health Minister Jane Doe", "Health Minister Jane Doe"]


def test_a_description_is_not_another_holder_of_a_similar_role():
    text = "Finance Minister John Roe spoke first. The health minister said 500 nurses had been hired."
    assert claimant_of(text, "The health minister said 500 nurses had been hired.") == "Health minister"


def test_appositive_name_after_a_description_is_the_claimant():
    text = "Nurse numbers are up by 8%, the health secretary, Amara Okafor, said."
    assert claimant_of(text, text) == "Amara Okafor"


def test_he_skips_an_organisation_and_a_woman_named_later():
    text = (
        "Senator John Smith visited the ward. "
        "Officials at the CDC warned that measles cases doubled. "
        "Dr Mary Jones, a paediatrician, said 40 children were treated. "
        "He also tweeted a photo of the ward."
    )
    assert claimant_of(text, "He also tweeted a photo of the ward.") == "John Smith"


def test_pronoun_after_a_quote_spanning_sentences_is_the_speaker():
    text = (
        "Mayor Lucia Moreau defended the budget. "
        "“We cut waste by 10 percent. Not one school closed,” she said."
    )
    assert (
        claimant_of(text, "“We cut waste by 10 percent. Not one school closed,” she said.") == "Lucia Moreau"
    )


def test_quote_running_over_paragraphs_takes_the_speaker_named_at_its_end():
    text = (
        "Mayor Lucia Moreau defended the budget on Monday.\n\n"
        "“Waiting lists are down by a third since January.\n\n"
        "“We have hired 500 nurses,” she said."
    )
    assert [who for _, who in claimants(text)] == ["", "Lucia Moreau", "Lucia Moreau"]


def test_it_is_the_organisation_and_they_the_group():
    text = (
        "The Electoral Commission published its audit. It said 2% of ballots were spoiled. "
        "Opposition lawmakers disputed the audit. They said turnout was overstated by 5%."
    )
    found = dict(claimants(text))
    assert found["It said 2% of ballots were spoiled."] == "Electoral Commission"
    assert found["They said turnout was overstated by 5%."] == "Opposition lawmakers"


def test_generic_organisation_and_acronym_resolve_to_the_name_seen():
    text = (
        "The International Energy Agency (IEA) published its report on Monday. "
        "Solar capacity doubled in two years, says the organisation. "
        "Coal use fell 3%, says the IEA."
    )
    assert [who for _, who in claimants(text)][1:] == ["International Energy Agency"] * 2


def test_surname_expands_to_the_full_name_seen():
    text = "Deputy Mayor Tomas Novak opened the depot. Novak said bus fares fell 10%."
    assert claimant_of(text, "Novak said bus fares fell 10%.") == "Tomas Novak"


@pytest.mark.parametrize(
    "text",
    [
        "The U.S. economy grew. “It was strong,” he said.",
        "U.S. officials met. “Exports doubled,” U.S. said.",
        "“Taxes rose,” he said.",
    ],
)
def test_a_claimant_is_never_a_fragment(text):
    for _sentence, who in claimants(text):
        assert who == "" or len(who.replace(".", "")) >= 2 and who != "U"


def test_sentences_without_attribution_have_no_claimant():
    text = "Unemployment fell to 3.5% in 2023. The plant employs 400 people and opened in 1998."
    assert [who for _, who in claimants(text)] == ["", ""]


def test_a_sentence_that_ends_after_a_plain_word_is_split():
    text = "The economy added 31,500 new jobs for the month. Ruiz added that wages rose 7% over the year."
    assert claimants(text) == [
        ("The economy added 31,500 new jobs for the month.", ""),
        ("Ruiz added that wages rose 7% over the year.", "Ruiz"),
    ]


@pytest.mark.parametrize("ending", ["\n", "\r\n", " ", "  "])
def test_the_split_holds_for_every_line_ending(ending):
    text = f"Prices rose 2 per cent.{ending}Ruiz said wages rose 7%.\r\nThe bank cut rates by 0.5 percent."
    assert [c.text for c in extract(text)] == [
        "Prices rose 2 per cent.",
        "Ruiz said wages rose 7%.",
        "The bank cut rates by 0.5 percent.",
    ]


def test_abbreviations_in_lower_case_still_hold_a_sentence_together():
    (one,) = extract("The site covers approx. 40 hectares and cost $3 million.")
    assert one.text.startswith("The site covers approx. 40")


def test_the_claimant_sets_hold_200_attributed_sentences_in_two_splits():
    from bench import claimants as bench

    split = {name: bench.parse(bench.DATA / f"{name}.txt") for name in ("train", "dev")}
    attributed = [s for arts in split.values() for a in arts for s in a.sentences() if s.claimants]
    assert len(attributed) >= 200 and all(split.values())
    titles = {name: {a.title for a in arts} for name, arts in split.items()}
    assert not titles["train"] & titles["dev"]


def test_a_set_row_without_a_claimant_column_is_refused_with_its_line(tmp_path):
    from bench import claimants as bench

    bad = tmp_path / "set.txt"
    bad.write_text("=== Title\nA sentence without a tab.\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"set.txt:2: expected"):
        bench.parse(bad)


BACKGROUND_FIRST = (
    "Posts shared on social media claim that most of Kharkiv's residents fled the city within a week.\n\n"
    "The city council denied that most residents had fled, saying about a third had left. "
    "As of March 2, 2022, fighting was ongoing in Kharkiv, 40 km from the border, on the 7th day. "
    "The city had 1.4 million residents in 2021."
)
TITLE = "Did most residents flee Kharkiv within a week?"


def rank_of(candidates, prefix: str) -> int:
    ranked = sorted(candidates, key=lambda c: (-c.checkworthiness, c.start))
    return next(i for i, c in enumerate(ranked) if c.text.startswith(prefix))


def test_title_lifts_the_sentence_that_states_the_claim_above_dated_background():
    plain = extract(BACKGROUND_FIRST, news_weights={})
    news = extract(BACKGROUND_FIRST, title=TITLE)
    assert rank_of(plain, "As of March 2") < rank_of(plain, "Posts shared")  # the model alone
    assert rank_of(news, "Posts shared") == 0


def test_the_claim_ranks_above_the_report_of_its_rebuttal():
    news = extract(BACKGROUND_FIRST, title=TITLE)
    assert rank_of(news, "Posts shared") < rank_of(news, "The city council denied")


def test_why_this_score_names_the_title_and_the_lede():
    from factcheck.extraction import explain

    cand = next(c for c in extract(BACKGROUND_FIRST, title=TITLE) if c.text.startswith("Posts shared"))
    top = dict(explain(cand).features["top"])
    assert top["n:title"] > 0
    lede = explain(extract(BACKGROUND_FIRST, title=TITLE)[0]).features["top"]
    assert "n:lede" in dict(lede)


def test_transcripts_get_no_position_or_title_signals():
    from factcheck.extraction import score_turns

    turns = [("TRUMP", "Unemployment fell to 3.5% in 2019."), ("HOLT", "Thank you.")]
    assert all("position" not in c.features for c in score_turns(turns))


def test_seed_article_keeps_the_officials_list_and_drops_the_characterisation():
    from pathlib import Path

    from editorial.importers import title_from_text
    from factcheck.extraction import select

    seed = Path(__file__).resolve().parents[2] / "seeds" / "000_c49d0d57fcaaee0c.txt"
    title, body = title_from_text(seed.read_text(encoding="utf-8"))
    chosen = select(extract(body, title=title), threshold=0.5, limit=25)
    officials = next(c for c in chosen if "would spearhead the negotiation efforts" in c.text)
    assert officials.claimant == "Donald Trump" and officials.claim_type != "prediction"
    assert not any("lengthy and highly productive" in c.text for c in chosen)
    assert not chosen[0].text.startswith("Putin reportedly")
    quotes = [c for c in chosen if c.text.startswith("“")]
    assert quotes and all(c.claimant == "Donald Trump" for c in quotes)


def test_a_title_cut_from_the_first_sentence_is_not_counted_again():
    text = "Exports rose 12% in May, the trade ministry said. Imports fell 3% in May."
    (lede, _), (again, _) = extract(text, title="Exports rose 12% in May, the…"), extract(text)
    assert "n:title" not in lede.features.get("position", {})
    assert lede.checkworthiness == again.checkworthiness


def test_extraction_runs_without_the_training_or_embedding_dependencies():
    """The artifact is plain JSON: extracting imports neither scikit-learn, numpy nor the
    sentence encoder (the embedding extra), so a worker without them scores the same."""
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "import sys\n"
        "from factcheck.extraction import extract\n"
        "c = extract('Unemployment fell to 3.5% in 2023, the minister said.', title='Jobs')[0]\n"
        "assert c.features['model'] == 'trained', c.features\n"
        "print(sorted(m for m in ('sklearn', 'numpy', 'onnxruntime', 'core.embedding', 'django') if m in sys.modules))\n"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stderr


def test_a_sentence_alone_gets_no_lede_shift():
    (alone,) = extract("Unemployment fell to 3.5% in 2023.")
    (plain,) = extract("Unemployment fell to 3.5% in 2023.", news_weights={})
    assert alone.checkworthiness == plain.checkworthiness
    assert "position" not in alone.features
