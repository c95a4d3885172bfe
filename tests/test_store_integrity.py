"""The membership invariant: every article is in exactly one story, and that story exists.

Articles come from ``synthetic_stream`` (enriched already, no model runs) through the Ingestor's
client path (dedup, clusterer, one transaction per batch), with a clusterer that merges and
splits often. Before the fix, a split-off half led by the founder of a story merged away
earlier got that story's retired id, and its alias sent the half's articles elsewhere (64
dangling memberships of 300 articles on the fixed stream below).
"""

from __future__ import annotations

import sqlite3

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from synthetic_stream import article, churn_ingestor, event_vectors, store_batches, stream

from samestory.cli import main
from samestory.integrity import check_store
from samestory.store import Store


def _problems(store: Store) -> dict:
    return {k: v for k, v in store.membership_problems().items() if v}


def test_merges_and_splits_leave_no_article_outside_an_existing_story(tmp_path):
    with Store(tmp_path / "s.db") as store:
        ing = churn_ingestor(store)
        seen: list[dict] = []
        store_batches(ing, stream(300), after=lambda: seen.append(_problems(store)))
        events = store.story_events()
        merges = sum(e["kind"] == "merge" for e in events)
        splits = sum(e["kind"] == "split" for e in events)
        assert merges >= 10 and splits >= 10, (merges, splits)  # the stream does exercise both
        assert all(not p for p in seen), next(p for p in seen if p)
        assert store.count_articles() == 300
        # no id serves two stories: no story row, membership or live clusterer row under a retired id
        retired = {r[0] for r in store.conn.execute("SELECT old_id FROM story_aliases")}
        assert not retired & {r[0] for r in store.conn.execute("SELECT DISTINCT story_id FROM story_articles")}
        assert not retired & {r[0] for r in store.conn.execute("SELECT id FROM stories")}
        assert check_store(store).ok


batches = st.lists(st.lists(st.tuples(st.integers(0, 11), st.integers(0, 11), st.booleans()), min_size=1, max_size=12),
                   min_size=1, max_size=14)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(batches, st.integers(0, 3))
def test_random_batches_keep_the_invariant(tmp_path_factory, plan, seed):
    """Any batches of any events (an article of two events bridges them): after every batch,
    every stored article is in exactly one existing story and every story row lists its members."""
    vecs = event_vectors(12, seed)
    with Store(tmp_path_factory.mktemp("prop") / "s.db") as store:
        ing = churn_ingestor(store)
        i = 0
        for batch in plan:
            arts = []
            for a, b, bridge in batch:
                arts.append(article(i, (a, b) if bridge and a != b else (a,), vecs, seed * 7919 + i, day=i // 30))
                i += 1
            store_batches(ing, arts, batch=len(arts))
            assert not _problems(store)
        assert store.count_articles() == i


def _broken_store(path) -> dict:
    """A store broken three ways: a membership under a retired id, a story row deleted, an orphan."""
    with Store(path) as store:
        store_batches(churn_ingestor(store), stream(120))
    conn = sqlite3.connect(path)
    old = conn.execute("SELECT old_id FROM story_aliases LIMIT 1").fetchone()[0]
    big = [r[0] for r in conn.execute("SELECT story_id FROM story_articles GROUP BY story_id ORDER BY count(*) DESC, story_id")]
    target, sid = big[0], big[1]
    moved = [r[0] for r in conn.execute("SELECT article_id FROM story_articles WHERE story_id = ? LIMIT 2", (target,))]
    conn.executemany("UPDATE story_articles SET story_id = ? WHERE article_id = ?", [(old, a) for a in moved])
    conn.execute("DELETE FROM stories WHERE id = ?", (sid,))
    orphan = conn.execute("SELECT article_id FROM story_articles WHERE story_id NOT IN (?, ?) LIMIT 1", (sid, old)).fetchone()[0]
    conn.execute("DELETE FROM story_articles WHERE article_id = ?", (orphan,))
    conn.commit()
    conn.close()
    return {"retired": old, "moved": moved, "rowless": sid, "orphan": orphan}


def test_check_finds_and_repairs_each_breach(tmp_path):
    db = tmp_path / "broken.db"
    broken = _broken_store(db)
    runner = CliRunner()
    first = runner.invoke(main, ["check", "--db", str(db)])
    assert first.exit_code == 1, first.output
    assert "BROKEN" in first.output and "1 in no story" in first.output
    with Store(db, readonly=True) as store:
        found = check_store(store)
    assert found.orphans == [broken["orphan"]]
    assert {a for a, _ in found.dangling} >= set(broken["moved"])
    assert broken["rowless"] in {s for _, s in found.dangling}

    fixed = runner.invoke(main, ["check", "--db", str(db), "--repair"])
    assert fixed.exit_code == 0, fixed.output
    assert "repaired" in fixed.output
    again = runner.invoke(main, ["check", "--db", str(db), "--json"])
    assert again.exit_code == 0, again.output
    with Store(db) as store:
        assert check_store(store).ok
        # the members of the retired id got a fresh id, never given before, and a story row
        sid = store.story_of(broken["moved"][0])
        assert sid != broken["retired"] and store.resolve_story_id(sid) == sid
        assert set(broken["moved"]) <= set(store.get_story(sid).article_ids)
        assert store.story_of(broken["orphan"]) in {s.id for s in store.stories()}
        # and the ingest goes on from the repaired rows
        store_batches(churn_ingestor(store), stream(40, seed=9, prefix="q"))
        assert not _problems(store)


def test_check_on_a_missing_database_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(main, ["check", "--db", str(tmp_path / "none.db")])
    assert result.exit_code == 1 and "no such database" in result.output


def test_repair_refuses_while_another_writer_holds_the_lock(tmp_path):
    from samestory.errors import StoreError
    from samestory.store.lock import WriterLock

    db = tmp_path / "broken.db"
    _broken_store(db)
    other = WriterLock(db)
    other.acquire()
    try:
        with Store(db) as store, pytest.raises(StoreError, match="another writer holds the database"):
            check_store(store, repair=True, lock_timeout=0.3)
    finally:
        other.release()


def test_same_id_other_text_is_kept_aside_not_counted_as_a_duplicate(tmp_path):
    import dataclasses

    from samestory.workflow import IngestReport

    with Store(tmp_path / "s.db") as store:
        ing = churn_ingestor(store)
        arts = stream(3)
        store_batches(ing, arts)
        same = arts[1]
        other = dataclasses.replace(arts[0], text=arts[0].text + " It was changed.",
                                    raw_text=arts[0].raw_text + " It was changed.")
        report = IngestReport()
        with ing._writing():
            assert ing._prepare([same, other], report) == []
        ing.ingest_docs([])  # a run whose last batch held only the conflict still writes it
        assert report.duplicate == 1 and len(report.conflicts) == 1, report
        assert arts[0].id in report.conflicts[0]
        (kept,) = store.conflicts()
        assert kept["article_id"] == arts[0].id and kept["text"].endswith("It was changed.")
        assert store.get_article(arts[0].id).text == arts[0].text  # the stored article is untouched
        assert check_store(store).conflicts == 1
