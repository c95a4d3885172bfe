"""The incremental ingest: copies linked across runs, re-pointing, counts, boilerplate mining."""

from __future__ import annotations

import json
import shutil

import pytest

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


def test_clusterer_state_commits_with_each_batch_and_a_stopped_run_continues(tmp_path):
    """No end-of-run save: a run stopped after some batches leaves the clusterer's rows as its last
    batch left them, and the next run ends with the same stories as one uninterrupted run."""
    from samestory.ingest import read_inputs
    from samestory.workflow import Ingestor as I

    corpus = EXAMPLES / "demo" / "other-events.jsonl"
    whole, cut = tmp_path / "whole.db", tmp_path / "cut.db"
    with Store(whole) as store:
        I(store, batch_size=2).ingest([str(corpus)])
        expected = {s.id: s.article_ids for s in store.stories()}
    docs = list(read_inputs([str(corpus)]))
    with Store(cut) as store:
        first = I(store, batch_size=2)
        first._store_batch = _stop_after(first._store_batch, 2)  # as if killed after two batches
        with pytest.raises(KeyboardInterrupt):
            first.ingest_docs(iter(docs))
        header = store.load_cluster_header()
        assert header["n_articles"] == 4 and store.load_state(I.STATE_CLUSTER) is None
        again = I(store, batch_size=2)
        assert set(again.clusterer.assignments_) <= {a["id"] for a in store.article_summaries()}
        again.ingest([str(corpus)])
        assert {s.id: s.article_ids for s in store.stories()} == expected


def _stop_after(store_batch, n):
    calls = []

    def wrapped(items, report):
        if len(calls) == n:
            raise KeyboardInterrupt
        calls.append(1)
        return store_batch(items, report)

    return wrapped


def test_a_store_without_clusterer_rows_is_replayed_and_converted(tmp_path):
    """Stores from before the row layout (or whose rows are gone) rebuild the clusterer from the
    stored articles, once, and keep their stories."""
    from samestory.workflow import Ingestor as I

    corpus = EXAMPLES / "demo" / "other-events.jsonl"
    with Store(tmp_path / "s.db") as store:
        I(store, batch_size=2).ingest([str(corpus)])
        expected = {s.id: s.article_ids for s in store.stories()}
        n = store.load_cluster_header()["n_articles"]
        with store.transaction():
            store.conn.execute("DELETE FROM cluster_stories")
            store.conn.execute("DELETE FROM cluster_df")
            store.delete_state(store.CLUSTER_HEADER)
        again = I(store)
        assert again.clusterer.n_articles_ == n
        assert store.load_cluster_header()["n_articles"] == n
        assert {s.id for s in again.clusterer.stories()} <= set(expected)
        again.ingest([str(corpus)])  # everything already stored: nothing changes
        assert {s.id: s.article_ids for s in store.stories()} == expected


def test_dedup_index_from_saved_fingerprints_equals_the_rebuilt_one(tmp_path):
    """Start-up reads the saved fingerprints and the articles' metadata instead of re-hashing every
    text; articles stored after that save are fingerprinted; both give the index a full rebuild gives."""
    from samestory.dedup import DedupIndex
    from samestory.workflow import Ingestor as I

    with Store(tmp_path / "s.db") as store:
        ing = I(store, batch_size=4)
        ing.DEDUP_MIN = 0
        ing.ingest([str(DEMO)])
        saved = store.load_state(I.STATE_DEDUP)
        assert saved is not None and len(saved["ids"]) == len(ing.dedup)
        rebuilt = DedupIndex.from_articles(store.iter_articles())
        again = I(store)
        assert again._dedup_saved == len(saved["ids"])
        assert again.dedup.groups() == rebuilt.groups() and len(again.dedup) == len(rebuilt)
        # fingerprints saved for only part of the store: the rest is read and hashed
        with store.transaction():
            part = dict(saved, **{k: saved[k][:5] for k in ("ids", "sizes", "exact", "wire", "lead")})
            import base64
            part["minhash"] = base64.b64encode(base64.b64decode(saved["minhash"])[: 5 * len(
                base64.b64decode(saved["minhash"])) // len(saved["ids"])]).decode("ascii")
            store.save_state(I.STATE_DEDUP, part)
        third = I(store)
        assert third.dedup.groups() == rebuilt.groups() and len(third.dedup) == len(rebuilt)
