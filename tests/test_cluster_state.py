"""Clusterer mechanics on hand-built features (no model): merges, splits, closing, persistence."""

from __future__ import annotations

import json

import numpy as np
import pytest

from samestory.cluster import ArticleFeatures, StoryClusterer, story_id_for
from samestory.errors import NotFoundError

DAY = 86400.0
EMBEDDING_ONLY = dict(w_centroid=1.0, w_max=0.0, w_entities=0.0, w_keywords=0.0, w_numbers=0.0, w_time=0.0,
                      w_outlet_repeat=0.0)


def unit(v):
    v = np.asarray(v, dtype=np.float32)
    return v / np.linalg.norm(v)


def basis(i, dim=384):
    v = np.zeros(dim, dtype=np.float32)
    v[i] = 1.0
    return v


def mix(a, b, cos):
    """A unit vector at cosine ``cos`` from unit ``a``, in the plane of ``a`` and ``b``."""
    return unit(cos * a + np.sqrt(1 - cos**2) * b)


def feat(aid, emb, t=None, ents=(), kws=(), nums=(), title=None, outlet="o"):
    return ArticleFeatures(
        article_id=aid, title=title or aid, embedding=unit(emb),
        entities={e: 1.0 for e in ents}, entity_names={e: e.title() for e in ents},
        keywords={k: 1.0 for k in kws}, numbers={n: 1.0 for n in nums}, time=t, outlet=outlet,
    )


def test_a_bridging_article_merges_two_stories_and_the_old_id_resolves():
    a, b = basis(0), mix(basis(0), basis(1), 0.6)  # the two stories: cosine 0.6
    c = StoryClusterer(threshold=0.8, merge_threshold=0.85, split=False, **EMBEDDING_ONLY)
    sa = c.assign(feat("a1", a))
    c.assign(feat("a2", a))
    sb = c.assign(feat("b1", b))
    assert sa != sb
    bridge = unit(a + b)  # cosine ~0.89 with both
    into = c.assign(feat("bridge", bridge))
    assert into == sa  # the bigger (then older) story survives
    assert c.events_ == [{"kind": "merge", "from": sb, "into": sa, "at": "bridge"}]
    assert c.resolve(sb) == sa and c.resolve(sa) == sa
    assert c.story_of("b1") == sa
    assert [s.id for s in c.stories()] == [sa]
    assert sorted(c.stories()[0].article_ids) == ["a1", "a2", "b1", "bridge"]
    assert c.open_story_ids() == [sa]


def test_a_lone_report_is_absorbed_at_the_lower_threshold_but_a_bigger_story_is_not():
    a, b = basis(0), mix(basis(0), basis(1), 0.6)
    bridge = unit(1.2 * a + b)  # cosine 0.91 / 0.87: below merge_threshold, above small_merge_threshold
    config = dict(threshold=0.8, merge_threshold=0.95, small_merge_threshold=0.85, split=False, **EMBEDDING_ONLY)
    c = StoryClusterer(**config)
    sa = c.assign(feat("a1", a))
    c.assign(feat("a2", a))
    sb = c.assign(feat("b1", b))  # a lone report
    assert c.assign(feat("bridge", bridge)) == sa
    assert c.events_ == [{"kind": "merge", "from": sb, "into": sa, "at": "bridge"}]
    assert c.resolve(sb) == sa

    c = StoryClusterer(**config)
    sa = c.assign(feat("a1", a))
    c.assign(feat("a2", a))
    sb = c.assign(feat("b1", b))
    c.assign(feat("b2", b))  # two reports: only merge_threshold may merge them
    c.assign(feat("bridge", bridge))
    assert c.events_ == [] and c.story_of("b1") == sb
    off = StoryClusterer(**dict(config, small_merge_threshold=None))
    off.assign(feat("a1", a))
    off.assign(feat("a2", a))
    off.assign(feat("b1", b))
    off.assign(feat("bridge", bridge))
    assert off.events_ == []


def test_no_merge_when_merging_is_off():
    a, b = basis(0), mix(basis(0), basis(1), 0.6)
    c = StoryClusterer(threshold=0.8, merge_threshold=None, split=False, **EMBEDDING_ONLY)
    for aid, v in (("a1", a), ("b1", b), ("x", unit(a + b))):
        c.assign(feat(aid, v))
    assert c.events_ == [] and len(c.stories()) == 2


def test_a_story_holding_two_groups_is_split_and_logged():
    a, b = basis(0), mix(basis(0), basis(1), 0.3)
    c = StoryClusterer(threshold=0.2, merge_threshold=None, split=True, split_threshold=0.5, **EMBEDDING_ONLY)
    order = [("a1", a), ("a2", a), ("a3", a), ("b1", b), ("b2", b), ("b3", b), ("b4", b), ("a4", a)]
    for aid, v in order:
        c.assign(feat(aid, v))
    founder = story_id_for("a1")
    assert c.events_ == [{"kind": "split", "from": founder, "into": story_id_for("b1"), "at": "a4",
                          "articles": ["b1", "b2", "b3", "b4"]}]  # what the store moves
    assert {c.story_of(x) for x in ("a1", "a2", "a3", "a4")} == {founder}
    assert {c.story_of(x) for x in ("b1", "b2", "b3", "b4")} == {story_id_for("b1")}
    assert c.resolve(founder) == founder  # a split keeps the founder's id


def _lookalike_stream():
    """Event A (3 reports and an off-angle one, all naming A's people) and look-alike event B
    (4 reports naming others), close in embedding space (cosine 0.8): one story at a low threshold."""
    a, b, odd = basis(0), mix(basis(0), basis(1), 0.8), mix(basis(0), basis(2), 0.3)
    return ([(f"a{i}", a, ("alice ward", "kent")) for i in (1, 2, 3)] + [("a-odd", odd, ("alice ward", "kent"))]
            + [(f"b{i}", b, ("bob frame", "leeds")) for i in (1, 2, 3, 4)])


LOOKALIKE_WEIGHTS = dict(w_centroid=1.0, w_max=0.0, w_entities=1.0, w_keywords=0.0, w_numbers=0.0, w_time=0.0,
                         w_lead_missing=0.0, w_story_missing=0.0, w_year_conflict=0.0)


def test_lookalike_events_in_one_story_are_split_by_their_scores_not_only_their_embeddings():
    c = StoryClusterer(threshold=0.5, merge_threshold=None, split_score_threshold=1.2, **LOOKALIKE_WEIGHTS)
    for aid, v, ents in _lookalike_stream():
        c.assign(feat(aid, v, ents=ents))
    founder = story_id_for("a1")
    # the embedding halves are close (0.8 > split_threshold), but B's reports score ~0.8 against
    # A's half; and the member farthest from the founder (a-odd) alone is no cut: the next seed is
    assert c.events_ == [{"kind": "split", "from": founder, "into": story_id_for("b1"), "at": "b4",
                          "articles": ["b1", "b2", "b3", "b4"]}]
    assert {c.story_of(x) for x in ("a1", "a2", "a3", "a-odd")} == {founder}
    assert {c.story_of(x) for x in ("b1", "b2", "b3", "b4")} == {story_id_for("b1")}


def test_without_the_score_test_lookalikes_close_in_embedding_stay_together():
    c = StoryClusterer(threshold=0.5, merge_threshold=None, split_score_threshold=None, **LOOKALIKE_WEIGHTS)
    for aid, v, ents in _lookalike_stream():
        c.assign(feat(aid, v, ents=ents))
    assert c.events_ == [] and len(c.stories()) == 1


def test_stories_close_after_the_window_and_are_not_joined():
    a, b = basis(0), basis(1)
    c = StoryClusterer(window_days=3, min_idle_articles=0, sweep_every=1, **EMBEDDING_ONLY)
    sa = c.assign(feat("a1", a, t=0.0))
    c.assign(feat("b1", b, t=10 * DAY))  # the clock moves on: story a is quiet now
    assert sa not in c.open_story_ids()
    assert sa in {s.id for s in c.stories()}  # closed stories are still reported
    again = c.assign(feat("a2", a, t=10 * DAY))
    assert again != sa


def test_undated_stories_close_after_max_idle_articles():
    c = StoryClusterer(max_idle_articles=3, sweep_every=1, **EMBEDDING_ONLY)
    first = c.assign(feat("x0", basis(0)))
    for i in range(1, 4):
        c.assign(feat(f"x{i}", basis(i)))
    assert first not in c.open_story_ids()
    assert len(c.open_story_ids()) <= 3


@pytest.mark.parametrize("bar, joins", [(0.95, {"exact": True, "close": False}), (None, {"exact": False, "close": False})])
def test_a_quiet_story_is_joined_only_by_a_match_over_the_quiet_bar(bar, joins):
    a = basis(0)
    for aid, v in (("exact", a), ("close", mix(a, basis(1), 0.9))):
        c = StoryClusterer(threshold=0.5, window_days=3, quiet_join_threshold=bar, **EMBEDDING_ONLY)
        first = c.assign(feat("a1", a, t=0.0))
        late = c.assign(feat(aid, v, t=10 * DAY))  # 10 days on: the story is quiet for it
        assert (late == first) is joins[aid], aid
        # inside the window the same article joins at the ordinary threshold
        c2 = StoryClusterer(threshold=0.5, window_days=3, quiet_join_threshold=bar, **EMBEDDING_ONLY)
        assert c2.assign(feat("a1", a, t=0.0)) == c2.assign(feat(aid, v, t=1 * DAY))


def test_time_gap_inside_the_window_is_a_soft_penalty():
    a = basis(0)
    c = StoryClusterer(window_days=10)
    c.assign(feat("a1", a, t=0.0, ents=("kellmont",)))
    st = c.by_id_[story_id_for("a1")]
    near = c.pair_features(feat("n", a, t=0.5 * DAY), st)
    far = c.pair_features(feat("f", a, t=6 * DAY), st)
    assert near[-1] == 0.0 and far[-1] > 0.0


def test_rare_shared_entities_outweigh_common_ones():
    c = StoryClusterer(**EMBEDDING_ONLY)
    # "police" is in every article, "kellmont" only in one story
    for i in range(20):
        c.assign(feat(f"bg{i}", basis(10 + i), ents=("police",)))
    c.assign(feat("k1", basis(1), ents=("kellmont", "police")))
    st = c.by_id_[story_id_for("k1")]
    shares_rare = c.pair_features(feat("q1", basis(2), ents=("kellmont",)), st)[2]
    shares_common = c.pair_features(feat("q2", basis(2), ents=("police",)), st)[2]
    assert shares_rare > 0.8 > 0.3 > shares_common


def test_placing_an_article_twice_changes_nothing():
    c = StoryClusterer(**EMBEDDING_ONLY)
    sid = c.assign(feat("a1", basis(0)))
    assert c.assign(feat("a1", basis(5))) == sid
    assert c.n_articles_ == 1


def test_dedup_copies_join_their_canonical_story():
    c = StoryClusterer(**EMBEDDING_ONLY)
    sid = c.assign(feat("orig", basis(0)))
    copy = feat("copy", basis(7))
    copy.canonical_id = "orig"
    assert c.assign(copy) == sid


def test_resolve_and_story_of_reject_unknown_ids():
    c = StoryClusterer()
    with pytest.raises(NotFoundError, match="s-nope"):
        c.resolve("s-nope")
    with pytest.raises(NotFoundError, match="a-nope"):
        c.story_of("a-nope")


def _stream(n=120, seed=3):
    """Articles about 12 invented events, with entities, keywords, numbers and times."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(size=(12, 384)).astype(np.float32)
    out = []
    for i in range(n):
        e = int(rng.integers(12))
        out.append(feat(
            f"a{i}", unit(centers[e] + 0.6 * rng.normal(size=384)), t=e * 2 * DAY + i * 600.0,
            ents=(f"place{e}", f"person{e}", "police"), kws=(f"kw{e}", "fire"), nums=(str(10 + e),),
            outlet=f"outlet{i % 5}",
        ))
    return out


def test_state_round_trip_continues_exactly():
    stream = _stream()
    config = dict(sweep_every=16, min_idle_articles=5, window_days=2)
    whole = StoryClusterer(**config)
    for f in stream:
        whole.assign(f)
    part = StoryClusterer(**config)
    for f in stream[:70]:
        part.assign(f)
    state = json.loads(json.dumps(part.to_state()))  # must survive JSON
    resumed = StoryClusterer.from_state(state)
    assert resumed.stories() == part.stories()
    for f in stream[70:]:
        resumed.assign(f)
    assert resumed.assignments_ == whole.assignments_
    assert resumed.events_ == whole.events_
    assert resumed.stories() == whole.stories()
    assert resumed.open_story_ids() == whole.open_story_ids()


def test_from_state_rejects_other_dicts():
    with pytest.raises(ValueError, match="version"):
        StoryClusterer.from_state({"stories": []})


class _DictArchive:
    """Rows as a store keeps them: one dict per story index."""

    def __init__(self):
        self.rows, self.df = {}, {}

    def save(self, changes):
        header, stories, df = changes
        self.header = json.loads(json.dumps(header))
        for idx, d in stories:
            self.rows[idx] = json.loads(json.dumps(d))  # must survive JSON
        self.df.update(df)

    def load_story(self, story_id):
        return next((d for d in self.rows.values() if d["id"] == story_id), None)

    def resolve(self, story_id):
        return story_id

    def story_of(self, article_id):
        return next((d["id"] for d in self.rows.values() if article_id in d["article_ids"]), None)

    def reopen(self, cls):
        return cls.from_rows(self.header, [(i, d) for i, d in sorted(self.rows.items()) if d["status"] == "open"],
                             self.df, archive=self)


def test_row_state_with_closed_stories_evicted_continues_exactly():
    """Saved row by row (only what changed), closed stories dropped from memory, reloaded
    several times: the same stories as one clusterer that kept everything."""
    stream = _stream(n=200)
    config = dict(sweep_every=8, min_idle_articles=5, window_days=2)
    whole = StoryClusterer(**config)
    for f in stream:
        whole.assign(f)
    archive = _DictArchive()
    c = StoryClusterer(**config)
    evicted = 0
    for start in range(0, len(stream), 30):
        for f in stream[start:start + 30]:
            c.assign(f)
        archive.save(c.take_changes())
        evicted += c.evict_closed()
        assert all(st is None or st.status == "open" for st in c.stories_)
        c = archive.reopen(StoryClusterer)
    assert evicted > 0  # closing happened, so eviction was exercised
    assert c.open_story_ids() == whole.open_story_ids()
    live = {s.id: s for s in whole.stories()}
    in_rows = {d["id"] for d in archive.rows.values() if d["status"] != "merged"}
    assert in_rows == set(live)
    for sid, story in live.items():
        assert c.story(sid) == story  # closed ones read back from the archive
    for f in stream:
        assert c.story_of(f.article_id) == whole.story_of(f.article_id)


def test_take_changes_returns_only_what_changed():
    c = StoryClusterer(threshold=0.5, **EMBEDDING_ONLY)
    c.assign(feat("a1", basis(0), ents=("kellmont",)))
    c.assign(feat("b1", basis(1)))
    _, stories, df = c.take_changes()
    assert len(stories) == 2 and df == {("e", "kellmont"): 1}
    c.assign(feat("a2", basis(0)))
    _, stories, df = c.take_changes()
    assert [d["id"] for _, d in stories] == [story_id_for("a1")] and df == {}


@pytest.mark.parametrize("text, day", [
    ("2024-03-05T10:00:00Z", "2024-03-05"),
    ("Published : 2012.08.08 09 : 01 AM", "2012-08-08"),
    ("27 NOVEMBER, 2005", "2005-11-27"),
    ("Posted : May 24, 2005 He led the team", "2005-05-24"),
    ("Updated 12 / 2 / 2010 1 : 31 AM", "2010-12-02"),
    ("The festival returns in 2014", None),  # a year alone: month and day would be invented
    ("In 2008, the champion won in the 11th round.", None),
    ("Tuesday afternoon", None),
])
def test_published_strings_give_a_time_only_when_they_state_a_date(text, day):
    import datetime as dt

    from samestory.cluster.features import parse_published

    t = parse_published(text)
    assert (None if t is None else dt.datetime.fromtimestamp(t, tz=dt.timezone.utc).date().isoformat()) == day


def test_cluster_config_is_the_one_place_for_tunables():
    import dataclasses

    from samestory.cluster import ClusterConfig, StoryClusterer

    c = StoryClusterer(window_days=3)
    assert c.config == dataclasses.replace(ClusterConfig(), window_days=3)
    assert c.get_params() == dataclasses.asdict(c.config)
    assert StoryClusterer(ClusterConfig(threshold=2.5)).threshold == 2.5
    with pytest.raises(TypeError):
        StoryClusterer(no_such_knob=1)
