"""The parse-free sentence split (text.sentences) on invented text."""

from __future__ import annotations

import pytest

from samestory.text.sentences import split_sentences


def test_closing_quotes_stay_with_their_sentence():
    text = "He said: \u201cWe are ready.\u201d Then he left. The end?\nNew line here"
    assert split_sentences(text) == ["He said: \u201cWe are ready.\u201d", "Then he left.", "The end?", "New line here"]


@pytest.mark.parametrize("text, expected", [
    ("The council met at 9.30 on Monday. It voted.", ["The council met at 9.30 on Monday.", "It voted."]),
    ("Prices rose 2.5 per cent. Wages did not.", ["Prices rose 2.5 per cent.", "Wages did not."]),
    ("it ended. and then", ["it ended. and then"]),  # a lower-case start is not a new sentence
    ("Wait\u2026 Then 40 boats left.", ["Wait\u2026", "Then 40 boats left."]),
    ("", []),
    ("  \n\n ", []),
])
def test_boundaries(text, expected):
    assert split_sentences(text) == expected
