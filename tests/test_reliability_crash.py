"""Crash safety: `samestory ingest` killed with SIGKILL at random moments loses and doubles nothing.

A corpus of invented articles (8 events, 6 outlets, each outlet with its own repeated footer so the
boilerplate miner learns while the runs are killed) is ingested with a small batch size, so
there are many transactions. The ingest is killed several times at random delays after it has
started writing (seeded RNG), then run again to completion. Then: every input stored exactly
once, no orphan rows, stories consistent with their article links, the FTS index and
``PRAGMA integrity_check`` ok.
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from reliability_corpus import write_corpus

pytestmark = pytest.mark.timeout(900)

SEED = 20250311
KILLS = 3
BATCH = 4

def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return 0  # not created or not migrated yet


def _start(corpus: Path, db: Path, log: Path) -> subprocess.Popen:
    """The real command in its own process; stdout (the JSON report) to LOG.out, stderr to LOG.err."""
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "samestory.cli", "ingest", str(corpus), "--db", str(db), "--batch-size", str(BATCH), "--json"]
    with open(log.with_suffix(".out"), "wb") as out, open(log.with_suffix(".err"), "wb") as err:
        return subprocess.Popen(cmd, stdout=out, stderr=err, env=env)


def test_sigkill_at_random_moments_loses_and_doubles_nothing(tmp_path):
    rng = random.Random(SEED)
    corpus = tmp_path / "corpus"
    inputs = write_corpus(corpus, rng, events=8)  # 48 articles, 12 batches
    db = tmp_path / "crash.db"
    kills = []
    for k in range(KILLS):
        proc = _start(corpus, db, tmp_path / f"run{k}.log")
        before = _count(db)
        deadline = time.monotonic() + 300
        while _count(db) <= before and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)  # wait until this run has committed a batch of its own
        if proc.poll() is not None:
            break  # finished before we could kill it: nothing left to interrupt
        time.sleep(rng.uniform(0.0, 2.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills.append((before, _count(db)))
        if proc.returncode != -signal.SIGKILL:
            break  # it ended on its own between our check and the signal
    assert kills, "the ingest never got killed: it finished before writing was observed"
    assert any(after < len(inputs) for _, after in kills), f"every kill came after the last write: {kills}"

    final = _start(corpus, db, tmp_path / "final.log")
    assert final.wait(timeout=600) == 0, (tmp_path / "final.err").read_text(errors="replace")[-3000:]
    report = json.loads((tmp_path / "final.out").read_text())
    assert report["failed"] == 0, report["failures"]
    assert "database is locked" not in (tmp_path / "final.err").read_text(errors="replace")

    conn = sqlite3.connect(db)
    q = lambda sql, *a: conn.execute(sql, a).fetchall()  # noqa: E731
    assert q("PRAGMA integrity_check") == [("ok",)]
    assert q("PRAGMA foreign_key_check") == []

    # every input stored exactly once
    sources = [r[0] for r in q("SELECT source FROM articles")]
    assert len(sources) == len(set(sources)), "an input was stored twice"
    assert sorted(sources) == sorted(str(p) for p in inputs), (
        f"{len(sources)} stored for {len(inputs)} inputs; missing: {set(map(str, inputs)) - set(sources)}")
    assert q("SELECT count(*) FROM articles")[0][0] == len(q("SELECT DISTINCT id FROM articles")) == len(inputs)

    # no orphans
    articles = {r[0] for r in q("SELECT id FROM articles")}
    stories = {r[0]: json.loads(r[1]) for r in q("SELECT id, data FROM stories")}
    links = q("SELECT article_id, story_id FROM story_articles")
    assert {a for a, _ in links} == articles, "an article without a story, or a link without an article"
    for aid, sid in links:
        assert sid in stories, f"article {aid} points to missing story {sid}"
    for sid, data in stories.items():
        assert set(data["article_ids"]) <= articles, f"story {sid} lists missing articles"
        assert set(data["article_ids"]) == {a for a, s in links if s == sid}, f"story {sid} disagrees with its links"
    for (aid,) in q("SELECT DISTINCT article_id FROM removals"):
        assert aid in articles
    for aid, canonical in q("SELECT article_id, canonical_id FROM duplicates"):
        assert aid in articles and canonical in articles, (aid, canonical)
    for old, new in q("SELECT old_id, new_id FROM story_aliases"):
        assert old not in stories, f"merged story {old} still stored"

    # the FTS index matches its table
    conn.execute("INSERT INTO articles_fts(articles_fts) VALUES ('integrity-check')")
    assert q("SELECT count(*) FROM articles_fts")[0][0] == len(articles)
    conn.close()
    print(f"kills (rows before -> at kill): {kills}; final: {len(articles)} articles in {len(stories)} stories")
