"""The incremental ingest: copies linked across runs, re-pointing, counts, boilerplate mining."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import EXAMPLES
from samestory.models import Article
from samestory.store import Store
from samestory.clean import drop_learned_boilerplate
from samestory.workflow import Ingestor

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
        out.append(drop_learned_boilerplate(Article(id=f"a{i}", outlet="Westmere Herald", title=f"T{i}", text=text,
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


# ---- story rows kept from an aggregate: the same as recomputing them from every member ----

_WORDS = ("harbour tram library ferry council budget flood barrier school bridge museum market depot "
          "reservoir tunnel station clinic stadium quay orchard mill foundry canal lighthouse").split()
_SYL = ["bel", "cor", "dan", "fer", "gol", "hin", "jas", "kel", "lom", "mer", "nol", "pim", "ros", "tev", "vul", "wix"]


def _fictional_stream(seed: int, n_events: int) -> list[Article]:
    """Enriched-looking fictional articles (entities, embeddings), so no model runs. The first two
    articles of an event name one person each and lean apart, so they found two stories that the
    event's next article (naming both) merges; some carry a wire dateline or no date; some are
    copies, one an aggregator's copy that arrives before its original (re-pointing)."""
    import dataclasses
    import random

    import numpy as np

    from samestory.models import Entity, Span

    r, g = random.Random(seed), np.random.default_rng(seed)

    def unit(v):
        return (v / np.linalg.norm(v)).astype(np.float32)

    def person():
        return (r.choice(_SYL) + r.choice(_SYL)).capitalize() + " " + "".join(r.choice(_SYL) for _ in range(3)).capitalize()

    out = []
    for e in range(n_events):
        centre, lean = unit(g.standard_normal(384)), unit(g.standard_normal(384))
        names, topic = [person(), person()], r.sample(_WORDS, 3)
        for j in range(r.randint(3, 7)):
            who = [names[j]] if j < 2 else names
            sents = [f"{' and '.join(who)} spoke about the {topic[0]} on day {e}.",
                     f"The {topic[1]} and the {topic[2]} were discussed in session {r.randint(1, 10**6)}."]
            sents += [" ".join(r.choice(_WORDS) for _ in range(12)).capitalize() + "." for _ in range(r.randint(4, 8))]
            text = ("NORTHVALE (AP) — " if r.random() < 0.25 else "") + " ".join(sents)
            side = 0.5 * (1 if j == 0 else -1 if j == 1 else 0)
            ents = tuple(Entity(key=n.lower(), label="PERSON", name=n, mentions=(Span(text.find(n), text.find(n) + len(n)),))
                         for n in who)
            published = None if r.random() < 0.1 else f"2031-03-{1 + e // 8:02d}T{r.choice([9, 10, 10]):02d}:00:00+00:00"
            out.append(Article(id=f"ev{e}-{j}", outlet=f"Outlet {r.randrange(9)}", title=f"{who[0]} and the {topic[j % 3]}",
                               text=text, raw_text=text, published=published, language="en", entities=ents,
                               embedding=unit(centre + side * lean + 0.2 * unit(g.standard_normal(384)))))
    for i in range(3, len(out), 7):  # copies, a few places later
        out.insert(min(len(out), i + 5), dataclasses.replace(out[i], id=out[i].id + "-copy", outlet="Outlet copy",
                                                                 title=out[i].title + " (copy)"))
    original = out.pop(20)  # the aggregator's copy first, its original two batches later
    out.insert(12, dataclasses.replace(original, id=original.id + "-agg", outlet="Yahoo News",
                                          title=original.title + " | Yahoo News"))
    out.insert(18, original)
    return out


def _recomputed(store, story_id) -> dict:
    """What a story row says about its members, computed as the ingest first did: from every member
    article, read in full (the title is the fallback used when the clusterer has none)."""
    from samestory.dedup import independent_sources

    articles = store.get_articles(store.story_article_ids(story_id), analysis=False)
    published = sorted(a.published for a in articles if a.published)
    originals = [a for a in articles if a.duplicate is None] or articles
    return {"article_ids": tuple(a.id for a in articles), "outlets": tuple(dict.fromkeys(a.outlet for a in articles)),
            "sources": len(articles), "independent_sources": independent_sources(articles),
            "first_published": published[0] if published else None,
            "last_published": published[-1] if published else None, "fallback_title": originals[0].title}


def _stored(store, story) -> dict:
    aggregate = store.story_aggregate(story.id)  # None for a story not touched since the aggregates were dropped
    return {"article_ids": story.article_ids, "outlets": story.outlets, "sources": story.sources,
            "independent_sources": story.independent_sources, "first_published": story.first_published,
            "last_published": story.last_published, "fallback_title": aggregate.title if aggregate else _recomputed(store, story.id)["fallback_title"]}


def test_story_rows_from_the_aggregate_equal_a_full_recompute(tmp_path):
    """Batch after batch (new stories, growing ones, merges of stories saved in earlier batches,
    copies, a re-pointed copy, wire datelines, missing dates, a store whose aggregates are gone),
    every story row equals the one recomputed from all its member articles; and most rows were
    updated from the aggregate, without reading their members back."""
    from samestory.workflow import IngestReport

    stream = _fictional_stream(3, 14)
    with Store(tmp_path / "s.db") as store:
        ing = Ingestor(store, batch_size=3)
        reads = []
        story_members = store.story_members
        store.story_members = lambda sid: reads.append(sid) or story_members(sid)
        saves = []
        save_story = store.save_story
        store.save_story = lambda story, aggregate=None: saves.append(story.id) or save_story(story, aggregate)
        report = IngestReport()
        for n, i in enumerate(range(0, len(stream), 3)):
            if n == 12:  # as if written before aggregates were saved: each is recomputed on its next touch
                with store.transaction():
                    store.conn.execute("UPDATE stories SET aggregate = NULL")
            ing._store_batch(ing._prepare(stream[i:i + 3], report), report)
            for story in store.stories():
                assert _stored(store, story) == _recomputed(store, story.id), f"batch {n}: story {story.id}"
        merges = store.conn.execute("SELECT count(*) FROM story_aliases WHERE reason = 'merge'").fetchone()[0]
        stories = store.stories()
    assert merges >= 5  # merges of stories saved in earlier batches happened and were checked
    assert report.copies >= 5 and any(s.independent_sources < s.sources for s in stories)
    assert any(a.published is None for a in stream) and any("(AP)" in a.text for a in stream)
    assert len(reads) < len(saves) / 2, (len(reads), len(saves))


def test_boilerplate_miner_state_is_bounded_and_keeps_frequent_lines():
    """Thousands of articles of one outlet, each with its own lines and a shared footer: the
    line table and the remembered documents stay within their bounds, the footer stays
    boilerplate, and a state saved with bigger bounds is cut to them on load."""
    import json

    from samestory.clean.boilerplate import MAX_DOCS_REMEMBERED, MAX_LINES_PER_OUTLET, BoilerplateMiner

    miner = BoilerplateMiner()
    footer = "Subscribe to the Quarry Bay Ledger for the morning digest"
    def word(n):  # a distinct letters-only word per number (the miner folds digits together)
        return "".join(_SYL[int(c, 16)] for c in f"{n:05x}")

    sizes = []
    for i in range(3_000):
        lines = [f"The {w} committee met about {word(i * 7 + k)}." for k, w in enumerate(_WORDS[:6])]
        miner.observe("Quarry Bay Ledger", lines + [footer], doc_key=f"doc-{i}")
        sizes.append(len(json.dumps(miner.to_state())))
    state = miner.to_state()["outlets"]["quarry bay ledger"]
    assert len(state["lines"]) <= MAX_LINES_PER_OUTLET and len(state["docs"]) == MAX_DOCS_REMEMBERED
    assert max(sizes[1_500:]) < 1.1 * max(sizes[:1_500])  # flat once the bounds are reached
    assert miner.is_boilerplate("Quarry Bay Ledger", footer)
    assert not miner.is_boilerplate("Quarry Bay Ledger", f"The harbour committee met about {word(2999 * 7)}.")
    assert not miner.observe("Quarry Bay Ledger", [footer], doc_key="doc-2999")  # a recent document: not again
    old = miner.to_state()
    old["params"].update(max_lines_per_outlet=50_000, max_docs_remembered=5_000)
    old["outlets"]["quarry bay ledger"]["lines"].update({f"{i:016x}": 1 for i in range(10_000)})
    old["outlets"]["quarry bay ledger"]["docs"] = [f"d{i}" for i in range(5_000)]
    again = BoilerplateMiner.from_state(old)
    restored = again.to_state()["outlets"]["quarry bay ledger"]
    assert len(restored["lines"]) <= MAX_LINES_PER_OUTLET and restored["docs"][-1] == "d4999"
    assert len(restored["docs"]) == MAX_DOCS_REMEMBERED and again.is_boilerplate("Quarry Bay Ledger", footer)


# ---- splits: the store follows the clusterer when a story is split in two ----

def _two_sided_stream(seed: int, n_events: int) -> list[Article]:
    """Fictional events, each told from two sides: one named person and one topic throughout, but
    embeddings leaning to one side or the other, so a lenient clusterer gathers an event into one
    story and later splits it; events interleaved. Some articles reappear as copies from another
    outlet after their original is stored (the ingest files those beside their canonical)."""
    import dataclasses
    import random

    import numpy as np

    from samestory.models import Entity, Span

    r, g = random.Random(seed), np.random.default_rng(seed)

    def unit(v):
        return (v / np.linalg.norm(v)).astype(np.float32)

    out = []
    for e in range(n_events):
        centre, lean = unit(g.standard_normal(384)), unit(g.standard_normal(384))
        name = (r.choice(_SYL) + r.choice(_SYL)).capitalize() + " " + (r.choice(_SYL) * 2).capitalize()
        topic = r.sample(_WORDS, 3)
        for j in range(12):
            text = (f"{name} spoke about the {topic[0]} on day {e}. "
                    + " ".join(r.choice(_WORDS) for _ in range(12)).capitalize() + ".")
            ents = (Entity(key=name.lower(), label="PERSON", name=name,
                           mentions=(Span(text.find(name), text.find(name) + len(name)),)),)
            side = 0.9 if j % 2 else -0.9
            out.append(Article(id=f"sp{e}-{j}", outlet=f"Outlet {r.randrange(9)}", title=f"{name} and the {topic[j % 3]}",
                               text=text, raw_text=text, published=f"2031-04-{1 + e:02d}T10:00:00+00:00", language="en",
                               entities=ents,
                               embedding=unit(centre + side * lean + 0.15 * unit(g.standard_normal(384)))))
    r.shuffle(out)
    for i in range(2, len(out), 5):  # copies, a few places later
        out.insert(min(len(out), i + 4), dataclasses.replace(out[i], id=out[i].id + "-copy", outlet="Outlet copy"))
    return out


def test_a_split_moves_the_split_off_articles_in_the_store_as_in_the_clusterer(tmp_path):
    """After every batch each stored article's story (resolved) is the clusterer's story for it
    (a copy the ingest did not cluster: its canonical's), and every story row lists exactly the
    articles filed under it; the old id of a split story still names itself, and the split is logged."""
    from samestory.cluster import StoryClusterer
    from samestory.workflow import IngestReport, _StoreArchive

    stream = _two_sided_stream(1, 3)
    with Store(tmp_path / "s.db") as store:
        ing = Ingestor(store, batch_size=3)
        # the real clusterer, made lenient (joins two-sided stories, then splits them)
        ing.clusterer = StoryClusterer(threshold=1.2, split_threshold=0.6)
        ing.clusterer.archive = _StoreArchive(store)
        report = IngestReport()
        for n, i in enumerate(range(0, len(stream), 3)):
            ing._store_batch(ing._prepare(stream[i:i + 3], report), report)
            known = ing.clusterer.assignments_
            links = dict(store.conn.execute("SELECT article_id, story_id FROM story_articles").fetchall())
            copies = dict(store.conn.execute("SELECT article_id, canonical_id FROM duplicates").fetchall())
            for aid, sid in links.items():
                clustered = aid if aid in known else copies[aid]  # a copy the ingest filed itself
                assert store.resolve_story_id(sid) == ing.clusterer.story_of(clustered), f"batch {n}: {aid}"
            rows = {s.id: set(s.article_ids) for s in store.stories()}
            assert rows == {sid: {a for a, s in links.items() if s == sid} for sid in set(links.values())}, f"batch {n}"
            for story in ing.clusterer.stories():
                assert set(story.article_ids) == {a for a in rows[story.id] if a in known}, f"batch {n}: {story.id}"
        logged = [e for e in store.story_events() if e["kind"] == "split"]
        assert len(logged) >= 2 and report.copies >= 5
        for ev in logged:  # the old story lives on: its id is not aliased away
            assert store.resolve_story_id(ev["from"]) == ev["from"] != ev["into"]
        # a copy filed by the ingest (not clustered) beside an article that a split moved went with it
        split_off = {a for ev in logged for a in store.story_article_ids(ev["into"])}
        assert any(c in split_off and c not in known for c in copies)
