"""Quality gate: small slices of real dev sets (ECB+, ECB+ headlines only, wikinews-events) through
``samestory cluster``'s own path (``workflow.cluster_jsonl``: read, clean, featurize, cluster), in a
shuffled order (the sets are stored grouped by gold story, which would flatter any clusterer).

The floors sit just under today's BCubed F1 on these slices (bench/clustering.py has the full
sets and the baselines). They may only rise: a change that lowers one fails here. Skips when
../shared/eval is absent."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

from samestory.workflow import cluster_jsonl

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import clustering_sets as sets  # noqa: E402  (the bench's record writer: one home for the set format)

ECB_TOPICS = {1, 3, 4, 6}  # a slice: 8 gold events (two look-alike events per topic)
WIKINEWS_EVENTS = 30  # the first 30 events of wikinews-events
# BCubed F1 floors on these slices, just under the figures measured on 2026-12-02 (a shuffled file, seed 7);
# after the issue-19 cut-offs (join 1.6, merge 2.4, lone-report merge 1.55, headlines 0.9): 0.954, 0.865,
# 0.795 (before: 0.963, 0.858, 0.779): the headline and wikinews floors rose, the ECB+ one stays
# (floors only rise)
FLOORS = {"ecb-full": 0.95, "ecb-titles": 0.86, "wikinews": 0.79}


def shuffled_copy(path: Path, seed: int = 7) -> Path:
    lines = path.read_text(encoding="utf-8").splitlines()
    random.Random(seed).shuffle(lines)
    out = path.with_name("shuffled-" + path.name)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def eval_dir(shared_dir):
    path = shared_dir / "eval"
    if not (path / sets.ECB).exists() or not (path / sets.WIKINEWS).exists():
        pytest.skip("ECB+ or wikinews-events is not in ../shared/eval")
    return path


def gate(name: str, path: Path, gold: dict) -> float:
    result = cluster_jsonl(shuffled_copy(path))
    assert not result.get("failures"), result.get("failures")  # nothing with a title is refused
    assert set(result["assignments"]) == set(gold)
    f1 = sets.bcubed(result["assignments"], gold)[2]
    print(f"{name}: BCubed F1 {f1:.3f} (floor {FLOORS[name]})")
    return f1


def test_ecb_slice_full_text(eval_dir, tmp_path):
    path, gold = sets.ecb(eval_dir, tmp_path, topics=ECB_TOPICS)
    assert gate("ecb-full", path, gold) >= FLOORS["ecb-full"]


def test_ecb_slice_headlines_only(eval_dir, tmp_path):
    path, gold = sets.ecb(eval_dir, tmp_path, topics=ECB_TOPICS, titles_only=True)
    assert gate("ecb-titles", path, gold) >= FLOORS["ecb-titles"]


def test_wikinews_slice(eval_dir, tmp_path):
    events = []
    for line in (eval_dir / sets.WIKINEWS).open(encoding="utf-8"):
        event = json.loads(line)["event"]
        if event not in events:
            events.append(event)
    path, gold = sets.wikinews(eval_dir, tmp_path, dated=True, events=set(events[:WIKINEWS_EVENTS]))
    assert gate("wikinews", path, gold) >= FLOORS["wikinews"]
