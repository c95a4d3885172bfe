"""Unique details: values only one source gives inside a clause others share are one finding per
clause, shown as a detail of that claim, and the outlet that carries the clause leaves out the
values, not the claim."""

from __future__ import annotations

import pytest

from samestory.compare import compare
from samestory.enrich import enrich
from samestory.models import Article
from samestory.report import render

# Fictional: the towns, people and outlets are invented for these tests.
AGES = Article(id="d-ages", outlet="Pellow Gazette", title="Mayors meet at the Tarn bridge",
               text=("Mayor Ilsa Brand, 58, met Mayor Oren Vale, 61, at the Tarn bridge on Sunday to sign the toll pact. "
                     "The two towns will split the repair bill for the bridge."))
NO_AGES = Article(id="d-plain", outlet="Tarnside Echo", title="Toll pact signed at Tarn bridge",
                  text=("Mayor Ilsa Brand met Mayor Oren Vale at the Tarn bridge on Sunday to sign the toll pact. "
                        "The two towns will split the repair bill for the bridge."))


@pytest.fixture(scope="module")
def coverage(nlp, embedder):
    return compare(enrich([AGES, NO_AGES], embed=False))


def test_the_values_of_one_clause_are_one_detail_of_the_shared_group(coverage):
    details = [g for g in coverage.claims if g.detail_of]
    assert len(details) == 1, [(g.text, g.note) for g in coverage.claims]
    d = details[0]
    parent = next(g for g in coverage.claims if g.id == d.detail_of)
    assert parent.status == "shared" and set(parent.outlets) == {"Pellow Gazette", "Tarnside Echo"}
    assert d.status == "unique" and d.outlets == ("Pellow Gazette",)
    assert "58" in d.detail and "61" in d.detail
    assert d.evidence[0].text == AGES.text[d.evidence[0].start:d.evidence[0].end]


def test_the_outlet_with_the_clause_leaves_out_the_values_not_the_claim(coverage):
    left_out = [o for o in coverage.omissions if o.outlet == "Tarnside Echo"]
    assert len(left_out) == 1, left_out
    assert left_out[0].text.startswith("age of") and "58" in left_out[0].text
    assert not any(o.outlet == "Pellow Gazette" for o in coverage.omissions)


def test_reports_show_a_detail_once_after_its_claim_and_count_it_apart(coverage):
    md = render(coverage, "md")
    rows = [line for line in md.splitlines() if line.startswith("| ") and "Mayor Ilsa Brand" in line]
    assert [r.split(" | ")[1] for r in rows] == ["shared", "unique detail"]
    assert "1 unique detail" in md
    html = render(coverage, "html")
    assert html.count(">unique detail<") == 1
