"""Named stages over one document or a stream of them.

A ``Stage`` turns one item into the next kind of item (``process``) and may also handle a
whole batch at once (``process_batch``) where that is faster (spaCy's ``nlp.pipe``,
batched embeddings). ``Pipeline.pipe`` streams items through the stages in batches; an item
that fails in a stage becomes a ``Failure`` naming the item's source, the stage and the
reason, and the rest of the batch goes on (a failing batch call is retried item by item to
isolate the bad one).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from samestory.errors import ArgumentError, InputError
from samestory.models import Failure

log = logging.getLogger("samestory")

__all__ = ["Stage", "Pipeline", "batched"]


@dataclass(frozen=True)
class Stage:
    """A named step. ``process`` handles one item; ``process_batch`` (optional) a list of them."""

    name: str
    process: Callable[[Any], Any]
    process_batch: Callable[[list[Any]], list[Any]] | None = None


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _source_of(item: Any) -> str:
    return str(getattr(item, "source", "") or getattr(item, "id", "") or type(item).__name__)


class Pipeline:
    """An ordered list of named stages."""

    def __init__(self, stages: Sequence[Stage]) -> None:
        names = [s.name for s in stages]
        if len(set(names)) != len(names):
            raise ArgumentError("stages", f"stage names must be unique, got {names}")
        self.stages = tuple(stages)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.stages)

    def run(self, item: Any) -> Any:
        """Run one item through every stage; errors propagate."""
        for stage in self.stages:
            item = stage.process(item)
        return item

    def pipe(self, items: Iterable[Any], *, batch_size: int = 32) -> Iterator[Any]:
        """Stream items through the stages; yields results and ``Failure``s in input order."""
        for chunk in batched(items, batch_size):
            yield from self.run_batch(chunk)

    def run_batch(self, chunk: list[Any]) -> list[Any]:
        results = list(chunk)
        for stage in self.stages:
            results = self._apply(stage, results)
        return results

    def _apply(self, stage: Stage, results: list[Any]) -> list[Any]:
        live = [i for i, r in enumerate(results) if not isinstance(r, Failure)]
        if not live:
            return results
        out = list(results)
        if stage.process_batch is not None and len(live) > 1:
            try:
                processed = stage.process_batch([results[i] for i in live])
                for i, p in zip(live, processed, strict=True):
                    out[i] = p
                return out
            except Exception as exc:  # isolate the bad item below
                log.debug("stage %s failed on a batch (%s); retrying item by item", stage.name, exc)
        for i in live:
            out[i] = self._one(stage, results[i])
        return out

    @staticmethod
    def _one(stage: Stage, item: Any) -> Any:
        try:
            if stage.process_batch is not None:
                return stage.process_batch([item])[0]
            return stage.process(item)
        except InputError as exc:
            return Failure(source=exc.source, record=exc.record, reason=exc.reason, stage=stage.name)
        except Exception as exc:  # one bad document must never stop a batch
            log.debug("stage %s failed on %s", stage.name, _source_of(item), exc_info=True)
            return Failure(source=_source_of(item), reason=f"{type(exc).__name__}: {exc}", stage=stage.name)
