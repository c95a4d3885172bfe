"""DedupIndex on small invented articles: copies, rewrites, versions, look-alikes, re-pointing."""

from __future__ import annotations

import dataclasses
import random

import pytest

from samestory.dedup import DedupIndex, describe_groups, independent_sources
from samestory.models import Article, DuplicateLink, Removal

# An invented report (fictional town, people and numbers), long enough for shingles to matter.
STORY = [
    "Flood waters rose through the centre of Millbrook on Tuesday after three days of heavy rain, "
    "forcing the evacuation of 240 homes along the River Avon.",
    "Council leader Margaret Ellison said emergency crews had worked through the night to shore up "
    "the old stone bridge, which was closed to traffic at midnight.",
    "\u201cWe have never seen the water this high in living memory,\u201d Ellison told reporters "
    "outside the town hall, adding that nobody had been seriously hurt.",
    "The Environment Agency issued a severe flood warning for the lower valley and said levels "
    "were expected to peak on Wednesday morning before slowly falling.",
    "Volunteers from the Millbrook rowing club used their boats to reach elderly residents "
    "trapped on the upper floors of houses on Mill Lane.",
    "A rest centre has been opened at St Anne's primary school, where 85 people spent the night "
    "on camp beds donated by a local outdoor shop.",
    "Insurance assessors are due to visit the worst affected streets on Thursday, and the "
    "council has promised a hardship fund of 150,000 pounds for families without cover.",
    "Forecasters say drier weather should arrive by the weekend, although another band of rain "
    "could bring fresh problems early next week.",
]
# A different event of the same kind: another flood, another town (the ECB+ look-alike case).
OTHER = [
    "Flood waters swept through the village of Ashcombe on Friday after a storm dumped a month "
    "of rain in six hours, cutting off the main road to the coast.",
    "Parish council chairman Tom Reddy said firefighters had pumped water from the church hall "
    "and the doctors' surgery for most of the afternoon.",
    "\u201cThe drains simply could not cope,\u201d Reddy said, calling for an urgent review of the "
    "culvert that runs beneath the high street.",
    "The Met Office said thunderstorms were likely to continue into Saturday, with a yellow "
    "weather warning in place for the whole county.",
    "Residents of Orchard Close spent the evening moving furniture upstairs as brown water "
    "lapped at their front doors.",
    "The village school will stay closed on Monday while electricians check the wiring in the "
    "flooded classrooms.",
    "A collection for affected families had raised more than 9,000 pounds by Friday night, "
    "organisers said.",
    "Highways engineers will inspect the damaged road on Sunday before deciding when it can reopen.",
]


def art(aid: str, outlet: str, paragraphs: list[str], *, title: str = "Floods hit Millbrook",
        published: str | None = "2024-02-06T12:00:00+00:00", url: str | None = None,
        removed: tuple = ()) -> Article:
    return Article(id=aid, outlet=outlet, title=title, text="\n\n".join(paragraphs), published=published,
                   url=url, removed=removed)


def test_unrelated_article_is_left_alone():
    index = DedupIndex()
    a = index.add(art("a", "Valley Gazette", STORY))
    assert a.duplicate is None
    assert index.groups() == []


def test_exact_copy_with_junk_differences():
    index = DedupIndex()
    index.add(art("orig", "Valley Gazette", STORY))
    junky = [p.replace("\u201c", '"').replace("\u201d", '"') for p in STORY]
    junky = ["ADVERTISEMENT"] + [p.upper() if i == 0 else "  " + p for i, p in enumerate(junky)] + ["Share this article"]
    copy = index.add(art("copy", "County Wire Digest", junky))
    assert copy.duplicate is not None
    assert copy.duplicate.canonical_id == "orig"
    assert copy.duplicate.kind == "exact"
    assert copy.duplicate.similarity == 1.0


def test_truncated_copy_links_by_containment():
    index = DedupIndex()
    index.add(art("orig", "Valley Gazette", STORY))
    trunc = index.add(art("trunc", "Daily Roundup", STORY[:3] + ["Read more"]))
    assert trunc.duplicate is not None and trunc.duplicate.canonical_id == "orig"
    assert trunc.duplicate.kind == "near"
    assert trunc.duplicate.similarity >= 0.85  # containment, not the (low) Jaccard


def test_short_copy_of_a_long_article_is_fully_contained():
    # a county round-up carrying both reports; copies of its first paragraphs share only
    # 15-35% of its shingles (low Jaccard) but are wholly contained in it: containment read
    # from the MinHash values is exactly 1.0 for a subset, whatever the sizes
    roundup = STORY + OTHER
    index = DedupIndex()
    index.add(art("roundup", "County Chronicle", roundup, title="Floods across the county"))
    for k in (3, 4, 5):
        got = index.add(art(f"first{k}", f"Digest {k}", roundup[:k] + ["Read more"], title=f"Floods ({k})"))
        assert got.duplicate is not None and got.duplicate.canonical_id == "roundup", k
        assert got.duplicate.kind == "near" and got.duplicate.similarity == 1.0, (k, got.duplicate)


def test_shuffled_paragraphs_are_a_near_copy():
    index = DedupIndex()
    index.add(art("orig", "Valley Gazette", STORY))
    shuffled = STORY[:]
    random.Random(3).shuffle(shuffled)
    assert shuffled != STORY
    got = index.add(art("shuf", "Evening Post", shuffled))
    assert got.duplicate is not None and got.duplicate.kind == "near" and got.duplicate.canonical_id == "orig"
    assert got.duplicate.similarity > 0.5


def test_new_headline_same_text_is_a_copy():
    index = DedupIndex()
    index.add(art("orig", "Valley Gazette", STORY, title="Floods hit Millbrook"))
    got = index.add(art("retitled", "Evening Post", STORY, title="Town under water as river bursts its banks"))
    assert got.duplicate is not None and got.duplicate.kind == "exact"


def test_look_alike_event_is_not_merged():
    index = DedupIndex()
    index.add(art("millbrook", "Valley Gazette", STORY))
    other = index.add(art("ashcombe", "Coast Herald", OTHER, title="Floods hit Ashcombe"))
    assert other.duplicate is None
    assert index.groups() == []


def test_wire_rewrite_with_credit_joins_the_wire_family():
    index = DedupIndex()
    dateline = "MILLBROOK (Wire Press) \u2014 "
    wire = index.add(art("wire", "Wire Press", [dateline + STORY[0]] + STORY[1:6]))
    # an outlet's rewrite: same dateline, first paragraphs reworded, some cut, a local angle added
    rewrite = [
        dateline + "Hundreds of homes along the River Avon were evacuated on Tuesday as flood waters "
        "rose through the centre of Millbrook after three days of heavy rain.",
        STORY[1],
        STORY[2],
        "Our reporter saw sandbags stacked outside shops on the high street as traders tried to "
        "save their stock.",
        STORY[3],
    ]
    got = index.add(art("rewrite", "Northern Echo Online", rewrite, title="Millbrook evacuated as river rises"))
    assert wire.duplicate is None
    assert got.duplicate is not None
    assert got.duplicate.canonical_id == "wire"
    assert got.duplicate.kind in ("wire", "near")
    assert got.duplicate.wire == "Wire Press"
    [group] = index.groups()
    assert group.wire == "Wire Press"


def test_same_credit_but_different_story_is_not_a_wire_family():
    index = DedupIndex()
    index.add(art("one", "Valley Gazette", ["MILLBROOK (Wire Press) \u2014 " + STORY[0]] + STORY[1:]))
    got = index.add(art("two", "Coast Herald", ["ASHCOMBE (Wire Press) \u2014 " + OTHER[0]] + OTHER[1:],
                        title="Floods hit Ashcombe"))
    assert got.duplicate is None


def test_republished_with_edits_is_a_version():
    index = DedupIndex()
    url = "https://valley-gazette.example/news/floods-hit-millbrook"
    index.add(art("v1", "Valley Gazette", STORY, url=url))
    edited = STORY[:]
    edited[0] = edited[0].replace("240 homes", "310 homes")
    edited.insert(4, "Police said a man in his sixties had been rescued from his car on the ring road.")
    got = index.add(art("v2", "Valley Gazette", edited, url=url + "?utm_source=feed",
                        published="2024-02-06T15:00:00+00:00"))
    assert got.duplicate is not None
    assert got.duplicate.kind == "version"
    assert got.duplicate.canonical_id == "v1"
    # without the URL: same outlet, similar title, high overlap
    index2 = DedupIndex()
    index2.add(art("v1", "Valley Gazette", STORY))
    got2 = index2.add(art("v2", "Valley Gazette", edited, title="Floods hit Millbrook: 310 homes evacuated"))
    assert got2.duplicate is not None and got2.duplicate.kind == "version"
    described = describe_groups(index2.groups(), {"v1": "\n\n".join(STORY), "v2": "\n\n".join(edited)})
    diff = described[0]["members"][0]["diff"]
    assert any("310 homes" in c["new"] for c in diff["changed"])
    assert any("rescued from his car" in s for s in diff["added"])


def test_aggregator_copy_first_is_repointed_to_the_original():
    index = DedupIndex()
    scraped = ["9 hours ago 12"] + STORY[:5] + ["Read Entire Article"]
    agg = index.add(art("agg", "NewsBreak", scraped, published="2024-02-06T11:00:00+00:00",
                        removed=(Removal(0, 14, "9 hours ago 12", "timestamp or view counter"),)))
    assert agg.duplicate is None
    # a full copy from a real outlet: it becomes canonical over the aggregator's truncated copy
    other_copy = index.add(art("copy2", "Evening Post", STORY, published="2024-02-06T13:00:00+00:00"))
    assert other_copy.duplicate is None
    assert index.take_repointed() == {"agg": index.link_of("agg")}
    assert index.link_of("agg").canonical_id == "copy2"
    orig = index.add(art("orig", "Valley Gazette", STORY, published="2024-02-06T12:00:00+00:00"))
    # the original becomes canonical: it has no scraper junk, is not truncated, and is earlier than copy2
    assert orig.duplicate is None
    changed = index.take_repointed()
    assert changed["agg"].canonical_id == "orig"
    assert changed["copy2"].canonical_id == "orig"
    assert index.take_repointed() == {}  # handed out once
    [group] = index.groups()
    assert group.canonical_id == "orig"
    assert {m.article_id for m in group.members} == {"orig", "agg", "copy2"}
    assert index.link_of("agg").kind == "near"
    assert index.link_of("copy2").kind == "exact"


def test_add_many_matches_add_one_by_one():
    articles = [
        art("orig", "Valley Gazette", STORY),
        art("shuf", "Evening Post", STORY[4:] + STORY[:4]),
        art("other", "Coast Herald", OTHER, title="Floods hit Ashcombe"),
        art("trunc", "Daily Roundup", STORY[:3]),
    ] + [art(f"filler{i}", f"Outlet {i}", [f"Filler report number {i} about a parish fete."] * 3) for i in range(30)]
    one = DedupIndex()
    singles = [one.add(a) for a in articles]
    bulk = DedupIndex().add_many(articles)
    assert [a.duplicate for a in singles] == [a.duplicate for a in bulk]
    assert bulk[1].duplicate.canonical_id == "orig" and bulk[3].duplicate.canonical_id == "orig"
    assert bulk[2].duplicate is None


def test_rebuild_from_articles_and_state_keeps_groups():
    index = DedupIndex()
    out = index.add_many([art("orig", "Valley Gazette", STORY), art("copy", "Evening Post", STORY),
                          art("other", "Coast Herald", OTHER, title="Floods hit Ashcombe")])
    rebuilt = DedupIndex.from_articles(out)
    assert [g.canonical_id for g in rebuilt.groups()] == ["orig"]
    later = rebuilt.add(art("trunc", "Daily Roundup", STORY[:3]))
    assert later.duplicate.canonical_id == "orig"
    restored = DedupIndex.from_state(index.to_state(), out)
    again = restored.add(art("shuf", "Evening Post 2", STORY[3:] + STORY[:3]))
    assert again.duplicate.canonical_id == "orig"


def test_readding_the_same_article_is_idempotent():
    index = DedupIndex()
    index.add(art("orig", "Valley Gazette", STORY))
    first = index.add(art("copy", "Evening Post", STORY))
    second = index.add(art("copy", "Evening Post", STORY))
    assert first.duplicate == second.duplicate
    assert len(index) == 2


def test_independent_sources_collapse_copies_and_wire():
    index = DedupIndex()
    arts = index.add_many([
        art("orig", "Valley Gazette", STORY),
        art("copy", "Evening Post", STORY),
        art("trunc", "Daily Roundup", STORY[:3]),
        art("other", "Coast Herald", OTHER, title="Floods hit Ashcombe"),
        art("w1", "Paper A", ["MILLBROOK (AP) \u2014 Rescue teams searched the riverbank at dawn for a missing "
                              "dog walker, police said, as the water began to fall."]),
        art("w2", "Paper B", ["LONDON (Associated Press) \u2014 Ministers promised on Wednesday to review "
                              "flood defence spending after a week of storms across the south."]),
    ])
    # orig+copy+trunc are one source; other; w1+w2 are both AP copy: one source
    assert independent_sources(arts) == 3
    assert independent_sources(arts, by_wire_credit=False) == 4


@pytest.mark.parametrize("bad", ["", "   ", "Short."])
def test_tiny_and_empty_texts_do_not_group_by_sketch(bad):
    index = DedupIndex()
    index.add(art("a", "One", [bad]))
    got = index.add(art("b", "Two", [bad + " "]))
    if bad.strip():
        assert got.duplicate is not None and got.duplicate.kind == "exact"
    else:
        assert got.duplicate is None


def test_the_two_seed_articles_are_distinct_reports(seeds):
    """Same event, two outlets, independently written: not copies (read from ../shared)."""
    arts = []
    for i, path in enumerate(seeds[:2]):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        arts.append(Article(id=f"seed{i}", outlet=f"Seed outlet {i}", title=title.strip(), text=body.strip()))
    index = DedupIndex()
    out = index.add_many(arts)
    assert [a.duplicate for a in out] == [None, None]
    # while a copy of one of them, with a new headline and junk lines, is found
    title, _, body = seeds[1].read_text(encoding="utf-8").partition("\n")
    copy = index.add(Article(id="copy", outlet="Aggregator", title="Copied: " + title, text=body + "\n\nRead more"))
    assert copy.duplicate is not None and copy.duplicate.canonical_id == "seed1"


def test_rebuild_follows_stale_link_chains():
    a = art("a", "Valley Gazette", STORY)
    b = dataclasses.replace(art("b", "Evening Post", STORY), duplicate=DuplicateLink("c", "exact", 1.0))
    c = dataclasses.replace(art("c", "Daily Roundup", STORY), duplicate=DuplicateLink("a", "exact", 1.0))
    index = DedupIndex.from_articles([a, b, c])
    [group] = index.groups()
    assert group.canonical_id == "a" and index.link_of("b").canonical_id == "a"
