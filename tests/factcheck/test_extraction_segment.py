"""Sentence segmentation: exact offsets on hard cases and on arbitrary Unicode."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.extraction import extract
from factcheck.extraction.segment import sentence_spans


def split(text: str) -> list[str]:
    spans = sentence_spans(text)
    for start, end in spans:
        assert 0 <= start < end <= len(text)
        assert text[start:end] == text[start:end].strip()
    return [text[s:e] for s, e in spans]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The U.S. economy grew 3% in 2023. Dr. Smith disagreed.",
            ["The U.S. economy grew 3% in 2023.", "Dr. Smith disagreed."],
        ),
        (
            "Gov. Newsom signed bill No. 42 on Jan. 5. It applies e.g. to renters.",
            ["Gov. Newsom signed bill No. 42 on Jan. 5.", "It applies e.g. to renters."],
        ),
        (
            'He said, "Prices rose. Wages did not." Then he left.',
            ['He said, "Prices rose. Wages did not."', "Then he left."],
        ),
        (
            "“Prices rose. Wages did not,” she said. Then she left.",
            ["“Prices rose. Wages did not,” she said.", "Then she left."],
        ),
        (
            "Unemployment fell to 3.5 percent—the lowest since 1969. Critics were unconvinced.",
            ["Unemployment fell to 3.5 percent—the lowest since 1969.", "Critics were unconvinced."],
        ),
        (
            "J. R. R. Tolkien wrote it. George W. Bush read it.",
            ["J. R. R. Tolkien wrote it.", "George W. Bush read it."],
        ),
        (
            "Sales were $4.5 billion. Costs were 3.2 bn. Is that right? Yes!",
            ["Sales were $4.5 billion.", "Costs were 3.2 bn.", "Is that right?", "Yes!"],
        ),
        # paragraph breaks are hard boundaries, even without a full stop
        (
            "A headline without a stop\nThe body starts here. It goes on.",
            ["A headline without a stop", "The body starts here.", "It goes on."],
        ),
        # a hard-wrapped line that continues in lower case is not a paragraph break
        (
            "The report was\npublished on Monday.\n\n- First item\n- Second item",
            ["The report was\npublished on Monday.", "- First item", "- Second item"],
        ),
        ("Windows\r\nline endings. Work too.", ["Windows\r\nline endings.", "Work too."]),
    ],
)
def test_hard_cases_split_where_a_reader_would(text, expected):
    assert split(text) == expected


def test_empty_and_blank_text_have_no_sentences():
    assert split("") == []
    assert split(" \n\t\n ") == []
    assert extract("") == []


def test_unclosed_quote_does_not_swallow_the_paragraph():
    text = "He measured 5'11\" tall. She was taller. They both left."
    assert len(split(text)) == 3


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=400))
def test_extraction_never_raises_and_offsets_are_exact_for_any_unicode(text):
    for candidate in extract(text):
        assert 0 <= candidate.start < candidate.end <= len(text)
        assert text[candidate.start : candidate.end] == candidate.text
        assert 0.0 <= candidate.checkworthiness <= 1.0


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "Dr.",
                "U.S.",
                "No. 5",
                "“",
                "”",
                '"',
                "—",
                "\n",
                "\n\n",
                "e.g.",
                "3.5%",
                "Trump said",
                "He",
                ".",
                "?",
                " ",
            ]
        ),
        max_size=60,
    ).map(" ".join)
)
def test_offsets_are_exact_on_punctuation_soup(text):
    previous_end = 0
    for candidate in extract(text):
        assert text[candidate.start : candidate.end] == candidate.text
        assert candidate.start >= previous_end
        previous_end = candidate.end
