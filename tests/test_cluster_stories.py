"""Story clustering on invented articles, with the real embedding model and spaCy.

All articles here are fictional and written for these tests."""

from __future__ import annotations

import itertools
import json

import pytest

from samestory.cluster import StoryClusterer, cluster_articles, featurize, story_id_for
from samestory.workflow import cluster_jsonl
from samestory.models import Article


def art(aid, title, text, published=None, outlet="Example Times"):
    return Article(id=aid, outlet=outlet, title=title, text=text, published=published)


# one fire, three outlets, three wordings
FIRE_BRENFORD = [
    art("fire-b1", "Huge blaze destroys Kellmont paint factory in Brenford",
        "A fire tore through the Kellmont Coatings paint factory in Brenford on Tuesday night, "
        "sending a column of black smoke over the town. Forty firefighters fought the flames for six hours. "
        "Brenford fire chief Alma Rusk said two workers were treated for smoke inhalation.",
        "2031-03-04T22:10:00+00:00", "Brenford Courier"),
    art("fire-b2", "Firefighters battle six-hour inferno at Brenford coatings plant",
        "Crews spent six hours bringing a fire at Kellmont Coatings under control in Brenford. "
        "Chief Alma Rusk said 40 firefighters were sent and two employees inhaled smoke. "
        "Residents were told to keep windows closed.",
        "2031-03-05T06:30:00+00:00", "Valley Post"),
    art("fire-b3", "Two hurt as Kellmont factory fire sends smoke across Brenford",
        "Two workers were hurt when fire broke out at the Kellmont Coatings factory in Brenford, the town's "
        "fire service said. Alma Rusk, the fire chief, praised the forty firefighters who tackled the blaze.",
        "2031-03-05T09:00:00+00:00", "National Wire"),
]
# a look-alike: another factory fire, another town, another company, a week later
FIRE_OSTLY = [
    art("fire-o1", "Fire guts Dunmore bakery plant in Ostly",
        "A fire gutted the Dunmore Foods bakery plant in Ostly early on Sunday. Twelve fire engines "
        "attended and the building's roof collapsed. Ostly station manager Teodor Vance said nobody was hurt.",
        "2031-03-09T05:00:00+00:00", "Ostly Gazette"),
    art("fire-o2", "Roof collapses as blaze sweeps Ostly food factory",
        "The roof of the Dunmore Foods factory in Ostly fell in as fire swept the building on Sunday morning. "
        "Station manager Teodor Vance said 12 engines were sent and no injuries were reported.",
        "2031-03-09T08:15:00+00:00", "Valley Post"),
    art("fire-o3", "No injuries in Dunmore Foods fire, Ostly fire service says",
        "Nobody was injured in the fire that destroyed much of the Dunmore Foods bakery in Ostly, "
        "according to Teodor Vance of the fire service. Twelve engines fought the flames.",
        "2031-03-09T11:40:00+00:00", "National Wire"),
]
QUAKES = [
    art("quake-a1", "Magnitude 6.2 earthquake shakes Tarvos island",
        "An earthquake of magnitude 6.2 struck off Tarvos island on Friday, the Tarvos Seismic Office said. "
        "Three houses collapsed in the port of Meriden and 14 people were injured.",
        "2032-07-16T03:00:00+00:00", "Island News"),
    art("quake-a2", "14 injured as quake hits Tarvos, houses collapse in Meriden",
        "Fourteen people were hurt when a 6.2-magnitude quake hit Tarvos. In Meriden, three homes fell down, "
        "officials at the Tarvos Seismic Office said.",
        "2032-07-16T06:00:00+00:00", "World Desk"),
    art("quake-b1", "Strong 5.4 quake rattles Halvik mountains, no damage",
        "A magnitude 5.4 earthquake rattled the Halvik mountains on Monday, the Halvik Geological Survey said. "
        "Shaking was felt in the city of Norrvale but no damage was reported.",
        "2032-08-02T14:00:00+00:00", "World Desk"),
    art("quake-b2", "Norrvale residents feel 5.4 Halvik earthquake",
        "Residents of Norrvale felt a 5.4-magnitude earthquake centred in the Halvik mountains on Monday. "
        "The Halvik Geological Survey reported no damage or injuries.",
        "2032-08-02T15:30:00+00:00", "Island News"),
]


@pytest.fixture(scope="module")
def feats(embedder, nlp):
    """Features of every test article, computed once with the real models."""
    arts = FIRE_BRENFORD + FIRE_OSTLY + QUAKES
    return {f.article_id: f for f in featurize(arts)}


def partition(assignments: dict[str, str]) -> set[frozenset[str]]:
    groups: dict[str, set[str]] = {}
    for aid, sid in assignments.items():
        groups.setdefault(sid, set()).add(aid)
    return {frozenset(g) for g in groups.values()}


def test_paraphrased_coverage_is_grouped_and_lookalikes_kept_apart(feats):
    c = StoryClusterer()
    for a in FIRE_BRENFORD + FIRE_OSTLY:
        c.assign(feats[a.id])
    got = partition(c.assignments_)
    assert frozenset(a.id for a in FIRE_BRENFORD) in got
    # the look-alike never mixes with the first fire
    ostly = {a.id for a in FIRE_OSTLY}
    assert all(g <= ostly or not (g & ostly) for g in got)
    # known weakness: the ECB+-fitted threshold favours precision, and spaCy names the company
    # "Dunmore" in one report and "Dunmore Foods" in the others, so the first report may stay alone
    assert max(len(g & ostly) for g in got) >= 2


def test_two_earthquakes_are_two_stories(feats):
    c = StoryClusterer()
    for a in QUAKES:
        c.assign(feats[a.id])
    assert partition(c.assignments_) == {frozenset({"quake-a1", "quake-a2"}), frozenset({"quake-b1", "quake-b2"})}


def test_story_id_comes_from_founder_and_never_changes(feats):
    c = StoryClusterer()
    first = c.assign(feats["fire-b1"])
    assert first == story_id_for("fire-b1")
    for a in FIRE_BRENFORD[1:] + FIRE_OSTLY:
        c.assign(feats[a.id])
    assert c.story_of("fire-b1") == first
    assert c.story_of("fire-b3") == first


def test_order_does_not_change_the_grouping(feats):
    # clear-cut groups; IDF is learned as articles arrive, and on a cold start only the IDF prior
    # (StoryClusterer.IDF_PRIOR) keeps terms shared by the first story from weighing nothing
    arts = [*FIRE_BRENFORD, FIRE_OSTLY[1], QUAKES[0], QUAKES[2]]
    seen = set()
    for perm in itertools.islice(itertools.permutations(arts), 0, 720, 37):
        c = StoryClusterer()
        for a in perm:
            c.assign(feats[a.id])
        seen.add(frozenset(partition(c.assignments_)))
    assert len(seen) == 1


def test_same_order_same_result(feats):
    order = [feats[a.id] for a in QUAKES + FIRE_OSTLY + FIRE_BRENFORD]
    a, b = StoryClusterer(), StoryClusterer()
    assert [a.assign(f) for f in order] == [b.assign(f) for f in order]
    assert a.to_state() == b.to_state()


def test_story_records_describe_the_story(feats):
    c = StoryClusterer()
    for a in FIRE_BRENFORD:
        c.assign(feats[a.id])
    (story,) = c.stories()
    assert story.id == story_id_for("fire-b1")
    assert story.title in {a.title for a in FIRE_BRENFORD}
    assert story.article_ids == ("fire-b1", "fire-b2", "fire-b3")
    assert story.first_published.startswith("2031-03-04T22:10")
    assert story.last_published.startswith("2031-03-05T09:00")
    assert set(story.outlets) == {"Brenford Courier", "Valley Post", "National Wire"}
    assert any("Brenford" in e or "Kellmont" in e for e in story.entities)
    assert any(k in story.keywords for k in ("kellmont", "brenford", "fire", "firefighter"))


def test_a_quiet_story_is_not_joined(feats):
    import dataclasses

    late = dataclasses.replace(feats["fire-b3"], article_id="fire-b3-late",
                               time=feats["fire-b3"].time + 10 * 86400)
    short = StoryClusterer(window_days=3, quiet_join_threshold=None)
    short.assign(feats["fire-b1"])
    short.assign(feats["fire-b2"])
    assert short.assign(late) != story_id_for("fire-b1")
    long = StoryClusterer(window_days=30)
    long.assign(feats["fire-b1"])
    long.assign(feats["fire-b2"])
    assert long.assign(late) == story_id_for("fire-b1")


def test_cluster_articles_returns_final_assignments_and_stories(embedder, nlp):
    assignments, stories = cluster_articles(QUAKES)
    assert set(assignments) == {a.id for a in QUAKES}
    assert {s.id for s in stories} == set(assignments.values())
    assert sum(len(s.article_ids) for s in stories) == len(QUAKES)


def test_cluster_jsonl_prints_assignments_and_stories(tmp_path, embedder, nlp):
    path = tmp_path / "in.jsonl"
    lines = [json.dumps({"id": a.id, "title": a.title, "text": a.text, "published": a.published}) for a in QUAKES]
    lines.insert(2, "{not json")
    path.write_text("\n".join(lines) + "\n")
    out = cluster_jsonl(path)
    json.dumps(out)  # what the CLI prints must be JSON
    assert set(out["assignments"]) == {a.id for a in QUAKES}
    assert partition(out["assignments"]) == {frozenset({"quake-a1", "quake-a2"}), frozenset({"quake-b1", "quake-b2"})}
    assert {s["id"] for s in out["stories"]} == set(out["assignments"].values())
    if "failures" in out:  # the minimal reader names the bad line; ingest may report it its own way
        assert any("in.jsonl" in f for f in out["failures"])


def _hand(aid, emb_axis, ents=(), nums=()):
    import numpy as np

    from samestory.cluster import ArticleFeatures

    v = np.zeros(384, dtype=np.float32)
    v[emb_axis] = 1.0
    return ArticleFeatures(article_id=aid, title=aid, embedding=v, entities={e: 2.0 for e in ents},
                           keywords={}, numbers={n: 1.0 for n in nums})


def test_a_different_main_actor_or_year_is_a_penalty_not_a_bonus():
    from samestory.cluster import FEATURE_NAMES

    c = StoryClusterer()
    for i in range(12):  # background, so IDF means something
        c.assign(_hand(f"bg{i}", 10 + i, ents=(f"other{i}",)))
    c.assign(_hand("k1", 0, ents=("boxer a", "challenger b", "arena"), nums=("2031",)))
    st = c.by_id_[story_id_for("k1")]
    col = {name: i for i, name in enumerate(FEATURE_NAMES)}
    same = c.pair_features(_hand("same", 0, ents=("boxer a", "challenger b"), nums=("2031",)), st)
    other = c.pair_features(_hand("other", 0, ents=("boxer a", "challenger z"), nums=("2034",)), st)
    assert same[col["lead_missing"]] == 0.0 and same[col["year_conflict"]] == 0.0
    assert 0.0 < other[col["lead_missing"]] < 1.0  # one of its two main actors is unknown to the story
    assert other[col["story_missing"]] > same[col["story_missing"]]
    assert other[col["year_conflict"]] == 1.0
    nothing = c.pair_features(_hand("bare", 0), st)  # no entities, no years: no penalty either
    assert nothing[col["lead_missing"]] == 0.0 and nothing[col["year_conflict"]] == 0.0
    assert float(c.weights @ other) < float(c.weights @ same)


def test_lead_embedding_is_cut_per_call_without_touching_the_shared_model(embedder):
    import numpy as np

    from samestory.enrich.embed import embed_texts

    long_text = " ".join(f"Sentence {i} about the Kellmont fire in Brenford and its aftermath." for i in range(40))
    texts = [long_text, "Short headline about Ostly."]
    before = embedder.max_tokens
    full = embed_texts(texts)
    cut = embed_texts(texts, max_tokens=32)
    assert embedder.max_tokens == before  # compare's claims keep the model's own limit
    assert float(full[1] @ cut[1]) > 0.9999  # a short text is not changed by the cut
    assert float(full[0] @ cut[0]) < 0.999  # a long one is embedded from its start only
    assert np.allclose(np.linalg.norm(cut, axis=1), 1.0, atol=1e-5)
    assert np.allclose(embed_texts(texts, max_tokens=10_000), full, atol=1e-5)
