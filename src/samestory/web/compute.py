"""Story comparisons for the web server, in a worker process of their own at low priority.

Comparing a story takes seconds of CPU (spaCy, the embedder, the aligner), mostly in Python that
holds the interpreter lock: run in the server's threads, one comparison starved the event loop
and every cheap page behind it (while an ingest wrote into the served store the story pages fell
to 9% of their idle requests/s, bench/web.py). In its own process at ``BACKGROUND_NICENESS`` it takes
the CPU the pages leave: the server only reads the store and renders. The worker is spawned on the
first comparison (models load there, not in the server); if it dies, a new one takes the
comparison over, and a comparison that kills two workers fails with ``StoreError`` (that request
gets an error page, the server goes on).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from samestory.errors import StoreError
from samestory.store.lock import BACKGROUND_NICENESS

__all__ = ["Comparer"]


def _exit_with_parent(parent: int) -> None:
    # a server that is killed (or stops without shutting its pool down) must not leave its worker
    # behind, holding models in memory: the worker ends once it has been handed to init
    while True:
        time.sleep(1.0)
        if os.getppid() != parent:
            os._exit(0)


def _start_worker() -> None:
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), name="samestory-parent-watch",
                     daemon=True).start()
    try:
        os.nice(BACKGROUND_NICENESS)
    except OSError:  # not allowed here: the worker still runs, at the server's priority
        pass
    try:
        import torch

        torch.set_num_threads(1)  # one core for the comparison's matrix work, the other for the pages
    except Exception:  # pragma: no cover - torch missing: the model loader says so on first use
        pass


def _compare(db: str, story_id: str) -> tuple[str | None, dict]:
    from samestory.store import Store
    from samestory.workflow import compute_story_document

    with Store(db, readonly=True) as reader:
        return compute_story_document(reader, story_id)


class Comparer:
    """One worker process that compares stories of ``db``: ``await comparer.document(story_id)``."""

    def __init__(self, db: str | Path) -> None:
        self.db = str(db)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: the server has threads and an event loop a forked child must not inherit
                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                 initializer=_start_worker)
            return self._pool

    async def document(self, story_id: str) -> tuple[str | None, dict]:
        """``(version, Coverage document)`` of the story, computed in the worker. A worker found dead
        is replaced and the comparison tried once more; a second death is this story's error."""
        for attempt in (1, 2):
            pool = self._executor()
            try:
                return await asyncio.get_running_loop().run_in_executor(pool, _compare, self.db, story_id)
            except BrokenProcessPool as exc:
                with self._lock:
                    if self._pool is pool:
                        self._pool = None  # the next comparison starts a new worker
                pool.shutdown(wait=False, cancel_futures=True)
                if attempt == 2:
                    raise StoreError(f"story {story_id}: the comparison worker stopped ({exc or 'killed'})") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def worker_pids(self) -> list[int]:
        """The worker's process id (none before the first comparison)."""
        with self._lock:
            pool = self._pool
        return [] if pool is None else [p.pid for p in list(getattr(pool, "_processes", {}).values())]

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
