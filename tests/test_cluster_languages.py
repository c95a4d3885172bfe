"""Articles in two languages about one event join one story (the multilingual vectors are real USE-m)."""

from __future__ import annotations

import dataclasses

import numpy as np

from samestory.cluster import ArticleFeatures, StoryClusterer, featurize
from samestory.models import Article

DAM_EN = Article(id="en-dam", outlet="Harbour Courier", title="Dam gives way above Carrow Vale, six dead",
                 text="A dam gave way above Carrow Vale on Monday, killing six people and leaving 14 missing, "
                      "the county council said.", language="en", published="2030-05-06")
# in Cyrillic, with the figures in words: no name, number or keyword in common with the English report
DAM_RU = Article(id="ru-dam", outlet="Вестник долины", title="Над Карроу-Вейлом прорвало плотину: шестеро погибших",
                 text="В понедельник над Карроу-Вейлом прорвало плотину. Погибли шесть человек, ещё четырнадцать "
                      "пропали без вести, сообщили власти графства.", language="ru", published="2030-05-06")
BRIDGE_EN = Article(id="en-bridge", outlet="Eastbrook Echo", title="Mayor opens Eastbrook's new footbridge",
                    text="The mayor of Eastbrook opened the new footbridge over the river Leam on Tuesday.",
                    language="en", published="2030-05-07")
MARKET_DE = Article(id="de-market", outlet="Talblatt", title="Wochenmarkt zieht auf den Rathausplatz",
                    text="Der Wochenmarkt in Eastbrook zieht im Juni auf den Rathausplatz, beschloss der Stadtrat.",
                    language="de", published="2030-05-07")


# the mechanism at a stated cut (this translation pair's cosine is about 0.5); the default's quality is
# measured on real pairs by bench/crosslingual.py and floored in tests/test_crosslingual_gate.py
CUT = 0.45


def _stories(articles, **config):
    config.setdefault("cross_language_threshold", CUT)
    # the vector alone: at this low cut the market and the footbridge reports' shared "Eastbrook" would
    # join them (names have their own test below)
    config.setdefault("cross_language_name_weight", 0.0)
    c = StoryClusterer(**config)
    c.assign_many(featurize(articles))
    return c, {a.id: c.story_of(a.id) for a in articles}


def test_one_event_in_two_languages_is_one_story_with_both_languages():
    c, got = _stories([DAM_EN, BRIDGE_EN, DAM_RU, MARKET_DE])
    assert got["en-dam"] == got["ru-dam"]
    assert len({got["en-dam"], got["en-bridge"], got["de-market"]}) == 3
    assert set(c.story(got["en-dam"]).languages) == {"en", "ru"}


def test_without_the_join_the_languages_stay_apart():
    _, got = _stories([DAM_EN, BRIDGE_EN, DAM_RU, MARKET_DE], cross_language_threshold=None)
    assert got["en-dam"] != got["ru-dam"]


def test_the_join_survives_a_restart():
    c = StoryClusterer(cross_language_threshold=CUT)
    c.assign_many(featurize([DAM_EN, BRIDGE_EN]))
    header, rows, df = c.take_changes()
    again = StoryClusterer.from_rows(header, [(i, d) for i, d in rows if d["status"] == "open"], df)
    again.assign_many(featurize([DAM_RU]))
    assert again.story_of("ru-dam") == c.story_of("en-dam")


def test_one_language_never_takes_the_cross_language_path(monkeypatch):
    calls = []
    original = StoryClusterer._cross_language_story

    def spy(self, f, *args, **kwargs):
        out = original(self, f, *args, **kwargs)
        calls.append(out)
        return out

    monkeypatch.setattr(StoryClusterer, "_cross_language_story", spy)
    _stories([DAM_EN, BRIDGE_EN], cross_language_merge_threshold=CUT)
    assert calls and all(c is None for c in calls)  # asked, and nothing found: English-only stays as it was


def test_the_join_looks_at_the_closest_member_not_the_story_s_mean():
    # a story holding the English dam report and an unrelated English one (forced together by a
    # join bar nothing misses): the Russian report is close to one member, far from their mean
    c = StoryClusterer(threshold=-100.0, cross_language_threshold=CUT)
    c.assign_many(featurize([DAM_EN, BRIDGE_EN]))
    assert c.story_of("en-dam") == c.story_of("en-bridge")
    c.threshold = c.small_merge_threshold = 100.0  # from here on only the cross-language join can place
    ru = featurize([DAM_RU])[0]
    st = c.by_id_[c.story_of("en-dam")]
    mean = st.m_sum / (st.m_sum @ st.m_sum) ** 0.5
    assert float(mean @ ru.embedding_m) < CUT <= float(featurize([DAM_EN])[0].embedding_m @ ru.embedding_m)
    c.assign(ru)
    assert c.story_of("ru-dam") == c.story_of("en-dam")


def test_a_report_placed_elsewhere_bridges_the_other_language_s_story():
    # no join for founders, only the merge: the Russian report founds a story, and being close to
    # the English report's story merges the two
    c, got = _stories([DAM_EN, BRIDGE_EN, DAM_RU, MARKET_DE], cross_language_threshold=None,
                      cross_language_merge_threshold=CUT)
    assert got["en-dam"] == got["ru-dam"]
    assert len({got["en-dam"], got["en-bridge"], got["de-market"]}) == 3
    assert any(e["kind"] == "merge" and e["at"] == "ru-dam" for e in c.events_)


def test_members_multilingual_vectors_survive_a_restart():
    c = StoryClusterer(cross_language_threshold=CUT)
    c.assign_many(featurize([DAM_EN, BRIDGE_EN]))
    header, rows, df = c.take_changes()
    again = StoryClusterer.from_rows(header, [(i, d) for i, d in rows if d["status"] == "open"], df)
    members = [m for sid in again.open_story_ids() for m in again.by_id_[sid].members]
    assert members and all(m.embedding_m is not None and m.embedding_m.shape == (512,) for m in members)
    restored = StoryClusterer.from_state(c.to_state())
    assert all(m.embedding_m is not None for sid in restored.open_story_ids() for m in restored.by_id_[sid].members)


def _synthetic(aid, lang, m_vec, dense_axis):
    """An article with no words in common with any other and a chosen multilingual vector."""
    dense = np.zeros(384, np.float32)
    dense[dense_axis] = 1.0  # orthogonal MiniLM vectors: the ordinary join never fires
    m = np.asarray(m_vec, np.float32)
    return ArticleFeatures(article_id=aid, title=aid, embedding=dense, language=lang,
                           embedding_m=m / np.linalg.norm(m), body_words=100)


def _axis(i, n=512):
    v = np.zeros(n, np.float32)
    v[i] = 1.0
    return v


def test_a_clear_match_joins_below_the_cut_and_an_ambiguous_one_does_not():
    c = StoryClusterer()
    clear, cut, gap = c.cross_language_clear_threshold, c.cross_language_threshold, c.cross_language_clear_gap
    cos = (clear + cut) / 2  # between the clear-match cut and the ordinary one
    near = cos * _axis(0) + (1 - cos * cos) ** 0.5 * _axis(2)  # cosine ``cos`` with axis 0, 0 with axis 1

    def place(runner_up_cos, **config):
        c = StoryClusterer(**config)
        runner_up = runner_up_cos * _axis(0) + (1 - runner_up_cos ** 2) ** 0.5 * _axis(1)
        c.assign_many([_synthetic("en-a", "en", _axis(0), 0), _synthetic("en-b", "en", runner_up, 1)])
        c.assign(_synthetic("de-x", "de", near, 2))
        return c.story_of("de-x") == c.story_of("en-a")

    # runner-up far: a clear match joins; without the clear-match cut it founds a story of its own
    assert place(0.0)
    assert not place(0.0, cross_language_clear_threshold=None)
    # a runner-up within the gap (another story nearly as close): no join below the cut
    runner = (cos - gap / 2) / cos  # cosine of ``near`` with that story: cos * runner = cos - gap / 2
    assert not place(runner)


def test_a_rare_name_both_articles_share_lifts_a_cross_language_match():
    c = StoryClusterer()
    cut, w = c.cross_language_threshold, c.cross_language_name_weight
    assert w > 0
    cos = cut - w / 2  # under the cut by the vector alone; over it with names shared outright
    near = cos * _axis(0) + (1 - cos * cos) ** 0.5 * _axis(2)

    def place(en_names, de_names, **config):
        c = StoryClusterer(cross_language_clear_threshold=None, **config)
        # other articles first, so that a name none of them uses is rare
        c.assign_many([dataclasses.replace(_synthetic(f"en-{i}", "en", _axis(10 + i), 10 + i),
                                           name_keys=frozenset({"#2020", "trump"})) for i in range(20)])
        c.assign(dataclasses.replace(_synthetic("en-a", "en", _axis(0), 0), name_keys=frozenset(en_names)))
        c.assign(dataclasses.replace(_synthetic("de-x", "de", near, 2), name_keys=frozenset(de_names)))
        return c.story_of("de-x") == c.story_of("en-a")

    assert place({"bepic", "merku"}, {"bepic", "merku"})
    assert not place({"bepic", "merku"}, {"bepic", "merku"}, cross_language_name_weight=0.0)
    assert not place({"bepic"}, {"juncker"})  # no name in common
    # names every article uses are little evidence beside the names only one of the two uses
    assert not place({"trump", "#2020", "bepic"}, {"trump", "#2020", "juncker"})


def test_name_keys_survive_a_restart():
    c = StoryClusterer(cross_language_threshold=CUT)
    c.assign_many(featurize([DAM_EN, BRIDGE_EN]))
    header, rows, df = c.take_changes()
    again = StoryClusterer.from_rows(header, [(i, d) for i, d in rows if d["status"] == "open"], df)
    assert again.df_name_ == c.df_name_ and again.df_name_["#14"] == 1
    members = [m for sid in again.open_story_ids() for m in again.by_id_[sid].members]
    assert any("carro" in m.name_keys for m in members)
    restored = StoryClusterer.from_state(c.to_state())
    assert restored.df_name_ == c.df_name_
