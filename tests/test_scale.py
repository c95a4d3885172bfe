"""The Dask engine gives the same stories as the local engine (a real LocalCluster)."""

from __future__ import annotations

import json

import pytest

from conftest import EXAMPLES
from samestory.scale.engine import DaskEngine, LocalEngine
from samestory.store import Store
from samestory.workflow import Ingestor


def stories_of(db) -> dict[str, list[str]]:
    with Store(db) as store:
        return {s.id: sorted(s.article_ids) for s in store.stories()}


def ingest(db, inputs, engine, batch_size=8):
    with Store(db) as store:
        return Ingestor(store, engine=engine, batch_size=batch_size).ingest(inputs)


@pytest.fixture(scope="module")
def dask_engine():
    with DaskEngine(workers=2) as engine:
        yield engine


def test_map_ordered_keeps_submission_order(dask_engine):
    out = list(dask_engine.map_ordered(sorted, [[3, 1], [2, 9, 0], [5]] * 5))
    assert out == [[1, 3], [0, 2, 9], [5]] * 5


def test_demo_corpus_same_stories(dask_engine, tmp_path):
    local = ingest(tmp_path / "local.db", [str(EXAMPLES / "demo")], LocalEngine())
    dask = ingest(tmp_path / "dask.db", [str(EXAMPLES / "demo")], dask_engine)
    assert (local.added, local.duplicate, local.failed) == (dask.added, dask.duplicate, dask.failed)
    assert stories_of(tmp_path / "local.db") == stories_of(tmp_path / "dask.db")


def test_ecbplus_slice_same_stories(dask_engine, shared_dir, tmp_path):
    src = shared_dir / "eval" / "ecbplus" / "ecbplus.jsonl"
    if not src.exists():
        pytest.skip("ECB+ is not in ../shared/eval")
    lines = []
    with src.open() as f:
        for line in f:
            doc = json.loads(line)
            if doc["topic"] in (1, 2, 3, "1", "2", "3"):
                lines.append(json.dumps({"id": doc["id"], "title": doc.get("title") or "", "text": doc["text"],
                                         "published": doc.get("published"), "outlet": f"src{len(lines) % 7}"}))
    assert lines, "no documents in topics 1-3"
    slice_path = tmp_path / "slice.jsonl"
    slice_path.write_text("\n".join(lines) + "\n")
    ingest(tmp_path / "local.db", [str(slice_path)], LocalEngine())
    ingest(tmp_path / "dask.db", [str(slice_path)], dask_engine)
    local = stories_of(tmp_path / "local.db")
    assert len(local) > 1
    assert local == stories_of(tmp_path / "dask.db")
