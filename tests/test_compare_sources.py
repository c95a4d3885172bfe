"""The number table and framing count independent sources as the claims stage does
(``claims.source_keys``: one agency's wire story in two outlets is one source), and number rows
name what a figure counts, not the figure ("AT LEAST seven", "14")."""

from __future__ import annotations

import pytest

from samestory.compare import compare
from samestory.enrich import enrich
from samestory.dedup import source_keys
from samestory.models import Article

# Fictional: the town, the storm and the outlets are invented for these tests.
WIRE = ("GRESTOW (Wire Press) — A hailstorm tore the roof off the Grestow market hall on Sunday, and the "
        "council's handling of the warnings was a fiasco, residents said. Crews cleared 38 fallen trees from "
        "the ring road overnight.")
ASHBY = Article(id="n-ashby", outlet="Ashby Post", title="Hail wrecks Grestow market",
                text=WIRE + "\n\nThe Post's readers sent photographs of hailstones the size of walnuts from the old quarter.")
KELM = Article(id="n-kelm", outlet="Kelm Evening News", title="Storm damage in Grestow",
               text=WIRE + "\n\nTraders in Kelm said they would lend stalls to the Grestow market until the hall reopens.")
OWN = Article(id="n-own", outlet="Grestow Courant", title="Market hall roof lost",
              text=("The roof of the market hall came down in Sunday's hailstorm. At least seven were treated "
                    "in hospital for cuts. The town clerk said the hall would be closed for a month."))
STORY = [ASHBY, KELM, OWN]


@pytest.fixture(scope="module")
def coverage(nlp, embedder):
    return compare(enrich(STORY, embed=False))


def test_the_wire_outlets_are_one_source():
    keys = source_keys(STORY)
    assert keys[0] == keys[1] != keys[2]


def test_a_figure_only_one_wire_story_gives_is_single_with_both_outlets(coverage):
    rows = [r for r in coverage.numbers if any(v.value == "38" for v in r.values)]
    assert len(rows) == 1, rows
    row = rows[0]
    assert {v.outlet for v in row.values} == {"Ashby Post", "Kelm Evening News"}
    assert row.status == "single"  # two outlets, one independent source: nobody confirms it


def test_a_loaded_word_in_one_wire_story_is_not_compared_across_outlets(coverage):
    loaded = [lw.word for f in coverage.framing for lw in f.loaded if f.article_id != "n-own"]
    assert "fiasco" in loaded  # found in each wire outlet ...
    # ... but one source using a word is no difference in presentation between independent outlets
    word_attributions = [a for f in coverage.framing for a in f.attributions if a.get("word") == "fiasco"]
    assert word_attributions == []


def _row_with(coverage, value):
    rows = [r for r in coverage.numbers if any(v.value == value for v in r.values)]
    assert rows, f"no number row with {value!r}: {[(r.subject, [v.value for v in r.values]) for r in coverage.numbers]}"
    return rows[0]


def test_a_count_without_a_noun_is_about_what_happened_to_it(coverage):
    row = _row_with(coverage, "7")
    assert "seven" not in row.subject.lower() and "least" not in row.subject.lower(), row.subject
    assert "treated" in row.subject.lower(), row.subject
