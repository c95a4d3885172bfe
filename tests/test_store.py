"""The store: migrations, idempotent upserts, round trips (hypothesis), FTS, stories, state."""

from __future__ import annotations

import json
import sqlite3

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samestory.errors import NotFoundError, StoreError
from samestory.models import (
    Article, DuplicateLink, Entity, Failure, Quantity, Quote, Removal, Span, Story, article_id_for,
)
from samestory.store import Store
from samestory.store.schema import MIGRATIONS
from samestory.story_row import StoryAggregate


def make_article(text="The mayor of Eastbrook opened a bridge on Monday.", outlet="Harbour Courier", **kw):
    title = kw.pop("title", "Bridge opens")
    return Article(id=kw.pop("id", article_id_for(outlet, None, title, text)), outlet=outlet, title=title,
                   text=text, **kw)


def test_wal_and_migrations(db_path):
    with Store(db_path) as store:
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        names = [r[0] for r in store.conn.execute("SELECT name FROM _migrations")]
        assert names == [name for name, _ in MIGRATIONS]
    with Store(db_path) as store:  # reopening applies nothing twice
        assert store.conn.execute("SELECT count(*) FROM _migrations").fetchone()[0] == len(MIGRATIONS)
        assert store.integrity_check() == "ok"


def test_upsert_is_idempotent(db_path):
    a = make_article(removed=(Removal(0, 5, "AD BOX", "ad slot"),))
    with Store(db_path) as store:
        with store.transaction():
            assert store.upsert_article(a) is True
        with store.transaction():
            assert store.upsert_article(a) is False
        assert store.count_articles() == 1
        assert store.get_article(a.id).removed == a.removed


def test_transaction_rolls_back(db_path):
    with Store(db_path) as store:
        with pytest.raises(RuntimeError):
            with store.transaction():
                store.upsert_article(make_article())
                raise RuntimeError("crash mid-batch")
        assert store.count_articles() == 0


def test_enriched_round_trip(db_path):
    text = "Mayor Ana Ruiz, 52, said: \"We built it.\" 300 people came."
    a = make_article(
        text=text,
        sentences=(Span(0, 42), Span(43, len(text))),
        entities=(Entity("ana ruiz", "PERSON", "Ana Ruiz", (Span(6, 14),), ("Ruiz",), {"age": "52"}),),
        quotes=(Quote("We built it.", Span(29, 41), "Ana Ruiz", "ana ruiz", Span(6, 14), "said"),),
        quantities=(Quantity("300 people", Span(43, 53), "count", 300.0, None, "people"),),
        duplicate=DuplicateLink("a-other", "near", 0.93, None),
        embedding=np.arange(4, dtype=np.float32),
        genre="opinion",  # both kept so a reloaded article is shown and clustered as it came in
        text_kind="summary",
    )
    with Store(db_path) as store:
        with store.transaction():
            store.upsert_article(a)
        back = store.get_article(a.id)
    assert back == a  # embedding is excluded from equality; check it separately
    assert np.array_equal(back.embedding, a.embedding)


text_st = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=text_st, text=text_st, outlet=st.text(min_size=1, max_size=30),
       published=st.none() | st.datetimes().map(lambda d: d.isoformat()),
       genre=st.none() | st.sampled_from(["news", "opinion", "analysis"]),
       text_kind=st.sampled_from(["full", "summary", "title"]),
       removed=st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50), text_st, st.text(min_size=1, max_size=20)),
                        max_size=3))
def test_round_trip_any_article(tmp_path_factory, title, text, outlet, published, genre, text_kind, removed):
    db = tmp_path_factory.mktemp("rt") / "rt.db"
    a = make_article(text=text, outlet=outlet, title=title, published=published, genre=genre, text_kind=text_kind,
                     removed=tuple(Removal(min(s, e), max(s, e), t, r) for s, e, t, r in removed))
    with Store(db) as store:
        with store.transaction():
            store.upsert_article(a)
        assert store.get_article(a.id) == a


def test_fts_search_treats_query_as_words(db_path):
    with Store(db_path) as store:
        with store.transaction():
            store.upsert_article(make_article())
            store.upsert_article(make_article(text="A ferry sank near Portwell.", title="Ferry sinks"))
        hits = store.search("bridge")
        assert [h["title"] for h in hits] == ["Bridge opens"]
        assert store.search('" OR 1=1 --') == []  # syntax characters are not FTS syntax
        assert store.search("") == []


def test_stories_aliases_and_state(db_path):
    a = make_article()
    with Store(db_path) as store:
        with store.transaction():
            store.upsert_article(a)
            store.assign(a.id, "s-new")
            store.save_story(Story("s-new", "Bridge opens", (a.id,), ("Harbour Courier",), 1, 1, "2026-01-01T00:00:00+00:00"))
            store.add_alias("s-old", "s-new", "merge")
            store.save_state("clusterer", {"n": 1})
            store.record_failure(Failure("bad.html", "binary file"))
        assert store.get_story("s-old").id == "s-new"
        assert store.story_article_ids("s-new") == [a.id]
        assert store.load_state("clusterer") == {"n": 1}
        assert str(store.failures()[0]) == "bad.html: binary file (ingest)"
        with pytest.raises(NotFoundError):
            store.get_story("nope")


def test_readonly_missing_db_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no such database"):
        Store(tmp_path / "missing.db", readonly=True)


def test_not_a_database(tmp_path):
    bad = tmp_path / "junk.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="junk.db"):
        Store(bad)


def test_concurrent_writer_waits_instead_of_failing(db_path):
    with Store(db_path) as one, Store(db_path) as two:
        with one.transaction():
            one.upsert_article(make_article())
        with two.transaction():
            two.upsert_article(make_article(text="Another text."))
        assert two.count_articles() == 2
        assert isinstance(one.conn, sqlite3.Connection)


def test_story_aggregate_and_member_metadata(db_path):
    """The aggregate is saved with its story row and cleared by a save without one; the member rows
    come in story order with the duplicate link's columns; seqs are insertion order."""
    with Store(db_path) as store:
        late = make_article(text="The tram depot reopened.", title="Depot", published="2030-05-02")
        early = make_article(text="The ferry resumed service.", title="Ferry", published="2030-05-01",
                             duplicate=DuplicateLink("elsewhere", "wire", 0.8, "AP"))
        with store.transaction():
            for a in (late, early):
                store.upsert_article(a)
                store.assign(a.id, "s1")
            story = Story(id="s1", title="T", article_ids=(early.id, late.id))
            store.save_story(story, StoryAggregate.from_rows(store.story_members("s1")))
        saved = store.story_aggregate("s1")
        assert [m.id for m in saved.members] == [early.id, late.id] and saved.title == "Depot"  # an original before a copy
        assert saved.members[0].canonical == "elsewhere" and saved.members[0].wire == "AP"
        assert store.story_aggregate("nope") is None
        with store.transaction():  # an aggregate of another version is not read: the row is recomputed
            store.conn.execute("UPDATE stories SET aggregate = '{\"v\": 0, \"m\": []}' WHERE id = 's1'")
        assert store.story_aggregate("s1") is None
        rows = store.story_members("s1")
        assert [r[0] for r in rows] == store.story_article_ids("s1") == [early.id, late.id]
        assert rows[0][1:4] == ("Harbour Courier", "Ferry", "2030-05-01") and rows[0][5:] == (early.text, "elsewhere", "AP")
        assert rows[1][6:] == (None, None)
        seqs = store.article_seqs([late.id, early.id, "missing"])
        assert set(seqs) == {late.id, early.id} and seqs[late.id] < seqs[early.id]
        with store.transaction():
            store.save_story(story)
        assert store.story_aggregate("s1") is None and store.get_story("s1") == story


def test_story_rows_are_saved_as_to_dict_gives_them(db_path):
    from samestory.models import to_dict

    story = Story(id="s9", title="Quay", article_ids=("a", "b"), outlets=("X", ""), sources=2, independent_sources=1,
                  first_published=None, last_published="2030-01-02", entities=("e",), keywords=())
    with Store(db_path) as store:
        with store.transaction():
            store.save_story(story)
        raw = store.conn.execute("SELECT data FROM stories WHERE id = 's9'").fetchone()[0]
        assert json.loads(raw) == to_dict(story) and store.get_story("s9") == story
