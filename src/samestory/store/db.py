"""The embedded store: SQLite in WAL mode. The only module that speaks SQL.

Articles are keyed by their id, which is a content hash unless the input gave one, so
upserts are idempotent: storing the same article twice changes nothing. Writes happen in
``with store.transaction():`` blocks so a crash mid-batch loses nothing already committed
and leaves no half-written batch.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from samestory.errors import NotFoundError, StoreError
from samestory.models import (
    Article,
    DuplicateLink,
    Entity,
    Failure,
    Quantity,
    Quote,
    Removal,
    Span,
    Story,
    from_dict,
    to_dict,
)
from samestory.store.schema import migrate
from samestory.story_row import StoryAggregate

DEFAULT_DB = "samestory.db"
# search snippets mark matched words with these (Unicode private use: never in cleaned article text)
SNIPPET_MARKS = ("\ue000", "\ue001")


def split_snippet(snippet: str) -> list[tuple[str, bool]]:
    """A search snippet as (text, matched) pieces, the markers removed."""
    out: list[tuple[str, bool]] = []
    rest = snippet or ""
    while rest:
        start = rest.find(SNIPPET_MARKS[0])
        if start < 0:
            out.append((rest, False))
            break
        if start:
            out.append((rest[:start], False))
        end = rest.find(SNIPPET_MARKS[1], start + 1)
        end = len(rest) if end < 0 else end
        out.append((rest[start + 1:end], True))
        rest = rest[end + 1:]
    return [(t.replace(SNIPPET_MARKS[0], "").replace(SNIPPET_MARKS[1], ""), m) for t, m in out if t]
BUSY_TIMEOUT_MS = 30_000

_ARTICLE_COLUMNS = (
    "id, outlet, title, text, url, published, language, author, site_name, description, "
    "canonical_url, source, raw_text, captions, genre, text_kind, analysis, embedding, embedding_m"
)
_ARTICLE_COLUMNS_LIGHT = _ARTICLE_COLUMNS.replace("analysis, embedding, embedding_m", "NULL, NULL, NULL")
_ARTICLE_COLUMNS_HEAD = _ARTICLE_COLUMNS_LIGHT.replace("title, text,", "title, '',").replace("raw_text,", "'',")
# iter_articles' query for each (analysis, text), built from the constants above only
_ITER_SQL = {
    key: f"SELECT rowid, {cols} FROM articles WHERE rowid > ? ORDER BY rowid LIMIT ?"
    for key, cols in (((True, True), _ARTICLE_COLUMNS), ((True, False), _ARTICLE_COLUMNS),
                      ((False, True), _ARTICLE_COLUMNS_LIGHT), ((False, False), _ARTICLE_COLUMNS_HEAD))
}


_STORY_FIELDS = tuple(f.name for f in dataclasses.fields(Story))


def _story_dict(story: Story) -> dict[str, Any]:
    """``to_dict(story)`` without its generic recursion (a story's fields are flat: text, numbers,
    tuples of text); saved for every touched story of every batch."""
    out = {}
    for name in _STORY_FIELDS:
        v = getattr(story, name)
        out[name] = list(v) if isinstance(v, tuple) else v
    return out


class Store:
    """A samestory database. Use as a context manager, or call ``close()``.

    One connection per Store; a Store may be shared by threads (a lock serialises use).
    """

    def __init__(self, path: str | Path = DEFAULT_DB, *, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        try:
            if readonly:
                if not self.path.exists():
                    raise StoreError(f"{self.path}: no such database; run `samestory ingest` first")
                uri = f"file:{self.path.resolve()}?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
                self.conn.execute("PRAGMA synchronous = NORMAL")
            self.conn.execute("PRAGMA foreign_keys = ON")
            if not readonly:
                migrate(self.conn)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path}: cannot open the database ({exc})") from exc
        self._lock = threading.RLock()
        self._writer_lock = None

    @property
    def writer_lock(self):
        """This database's one-writer lock (``store.lock.WriterLock``), one per Store: an ingest
        holds it while it loads and writes its state, so a second one waits or refuses."""
        if self._writer_lock is None:
            from samestory.store.lock import WriterLock

            self._writer_lock = WriterLock(self.path)
        return self._writer_lock

    # ---- lifecycle ----
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction (BEGIN IMMEDIATE, retried while another writer holds the lock)."""
        with self._lock:
            for attempt in range(50):
                try:
                    self.conn.execute("BEGIN IMMEDIATE")
                    break
                except sqlite3.OperationalError as exc:
                    if "locked" not in str(exc) or attempt == 49:
                        raise StoreError(f"{self.path}: cannot start a write ({exc})") from exc
                    time.sleep(0.05 * (attempt + 1))
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that see one committed state (a read transaction: WAL keeps it while writers go on);
        inside a write transaction, that transaction's own state."""
        with self._lock:
            if self.conn.in_transaction:
                yield
                return
            self.conn.execute("BEGIN")
            try:
                yield
            finally:
                self.conn.execute("COMMIT")

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            cur = self.conn.execute(sql, params)
            return cur.fetchall()

    # ---- articles ----
    def has_article(self, article_id: str) -> bool:
        return bool(self._query("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def article_origin(self, article_id: str) -> tuple[str, str] | None:
        """The stored article's title and text before cleaning (what a re-read of the same record
        gives again), or None when no article has this id."""
        rows = self._query("SELECT title, raw_text FROM articles WHERE id = ?", (article_id,))
        return (rows[0][0], rows[0][1]) if rows else None

    def upsert_article(self, article: Article) -> bool:
        """Store ``article``; return True when it was new. Same id and same content: no change."""
        analysis = None
        if article.enriched:
            analysis = json.dumps(
                {
                    "sentences": to_dict(article.sentences),
                    "entities": to_dict(article.entities),
                    "quotes": to_dict(article.quotes),
                    "quantities": to_dict(article.quantities),
                },
                ensure_ascii=False,
            )
        embedding = None
        if article.embedding is not None:
            embedding = np.asarray(article.embedding, dtype=np.float32).tobytes()
        embedding_m = None
        if article.embedding_m is not None:
            embedding_m = np.asarray(article.embedding_m, dtype=np.float32).tobytes()
        row = (
            article.id,
            article.content_hash,
            article.outlet,
            article.title,
            article.text,
            article.url,
            article.published,
            article.language,
            article.author,
            article.site_name,
            article.description,
            article.canonical_url,
            article.source,
            article.raw_text,
            json.dumps(list(article.captions), ensure_ascii=False),
            article.genre,
            article.text_kind,
            analysis,
            embedding,
            embedding_m,
        )
        with self._lock:
            existing = self.conn.execute(
                "SELECT content_hash, analysis IS NOT NULL, embedding IS NOT NULL FROM articles WHERE id = ?",
                (article.id,),
            ).fetchone()
            if existing is None:
                self.conn.execute(
                    "INSERT INTO articles (id, content_hash, outlet, title, text, url, published, language, author,"
                    " site_name, description, canonical_url, source, raw_text, captions, genre, text_kind, analysis,"
                    " embedding, embedding_m) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    row,
                )
                new = True
            else:
                # same id: refresh only what is missing or changed (idempotent)
                self.conn.execute(
                    "UPDATE articles SET content_hash=?, outlet=?, title=?, text=?, url=?, published=?, language=?,"
                    " author=?, site_name=?, description=?, canonical_url=?, source=?, raw_text=?, captions=?,"
                    " genre=?, text_kind=?, analysis=COALESCE(?, analysis), embedding=COALESCE(?, embedding),"
                    " embedding_m=COALESCE(?, embedding_m) WHERE id=?",
                    row[1:] + (article.id,),
                )
                new = False
            self.conn.execute("DELETE FROM removals WHERE article_id = ?", (article.id,))
            self.conn.executemany(
                "INSERT INTO removals (article_id, seq, start, end, text, reason) VALUES (?,?,?,?,?,?)",
                [(article.id, i, r.start, r.end, r.text, r.reason) for i, r in enumerate(article.removed)],
            )
            self.set_duplicate(article.id, article.duplicate)
        return new

    def set_duplicate(self, article_id: str, link: DuplicateLink | None) -> None:
        """Record (or, with None, clear) how an article relates to its canonical article."""
        with self._lock:
            if link is None:
                self.conn.execute("DELETE FROM duplicates WHERE article_id = ?", (article_id,))
            else:
                self.conn.execute(
                    "INSERT OR REPLACE INTO duplicates (article_id, canonical_id, kind, similarity, wire)"
                    " VALUES (?,?,?,?,?)",
                    (article_id, link.canonical_id, link.kind, float(link.similarity), link.wire),
                )

    def _article_from_row(self, row: Sequence[Any]) -> Article:
        (aid, outlet, title, text, url, published, language, author, site_name, description,
         canonical_url, source, raw_text, captions, genre, text_kind, analysis, embedding, embedding_m) = row
        removed = tuple(
            Removal(start, end, rtext, reason)
            for start, end, rtext, reason in self.conn.execute(
                "SELECT start, end, text, reason FROM removals WHERE article_id = ? ORDER BY seq", (aid,)
            )
        )
        dup_row = self.conn.execute(
            "SELECT canonical_id, kind, similarity, wire FROM duplicates WHERE article_id = ?", (aid,)
        ).fetchone()
        extra: dict[str, Any] = {}
        if analysis:
            a = json.loads(analysis)
            extra["sentences"] = tuple(from_dict(Span, s) for s in a.get("sentences", ()))
            extra["entities"] = tuple(from_dict(Entity, e) for e in a.get("entities", ()))
            extra["quotes"] = tuple(from_dict(Quote, q) for q in a.get("quotes", ()))
            extra["quantities"] = tuple(from_dict(Quantity, q) for q in a.get("quantities", ()))
        if embedding is not None:
            extra["embedding"] = np.frombuffer(embedding, dtype=np.float32).copy()
        if embedding_m is not None:
            extra["embedding_m"] = np.frombuffer(embedding_m, dtype=np.float32).copy()
        return Article(
            id=aid, outlet=outlet, title=title, text=text, url=url, published=published, language=language,
            author=author, site_name=site_name, description=description, canonical_url=canonical_url,
            source=source, raw_text=raw_text, captions=tuple(json.loads(captions)), removed=removed,
            genre=genre, text_kind=text_kind or "full",
            duplicate=DuplicateLink(*dup_row) if dup_row else None, **extra,
        )

    def get_article(self, article_id: str) -> Article:
        with self._lock:
            row = self.conn.execute(f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"no article {article_id!r} in {self.path}")
            return self._article_from_row(row)

    def get_articles(self, ids: Iterable[str], *, analysis: bool = True) -> list[Article]:
        """The articles with these ids, in the order given (missing ids raise NotFoundError).

        ``analysis=False`` skips the enrichment (sentences, entities, quotes, quantities,
        embedding): a cheaper read when only text and metadata are needed."""
        if analysis:
            return [self.get_article(i) for i in ids]
        out = []
        with self._lock:
            for i in ids:
                row = self.conn.execute(f"SELECT {_ARTICLE_COLUMNS_LIGHT} FROM articles WHERE id = ?", (i,)).fetchone()
                if row is None:
                    raise NotFoundError(f"no article {i!r} in {self.path}")
                out.append(self._article_from_row(row))
        return out

    def iter_articles(self, *, batch: int = 500, analysis: bool = True, text: bool = True) -> Iterator[Article]:
        """Every stored article in insertion order, read in batches (memory stays flat);
        ``analysis=False`` skips the enrichment (see ``get_articles``), ``text=False`` also the
        text and raw text (metadata, removals and duplicate links only)."""
        last = 0
        sql = _ITER_SQL[bool(analysis), bool(text)]
        while True:
            with self._lock:
                rows = self.conn.execute(sql, (last, batch)).fetchall()
                articles = [self._article_from_row(r[1:]) for r in rows]
            if not rows:
                return
            last = rows[-1][0]
            yield from articles

    def original_ids_in_stories(self) -> list[str]:
        """Ids of stored originals (not copies) that belong to a story, in insertion order."""
        return [r[0] for r in self._query(
            "SELECT a.id FROM articles a JOIN story_articles sa ON sa.article_id = a.id"
            " LEFT JOIN duplicates d ON d.article_id = a.id WHERE d.article_id IS NULL ORDER BY a.rowid")]

    def count_articles(self) -> int:
        return self._query("SELECT count(*) FROM articles")[0][0]

    def article_summaries(self, *, outlet: str | None = None) -> list[dict[str, Any]]:
        """Light rows (no text) for listings: id, title, outlet, published, url, story_id, duplicate kind."""
        sql = (
            "SELECT a.id, a.title, a.outlet, a.published, a.url, sa.story_id, d.kind, d.canonical_id"
            " FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id"
            " LEFT JOIN duplicates d ON d.article_id = a.id"
        )
        params: tuple = ()
        if outlet is not None:
            sql += " WHERE a.outlet = ?"
            params = (outlet,)
        sql += " ORDER BY a.published DESC, a.rowid DESC"
        keys = ("id", "title", "outlet", "published", "url", "story_id", "duplicate_kind", "canonical_id")
        return [dict(zip(keys, r)) for r in self._query(sql, params)]

    def outlets(self) -> list[tuple[str, int]]:
        return [(r[0], r[1]) for r in self._query(
            "SELECT outlet, count(*) FROM articles GROUP BY outlet ORDER BY count(*) DESC, outlet")]

    def search(self, query: str, *, limit: int = 50) -> list[dict[str, Any]]:
        """Full-text search over titles and texts (FTS5). Words are matched as terms, not syntax.
        Each hit's ``snippet`` marks the matched words with ``SNIPPET_MARKS`` (private-use
        characters no article carries); ``split_snippet`` turns it into (text, matched) pieces."""
        terms = [t for t in "".join(c if c.isalnum() else " " for c in query).split() if t]
        if not terms:
            return []
        match = " ".join(f'"{t}"' for t in terms)
        rows = self._query(
            "SELECT a.id, a.title, a.outlet, a.published, sa.story_id,"
            f" snippet(articles_fts, 1, '{SNIPPET_MARKS[0]}', '{SNIPPET_MARKS[1]}', ' … ', 12)"
            " FROM articles_fts JOIN articles a ON a.rowid = articles_fts.rowid"
            " LEFT JOIN story_articles sa ON sa.article_id = a.id"
            " WHERE articles_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, limit),
        )
        keys = ("id", "title", "outlet", "published", "story_id", "snippet")
        return [dict(zip(keys, r)) for r in rows]

    # ---- duplicates ----
    def duplicate_links(self) -> list[tuple[str, DuplicateLink]]:
        return [(r[0], DuplicateLink(r[1], r[2], r[3], r[4])) for r in self._query(
            "SELECT article_id, canonical_id, kind, similarity, wire FROM duplicates ORDER BY canonical_id, article_id")]

    # ---- stories ----
    def assign(self, article_id: str, story_id: str) -> None:
        with self._lock:
            self.conn.execute(
                "INSERT INTO story_articles (article_id, story_id) VALUES (?, ?)"
                " ON CONFLICT(article_id) DO UPDATE SET story_id = excluded.story_id",
                (article_id, story_id),
            )

    def save_story(self, story: Story, aggregate: StoryAggregate | None = None) -> None:
        """Write a story row; ``aggregate`` is what the ingest computed it from (see
        ``story_aggregate``). Saving without one clears it, so it is never stale."""
        with self._lock:
            self.conn.execute(
                "INSERT INTO stories (id, data, last_published, updated, aggregate)"
                " VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ?)"
                " ON CONFLICT(id) DO UPDATE SET data = excluded.data, last_published = excluded.last_published,"
                " updated = excluded.updated, aggregate = excluded.aggregate",
                (story.id, json.dumps(_story_dict(story), ensure_ascii=False), story.last_published,
                 None if aggregate is None else json.dumps(aggregate.to_json(), ensure_ascii=False)),
            )

    def story_aggregate(self, story_id: str) -> StoryAggregate | None:
        """The aggregate saved with the story row (None when absent or of another version:
        recompute it from the members)."""
        rows = self._query("SELECT aggregate FROM stories WHERE id = ?", (story_id,))
        return StoryAggregate.from_json(json.loads(rows[0][0])) if rows and rows[0][0] else None

    def story_members(self, story_id: str) -> list[tuple]:
        """One row per article of the story, in ``story_article_ids`` order, with what a story row
        needs and nothing heavier: (id, outlet, title, published, seq, text, canonical id, link's
        wire); ``seq`` is the insertion order (rowid), ``text`` is there for the wire credit."""
        return [tuple(r) for r in self._query(
            "SELECT a.id, a.outlet, a.title, a.published, a.rowid, a.text, d.canonical_id, d.wire"
            " FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
            " LEFT JOIN duplicates d ON d.article_id = a.id"
            " WHERE sa.story_id = ? ORDER BY a.published, a.rowid", (story_id,))]

    def story_copies(self, story_id: str) -> dict[str, str]:
        """The story's members that are copies: article id -> its canonical article's id."""
        return dict(self._query(
            "SELECT sa.article_id, d.canonical_id FROM story_articles sa"
            " JOIN duplicates d ON d.article_id = sa.article_id WHERE sa.story_id = ?", (story_id,)))

    def article_seqs(self, ids: Sequence[str]) -> dict[str, int]:
        """Insertion order (rowid) of stored articles, for ordering like ``story_article_ids``."""
        return dict(self._query("SELECT a.id, a.rowid FROM json_each(?) j JOIN articles a ON a.id = j.value",
                                (json.dumps(list(ids)),)))

    def delete_story(self, story_id: str) -> None:
        with self._lock:
            self.conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))

    def add_alias(self, old_id: str, new_id: str, reason: str) -> None:
        with self._lock:
            self.conn.execute(
                "INSERT OR REPLACE INTO story_aliases (old_id, new_id, reason) VALUES (?, ?, ?)",
                (old_id, new_id, reason),
            )

    def log_story_event(self, kind: str, from_id: str, into_id: str, article_id: str | None = None) -> None:
        """Record a change of the story set ("merge": ``from_id`` merged into ``into_id``; "split":
        ``into_id`` was split off ``from_id``, which lives on), with the article that caused it.
        History only: ``resolve_story_id`` follows aliases, never this log."""
        with self._lock:
            self.conn.execute("INSERT INTO story_events (kind, from_id, into_id, article_id) VALUES (?, ?, ?, ?)",
                              (kind, from_id, into_id, article_id))

    def story_events(self, story_id: str | None = None) -> list[dict[str, Any]]:
        """The logged merges and splits (oldest first), all or those involving ``story_id``."""
        if not self._query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'story_events'"):
            return []  # a read-only store written before the log existed
        sql = "SELECT kind, from_id, into_id, article_id, at FROM story_events"
        params: tuple = ()
        if story_id is not None:
            sql += " WHERE from_id = ? OR into_id = ?"
            params = (story_id, story_id)
        return [dict(zip(("kind", "from", "into", "article", "at"), r)) for r in self._query(sql + " ORDER BY id", params)]

    def resolve_story_id(self, story_id: str) -> str:
        """Follow merge aliases so an old story id still finds its story."""
        seen = set()
        while story_id not in seen:
            seen.add(story_id)
            row = self._query("SELECT new_id FROM story_aliases WHERE old_id = ?", (story_id,))
            if not row:
                break
            story_id = row[0][0]
        return story_id

    def get_story(self, story_id: str) -> Story:
        sid = self.resolve_story_id(story_id)
        rows = self._query("SELECT data FROM stories WHERE id = ?", (sid,))
        if not rows:
            raise NotFoundError(f"no story {story_id!r} in {self.path}; `samestory stories` lists them")
        return from_dict(Story, json.loads(rows[0][0]))

    def stories(self, *, limit: int | None = None, offset: int = 0) -> list[Story]:
        """Stories, the most recently published first."""
        sql = "SELECT data FROM stories ORDER BY last_published IS NULL, last_published DESC, updated DESC, id"
        params: tuple = ()
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = (limit, offset)
        return [from_dict(Story, json.loads(r[0])) for r in self._query(sql, params)]

    def count_stories(self) -> int:
        return self._query("SELECT count(*) FROM stories")[0][0]

    def story_article_ids(self, story_id: str) -> list[str]:
        return [r[0] for r in self._query(
            "SELECT sa.article_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
            " WHERE sa.story_id = ? ORDER BY a.published, a.rowid", (story_id,))]

    def story_of(self, article_id: str) -> str | None:
        rows = self._query("SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,))
        return rows[0][0] if rows else None

    def story_updated(self, story_id: str) -> str | None:
        rows = self._query("SELECT updated FROM stories WHERE id = ?", (story_id,))
        return rows[0][0] if rows else None

    def cached_coverage(self, story_id: str) -> dict | None:
        """The cached comparison of a story, if the story has not changed since it was cached."""
        rows = self._query(
            "SELECT c.data FROM coverage_cache c JOIN stories s ON s.id = c.story_id"
            " WHERE c.story_id = ? AND c.story_updated = s.updated", (story_id,))
        return json.loads(rows[0][0]) if rows else None

    def cache_coverage(self, story_id: str, data: dict, updated: str | None = None) -> None:
        """Cache a story's comparison under ``updated``: the story's version it was computed from,
        read before its articles were (default: the version now, for a caller that holds the store
        still). A comparison that took seconds while an ingest changed the story is so cached under
        the old version, never under the new one it does not show, and never over a newer entry."""
        updated = updated or self.story_updated(story_id)
        if updated is None or self.readonly:
            return
        with self._lock:
            self.conn.execute(
                "INSERT INTO coverage_cache (story_id, story_updated, data) VALUES (?, ?, ?)"
                " ON CONFLICT(story_id) DO UPDATE SET story_updated = excluded.story_updated, data = excluded.data"
                " WHERE excluded.story_updated >= coverage_cache.story_updated",
                (story_id, updated, json.dumps(data, ensure_ascii=False)))

    # ---- learned state of stages, failures ----
    def save_state(self, name: str, data: Any) -> int:
        """Save a stage's learned state (JSON); return its size in characters."""
        text = json.dumps(data, ensure_ascii=False)
        with self._lock:
            self.conn.execute(
                "INSERT INTO state (name, data) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET data = excluded.data",
                (name, text),
            )
        return len(text)

    def delete_state(self, name: str) -> None:
        with self._lock:
            self.conn.execute("DELETE FROM state WHERE name = ?", (name,))

    def load_state(self, name: str) -> Any | None:
        rows = self._query("SELECT data FROM state WHERE name = ?", (name,))
        return json.loads(rows[0][0]) if rows else None

    # ---- the story clusterer's state, row by row ----
    CLUSTER_HEADER = "clusterer-rows"

    def save_cluster_rows(self, header: dict, stories: Sequence[tuple[int, dict]],
                          df: dict[tuple[str, str], int]) -> None:
        """Write the clusterer's header, its changed stories and changed document frequencies
        (``StoryClusterer.take_changes``); call inside the batch's transaction."""
        with self._lock:
            self.save_state(self.CLUSTER_HEADER, header)
            self.conn.executemany(
                "INSERT OR REPLACE INTO cluster_stories (idx, id, status, data) VALUES (?, ?, ?, ?)",
                [(idx, d["id"], d["status"], json.dumps(d, ensure_ascii=False)) for idx, d in stories])
            self.conn.executemany(
                "INSERT INTO cluster_df (kind, term, df) VALUES (?, ?, ?)"
                " ON CONFLICT(kind, term) DO UPDATE SET df = excluded.df",
                [(kind, term, n) for (kind, term), n in df.items()])

    def load_cluster_header(self) -> dict | None:
        return self.load_state(self.CLUSTER_HEADER)

    def open_cluster_stories(self) -> list[tuple[int, dict]]:
        return [(r[0], json.loads(r[1])) for r in self._query(
            "SELECT idx, data FROM cluster_stories WHERE status = 'open' ORDER BY idx")]

    def cluster_story(self, story_id: str) -> dict | None:
        rows = self._query("SELECT data FROM cluster_stories WHERE id = ? ORDER BY idx DESC LIMIT 1", (story_id,))
        return json.loads(rows[0][0]) if rows else None

    def cluster_df(self) -> dict[tuple[str, str], int]:
        return {(r[0], r[1]): r[2] for r in self._query("SELECT kind, term, df FROM cluster_df")}

    def record_failure(self, failure: Failure) -> None:
        with self._lock:
            self.conn.execute(
                "INSERT INTO failures (source, record, stage, reason) VALUES (?, ?, ?, ?)",
                (failure.source, failure.record, failure.stage, failure.reason),
            )

    def record_conflict(self, article: Article) -> None:
        """Keep aside a record that came under the id of a stored article with other content."""
        with self._lock:
            self.conn.execute("INSERT INTO conflicts (article_id, source, title, text) VALUES (?, ?, ?, ?)",
                              (article.id, article.source, article.title, article.raw_text or article.text))

    def conflicts(self, *, limit: int = 100) -> list[dict[str, Any]]:
        """The records kept aside as conflicts, the newest first: id, source, title, text, at."""
        if not self._query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'conflicts'"):
            return []  # a read-only store written before the table existed
        return [dict(zip(("article_id", "source", "title", "text", "at"), r)) for r in self._query(
            "SELECT article_id, source, title, text, at FROM conflicts ORDER BY id DESC LIMIT ?", (limit,))]

    def failures(self, *, limit: int = 100) -> list[Failure]:
        return [Failure(source=r[0], record=r[1], stage=r[2], reason=r[3]) for r in self._query(
            "SELECT source, record, stage, reason FROM failures ORDER BY id DESC LIMIT ?", (limit,))]

    def integrity_check(self) -> str:
        return self._query("PRAGMA integrity_check")[0][0]

    # ---- the membership invariant: every article in exactly one existing story ----
    WRITER_GENERATION = "writer-generation"

    def writer_generation(self) -> int:
        """How many ingest batches were committed (a writer that loaded its state at another
        count must reload it before it writes)."""
        return int(self.load_state(self.WRITER_GENERATION) or 0)

    def bump_writer_generation(self) -> int:
        """Count one more committed batch; call inside the batch's transaction."""
        n = self.writer_generation() + 1
        self.save_state(self.WRITER_GENERATION, n)
        return n

    def story_id_known(self, story_id: str) -> bool:
        """Whether ``story_id`` names or named a story: a story row, an alias of a merged story, or
        the clusterer's row of one (a story id is never given twice)."""
        return bool(self._query(
            "SELECT 1 FROM stories WHERE id = ?1 UNION ALL SELECT 1 FROM story_aliases WHERE old_id = ?1"
            " UNION ALL SELECT 1 FROM cluster_stories WHERE id = ?1 LIMIT 1", (story_id,)))

    def membership_problems(self) -> dict[str, list]:
        """What breaks "every article in exactly one existing story" (the primary key of
        story_articles makes it at most one):

        - ``orphans``: article ids in no story;
        - ``dangling``: ``(article id, story id)`` memberships whose story has no row, or only an
          alias (a retired id: the row a reader reaches holds other articles);
        - ``stale``: story rows whose article list is not exactly their members (empty rows too).
        """
        orphans = [r[0] for r in self._query(
            "SELECT a.id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM story_articles sa WHERE sa.article_id = a.id)"
            " ORDER BY a.rowid")]
        dangling = [(r[0], r[1]) for r in self._query(
            "SELECT sa.article_id, sa.story_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id"
            " WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = sa.story_id)"
            " OR EXISTS (SELECT 1 FROM story_aliases al WHERE al.old_id = sa.story_id) ORDER BY a.rowid")]
        stale = [r[0] for r in self._query(
            "SELECT s.id FROM stories s WHERE"
            " (SELECT count(*) FROM story_articles sa WHERE sa.story_id = s.id)"
            "   != json_array_length(json_extract(s.data, '$.article_ids'))"
            " OR json_array_length(json_extract(s.data, '$.article_ids')) = 0"
            " OR EXISTS (SELECT 1 FROM json_each(s.data, '$.article_ids') j WHERE NOT EXISTS"
            "   (SELECT 1 FROM story_articles sa WHERE sa.article_id = j.value AND sa.story_id = s.id))"
            " ORDER BY s.id")]
        return {"orphans": orphans, "dangling": dangling, "stale": stale}

    def count_conflicts(self) -> int:
        if not self._query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'conflicts'"):
            return 0
        return self._query("SELECT count(*) FROM conflicts")[0][0]

    def rename_cluster_story(self, old_id: str, new_id: str) -> int:
        """Give the clusterer's live row(s) of ``old_id`` (not the merged-away one) the id
        ``new_id``, in its state and in the header's open rows; return the rows changed. For the
        repair of a story that was given a retired id."""
        with self._lock:
            rows = self.conn.execute("SELECT idx, data FROM cluster_stories WHERE id = ? AND status != 'merged'",
                                     (old_id,)).fetchall()
            for idx, data in rows:
                d = json.loads(data)
                d["id"] = new_id
                self.conn.execute("UPDATE cluster_stories SET id = ?, data = ? WHERE idx = ?",
                                  (new_id, json.dumps(d, ensure_ascii=False), idx))
            header = self.load_cluster_header()
            if header is not None and old_id in header.get("open_rows", ()):
                header["open_rows"] = [new_id if s == old_id else s for s in header["open_rows"]]
                self.save_state(self.CLUSTER_HEADER, header)
            return len(rows)
