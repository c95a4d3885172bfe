"""The clusterer's length-, time- and outlet-dependent decisions, on hand-built features (no model)."""

from __future__ import annotations

import numpy as np

from samestory.cluster import ArticleFeatures, StoryClusterer

DAY = 86400.0
EMB = dict(w_centroid=1.0, w_max=0.0, w_entities=0.0, w_keywords=0.0, w_numbers=0.0, w_time=0.0,
           w_lead_missing=0.0, w_story_missing=0.0, w_year_conflict=0.0, split=False,
           merge_threshold=None, small_merge_threshold=None)


def unit(v):
    v = np.asarray(v, dtype=np.float32)
    return v / np.linalg.norm(v)


def at_cos(cos, dim=384):
    v = np.zeros(dim, dtype=np.float32)
    v[0], v[1] = cos, np.sqrt(1 - cos**2)
    return v


def feat(aid, emb, t=None, outlet="", body_words=None):
    base = np.zeros(384, dtype=np.float32)
    base[0] = 1.0
    return ArticleFeatures(article_id=aid, title=aid, embedding=unit(base if emb is None else emb), time=t,
                           outlet=outlet, body_words=body_words)


def test_a_headline_joins_at_the_short_cut_off_a_full_text_does_not():
    def joins(body_words):
        c = StoryClusterer(threshold=0.9, short_threshold=0.7, full_body_words=100, **EMB)
        first = c.assign(feat("f", None, body_words=300))
        return c.assign(feat("new", at_cos(0.8), body_words=body_words)) == first

    assert not joins(300)  # full text: 0.8 < 0.9
    assert joins(0)  # headline only: 0.8 >= 0.7
    assert not joins(None)  # length unknown: the full cut-off
    assert joins(40) and not joins(60)  # linear in between: cut-offs 0.78 and 0.82
    c = StoryClusterer(threshold=0.9, short_threshold=0.7, full_body_words=100)
    assert abs(c.length_shift(feat("x", None, body_words=50)) + 0.1) < 1e-9


def test_a_story_time_extent_is_bounded_from_its_first_article_not_its_span():
    c = StoryClusterer(threshold=0.5, window_days=7, story_days=20, quiet_join_threshold=None, **EMB)
    sid = c.assign(feat("d0", None, t=0.0))
    # each join within the window of the current span, so a span-based window would let it walk on
    assert c.assign(feat("d6", None, t=6 * DAY)) == sid
    assert c.assign(feat("d12", None, t=12 * DAY)) == sid
    assert c.assign(feat("d18", None, t=18 * DAY)) == sid
    assert c.assign(feat("d24", None, t=24 * DAY)) != sid  # 24 days from the first article


def test_an_old_story_is_joined_only_on_strong_evidence():
    c = StoryClusterer(threshold=0.5, window_days=3, story_days=60, quiet_join_threshold=0.95, **EMB)
    sid = c.assign(feat("a", None, t=0.0))
    assert c.assign(feat("weak", at_cos(0.9), t=20 * DAY)) != sid  # quiet story, 0.9 < 0.95
    assert c.assign(feat("strong", at_cos(0.99), t=20 * DAY)) == sid
    assert c.assign(feat("too-old", None, t=70 * DAY)) != sid  # beyond the bound: never


def test_a_repeated_outlet_is_a_soft_penalty_not_a_rule():
    def run(w):
        c = StoryClusterer(threshold=0.8, w_outlet_repeat=w, **EMB)
        sid = c.assign(feat("p1", None, outlet="Pier Gazette"))
        c.assign(feat("p2", None, outlet="Pier Gazette"))  # a second report: no cost yet
        return sid, c.assign(feat("p3", at_cos(0.85), outlet="Pier Gazette")), c.assign(
            feat("p4", at_cos(0.999), outlet="Pier Gazette"))

    sid, third, strong = run(0.1)
    assert third != sid  # 0.85 - 0.1 < 0.8: the third same-outlet report on a weak match founds its own
    assert strong == sid  # a strong match still joins
    sid, third, _ = run(0.0)
    assert third == sid


def test_large_stories_stay_under_split_checks():
    c = StoryClusterer()
    assert all(c._split_due(n) for n in (8, 64, 72, 128)) and not c._split_due(129) and not c._split_due(66)
