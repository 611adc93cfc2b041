"""The grouping's pair model and candidate choice: pure functions, no database."""

from collections import Counter

from coverage.matching import grouping
from factcheck.extraction import compare

STORED = [
    "The government said taxes will rise next year.",
    "The government said the budget is balanced.",
    "The government wants more police on the streets.",
    "Someone changed the Hollywood sign to read Hollyweed overnight.",
]


def idf_of(texts: list[str], query: str) -> grouping.Idf:
    signals = [grouping.signals(t) for t in texts]
    counts = Counter(w for s in signals for w in s.terms)
    return grouping.Idf(counts, len(texts), grouping.signals(query).terms)


def test_a_shared_rare_word_weighs_more_than_a_shared_common_word():
    query = "The government sign changed"
    idf = idf_of(STORED, query)
    mine = grouping.signals(query)
    common = grouping.signals("the government")  # in three stored texts
    rare = grouping.signals("the sign")  # in one
    assert grouping.overlap(mine, common) == grouping.overlap(mine, rare)
    assert grouping.idf_cosine(mine, rare, idf) > grouping.idf_cosine(mine, common, idf)


def test_word_counts_include_the_new_claim_once():
    idf = grouping.Idf(Counter({"sign": 1}), 4, frozenset({"sign", "hollyweed"}))
    assert idf.docs == 5
    assert idf("sign") < idf("hollyweed") == idf("unknown")


def test_probability_grows_with_either_feature():
    low = grouping.probability({"cosine": 0.5, "idf_cosine": 0.2})
    assert grouping.probability({"cosine": 0.7, "idf_cosine": 0.2}) > low
    assert grouping.probability({"cosine": 0.5, "idf_cosine": 0.6}) > low
    assert 0.0 < low < 1.0


def test_the_issue_paraphrases_are_likely_and_an_unrelated_claim_is_not():
    stored = [
        "Waiting lists fell by 12 percent last year.",
        "We have hired 4,000 new nurses since 2023.",
        *STORED,
    ]
    idf = idf_of(stored, "Hospital waiting lists fell by 12% last year.")
    a = grouping.signals("Hospital waiting lists fell by 12% last year.")
    b = grouping.signals(stored[0])
    unrelated = grouping.signals(stored[1])
    # the cosines of their MiniLM vectors: 0.83 and 0.25
    same = grouping.probability(grouping.features(0.83, a, b, idf))
    other = grouping.probability(grouping.features(0.25, a, unrelated, idf))
    assert same >= grouping.DEFAULT_THRESHOLDS.auto > other


def test_a_near_copy_with_another_figure_does_not_hide_the_true_repeat():
    query = "Crime fell 18% in the city last year, the mayor said."
    texts = [
        "Crime fell 40% in the city last year, the mayor said.",  # most alike, another figure
        "The mayor said crime in the city fell 18% last year.",
    ]
    index, decision = grouping.choose(
        [(0.95, 7), (0.80, 7)], lambda i: compare.differences(query, texts[i]), words=7
    )
    assert (index, decision.outcome) == (1, "auto")


def test_when_nothing_is_automatic_the_best_candidate_is_suggested_with_what_differs():
    query = "Crime fell 18% in the city last year, the mayor said."
    texts = ["Crime fell 40% in the city last year, the mayor said.", "Crime rose in the city."]
    asked = []

    def differences(i: int) -> list[str]:
        asked.append(i)
        return compare.differences(query, texts[i])

    index, decision = grouping.choose([(0.95, 7), (0.10, 3)], differences, words=7)
    assert (index, decision.outcome, decision.differences) == (0, "suggest", ["figure: 18% / 40%"])
    assert asked == [0]  # a candidate below ``auto`` is never compared


def test_short_texts_are_never_automatic_whichever_candidate():
    index, decision = grouping.choose([(0.99, 2), (0.98, 2)], lambda i: [], words=2)
    assert (index, decision.outcome, decision.short) == (0, "suggest", True)


def test_no_candidate_no_choice():
    assert grouping.choose([], lambda i: [], words=5) is None
