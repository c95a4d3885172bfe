"""Concurrency: `serve` reads while `ingest` writes, and no "database is locked" reaches anyone.

The web app runs under uvicorn in a thread of this process (127.0.0.1, a free port) over a
store that a separate `samestory ingest` process fills with small batches (many short write
transactions). Several client threads poll the stories list, search, health and a story page
(which computes and caches its comparison: a write from the web side too) for the whole ingest.
No response may be a 5xx or mention a locked database; neither may the ingest's output.
"""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from reliability_corpus import write_corpus

pytestmark = pytest.mark.timeout(900)

CLIENTS = 4


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Poller:
    """Client threads hitting the read pages until stopped; every response is checked."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.stop = threading.Event()
        self.lock = threading.Lock()
        self.requests = 0
        self.problems: list[str] = []
        self.article_counts: list[int] = []
        self.story_pages = 0
        self.timeline: list[tuple[float, float, int]] = []  # (seconds since start, latency, articles)
        self.t_start = time.monotonic()

    def _check(self, path: str, r: httpx.Response) -> None:
        with self.lock:
            self.requests += 1
            if r.status_code >= 500:
                self.problems.append(f"{path}: {r.status_code} {r.text[:300]}")
            if "database is locked" in r.text.lower():
                self.problems.append(f"{path}: 'database is locked' in the response: {r.text[:300]}")

    def run(self, seed: int, story_pages: bool) -> None:
        """Poll health, the list and search; with ``story_pages`` also open stories (slow: a comparison each)."""
        rng = random.Random(seed)
        with httpx.Client(base_url=self.base, timeout=120) as client:
            while not self.stop.is_set():
                try:
                    t0 = time.monotonic()
                    r = client.get("/api/health")
                    self._check("/api/health", r)
                    if r.status_code == 200:
                        with self.lock:
                            self.article_counts.append(r.json()["articles"])
                            self.timeline.append((round(t0 - self.t_start, 1), round(time.monotonic() - t0, 2),
                                                  r.json()["articles"]))
                    r = client.get("/stories.json")
                    self._check("/stories.json", r)
                    stories = r.json().get("stories", []) if r.status_code == 200 else []
                    q = rng.choice(["flood", "council", "bridge", "Ashby", "repairs"])
                    self._check(f"/stories?q={q}", client.get("/stories", params={"q": q}))
                    if story_pages and stories:
                        sid = rng.choice(stories)["id"]
                        r = client.get(f"/stories/{sid}.json", follow_redirects=True)
                        self._check(f"/stories/{sid}.json", r)
                        with self.lock:
                            self.story_pages += r.status_code == 200
                except httpx.HTTPError as exc:  # a dropped connection is a failure to serve too
                    with self.lock:
                        self.problems.append(f"request failed: {type(exc).__name__}: {exc}")
                time.sleep(rng.uniform(0.0, 0.1))


def test_serve_reads_while_ingest_writes(tmp_path):
    import uvicorn

    from samestory.web.app import create_app

    corpus = tmp_path / "corpus"
    inputs = write_corpus(corpus, random.Random(7))
    db = tmp_path / "shared.db"

    app = create_app(db)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    server_thread = threading.Thread(target=server.run, daemon=True)
    server_thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"

    poller = Poller(f"http://127.0.0.1:{port}")
    # one client opens story pages (each computes and caches a comparison); the others keep polling the light
    # pages, so the reads go on through the whole ingest
    clients = [threading.Thread(target=poller.run, args=(i, i == 0), daemon=True) for i in range(CLIENTS)]
    for c in clients:
        c.start()
    try:
        cmd = [sys.executable, "-m", "samestory.cli", "ingest", str(corpus), "--db", str(db), "--batch-size", "4", "--json"]
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        ingest = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=700)
        final = httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=120)  # a read over the finished store
    finally:
        poller.stop.set()
        for c in clients:
            c.join(timeout=180)
        server.should_exit = True
        server_thread.join(timeout=30)

    assert ingest.returncode == 0, ingest.stderr[-3000:]
    assert "database is locked" not in (ingest.stdout + ingest.stderr).lower(), ingest.stderr[-3000:]
    assert poller.problems == [], poller.problems[:10]
    # the reads really overlapped the writes: the web saw the store grow
    counts = poller.article_counts
    assert poller.requests >= 20, poller.requests
    assert len(set(counts)) >= 5, f"the web saw too few distinct states of the store: {sorted(set(counts))}"
    assert poller.story_pages >= 1
    assert final.status_code == 200 and final.json()["articles"] == len(inputs), final.text
    print("slowest health checks (at s, latency s, articles):", sorted(poller.timeline, key=lambda x: -x[1])[:3])
    print(f"{poller.requests} requests, {poller.story_pages} story pages, store states seen: {len(set(counts))}")


# ----------------------------------------------------------------------------- two writers

WRITER = r"""
import os, sys, time
sys.path.insert(0, sys.argv[3])
from synthetic_stream import churn_ingestor, store_batches, stream
from samestory.store import Store
db, who, n = sys.argv[1], sys.argv[2], int(sys.argv[4])
started = db + ".second-started"

def after():
    print("BATCH", flush=True)
    if who == "1" and not os.path.exists(started):  # hold the lock, mid-run, until the second writer is there
        deadline = time.monotonic() + 300
        while not os.path.exists(started) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(3.0)  # ... and a little longer: it is now waiting for the lock

import samestory.clean.boilerplate, samestory.cluster, samestory.dedup, samestory.scale.engine  # noqa: E401,F401
with Store(db) as store:
    if who == "2":  # imports done: the next thing it does is ask for the lock
        open(started, "w").close()
    ing = churn_ingestor(store, on_lock_wait=lambda m: print("WAIT", m, flush=True))
    report = store_batches(ing, stream(n, seed=int(who), prefix=f"w{who}"), batch=4, after=after)
    print("DONE", report.added + report.duplicate, flush=True)
"""


def test_two_writers_one_waits_and_nothing_is_lost(tmp_path):
    """Two processes ingest into one database at once: the second waits for the writer lock
    (and says so), both finish, every article of both is stored in an existing story, and the
    clusterer rows were never written under one index by both."""
    db = tmp_path / "two.db"
    tests = str(Path(__file__).resolve().parent)
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    n = 80
    first = subprocess.Popen([sys.executable, "-c", WRITER, str(db), "1", tests, str(n)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
    assert first.stdout.readline().startswith("BATCH")  # the first writer holds the lock, mid-run
    second = subprocess.Popen([sys.executable, "-c", WRITER, str(db), "2", tests, str(n)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, env=env)
    out1, err1 = first.communicate(timeout=600)
    out2, err2 = second.communicate(timeout=600)
    assert first.returncode == 0, err1[-2000:]
    assert second.returncode == 0, err2[-2000:]
    assert "WAIT" in out2 and "waiting for the writer lock, held by pid" in out2, out2
    assert f"DONE {n}" in out1 and f"DONE {n}" in out2, (out1, out2)

    from samestory.integrity import check_store
    from samestory.store import Store

    with Store(db) as store:
        assert store.count_articles() == 2 * n
        assert check_store(store).ok
        ids = {r[0] for r in store.conn.execute("SELECT article_id FROM story_articles")}
        assert {f"w1-{i:05d}" for i in range(n)} | {f"w2-{i:05d}" for i in range(n)} == ids
        # the clusterer's rows: one per story index, its header counts every clustered article once
        header = store.load_cluster_header()
        copies = store.conn.execute("SELECT count(*) FROM duplicates").fetchone()[0]
        assert header["n_articles"] + copies >= 2 * n
        rows = store.conn.execute("SELECT count(*), max(idx) FROM cluster_stories").fetchone()
        assert rows[0] == header["n_stories"] == rows[1] + 1
        # and the second writer's articles were clustered against the first's stories (it reloaded):
        # every story id in the clusterer rows is the id of one row only
        assert store.conn.execute("SELECT count(*) - count(DISTINCT id) FROM cluster_stories").fetchone()[0] == 0


def test_a_second_ingest_with_a_timeout_refuses_and_writes_nothing(tmp_path):
    from samestory.store import Store
    from samestory.store.lock import WriterLock

    db = tmp_path / "held.db"
    Store(db).close()
    doc = tmp_path / "a.txt"
    doc.write_text("Harbour wall repairs\n\nThe harbour wall will be repaired in May, the council said.\n")
    lock = WriterLock(db)
    lock.acquire()
    try:
        cmd = [sys.executable, "-m", "samestory.cli", "ingest", str(doc), "--db", str(db), "--lock-timeout", "1"]
        t0 = time.monotonic()
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        waited = time.monotonic() - t0
    finally:
        lock.release()
    assert proc.returncode == 1
    assert "another writer holds the database" in proc.stderr and "--lock-timeout" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert waited >= 1.0
    with Store(db, readonly=True) as store:
        assert store.count_articles() == 0
