"""What two claim texts state differently: figures, dates, names, direction, denial."""

import pytest

from factcheck.extraction.compare import differences, facts, strip_furniture


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Waiting lists fell by 12 percent last year.", "Hospital waiting lists fell by 12% last year."),
        (
            "We have hired 4,000 new nurses since 2023.",
            "The government had hired 4,000 more nurses since 2023.",
        ),
        ("It costs £4 million a year.", "It costs £4,000,000 a year."),
        ("On 3 March the Army sent texts.", "On March 3rd the Army sent texts."),
        ("Crime fell 18%.", "Crime fell 18% last year, police say."),  # an addition is no conflict
        ("Hospital waiting lists fell.", "Waiting lists fell in hospitals."),
    ],
)
def test_the_same_claim_in_other_words_has_no_differences(a, b):
    assert differences(a, b) == []


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Crime fell 18% in the city.", "Crime fell 40% in the city.", ["figure: 18% / 40%"]),
        ("Crime fell in 2023.", "Crime fell in 2019.", ["date: 2023 / 2019"]),
        ("The vaccine was approved in May.", "The vaccine was approved in June.", ["date: May / Jun"]),
        ("Police say Smith lied.", "Police say Jones lied.", ["name: smith / jones"]),
        ("Unemployment fell last year.", "Unemployment rose last year.", ["direction: down / up"]),
        ("It rose 3.5 percentage points.", "It rose 3.5%.", ["figure: 3.5 pts / 3.5%"]),
    ],
)
def test_a_different_figure_date_name_or_direction_is_named(a, b, expected):
    assert differences(a, b) == expected


def test_an_embedded_tweets_byline_is_not_part_of_the_claim():
    tweet = "Minecraft is NOT closing. — Helen Z (@HelenAngel) January 2, 2020"
    assert strip_furniture(tweet) == "Minecraft is NOT closing."
    assert differences(tweet, "Minecraft is NOT closing — Bob (@bob) March 1, 2021") == []


def test_a_year_is_a_date_not_a_figure():
    found = facts("Crime fell in 2023, police figures show, by 2,500 cases.")
    assert (found.dates, found.figures) == ({"2023"}, {"2,500"})


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # a name only one text has is a detail it adds
        ("Police say Smith lied to the council.", "Police in Leeds say Smith lied to the council."),
        # names in different places of the two texts
        ("Soros funds BLM and Antifa.", "George Soros said helping the Nazis was a happy time."),
        # one person, named fully in one text and by title and surname in the other
        ("I always said Barack Obama will attack Iran.", "I predict that President Obama will attack Iran."),
        # a handle or a hashtag is the words it glues
        ("I always said @BarackObama will attack Iran.", "I always said Barack Obama will attack Iran."),
        ("Cancel your NFL package with #DirectTV now.", "Cancel your NFL package with Direct TV now."),
        # case, possessive and plural
        (
            "Fury over the NFL's crackdown on tribute cleats.",
            "Fury over the NFL crackdown on tribute cleats.",
        ),
        ("Soros helped the Nazis, he said.", "Soros helped the Nazi regime, he said."),
        # an amount with and without its currency; an ordinal is no figure
        ("Schumer took $6.4 million in expenses.", "Schumer took 6.4 million in expenses."),
        ("Oaks were planted in the 19th century.", "Oaks were planted 160 years ago."),
    ],
)
def test_details_one_text_adds_are_no_conflict(a, b):
    assert differences(a, b) == []


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("Crime fell in London last year.", "Crime fell in Paris last year.", ["name: london / paris"]),
        (
            "The mayor, Smith, lied about crime.",
            "The mayor, Jones, lied about crime.",
            ["name: smith / jones"],
        ),
        (
            "Joe Biden took money from Ukraine.",
            "Hunter Biden took money from Ukraine.",
            ["name: joe biden / hunter biden"],
        ),
        # a name each text adds elsewhere does not hide the one that was swapped
        (
            "Police in Leeds say Smith lied.",
            "Police say Jones lied, Reuters reports.",
            ["name: smith / jones"],
        ),
        # a handle is a name too, in its slot
        ("Thank you @Pepsi for this.", "Thank you @CocaCola for this.", ["name: pepsi / coca cola"]),
        # the same amount in two currencies is two figures
        ("It costs $5 million a year.", "It costs £5 million a year.", ["figure: $5,000,000 / £5,000,000"]),
        (
            "Crime fell 18% and 2,500 fewer cases.",
            "Crime fell 40% and 2,500 fewer cases.",
            ["figure: 18% / 40%"],
        ),
    ],
)
def test_two_names_in_one_slot_conflict(a, b, expected):
    assert differences(a, b) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (
            "Electric cars produce more emissions than petrol cars.",
            "Electric cars produce fewer emissions than petrol cars.",
            ["direction: up / down"],
        ),
        (
            "The government cut taxes for small businesses.",
            "The government raised taxes for small businesses.",
            ["direction: down / up"],
        ),
        (
            "The vaccine causes infertility.",
            "The vaccine does not cause infertility.",
            ["negation: cause, infertility denied by one text, stated by the other"],
        ),
        (
            "Masks never stopped the virus spreading.",
            "Masks stopped the virus spreading, the study says.",
            ["negation: spreading, stopped, virus denied by one text, stated by the other"],
        ),
    ],
)
def test_a_claim_and_its_opposite_or_denial_conflict(a, b, expected):
    assert differences(a, b) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        # A negation that denies nothing the other text states is no conflict.
        (
            "Ilhan Omar wants lighter sentences for ISIS recruits. Not kidding.",
            "Ilhan Omar wants lighter sentences for ISIS recruits.",
        ),
        ("The vaccine does not cause infertility.", "No, the vaccine doesn't cause infertility."),
        ("Crime fell 18%, not 40%.", "Crime fell 18%."),
    ],
)
def test_a_negation_elsewhere_or_on_both_sides_is_no_conflict(a, b):
    assert differences(a, b) == []
