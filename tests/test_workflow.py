"""The incremental ingest: copies linked across runs, re-pointing, counts, boilerplate mining."""

from __future__ import annotations

import json
import shutil

from conftest import EXAMPLES
from samestory.models import Article
from samestory.store import Store
from samestory.workflow import Ingestor, apply_boilerplate

DEMO = EXAMPLES / "demo"
PLANTED = json.loads((DEMO / "planted.json").read_text())


def copy_pair(tmp_path, name):
    for suffix in (".txt", ".meta.json"):
        shutil.copy(DEMO / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    return str(tmp_path / f"{name}.txt")


def test_original_arriving_after_its_aggregator_copy_becomes_canonical(tmp_path, db_path):
    agg = PLANTED["aggregator_copy"]
    copy = copy_pair(tmp_path, agg["copy"].removesuffix(".txt"))
    original = copy_pair(tmp_path, agg["original"].removesuffix(".txt"))
    with Store(db_path) as store:
        first = Ingestor(store).ingest([copy])          # the copy alone: nothing to link yet
        assert (first.added, first.copies) == (1, 0)
        second = Ingestor(store).ingest([original])     # a new run: the index is rebuilt from the store
        links = dict(store.duplicate_links())
        by_outlet = {a["outlet"]: a["id"] for a in store.article_summaries()}
    assert second.seen == 1
    copy_id = by_outlet[PLANTED["outlets"][agg["copy"]]]
    original_id = by_outlet[PLANTED["outlets"][agg["original"]]]
    assert links[copy_id].canonical_id == original_id
    assert original_id not in links


def test_story_counts_independent_sources(demo_db):
    with Store(demo_db) as store:
        main = max(store.stories(), key=lambda s: s.sources)
    n_story = len(PLANTED["story_articles"])
    assert main.sources == n_story
    # the aggregator copy counts with its original and the wire pair as one source
    assert main.independent_sources == n_story - 1 - (len(PLANTED["wire_family"]) - 1)


def test_boilerplate_learned_across_articles_of_one_outlet():
    from samestory.clean.boilerplate import BoilerplateMiner

    miner = BoilerplateMiner()
    footer = "Follow the Westmere Herald on every platform for more local stories"
    out = []
    topics = ["harbour wall", "tram depot", "library roof", "ferry timetable", "school meals", "flood barrier"]
    for i, topic in enumerate(topics):
        text = (f"The {topic} was debated in Westmere this week, councillors said.\n\n"
                f"Residents asked what the {topic} would cost and who would pay for it.\n\n{footer}")
        out.append(apply_boilerplate(Article(id=f"a{i}", outlet="Westmere Herald", title=f"T{i}", text=text,
                                             raw_text=text), miner))
    assert footer in out[0].text  # seen once: not yet boilerplate
    assert footer not in out[-1].text
    assert any("boilerplate" in r.reason for r in out[-1].removed)
    assert out[-1].id == "a5"  # ids never change with what the miner learns


def test_clusterer_state_saved_every_few_batches_is_replayed(tmp_path):
    """A run stopped between state saves leaves stories the next run's clusterer must know."""
    from samestory.workflow import Ingestor as I

    corpus = EXAMPLES / "demo" / "other-events.jsonl"
    whole, cut = tmp_path / "whole.db", tmp_path / "cut.db"
    with Store(whole) as store:
        I(store, batch_size=2).ingest([str(corpus)])
        expected = {s.id: s.article_ids for s in store.stories()}
    with Store(cut) as store:
        ing = I(store, batch_size=2)
        ing.STATE_EVERY = 1000
        ing._save_cluster_state = lambda: None  # as if killed before any state save
        ing.ingest([str(corpus)])
        assert store.load_state(I.STATE_CLUSTER) is None
        again = I(store)  # replays the stored articles into the clusterer
        assert set(again.clusterer.assignments_) == {a["id"] for a in store.article_summaries()}
        assert {s.id: s.article_ids for s in store.stories()} == expected
