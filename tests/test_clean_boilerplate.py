"""The boilerplate miner learns an outlet's repeated lines from invented articles."""

from __future__ import annotations

import json

import pytest

from samestory.clean import BoilerplateMiner, clean
from samestory.models import RawDoc

OUTLET = "Northbay Courier"
HOUSE_LINES = [
    "Our journalism is funded by readers like you. Support the Courier today.",
    "Northbay Courier is part of the Tidewater Media Group.",
]
STORIES = [
    ["Gulls have been nesting on the old lighthouse for the first time in 30 years.",
     "The harbour trust said visitors should keep to the marked paths until August."],
    ["The town council has approved a 2% rise in parking charges from April.",
     "Councillor Ines Rowe said the money would pay for new lighting on the promenade."],
    ["A fishing boat was towed back to port on Sunday after its engine failed off the point.",
     "The lifeboat crew said all four people on board were safe and well."],
    ["The Northbay library will open on Sundays from next month, the council said.",
     "It will be the first time the library has opened on a Sunday since 2011."],
    ["Work on the new sea wall is three weeks ahead of schedule, engineers said.",
     "The 14 million pound project is due to finish before the winter storms."],
]


def article_text(i: int) -> str:
    # the house lines sit in different places, and one carries a changing date
    body = [f"Posted {i + 3} June 2024"] + STORIES[i][:1] + HOUSE_LINES[:1] + STORIES[i][1:] + HOUSE_LINES[1:]
    return "\n\n".join(body)


def test_miner_learns_repeated_lines_and_clean_removes_them():
    miner = BoilerplateMiner()
    articles = [clean(RawDoc(source=f"courier-{i}.txt", kind="text", content=article_text(i), outlet=OUTLET,
                             title=f"Story {i}"), miner=miner) for i in range(5)]
    # the first two articles came before the lines had repeated enough: nothing learned yet
    assert not any("repeated boilerplate" in r.reason for a in articles[:2] for r in a.removed)
    # from the third article on, both house lines are removed, with the outlet and the count
    for n, a in enumerate(articles[2:], start=3):
        reasons = {r.text: r.reason for r in a.removed}
        for line in HOUSE_LINES:
            assert reasons[line] == f"repeated boilerplate (outlet {OUTLET}, seen in {n} articles)"
        assert all(s in a.text for s in STORIES[n - 1])
        assert not any(h in a.text for h in HOUSE_LINES)
    # "Posted 5 June 2024" and "Posted 6 June 2024" normalize to one learned line (the clean
    # stage's timestamp rule removed it already: the boilerplate stage only drops what is kept)
    assert miner.is_boilerplate(OUTLET, "Posted 30 June 2024")
    assert any(r.text.startswith("Posted") for r in articles[4].removed)


def test_a_line_needs_enough_articles_and_share():
    miner = BoilerplateMiner(min_articles=3, min_share=0.3)
    for i in range(12):
        lines = [f"Unique report line number {i} about the harbour."]
        if i < 2:
            lines.append("Seen only twice in this outlet")
        if i < 3:
            lines.append("Seen three times in twelve articles")
        if i < 4:
            lines.append("Seen four times in twelve articles")
        miner.observe(OUTLET, lines, doc_key=str(i))
    assert not miner.is_boilerplate(OUTLET, "Seen only twice in this outlet")  # fewer than 3 articles
    assert miner.seen_in(OUTLET, "Seen three times in twelve articles") == 3
    assert not miner.is_boilerplate(OUTLET, "Seen three times in twelve articles")  # 25% < 30%
    assert miner.is_boilerplate(OUTLET, "Seen four times in twelve articles")  # 33% >= 30%
    assert not miner.is_boilerplate("Another Outlet", "Seen four times in twelve articles")


def test_share_threshold_is_inclusive_and_per_outlet():
    miner = BoilerplateMiner(min_articles=3, min_share=0.3)
    for i in range(10):
        miner.observe(OUTLET, [f"line {i}"] + (["House line"] if i < 3 else []), doc_key=str(i))
    # 3 of 10 articles is exactly 30%
    assert miner.is_boilerplate(OUTLET, "House line")
    miner.observe(OUTLET, ["another unique line"], doc_key="11")
    assert not miner.is_boilerplate(OUTLET, "House line")  # 3 of 11 is below 30%


def test_reobserving_the_same_article_does_not_count_twice():
    miner = BoilerplateMiner()
    for _ in range(5):
        miner.observe(OUTLET, ["Same article, same line"], doc_key="k1")
    assert miner.articles(OUTLET) == 1
    assert not miner.is_boilerplate(OUTLET, "Same article, same line")


def test_long_paragraphs_are_never_boilerplate():
    miner = BoilerplateMiner()
    background = "Background paragraph repeated in follow-up stories. " * 8  # > 300 characters
    for i in range(6):
        miner.observe(OUTLET, [background, f"new line {i}"], doc_key=str(i))
    assert not miner.is_boilerplate(OUTLET, background)


def test_state_round_trips_through_json():
    miner = BoilerplateMiner(min_articles=3, min_share=0.5)
    for i in range(4):
        miner.observe(OUTLET, ["House line", f"story {i}"], doc_key=str(i))
    state = json.loads(json.dumps(miner.to_state()))
    again = BoilerplateMiner.from_state(state)
    assert again.to_state() == miner.to_state()
    assert again.is_boilerplate(OUTLET, "House line")
    assert again.min_share == 0.5
    assert "House line" not in json.dumps(state)  # hashes only, no article text
    again.observe(OUTLET, ["House line"], doc_key="0")  # remembered doc keys survive the round trip
    assert again.articles(OUTLET) == 4


def test_bad_state_and_parameters_are_refused():
    with pytest.raises(ValueError, match="version"):
        BoilerplateMiner.from_state({"version": 99})
    with pytest.raises(ValueError, match="min_share"):
        BoilerplateMiner(min_share=0)
    with pytest.raises(ValueError, match="min_articles"):
        BoilerplateMiner(min_articles=1)


def test_boilerplate_stage_drops_kept_units_without_cleaning_again(monkeypatch):
    """The ingest's order: the stateless clean stage, then the boilerplate stage, which works on
    the units the clean stage kept (rebuilt from its removal log) and never re-runs the rules."""
    import samestory.clean as clean_pkg
    from samestory.clean import drop_learned_boilerplate

    cleaned = [clean(RawDoc(source=f"courier-{i}.txt", kind="text", content=article_text(i), outlet=OUTLET,
                            title=f"Story {i}")) for i in range(5)]
    assert all(h in a.text for a in cleaned for h in HOUSE_LINES)  # the clean stage alone keeps them

    def no_second_cleaning(*args, **kwargs):
        raise AssertionError("the boilerplate stage cleaned the text again")

    monkeypatch.setattr(clean_pkg, "_clean_units", no_second_cleaning)
    miner = BoilerplateMiner()
    mined = [drop_learned_boilerplate(a, miner) for a in cleaned]
    assert all(h in mined[0].text for h in HOUSE_LINES)
    for n, a in enumerate(mined[2:], start=3):
        assert not any(h in a.text for h in HOUSE_LINES)
        assert all(s in a.text for s in STORIES[n - 1])
        assert a.id == cleaned[n - 1].id
        # the log keeps the clean stage's removals and adds the learned ones, in order, exact
        assert set(cleaned[n - 1].removed) < set(a.removed)
        assert all(a.raw_text[r.start:r.end] == r.text for r in a.removed)
        assert [r.start for r in a.removed] == sorted(r.start for r in a.removed)
