"""The database schema as an ordered list of migrations.

Each migration is a function registered with ``@migration`` that returns its SQL script;
``migrate`` applies the ones a database has not seen yet, in order, each in one transaction
together with its row in ``_migrations``. Never edit a released migration: add a new one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

MIGRATIONS: list[tuple[str, Callable[[], str]]] = []


def migration(fn: Callable[[], str]) -> Callable[[], str]:
    MIGRATIONS.append((fn.__name__, fn))
    return fn


@migration
def m001_initial() -> str:
    return """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            content_hash TEXT NOT NULL,
            outlet TEXT NOT NULL,
            title TEXT NOT NULL,
            text TEXT NOT NULL,
            url TEXT,
            published TEXT,
            language TEXT,
            author TEXT,
            site_name TEXT,
            description TEXT,
            canonical_url TEXT,
            source TEXT NOT NULL DEFAULT '',
            raw_text TEXT NOT NULL DEFAULT '',
            captions TEXT NOT NULL DEFAULT '[]',      -- JSON list
            analysis TEXT,                            -- JSON: sentences, entities, quotes, quantities
            embedding BLOB,                           -- float32 vector
            added TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX articles_outlet ON articles(outlet);
        CREATE INDEX articles_published ON articles(published);
        CREATE INDEX articles_hash ON articles(content_hash);

        CREATE TABLE removals (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            reason TEXT NOT NULL,
            PRIMARY KEY (article_id, seq)
        );

        CREATE TABLE duplicates (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            canonical_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            similarity REAL NOT NULL,
            wire TEXT
        );
        CREATE INDEX duplicates_canonical ON duplicates(canonical_id);

        CREATE TABLE stories (
            id TEXT PRIMARY KEY,
            data TEXT NOT NULL,                       -- JSON of models.Story
            last_published TEXT,
            updated TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX stories_last ON stories(last_published);

        CREATE TABLE story_articles (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            story_id TEXT NOT NULL
        );
        CREATE INDEX story_articles_story ON story_articles(story_id);

        CREATE TABLE story_aliases (
            old_id TEXT PRIMARY KEY,
            new_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );

        CREATE TABLE state (
            name TEXT PRIMARY KEY,
            data TEXT NOT NULL                        -- JSON of a stage's learned state
        );

        CREATE TABLE failures (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            source TEXT NOT NULL,
            record TEXT,
            stage TEXT NOT NULL,
            reason TEXT NOT NULL,
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );

        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, text, content='articles', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        END;
        CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO articles_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        """


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply the migrations this database lacks; return their names."""
    conn.execute("CREATE TABLE IF NOT EXISTS _migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)")
    done = {row[0] for row in conn.execute("SELECT name FROM _migrations")}
    applied = []
    for name, fn in MIGRATIONS:
        if name in done:
            continue
        # one script so the schema change and its record commit together (executescript
        # would otherwise commit a transaction opened with execute)
        script = f"BEGIN IMMEDIATE;\n{fn()}\nINSERT INTO _migrations VALUES ('{name}', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));\nCOMMIT;"
        try:
            conn.executescript(script)
        except sqlite3.OperationalError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            # another process applied it between our check and our lock: fine
            if conn.execute("SELECT 1 FROM _migrations WHERE name = ?", (name,)).fetchone():
                continue
            raise exc
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        applied.append(name)
    return applied


@migration
def m002_coverage_cache() -> str:
    # a story's comparison is costly to build; keep it until the story changes
    return """
        CREATE TABLE coverage_cache (
            story_id TEXT PRIMARY KEY,
            story_updated TEXT NOT NULL,
            data TEXT NOT NULL
        );
        """


@migration
def m003_cluster_rows() -> str:
    # the story clusterer's state, one row per story: a batch writes only the stories it changed,
    # and closed stories stay here instead of in the ingest process's memory
    return """
        CREATE TABLE cluster_stories (
            idx INTEGER PRIMARY KEY,                  -- the clusterer's internal index (founding order)
            id TEXT NOT NULL,
            status TEXT NOT NULL,                     -- open | quiet | merged
            data TEXT NOT NULL                        -- JSON of the story's state
        );
        CREATE INDEX cluster_stories_id ON cluster_stories(id);
        CREATE INDEX cluster_stories_open ON cluster_stories(status) WHERE status = 'open';
        CREATE TABLE cluster_df (
            kind TEXT NOT NULL,                       -- e(ntity) | k(eyword) | n(umber)
            term TEXT NOT NULL,
            df INTEGER NOT NULL,
            PRIMARY KEY (kind, term)
        ) WITHOUT ROWID;
        """


@migration
def m004_story_aggregate() -> str:
    # what a story row is computed from (per member: order key, outlet, duplicate link, wire), so
    # a batch updates a story from its new articles instead of re-reading every member
    return """
        ALTER TABLE stories ADD COLUMN aggregate TEXT;  -- JSON; NULL: recompute from the members
        """


@migration
def m005_story_events() -> str:
    # the history of the story set: merges (the old id also becomes an alias) and splits (the
    # old story lives on, so a split is no alias); what ``samestory`` shows as a story's history
    return """
        CREATE TABLE story_events (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            kind TEXT NOT NULL,                       -- merge | split
            from_id TEXT NOT NULL,
            into_id TEXT NOT NULL,
            article_id TEXT,                          -- the article whose arrival caused it
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX story_events_from ON story_events(from_id);
        CREATE INDEX story_events_into ON story_events(into_id);
        """


@migration
def m006_conflicts() -> str:
    # a record that arrives under the id of a stored article but with other content is kept aside
    # here (never stored over the article, never counted as a duplicate); `samestory check` counts them
    return """
        CREATE TABLE conflicts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            article_id TEXT NOT NULL,                 -- the id both records claim
            source TEXT NOT NULL,                     -- where the conflicting record came from
            title TEXT NOT NULL,
            text TEXT NOT NULL,                       -- the conflicting record's text before cleaning
            at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
        );
        CREATE INDEX conflicts_article ON conflicts(article_id);
        """


@migration
def m007_article_kind() -> str:
    # what the page said the piece is (news/opinion/analysis) and how much text the input carried
    # (full/summary/title): both decide how an article is shown and clustered after a reload
    return """
        ALTER TABLE articles ADD COLUMN genre TEXT;
        ALTER TABLE articles ADD COLUMN text_kind TEXT NOT NULL DEFAULT 'full';
        """


@migration
def m008_multilingual_embedding() -> str:
    # the headline + lead in the multilingual space (float32, 512): the clusterer joins articles
    # in two languages by it; NULL for articles stored before (they are embedded when clustered again)
    return "ALTER TABLE articles ADD COLUMN embedding_m BLOB;"
