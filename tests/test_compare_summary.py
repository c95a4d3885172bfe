"""compare.summary.is_fragment: what may stand alone as a summary sentence (invented sentences)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from samestory.compare.summary import is_fragment


def _info(text: str):
    return SimpleNamespace(claim=SimpleNamespace(text=text), words=text.split())


@pytest.mark.parametrize("text", [
    "He reiterated that the council had recalled its envoy from the capital on Sunday.",
    "It said: \"We want the story here to be the festival of sport.\"",
    "But so far the new government has been powerless to stop the flooding.",
    "In the end they agreed to meet again in May, officials said.".replace("In the end they", "They"),
    "Once Again Delays Broadcast of the Harbour Bridge Story",  # a headline line
    "Justice Breyer asked.",  # too short
    "and the ferry was late again on Monday morning.",  # a clause cut
])
def test_fragments(text):
    assert is_fragment(_info(text))


@pytest.mark.parametrize("text", [
    "The council recalled its envoy from the capital on Sunday.",
    "“I am a thorn in his side,” the mayor said of the minister.",  # a quote's "I" is its speaker's
    "Harbour Bridge Reopens After Storm Damage Is Repaired.",  # a full stop: a sentence, whatever its case
    "12 people died when the Harlow dam failed on Tuesday.",
])
def test_sentences_that_stand_alone(text):
    assert not is_fragment(_info(text))
