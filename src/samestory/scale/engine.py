"""Where the per-article work runs: in this process, or on a Dask cluster.

An engine runs a batch function over batches and hands the results back *in submission
order*, so the stateful steps that follow on the client (boilerplate mining, dedup,
clustering, storing) see articles in arrival order whichever engine ran them: the results of
the Dask engine equal those of the local one.

Batch functions must live in importable modules (workers import them) and load their models
through ``samestory.enrich.models``, which caches one copy per worker process.
"""

from __future__ import annotations

import collections
import logging
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from samestory.errors import ArgumentError

log = logging.getLogger("samestory")

__all__ = ["LocalEngine", "DaskEngine", "make_engine"]


class _Done:
    """A finished result with the interface of a future."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def result(self) -> Any:
        return self.value


class LocalEngine:
    """Runs each batch at once, in this process."""

    name = "local"
    in_flight = 1

    def submit(self, fn: Callable[..., Any], *args: Any) -> _Done:
        return _Done(fn(*args))

    def map_ordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        for item in items:
            yield fn(item)

    def close(self) -> None:
        pass

    def __enter__(self) -> LocalEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DaskEngine:
    """Runs batches on Dask workers: a ``LocalCluster`` unless a scheduler address is given.

    At most ``in_flight`` batches per worker are queued, so a huge input streams through with
    flat memory on the client instead of being submitted whole.
    """

    name = "dask"

    def __init__(self, scheduler: str | None = None, *, workers: int | None = None, threads_per_worker: int = 1,
                 per_worker_in_flight: int = 2) -> None:
        from dask.distributed import Client, LocalCluster

        self.cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            # one thread per worker process: the models are not shared between threads well and
            # torch/spaCy already use the core they run on
            self.cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=threads_per_worker,
                                        processes=True, dashboard_address=None)
            self.client = Client(self.cluster)
        n = len(self.client.scheduler_info().get("workers", {})) or (workers or 1)
        self.in_flight = max(1, n * per_worker_in_flight)

    def submit(self, fn: Callable[..., Any], *args: Any):
        return self.client.submit(fn, *args, pure=False)

    def map_ordered(self, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
        queue: collections.deque = collections.deque()
        for item in items:
            queue.append(self.submit(fn, item))
            if len(queue) >= self.in_flight:
                yield queue.popleft().result()
        while queue:
            yield queue.popleft().result()

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()

    def __enter__(self) -> DaskEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_engine(name: str = "local", *, scheduler: str | None = None, workers: int | None = None):
    if name == "local":
        return LocalEngine()
    if name == "dask":
        return DaskEngine(scheduler, workers=workers)
    raise ArgumentError("engine", f"unknown engine {name!r}: use 'local' or 'dask'")
