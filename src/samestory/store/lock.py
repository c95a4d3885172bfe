"""One writer per database: an exclusive advisory lock on a file beside it.

SQLite serialises single transactions, but an ingest is a *sequence* of them over state it holds
in memory (the story clusterer's rows, the dedup index): two ingests into one database would
each extend their own copy and write story rows under the same index numbers. So an ingest holds
``WriterLock`` (``flock`` on ``DB.writer-lock``) while it loads that state and while it writes;
a second one waits for it (saying so) or, with a timeout, refuses with a clear error. The kernel
releases the lock when its process ends, however it ends (SIGKILL included): a crashed writer
never leaves a stale lock behind.
"""

from __future__ import annotations

import datetime as _dt
import fcntl
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from samestory.errors import StoreError

__all__ = ["WriterLock", "lock_path_for", "BACKGROUND_NICENESS"]

POLL_SECONDS = 0.2
# The CPU priority (nice value added) of the work that writes or recomputes while people read:
# `samestory ingest` and `watch` (their --niceness default), the web's ingest jobs and its
# comparison worker. Readers (the web pages) stay at normal priority and come first on a busy
# machine (bench/web.py measures the story pages while an ingest writes).
BACKGROUND_NICENESS = 10


def lock_path_for(db_path: str | os.PathLike[str]) -> Path:
    return Path(f"{os.fspath(db_path)}.writer-lock")


class WriterLock:
    """The writer lock of the database at ``db_path``; re-entrant within one object.

    ``acquire(timeout=None)`` waits as long as it takes; ``timeout=0`` refuses at once when
    another writer holds it; ``on_wait(message)`` is called once, when the lock is taken by
    someone else, with who holds it."""

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.db_path = Path(db_path)
        self.path = lock_path_for(db_path)
        self._fd: int | None = None
        self._depth = 0

    @property
    def held(self) -> bool:
        return self._depth > 0

    def holder(self) -> str:
        """Who holds the lock, as its holder wrote it (pid, command, since when), or ''."""
        try:
            return self.path.read_text(encoding="utf-8", errors="replace").strip()[:200]
        except OSError:
            return ""

    def acquire(self, timeout: float | None = None, on_wait: Callable[[str], None] | None = None) -> None:
        if self._depth:
            self._depth += 1
            return
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"{self.db_path}: cannot open the writer lock {self.path} ({exc.strerror or exc})") from exc
        try:
            self._wait(fd, timeout, on_wait)
        except BaseException:
            os.close(fd)
            raise
        # who holds it, for the message a waiting writer prints (advisory: the flock is the lock)
        stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        command = " ".join(os.path.basename(a) if i == 0 else a for i, a in enumerate(sys.argv[:3]))
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} ({command[:120]}) since {stamp}\n".encode("utf-8", "replace"), 0)
        self._fd = fd
        self._depth = 1

    def _wait(self, fd: int, timeout: float | None, on_wait: Callable[[str], None] | None) -> None:
        deadline = None if timeout is None else time.monotonic() + max(0.0, timeout)
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                pass
            holder = self.holder() or "another process"
            if deadline is not None and time.monotonic() >= deadline:
                waited = f"after waiting {timeout:g} s" if timeout else "(no wait asked for)"
                raise StoreError(f"{self.db_path}: another writer holds the database ({holder}); gave up {waited}. "
                                 "Run again when it has finished, or give a longer --lock-timeout")
            if not told and on_wait is not None:
                on_wait(f"{self.db_path}: waiting for the writer lock, held by {holder}")
                told = True
            time.sleep(POLL_SECONDS if deadline is None else min(POLL_SECONDS, max(0.0, deadline - time.monotonic())))

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if self._depth:
            return
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                os.ftruncate(fd, 0)
            except OSError:
                pass
            os.close(fd)  # closing the descriptor releases the flock

    def __enter__(self) -> WriterLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
