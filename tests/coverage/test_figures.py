"""Figures, dates and names of two texts: what agrees, what differs (pure text)."""

from coverage.matching import figures


def test_different_percentages_disagree_and_say_what_differs():
    cmp = figures.compare("Crime fell 40 percent in the city", "Crime fell 18 percent in the city")
    assert cmp.status[figures.PERCENT] == figures.DISAGREE and cmp.disagrees
    assert cmp.describe() == "40% here, 18% in the fact-check"


def test_the_same_figure_written_differently_agrees():
    cmp = figures.compare("Crime fell 40% last year", "crime dropped forty percent")
    assert cmp.status[figures.PERCENT] == figures.AGREE and not cmp.disagrees
    cmp = figures.compare("They spent $4.5 million on March 3", "On 3 March, 4,500,000 dollars were spent")
    assert cmp.status[figures.MONEY] == figures.AGREE and cmp.status[figures.DATE] == figures.AGREE
    assert cmp.agrees == 2 and cmp.describe() == ""


def test_a_kind_on_one_side_only_is_absent_not_a_disagreement():
    cmp = figures.compare("Crime fell 40 percent in 2019", "Crime fell 40 percent")
    assert cmp.status[figures.YEAR] == figures.ABSENT and not cmp.disagrees


def test_years_and_dates_must_be_equal_not_close():
    cmp = figures.compare("We added 1,200 jobs in 2016", "1.2 thousand jobs were added in 2017")
    assert cmp.status[figures.NUMBER] == figures.AGREE
    assert cmp.status[figures.YEAR] == figures.DISAGREE
    assert cmp.describe("our fact-check") == "2016 here, 2017 in our fact-check"


def test_numbers_inside_names_and_links_are_not_figures():
    assert figures.figures("COVID-19 and 5G towers, says @user2020 https://t.co/abc123 MP3") == ()


def test_names_ignore_sentence_initial_words():
    assert figures.entities("Crime is up. Joe Biden spoke in New York.") == {"joe", "biden", "york"}
    assert figures.entity_overlap("Joe Biden won", "They say Biden lost") == (0.5, 1, 0)
