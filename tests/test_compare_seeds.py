"""Acceptance on the reference articles (../shared/seeds; read from there, never copied).

Two outlets tell one event; a careful reader finds the facts both carry and what only one
carries. Assertions use short keywords, not the articles' sentences.
"""

from __future__ import annotations

import json

import pytest

from samestory.compare import compare
from samestory.enrich import enrich
from samestory.models import Article
from samestory.report import render
from samestory.schema import validate


def _load(paths) -> list[Article]:
    from samestory.clean import clean
    from samestory.ingest import read_inputs
    from samestory.models import Failure

    out = []
    for item in read_inputs([str(p) for p in paths]):
        assert not isinstance(item, Failure), str(item)
        out.append(clean(item))
    return out


@pytest.fixture(scope="module")
def seed_coverage(seeds, nlp, embedder):
    return compare(enrich(_load(seeds), embed=False))


def _outlets(cov):
    first, second = cov.articles  # seeds fixture order: the aggregator copy first, then the other outlet
    return first.outlet, second.outlet


def _groups(cov, *words):
    words = [w.lower() for w in words]
    return [g for g in cov.claims if any(all(w in ev.text.lower() for w in words) for ev in g.evidence)]


def _shared(cov, *words) -> bool:
    both = set(_outlets(cov))
    return any(g.status == "shared" and both <= set(g.outlets) for g in _groups(cov, *words))


def _unique_to(cov, outlet, *words) -> bool:
    groups = _groups(cov, *words)
    return bool(groups) and any(g.status == "unique" and g.outlets == (outlet,) for g in groups) and not any(
        g.status == "shared" and all(w.lower() in g.text.lower() for w in words) for g in groups)


SHARED = {
    "years in power": ("1994",),
    "2020 protests and crackdown": ("crackdown", "2020"),
    "staging post for the invasion": ("staging post",),
    "nuclear weapons deployment": ("nuclear weapons",),
    "glorifying the SS claim": ("glorifies",),
}


@pytest.mark.parametrize("fact", list(SHARED))
def test_facts_both_carry_are_shared(seed_coverage, fact):
    assert _shared(seed_coverage, *SHARED[fact]), fact


FIRST_ONLY = {
    "Lukashenko's age": ("69",),
    "Putin's age": ("71",),
    "named officials on the call": ("Kozlov",),
    "more officials on the call": ("Vodopyanov",),
    "another Russian station": ("Molodyozhnaya",),
    "the Belarusian station": ("Vechernyaya",),
    "investigation of analysts": ("analysts",),
    "the downed plane's prisoners": ("65",),
    "the downed plane's dead": ("74",),
    "Medvedev warning": ("Medvedev",),
}
SECOND_ONLY = {
    "detentions figure from the rights group": ("157",),
    "the siege anniversary": ("siege",),
    "the remark about troops": ("troops",),
}


@pytest.mark.parametrize("fact", list(FIRST_ONLY))
def test_what_only_the_first_outlet_carries_is_unique(seed_coverage, fact):
    first, _ = _outlets(seed_coverage)
    assert _unique_to(seed_coverage, first, *FIRST_ONLY[fact]), fact


@pytest.mark.parametrize("fact", list(SECOND_ONLY))
def test_what_only_the_second_outlet_carries_is_unique(seed_coverage, fact):
    _, second = _outlets(seed_coverage)
    assert _unique_to(seed_coverage, second, *SECOND_ONLY[fact]), fact


def test_omissions_name_what_the_other_outlet_left_out(seed_coverage):
    first, second = _outlets(seed_coverage)
    assert any(o.outlet == second and "medvedev" in o.text.lower() for o in seed_coverage.omissions)
    assert any(o.outlet == first and "157" in o.text for o in seed_coverage.omissions)


def test_summary_sentences_cite_both_outlets_for_shared_facts(seed_coverage):
    texts = {a.id: a.text for a in seed_coverage.articles}
    assert seed_coverage.summary
    assert any(len({c.outlet for c in s.citations}) == 2 for s in seed_coverage.summary)
    for s in seed_coverage.summary:
        for c in s.citations:
            assert texts[c.article_id][c.start:c.end] == c.text


def test_seed_reports_render(seed_coverage):
    doc = json.loads(render(seed_coverage, "json"))
    assert validate(doc) == []
    assert doc["story"]["sources"] == 2 and len(doc["articles"]) == 2
    page = render(seed_coverage, "html")
    assert "<script" not in page.lower()
    assert "## Summary" in render(seed_coverage, "md")
