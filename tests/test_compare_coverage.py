"""compare(): the story it builds, omissions, the cited summary, and bad input."""

from __future__ import annotations

import pytest

from _compare_story import COURIER, GAZETTE, HERALD, STORY, group_with
from samestory.compare import build_story, compare, story_id_for
from samestory.enrich import enrich
from samestory.errors import InputError


@pytest.fixture(scope="module")
def coverage(embedder, nlp):
    return compare(enrich(STORY, embed=False))


def test_story_is_built_from_the_articles(coverage):
    s = coverage.story
    assert s.id == story_id_for([a.id for a in reversed(STORY)])  # order does not matter
    assert s.sources == 4
    assert s.independent_sources == 3  # the Digest copies the Courier
    assert s.outlets == ("Veldmoor Courier", "Lenn Valley Gazette", "Northern Herald", "Wire Digest")
    assert [a.id for a in coverage.articles] == [a.id for a in STORY]
    assert coverage.articles[0].text == COURIER.text


def test_given_story_is_kept(embedder, nlp):
    story = build_story([COURIER, HERALD])
    assert compare(enrich([COURIER, HERALD], embed=False), story).story is story


def test_omissions_weighted_by_how_many_carry_them(coverage):
    herald = [o for o in coverage.omissions if o.outlet == HERALD.outlet]
    # every claim Herald leaves out must be carried by more than half of the other two sources
    assert herald and all(o.weight > 0.5 for o in herald)
    # the mayor's promise is only the Courier's (and its copy's): one of two others is not "most"
    assert not any("mayor" in o.text.lower() for o in herald)
    gazette = [o for o in coverage.omissions if o.outlet == GAZETTE.outlet]
    assert not any("river path" in o.text for o in gazette)  # the Gazette carries it
    ids = {g.id for g in coverage.claims}
    assert all(o.claim_group in ids for o in coverage.omissions)


def test_summary_cites_verified_evidence_only(coverage):
    texts = {a.id: a.text for a in coverage.articles}
    assert coverage.summary
    for s in coverage.summary:
        assert s.citations, s.text
        for c in s.citations:
            assert texts[c.article_id][c.start:c.end] == c.text
    # shared facts come first and cite more than one outlet
    first = coverage.summary[0]
    assert len({c.outlet for c in first.citations}) >= 2
    # a disputed figure is never stated as fact
    assert not any("injured" in s.text for s in coverage.summary)


def test_summary_never_cites_an_unrelated_sentence(coverage):
    for s in coverage.summary:
        for c in s.citations:
            if "fishermen" in c.text:  # Herald's unique aside supports nothing else
                assert "fishermen" in s.text


def test_claims_mark_the_acceptance_kinds(coverage):
    assert group_with(coverage, "collapsed")[0].status == "shared"
    assert group_with(coverage, "injured")[0].status == "conflicting"


@pytest.mark.parametrize("bad, reason", [([], "no articles"), (["text"], "not an Article"), ([COURIER, COURIER], "twice")])
def test_bad_input_is_named(bad, reason):
    with pytest.raises(InputError, match=reason):
        compare(bad)


def test_compare_takes_enriched_articles_only():
    from samestory.models import Article

    raw = Article(id="raw-1", outlet="Hill Post", title="Bridge shut", text="The old bridge was shut on Monday.")
    with pytest.raises(InputError, match="not enriched"):
        compare([raw])
