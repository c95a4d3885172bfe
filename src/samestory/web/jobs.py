"""Ingest through the web, off the request: ``POST /api/ingest`` queues a job and answers 202 at once.

One worker thread runs the jobs in order, each on its own writer ``Store`` (the server's readers
never wait on it: WAL). The worker runs at a lower CPU priority than the request threads
(``os.setpriority`` on its own thread id; Linux) and with one torch thread, so an ingest slows the
pages down but never starves them. A job's uploaded files live in its own temporary folder, removed
when it ends. ``GET /api/jobs/{id}`` tells its state: ``queued``, ``running``, ``done`` (with the
ingest report) or ``failed`` (with the reason). Jobs live in memory: a restart forgets them (the
articles of a finished job are in the store).
"""

from __future__ import annotations

import logging
import os
import queue
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from pathlib import Path
from typing import Any

from samestory.store.lock import BACKGROUND_NICENESS

log = logging.getLogger("samestory")

__all__ = ["IngestJobs", "QueueFull"]


class QueueFull(Exception):
    pass


class IngestJobs:
    """A FIFO of ingest jobs over database ``db``, run by one worker thread started on first use."""

    def __init__(self, db: str | Path, *, max_queued: int, kept: int) -> None:
        self.db = db
        self.max_queued = max_queued
        self.kept = kept
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._jobs: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._folders: dict[str, Path] = {}
        self._inputs: dict[str, list[str]] = {}
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def submit(self, inputs: list[str], folder: Path | None) -> dict[str, Any]:
        """Queue ``inputs`` (paths inside ``folder``, which the job owns, and URLs); return the job."""
        with self._lock:
            waiting = sum(1 for j in self._jobs.values() if j["status"] == "queued")
            if waiting >= self.max_queued:
                raise QueueFull(f"{waiting} ingest jobs are already waiting; try again later")
            job_id = secrets.token_hex(8)
            job = {"id": job_id, "status": "queued", "inputs": len(inputs), "submitted": _now(),
                   "started": None, "finished": None, "report": None, "error": None}
            self._jobs[job_id] = job
            if folder is not None:
                self._folders[job_id] = folder
            self._inputs[job_id] = inputs
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(target=self._run, name="samestory-ingest", daemon=True)
                self._worker.start()
            self._queue.put(job_id)
            return dict(job)

    def get(self, job_id: str) -> dict[str, Any] | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return dict(job) if job else None

    def wait(self, job_id: str, timeout: float) -> dict[str, Any] | None:
        """The job once it has ended (or as it is after ``timeout`` s): for tests and scripts."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            job = self.get(job_id)
            if job is None or job["status"] in ("done", "failed"):
                return job
            time.sleep(0.05)
        return self.get(job_id)

    def close(self) -> None:
        if self._worker is not None and self._worker.is_alive():
            self._queue.put(None)
            self._worker.join(timeout=5)

    def _run(self) -> None:
        _lower_priority()
        while True:
            job_id = self._queue.get()
            if job_id is None:
                return
            with self._lock:
                job = self._jobs[job_id]
                job.update(status="running", started=_now())
                inputs = self._inputs.pop(job_id)
            try:
                report = self._ingest(inputs)
            except Exception as exc:  # the job fails with its reason; the worker goes on
                log.warning("ingest job %s failed: %s", job_id, exc)
                with self._lock:
                    job.update(status="failed", finished=_now(), error=f"{type(exc).__name__}: {exc}")
            else:
                with self._lock:
                    job.update(status="done", finished=_now(), report=report)
            finally:
                folder = self._folders.pop(job_id, None)
                if folder is not None:
                    shutil.rmtree(folder, ignore_errors=True)
                self._forget_old()

    def _ingest(self, inputs: list[str]) -> dict[str, Any]:
        from samestory.store import Store
        from samestory.workflow import Ingestor

        with Store(self.db) as writer:
            return Ingestor(writer).ingest(inputs).to_dict()

    def _forget_old(self) -> None:
        with self._lock:
            ended = [k for k, j in self._jobs.items() if j["status"] in ("done", "failed")]
            for k in ended[: max(0, len(ended) - self.kept)]:
                del self._jobs[k]


def _lower_priority() -> None:
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), BACKGROUND_NICENESS)  # this thread only (Linux)
    except (AttributeError, OSError):
        pass
    try:
        import torch

        torch.set_num_threads(1)  # the embedder's matrix work on one core: the other stays for the pages
    except Exception:  # torch missing or already configured: the ingest still runs
        pass


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
